/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Output that appears under its final name only when complete: it is made
 * as FINAL.part, private (0600/0700) while it holds patient data nobody
 * checked yet, then synced, given the permissions the umask allows and
 * renamed into place.  A failed or cancelled run removes FINAL.part.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
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

bool pdb_partial_begin(struct pdb_partial *t, const char *final, bool is_dir,
                       struct pdiburn_error **err)
{
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    t->is_dir = is_dir;
    t->final = strdup(final);
    t->part = pdb_format("%s.part", final);
    if (!t->final || !t->part)
        return pdb_fail_nomem(err);
    if (is_dir) {
        pdb_fs_remove_tree(t->part); /* left by a run that was killed */
        if (mkdir(t->part, 0700) != 0)
            return pdb_fail(err, PDIBURN_E_MEDIA, "creating '%s': %s",
                            t->part, strerror(errno));
        return true;
    }
    t->fd = open(t->part, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (t->fd < 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "creating '%s': %s", t->part,
                        strerror(errno));
    /* Another run writing the same output holds the lock: its file is
     * not ours to remove when we give up. */
    if (flock(t->fd, LOCK_EX | LOCK_NB) != 0) {
        pdb_fail(err, PDIBURN_E_MEDIA, "'%s' is being written by another run",
                 t->part);
        free(t->part);
        t->part = NULL;
        return false;
    }
    if (ftruncate(t->fd, 0) != 0 || fchmod(t->fd, 0600) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", t->part,
                        strerror(errno));
    return true;
}

static mode_t umask_mode(mode_t base)
{
    mode_t mask = umask(0);
    umask(mask);
    return base & ~mask;
}

bool pdb_partial_commit(struct pdb_partial *t, struct pdiburn_error **err)
{
    if (!t->is_dir) {
        if (fsync(t->fd) != 0 || fchmod(t->fd, umask_mode(0666)) != 0)
            return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", t->part,
                            strerror(errno));
    } else if (chmod(t->part, umask_mode(0777)) != 0) {
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", t->part,
                        strerror(errno));
    }
    if (t->is_dir)
        rmdir(t->final); /* an empty folder the user made for us */
    if (rename(t->part, t->final) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "renaming '%s' to '%s': %s",
                        t->part, t->final, strerror(errno));
    char *parent = pdb_fs_dirname(t->final);
    if (parent)
        pdb_fs_sync_dir(parent);
    free(parent);
    free(t->part);
    t->part = NULL;
    return true;
}

void pdb_partial_abort(struct pdb_partial *t)
{
    if (t->part)
        pdb_fs_remove_tree(t->part);
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
