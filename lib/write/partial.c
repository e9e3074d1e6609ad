/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output under its final name only when complete: made beside it under a
 * name nobody has (.NAME.XXXXXX.part, O_CREAT|O_EXCL|O_NOFOLLOW or a new
 * folder, as git's tempfiles), private (0600/0700) until checked, then
 * synced, given the umask's permissions and renamed into place.  Only what
 * this run created is removed; a set of outputs appears together or not.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

static bool dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *de;
    bool empty = true;
    while (empty && (de = readdir(d)) != NULL)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return empty;
}

bool pdb_partial_check(const char *final, bool is_dir,
                       struct pdiburn_error **err)
{
    struct stat st;
    char *parent = pdb_fs_dirname(final);
    if (!parent)
        return pdb_fail_nomem(err);
    bool ok = true;
    if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "'%s': no such folder", parent);
    else if (access(parent, W_OK) != 0)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", parent,
                      strerror(errno));
    else if (stat(final, &st) == 0 && is_dir != !!S_ISDIR(st.st_mode))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "'%s' exists and is %s", final,
                      is_dir ? "not a folder" : "a folder");
    else if (is_dir && stat(final, &st) == 0 && !dir_is_empty(final))
        ok = pdb_fail(err, PDIBURN_E_MEDIA,
                      "'%s' exists and is not empty; give a new folder",
                      final);
    free(parent);
    return ok;
}

/* ".NAME." : what the partial names of NAME start with.  A long NAME is
 * cut so that the partial name stays within NAME_MAX. */
char *pdb_partial_prefix(const char *final)
{
    return pdb_format(".%.200s.", pdb_fs_basename(final));
}

bool pdb_partial_begin(struct pdb_partial *t, const char *final, bool is_dir,
                       struct pdiburn_error **err)
{
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    t->is_dir = is_dir;
    t->final = strdup(final);
    char *parent = pdb_fs_dirname(final);
    char *prefix = pdb_partial_prefix(final);
    if (t->final && parent && prefix)
        t->part = pdb_fs_create_unique(parent, prefix, ".part",
                                       is_dir ? NULL : &t->fd);
    int e = errno;
    bool ok = t->part != NULL;
    if (!t->final || !parent || !prefix)
        pdb_fail_nomem(err);
    else if (!ok)
        pdb_fail(err, PDIBURN_E_MEDIA, "creating a file beside '%s': %s",
                 final, strerror(e));
    free(parent);
    free(prefix);
    /* The umask may have taken the owner's bits; the data is still
     * nobody else's. */
    if (ok && !is_dir && fchmod(t->fd, 0600) != 0)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", t->part,
                      strerror(errno));
    return ok;
}

bool pdb_partial_finish(struct pdb_partial *t, struct pdiburn_error **err)
{
    mode_t mask = (mode_t) pdb_fs_umask();
    bool ok;
    if (t->is_dir) {
        ok = chmod(t->part, 0777 & ~mask) == 0;
    } else {
        /* NFS and full disks report lost writes at fsync or close. */
        ok = fsync(t->fd) == 0 && fchmod(t->fd, 0666 & ~mask) == 0;
        ok = close(t->fd) == 0 && ok;
        t->fd = -1;
    }
    t->finished = ok;
    return ok || pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", t->part,
                          strerror(errno));
}

/* rename(2) that fails with EEXIST rather than replace: renameat2 where
 * the file system has it, else link(2), which never replaces either. */
static bool rename_new(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return true;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return false;
    if (link(from, to) != 0)
        return false;
    unlink(from);
    return true;
}

bool pdb_partial_place(struct pdb_partial *t, bool replace, bool *taken,
                       struct pdiburn_error **err)
{
    /* A folder replaces only an empty folder the user made for us. */
    bool ok = replace ? rename(t->part, t->final) == 0
                      : rename_new(t->part, t->final);
    if (!ok && taken && errno == EEXIST) {
        *taken = true;
        return false;
    }
    if (!ok)
        return pdb_fail(err, PDIBURN_E_MEDIA, "renaming '%s' to '%s': %s",
                        t->part, t->final, strerror(errno));
    t->placed = true;
    char *parent = pdb_fs_dirname(t->final);
    if (parent)
        pdb_fs_sync_dir(parent);
    free(parent);
    return true;
}

bool pdb_partial_commit(struct pdb_partial *t, struct pdiburn_error **err)
{
    return pdb_partial_finish(t, err) &&
           pdb_partial_place(t, true, NULL, err);
}

void pdb_partial_abort(struct pdb_partial *t)
{
    if (t->part && !t->placed && t->is_dir)
        pdb_fs_remove_tree(t->part);
    else if (t->part && !t->placed)
        unlink(t->part);
    if (t->fd >= 0)
        close(t->fd);
    free(t->part);
    free(t->final);
    memset(t, 0, sizeof(*t));
    t->fd = -1;
}

bool pdb_partial_write_file(const char *final, const void *data, size_t len,
                            struct pdiburn_error **err)
{
    struct pdb_partial t;
    bool ok = pdb_partial_begin(&t, final, false, err);
    if (ok && !pdb_fs_write_all(t.fd, data, len))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing '%s': %s", final,
                      strerror(errno));
    ok = ok && pdb_partial_commit(&t, err);
    pdb_partial_abort(&t);
    return ok;
}

/* ---- a set of outputs, put in place together --------------------------- */

bool pdb_outputs_begin(struct pdb_outputs *o, const char *final, bool is_dir,
                       struct pdb_partial **t, struct pdiburn_error **err)
{
    struct pdb_partial *p = calloc(1, sizeof(*p));
    if (!p || !pdb_grow(&o->items, o->n, sizeof(*o->items))) {
        free(p);
        return pdb_fail_nomem(err);
    }
    o->items[o->n++] = p;
    *t = p;
    return pdb_partial_begin(p, final, is_dir, err);
}

/* A rename failed half way: the outputs already placed go back, so that
 * none of the set is there. */
static void unplace(struct pdb_outputs *o, size_t placed)
{
    for (size_t i = 0; i < placed; i++)
        if (rename(o->items[i]->final, o->items[i]->part) == 0)
            o->items[i]->placed = false;
}

bool pdb_outputs_commit(struct pdb_outputs *o, struct pdiburn_error **err)
{
    for (size_t i = 0; i < o->n; i++)
        if (!o->items[i]->finished && !pdb_partial_finish(o->items[i], err))
            return false;
    for (size_t i = 0; i < o->n; i++)
        if (!pdb_partial_place(o->items[i], true, NULL, err)) {
            unplace(o, i);
            return false;
        }
    return true;
}

void pdb_outputs_abort(struct pdb_outputs *o)
{
    for (size_t i = 0; i < o->n; i++) {
        pdb_partial_abort(o->items[i]);
        free(o->items[i]);
    }
    free(o->items);
    o->items = NULL;
    o->n = 0;
}
