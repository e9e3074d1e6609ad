/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * File system helpers: paths, opening paths of any length, private folders
 * (0700, never world-readable: they hold patient data), removal that never
 * follows links, positioned reads, full writes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

char *pdb_fs_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    if (la == 0)
        return strdup(b);
    return pdb_format("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

char *pdb_fs_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t) (slash - path));
}

/* The longest prefix of `path` shorter than PATH_MAX that ends at a '/'
 * (its length), or 0 when the first component alone is too long. */
static size_t chunk_length(const char *path)
{
    size_t cut = 0;
    for (size_t i = 1; i < PATH_MAX - 1 && path[i]; i++)
        if (path[i] == '/')
            cut = i;
    return cut;
}

/* open() takes paths of up to PATH_MAX bytes; a deeper file is reached
 * folder by folder, at most two descriptors open at a time. */
int pdb_fs_open_deep(const char *path, int flags)
{
    if (strlen(path) < PATH_MAX)
        return open(path, flags | O_CLOEXEC);
    int at = AT_FDCWD;
    const char *rest = path;
    while (strlen(rest) >= PATH_MAX) {
        size_t n = chunk_length(rest);
        char *head = n ? strndup(rest, n) : NULL;
        int next = head ? openat(at, head, O_PATH | O_DIRECTORY | O_CLOEXEC)
                        : -1;
        int e = head ? errno : ENAMETOOLONG;
        free(head);
        if (at != AT_FDCWD)
            close(at);
        if (next < 0) {
            errno = e;
            return -1;
        }
        at = next;
        rest += n + 1;
    }
    int fd = openat(at, rest, flags | O_CLOEXEC);
    int e = errno;
    if (at != AT_FDCWD)
        close(at);
    errno = e;
    return fd;
}

/* A name by which a library that only opens names (DCMTK) reaches `fd`:
 * the path itself when it is short enough, else /proc/self/fd/N. */
const char *pdb_fs_fd_name(const char *path, int fd, char buf[32])
{
    if (strlen(path) < PATH_MAX || fd < 0)
        return path;
    snprintf(buf, 32, "/proc/self/fd/%d", fd);
    return buf;
}

const char *pdb_fs_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

unsigned pdb_fs_umask(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    unsigned mask = 077;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "Umask: %o", &mask) == 1)
            break;
    if (f)
        fclose(f);
    return mask & 0777;
}

void pdb_fs_random_name(char *out, size_t n)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char bytes[64];
    if (n > sizeof(bytes))
        n = sizeof(bytes);
    if (getrandom(bytes, n, 0) != (ssize_t) n) {
        /* No entropy yet (early boot): unique enough with O_EXCL. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long seed = (unsigned long) ts.tv_nsec ^
                             ((unsigned long) getpid() << 16);
        for (size_t i = 0; i < n; i++, seed = seed * 6364136223846793005u + 1)
            bytes[i] = (unsigned char) (seed >> 33);
    }
    for (size_t i = 0; i < n; i++)
        out[i] = chars[bytes[i] % (sizeof(chars) - 1)];
}

char *pdb_fs_create_unique(const char *dir, const char *prefix,
                           const char *suffix, int *fd)
{
    char *path = pdb_format("%s/%sXXXXXX%s", dir, prefix, suffix);
    if (!path)
        return NULL;
    char *x = path + strlen(dir) + 1 + strlen(prefix);
    for (int tries = 0; tries < 100; tries++) {
        pdb_fs_random_name(x, 6);
        if (fd)
            *fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
                                 O_CLOEXEC, 0600);
        if (fd ? *fd >= 0 : mkdir(path, 0700) == 0)
            return path;
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(path);
    errno = e;
    return NULL;
}

bool pdb_fs_mkdirs(const char *path, unsigned mode, struct pdiburn_error **err)
{
    char *copy = strdup(path);
    if (!copy)
        return pdb_fail_nomem(err);
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != 0)
            continue;
        char saved = *p;
        *p = 0;
        if (mkdir(copy, mode) != 0 && errno != EEXIST) {
            int e = errno;
            free(copy);
            return pdb_fail(err, PDIBURN_E_MEDIA, "creating folder '%s': %s",
                            path, strerror(e));
        }
        *p = saved;
        if (saved == 0)
            break;
    }
    free(copy);
    return true;
}

char *pdb_fs_private_dir(const char *parent, const char *prefix,
                         struct pdiburn_error **err)
{
    char *tmpl = pdb_format("%s/%sXXXXXX", parent, prefix);
    if (!tmpl) {
        pdb_fail_nomem(err);
        return NULL;
    }
    if (!mkdtemp(tmpl)) { /* mkdtemp creates with mode 0700 */
        pdb_fail(err, PDIBURN_E_MEDIA, "creating a private folder in '%s': %s",
                 parent, strerror(errno));
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

static bool remove_entries(int dirfd);

static bool remove_entry(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) == 0)
        return true;
    if (errno != EISDIR && errno != EPERM)
        return errno == ENOENT;
    int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (sub < 0)
        return false;
    bool ok = remove_entries(sub);
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 && ok;
}

/* Takes ownership of dirfd. */
static bool remove_entries(int dirfd)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return false;
    }
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        ok = remove_entry(dirfd, de->d_name) && ok;
    }
    closedir(d);
    return ok;
}

bool pdb_fs_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return unlink(path) == 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (fd < 0)
        return false;
    bool ok = remove_entries(fd);
    return rmdir(path) == 0 && ok;
}

bool pdb_fs_file_size(const char *path, uint64_t *size,
                      struct pdiburn_error **err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "'%s': %s", path, strerror(errno));
    *size = (uint64_t) st.st_size;
    return true;
}

bool pdb_fs_read_at(int fd, void *buf, size_t len, uint64_t offset, size_t *got)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *) buf + done, len - done,
                          (off_t) (offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        done += (size_t) n;
    }
    *got = done;
    return true;
}

bool pdb_fs_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = ENOSPC;
            return false;
        }
        p += n;
        len -= (size_t) n;
    }
    return true;
}

bool pdb_fs_sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0;
    close(fd);
    return ok;
}
