/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Before an export writes anything: every file it takes still has the
 * size, modification time and inode the catalog holds, and every folder
 * holding them the time the last index run saw (a file added to a
 * study's folder since then would otherwise be missing from the media).
 * The folder times are written last by an index run, so an export never
 * trusts a folder an index run is still working on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fresh.h"

#define NAMED 5 /* stale files named in the message */

struct stale {
    struct pdb_buf names;
    size_t n;
};

static void note(struct stale *s, const char *base, const char *rel,
                 const char *why)
{
    if (s->n++ < NAMED)
        pdb_buf_printf(&s->names, "%s'%s%s%s' (%s)", s->names.len ? ", " : "",
                       base, *rel ? "/" : "", rel, why);
}

bool pdb_fresh_expect(struct pdb_fresh *f, const char *rel, uint64_t size,
                      int64_t mtime_ns, uint64_t ino)
{
    char *copy = strdup(rel);
    if (!copy || !pdb_grow(&f->files, f->n, sizeof(*f->files))) {
        free(copy);
        return false;
    }
    f->files[f->n++] = (struct pdb_file){ copy, size, mtime_ns, ino, 0 };
    return true;
}

static int64_t mtime_of(const struct stat *st)
{
    return (int64_t) st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static bool check_file(const struct pdb_fresh *f, const struct pdb_file *e,
                       struct stale *s)
{
    struct stat st;
    char *path = pdb_fs_path_join(f->base, e->path);
    if (!path)
        return false;
    if (stat(path, &st) != 0)
        note(s, f->base, e->path, errno == ENOENT ? "gone" : strerror(errno));
    else if ((uint64_t) st.st_size != e->size || mtime_of(&st) != e->mtime_ns ||
             (uint64_t) st.st_ino != e->ino)
        note(s, f->base, e->path, "changed");
    free(path);
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The folders of the files, each once. */
static char **folders_of(const struct pdb_fresh *f, size_t *n)
{
    char **dirs = calloc(f->n + 1, sizeof(char *));
    for (size_t i = 0; dirs && i < f->n; i++) {
        const char *slash = strrchr(f->files[i].path, '/');
        size_t len = slash ? (size_t) (slash - f->files[i].path) : 0;
        dirs[i] = strndup(f->files[i].path, len);
        if (!dirs[i]) {
            for (size_t j = 0; j < i; j++)
                free(dirs[j]);
            free(dirs);
            return NULL;
        }
    }
    if (f->n > 1) /* qsort(NULL, 0) is undefined */
        qsort(dirs, f->n, sizeof(char *), cmp_str);
    *n = 0;
    for (size_t i = 0; dirs && i < f->n; i++) {
        if (*n && strcmp(dirs[*n - 1], dirs[i]) == 0)
            free(dirs[i]);
        else
            dirs[(*n)++] = dirs[i];
    }
    return dirs;
}

static bool check_folder(const struct pdb_fresh *f, struct pdb_stmt *st,
                         const char *rel, struct stale *s,
                         struct pdiburn_error **err)
{
    struct stat now;
    pdb_stmt_text(st, 1, rel);
    int got = pdb_stmt_step(st, err);
    int64_t then = got == 1 ? pdb_stmt_col_int(st, 0) : -1;
    pdb_stmt_reset(st);
    if (got < 0)
        return false;
    char *path = pdb_fs_path_join(f->base, rel);
    if (!path)
        return pdb_fail_nomem(err);
    if (got == 0)
        note(s, f->base, rel, "folder not in the catalog yet");
    else if (stat(path, &now) != 0 || mtime_of(&now) != then)
        note(s, f->base, rel, "folder changed: files added, removed or "
                              "renamed");
    free(path);
    return true;
}

static bool check_folders(const struct pdb_fresh *f, struct stale *s,
                          struct pdiburn_error **err)
{
    size_t n = 0;
    char **dirs = folders_of(f, &n);
    struct pdb_stmt *st =
        dirs ? pdb_db_prepare(f->cat->db,
                              "SELECT mtime FROM dirs WHERE path = ?1", err)
             : NULL;
    bool ok = st != NULL;
    for (size_t i = 0; ok && i < n; i++)
        ok = check_folder(f, st, dirs[i], s, err);
    for (size_t i = 0; dirs && i < n; i++)
        free(dirs[i]);
    free(dirs);
    pdb_stmt_free(st);
    return ok || (err && *err) || pdb_fail_nomem(err);
}

static bool fail_stale(const struct pdb_fresh *f, struct stale *s,
                       struct pdiburn_error **err)
{
    char *hint = pdb_catalog_hint(f->cat);
    bool running = pdb_catalog_index_running(f->cat);
    pdb_buf_add(&s->names, "", 1);
    pdb_fail(err, PDIBURN_E_IO,
             "the catalog '%s' is out of date for this selection: %zu "
             "change(s) since the last index run: %s%s; %s%s",
             f->cat->path, s->n, s->names.failed ? "" : (char *) s->names.data,
             s->n > NAMED ? ", ..." : "", hint ? hint : "run pdiburn index",
             running ? " (an index run is under way: try again when it has "
                       "finished)"
                     : "");
    free(hint);
    return false;
}

bool pdb_fresh_check(struct pdb_fresh *f, struct pdiburn_error **err)
{
    struct stale s = { { 0 }, 0 };
    bool ok = true;
    for (size_t i = 0; ok && i < f->n; i++)
        ok = (check_file(f, &f->files[i], &s) || pdb_fail_nomem(err)) &&
             (i % 1024 || pdb_ctl_go_on(f->ctl, err));
    ok = ok && check_folders(f, &s, err);
    if (ok && s.n)
        ok = fail_stale(f, &s, err);
    pdb_buf_free(&s.names);
    return ok;
}

void pdb_fresh_free(struct pdb_fresh *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->files[i].path);
    free(f->files);
    f->files = NULL;
    f->n = 0;
}
