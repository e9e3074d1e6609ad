/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One writer per output: a lock file beside it (".NAME.lock", 0600, the
 * writer's process id inside for people) held with flock(2) for the whole
 * run.  The kernel lets go of a flock when its process dies, however it
 * dies, so a lock file nobody holds is stale and taken over; so are the
 * partial outputs of NAME it left, which no live run can be writing.
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

/* The pid the holder wrote, for the message; "" when unreadable. */
static void holder(int fd, char *out, size_t len)
{
    size_t got = 0;
    out[0] = 0;
    if (!pdb_fs_read_at(fd, out, len - 1, 0, &got))
        got = 0;
    out[got] = 0;
    out[strcspn(out, "\n")] = 0;
}

/* The file we locked is still the one under `path`: its holder may have
 * removed it between our open and our flock. */
static bool still_there(int fd, const char *path)
{
    struct stat a, b;
    return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Only a plain file of ours with no other names is written to: as root,
 * a planted link to /etc/shadow must not be truncated. */
static bool ours(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
           st.st_uid == geteuid();
}

static bool busy(struct pdb_lock *l, const char *what,
                 struct pdiburn_error **err)
{
    char pid[32];
    holder(l->fd, pid, sizeof(pid));
    return pdb_fail(err, PDIBURN_E_MEDIA,
                    "'%s' is being written by another run%s%s%s (lock '%s')",
                    what, pid[0] ? " (process " : "", pid, pid[0] ? ")" : "",
                    l->path);
}

/* Opens and locks; 1 locked, 0 try again, -1 failed. */
static int try_lock(struct pdb_lock *l, const char *what,
                    struct pdiburn_error **err)
{
    l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (l->fd < 0) {
        pdb_fail(err, PDIBURN_E_MEDIA, "creating the lock '%s': %s", l->path,
                 strerror(errno));
        return -1;
    }
    if (!ours(l->fd)) {
        pdb_fail(err, PDIBURN_E_MEDIA,
                 "'%s' is not a lock file of pdiburn's; remove it", l->path);
        return -1;
    }
    if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
        busy(l, what, err);
        return -1;
    }
    if (still_there(l->fd, l->path))
        return 1;
    close(l->fd);
    l->fd = -1;
    return 0;
}

bool pdb_lock_take(struct pdb_lock *l, const char *path, const char *what,
                   struct pdiburn_error **err)
{
    l->path = strdup(path);
    l->fd = -1;
    if (!l->path)
        return pdb_fail_nomem(err);
    int rc = 0;
    for (int tries = 0; rc == 0 && tries < 20; tries++)
        rc = try_lock(l, what, err);
    if (rc == 0)
        pdb_fail(err, PDIBURN_E_MEDIA, "'%s' keeps changing", l->path);
    if (rc != 1) {
        if (l->fd >= 0)
            close(l->fd);
        free(l->path);
        l->path = NULL;
        l->fd = -1;
        return false;
    }
    char pid[32];
    int n = snprintf(pid, sizeof(pid), "%ld\n", (long) getpid());
    /* The pid is for people only: a failure to write it is no failure. */
    if (ftruncate(l->fd, 0) == 0)
        (void) pdb_fs_write_all(l->fd, pid, (size_t) n);
    return true;
}

/* ".NAME.XXXXXX.part", as partial.c names them. */
static bool is_partial_of(const char *entry, const char *prefix)
{
    size_t n = strlen(prefix), len = strlen(entry);
    if (len != n + 6 + 5 || strncmp(entry, prefix, n) != 0 ||
        strcmp(entry + n + 6, ".part") != 0)
        return false;
    for (size_t i = n; i < n + 6; i++)
        if (!((entry[i] >= 'a' && entry[i] <= 'z') ||
              (entry[i] >= 'A' && entry[i] <= 'Z') ||
              (entry[i] >= '0' && entry[i] <= '9')))
            return false;
    return true;
}

/* Holding the lock of NAME, we are its only writer: its partial outputs
 * that are still there belong to a run that died (SIGKILL, power loss). */
static void remove_stale_partials(const char *final, struct pdb_log *log)
{
    char *parent = pdb_fs_dirname(final);
    char *prefix = pdb_partial_prefix(final);
    DIR *d = parent && prefix ? opendir(parent) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        struct stat st;
        if (!is_partial_of(de->d_name, prefix) ||
            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            st.st_uid != geteuid())
            continue;
        char *path = pdb_fs_path_join(parent, de->d_name);
        if (path && pdb_fs_remove_tree(path))
            pdb_info(log, "removed '%s', left by a run that was stopped",
                     path);
        free(path);
    }
    if (d)
        closedir(d);
    free(parent);
    free(prefix);
}

bool pdb_lock_output(struct pdb_lock *l, const char *final,
                     struct pdb_log *log, struct pdiburn_error **err)
{
    char *parent = pdb_fs_dirname(final);
    char *path = parent ? pdb_format("%s/.%.200s.lock", parent,
                                     pdb_fs_basename(final))
                        : NULL;
    bool ok = path ? pdb_lock_take(l, path, final, err) : pdb_fail_nomem(err);
    if (ok)
        remove_stale_partials(final, log);
    free(parent);
    free(path);
    return ok;
}

void pdb_lock_release(struct pdb_lock *l)
{
    if (l->path && l->fd >= 0)
        unlink(l->path); /* while still holding it: see still_there() */
    if (l->fd >= 0)
        close(l->fd);
    free(l->path);
    l->path = NULL;
    l->fd = -1;
}
