/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The private spool of a run (decompressed and re-encoded instances,
 * viewer data): a folder "pdiburn-spool-XXXXXX" (0700) marked with its
 * owner, a ".lock" file inside held with flock(2) while the run lives.
 * The kernel drops the lock when its process dies, even by SIGKILL, so
 * each run removes the spools in the same place whose lock nobody holds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define PREFIX "pdiburn-spool-"
#define LOCK_NAME ".lock"
/* A spool without a lock file is one being made right now (for an
 * instant between mkdtemp and the lock) or one whose maker died in that
 * instant: older than this, the latter. */
#define UNLOCKED_GRACE (60 * 60)

/* Whose lock nobody holds; false when the lock is held or unreadable. */
static bool lock_is_stale(int dirfd, const char *name, time_t made)
{
    char *lock = pdb_format("%s/" LOCK_NAME, name);
    int fd = lock ? openat(dirfd, lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                  : -1;
    int e = errno;
    free(lock);
    if (fd < 0)
        return e == ENOENT && time(NULL) - made > UNLOCKED_GRACE;
    bool stale = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd); /* removal below needs no lock: nobody else uses it */
    return stale;
}

static bool is_spool_name(const char *name)
{
    return strncmp(name, PREFIX, strlen(PREFIX)) == 0 &&
           strlen(name) == strlen(PREFIX) + 6;
}

/* Spools of runs that died, in `parent`: ours (same user) only. */
static void remove_stale(const char *parent, struct pdb_log *log)
{
    DIR *d = opendir(parent);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        struct stat st;
        if (!is_spool_name(de->d_name) ||
            fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            !lock_is_stale(dirfd(d), de->d_name, st.st_mtime))
            continue;
        char *path = pdb_fs_path_join(parent, de->d_name);
        if (path && pdb_fs_remove_tree(path))
            pdb_info(log, "removed the spool '%s' of a run that was stopped",
                     path);
        free(path);
    }
    if (d)
        closedir(d);
}

/* The lock file is locked before it takes its name: a run cleaning up
 * beside us (batch -j runs them side by side) that found it unlocked for
 * that instant would take our spool for a stale one and remove it. */
static bool mark_owner(struct pdb_spool *s, struct pdiburn_error **err)
{
    char *lock = pdb_fs_path_join(s->path, LOCK_NAME);
    char *making = pdb_fs_path_join(s->path, LOCK_NAME ".new");
    if (!lock || !making) {
        free(lock);
        free(making);
        return pdb_fail_nomem(err);
    }
    s->lock_fd = open(making,
                      O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool ok = s->lock_fd >= 0 && flock(s->lock_fd, LOCK_EX | LOCK_NB) == 0 &&
              rename(making, lock) == 0;
    if (ok) {
        char pid[32];
        int n = snprintf(pid, sizeof(pid), "%ld\n", (long) getpid());
        (void) pdb_fs_write_all(s->lock_fd, pid, (size_t) n); /* for people */
    } else {
        pdb_fail(err, PDIBURN_E_MEDIA, "the spool '%s': %s", s->path,
                 strerror(errno));
    }
    free(lock);
    free(making);
    return ok;
}

bool pdb_spool_open(struct pdb_spool *s, const char *parent,
                    struct pdb_log *log, struct pdiburn_error **err)
{
    s->lock_fd = -1;
    remove_stale(parent, log);
    s->path = pdb_fs_private_dir(parent, PREFIX, err);
    if (!s->path) {
        pdb_error_prefix(err, "the spool (--spool, TMPDIR): ");
        return false;
    }
    return mark_owner(s, err);
}

void pdb_spool_close(struct pdb_spool *s)
{
    if (s->path)
        pdb_fs_remove_tree(s->path);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* after the removal: nobody takes it for stale */
    free(s->path);
    s->path = NULL;
    s->lock_fd = -1;
}
