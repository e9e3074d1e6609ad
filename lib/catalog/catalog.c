/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public catalog object: which archive folder and which catalog file,
 * opened for reading (find, exports) or for an index run, and the
 * callbacks of that run.  A catalog names the folder it was made for, so
 * that one archive's catalog is never read as another's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"

char *pdb_catalog_default_path(const char *archive)
{
    return pdb_fs_path_join(archive, PDB_CATALOG_NAME ".sqlite");
}

static char *resolve_archive(const char *archive, struct pdiburn_error **err)
{
    struct stat st;
    char *root = realpath(archive, NULL);
    if (!root || stat(root, &st) != 0) {
        pdb_fail(err, PDIBURN_E_IO, "archive '%s': %s", archive,
                 strerror(errno));
        free(root);
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        pdb_fail(err, PDIBURN_E_IO, "archive '%s': not a folder", archive);
        free(root);
        return NULL;
    }
    return root;
}

static struct pdiburn_catalog *new_catalog(const char *archive,
                                           const char *catalog,
                                           struct pdiburn_error **err)
{
    struct pdiburn_catalog *cat = calloc(1, sizeof(*cat));
    if (!cat) {
        pdb_fail_nomem(err);
        return NULL;
    }
    cat->lock_fd = -1;
    atomic_init(&cat->ctl.cancelled, false);
    if (archive && !(cat->root = resolve_archive(archive, err))) {
        free(cat);
        return NULL;
    }
    cat->custom_path = catalog != NULL;
    cat->path = catalog ? strdup(catalog) : pdb_catalog_default_path(archive);
    if (!cat->path) {
        pdiburn_catalog_close(cat);
        pdb_fail_nomem(err);
        return NULL;
    }
    return cat;
}

static bool check_root(struct pdiburn_catalog *cat,
                       struct pdiburn_error **err)
{
    char *made_for = NULL;
    if (!pdb_schema_get(cat->db, "archive", &made_for, err))
        return false;
    if (!made_for || !*made_for) {
        free(made_for);
        return pdb_fail(err, PDIBURN_E_IO,
                        "no index run has finished on it yet");
    }
    if (!cat->root) {
        cat->root = made_for;
        return true;
    }
    bool same = strcmp(made_for, cat->root) == 0;
    if (!same)
        pdb_fail(err, PDIBURN_E_IO, "it was made for the archive '%s'",
                 made_for);
    free(made_for);
    return same;
}

/* "catalog 'F': why; run 'pdiburn index ...'" */
static void explain(const struct pdiburn_catalog *cat,
                    struct pdiburn_error *why, struct pdiburn_error **err)
{
    char *hint = pdb_catalog_hint(cat);
    pdb_fail(err, pdiburn_error_code(why), "catalog '%s': %s%s%s", cat->path,
             pdiburn_error_message(why), hint ? "; " : "", hint ? hint : "");
    free(hint);
    pdiburn_error_free(why);
}

static bool open_db(struct pdiburn_catalog *cat, struct pdiburn_error **err)
{
    bool rebuilt = false;
    if (access(cat->path, F_OK) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "%s", strerror(errno));
    cat->db = pdb_db_open(cat->path, false, false, err);
    return cat->db && pdb_schema_prepare(cat->db, false, &rebuilt, err) &&
           check_root(cat, err);
}

struct pdiburn_catalog *pdb_catalog_open_read(const char *archive,
                                              const char *catalog,
                                              struct pdiburn_error **err)
{
    if (!archive && !catalog) {
        pdb_fail(err, PDIBURN_E_USAGE, "no archive or catalog given");
        return NULL;
    }
    struct pdiburn_catalog *cat = new_catalog(archive, catalog, err);
    struct pdiburn_error *why = NULL;
    if (cat && !open_db(cat, &why)) {
        explain(cat, why, err);
        pdiburn_catalog_close(cat);
        return NULL;
    }
    return cat;
}

struct pdiburn_catalog *pdiburn_catalog_open(const char *archive,
                                             const char *catalog, bool write,
                                             struct pdiburn_error **err)
{
    if (!write)
        return pdb_catalog_open_read(archive, catalog, err);
    if (!archive || !*archive) {
        pdb_fail(err, PDIBURN_E_USAGE, "no archive folder given");
        return NULL;
    }
    struct pdiburn_catalog *cat = new_catalog(archive, catalog, err);
    if (cat)
        cat->write = true; /* the file is opened once the lock is held */
    return cat;
}

void pdiburn_catalog_close(struct pdiburn_catalog *cat)
{
    if (!cat)
        return;
    pdb_db_close(cat->db);
    if (cat->lock_fd >= 0)
        close(cat->lock_fd); /* releases the flock */
    free(cat->root);
    free(cat->path);
    free(cat);
}

void pdiburn_catalog_set_log(struct pdiburn_catalog *cat, pdiburn_log_fn fn,
                             void *user)
{
    cat->ctl.log.fn = fn;
    cat->ctl.log.user = user;
}

void pdiburn_catalog_set_progress(struct pdiburn_catalog *cat,
                                  pdiburn_progress_fn fn, void *user)
{
    cat->ctl.progress = fn;
    cat->ctl.progress_user = user;
}

void pdiburn_catalog_cancel(struct pdiburn_catalog *cat)
{
    atomic_store(&cat->ctl.cancelled, true);
}

const char *pdiburn_catalog_path(const struct pdiburn_catalog *cat)
{
    return cat->path;
}

static char *lock_path(const struct pdiburn_catalog *cat)
{
    return pdb_format("%s-lock", cat->path);
}

bool pdb_catalog_index_running(const struct pdiburn_catalog *cat)
{
    char *path = lock_path(cat);
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    free(path);
    if (fd < 0)
        return false;
    bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return held;
}

char *pdb_catalog_hint(const struct pdiburn_catalog *cat)
{
    const char *root = cat->root ? cat->root : "ARCHIVE";
    if (!cat->custom_path)
        return pdb_format("run 'pdiburn index %s'", root);
    return pdb_format("run 'pdiburn index --catalog %s %s'", cat->path, root);
}
