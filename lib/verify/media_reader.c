/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reads the files of existing media one after the other, whatever it is:
 * a folder (a mounted disc or stick, a `dir` output) or an image file
 * (ISO 9660, ZIP) through libarchive, whose readers share no code with the
 * libisofs that wrote our images.  The only file that reads with
 * libarchive; it copies libarchive's messages before freeing the handle.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media_reader.h"

struct pdb_media {
    struct archive *ar;  /* image file */
    char *root;          /* folder */
    char **files;        /* folder: relative paths, in walk order */
    size_t nfiles, next;
    int fd;
    char *current;
};

static bool list_folder(struct pdb_media *m, const char *rel,
                        struct pdiburn_error **err);

static bool add_entry(struct pdb_media *m, const char *rel, const char *name,
                      struct pdiburn_error **err)
{
    char *sub = rel[0] ? pdb_format("%s/%s", rel, name) : strdup(name);
    char *full = sub ? pdb_fs_path_join(m->root, sub) : NULL;
    struct stat st;
    bool ok = full != NULL;
    if (ok && lstat(full, &st) == 0 && S_ISDIR(st.st_mode))
        ok = list_folder(m, sub, err);
    else if (ok && S_ISREG(st.st_mode) &&
             pdb_grow(&m->files, m->nfiles, sizeof(char *))) {
        m->files[m->nfiles++] = sub;
        sub = NULL;
    } else if (!ok) {
        pdb_fail_nomem(err);
    }
    free(sub);
    free(full);
    return ok;
}

static bool list_folder(struct pdb_media *m, const char *rel,
                        struct pdiburn_error **err)
{
    char *dir = rel[0] ? pdb_fs_path_join(m->root, rel) : strdup(m->root);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        bool ok = dir ? pdb_fail(err, PDIBURN_E_IO, "reading '%s': %s", dir,
                                 strerror(errno))
                      : pdb_fail_nomem(err);
        free(dir);
        return ok;
    }
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            ok = add_entry(m, rel, de->d_name, err);
    closedir(d);
    free(dir);
    return ok;
}

static bool open_image(struct pdb_media *m, const char *path,
                       const char *passphrase, struct pdiburn_error **err)
{
    m->ar = archive_read_new();
    if (!m->ar)
        return pdb_fail_nomem(err);
    archive_read_support_format_iso9660(m->ar);
    archive_read_support_format_zip(m->ar);
    if (passphrase)
        archive_read_add_passphrase(m->ar, passphrase);
    if (archive_read_open_filename(m->ar, path, 1 << 16) != ARCHIVE_OK)
        return pdb_fail(err, PDIBURN_E_IO, "opening '%s': %s", path,
                        archive_error_string(m->ar));
    return true;
}

bool pdb_media_open(const char *path, const char *passphrase,
                    struct pdb_media **out, struct pdiburn_error **err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "'%s': %s", path, strerror(errno));
    struct pdb_media *m = calloc(1, sizeof(*m));
    if (!m)
        return pdb_fail_nomem(err);
    m->fd = -1;
    bool ok;
    if (S_ISDIR(st.st_mode)) {
        m->root = strdup(path);
        ok = m->root ? list_folder(m, "", err) : pdb_fail_nomem(err);
    } else {
        ok = open_image(m, path, passphrase, err);
    }
    if (!ok) {
        pdb_media_close(m);
        return false;
    }
    *out = m;
    return true;
}

static int next_in_image(struct pdb_media *m, const char **path,
                         uint64_t *size, struct pdiburn_error **err)
{
    struct archive_entry *e;
    for (;;) {
        int rc = archive_read_next_header(m->ar, &e);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            pdb_fail(err, PDIBURN_E_VERIFY, "reading the image: %s",
                     archive_error_string(m->ar));
            return -1;
        }
        if (archive_entry_filetype(e) != AE_IFREG)
            continue;
        free(m->current);
        m->current = strdup(archive_entry_pathname(e));
        if (!m->current) {
            pdb_fail_nomem(err);
            return -1;
        }
        *path = m->current;
        *size = (uint64_t) archive_entry_size(e);
        return 1;
    }
}

static int next_in_folder(struct pdb_media *m, const char **path,
                          uint64_t *size, struct pdiburn_error **err)
{
    if (m->fd >= 0)
        close(m->fd);
    m->fd = -1;
    if (m->next == m->nfiles)
        return 0;
    const char *rel = m->files[m->next++];
    char *full = pdb_fs_path_join(m->root, rel);
    struct stat st;
    m->fd = full ? open(full, O_RDONLY | O_CLOEXEC) : -1;
    if (m->fd < 0 || fstat(m->fd, &st) != 0) {
        pdb_fail(err, PDIBURN_E_VERIFY, "reading '%s': %s",
                 full ? full : rel, strerror(errno));
        free(full);
        return -1;
    }
    /* Read what is on the device, not what the cache remembers writing. */
    posix_fadvise(m->fd, 0, 0, POSIX_FADV_DONTNEED);
    free(full);
    *path = rel;
    *size = (uint64_t) st.st_size;
    return 1;
}

int pdb_media_next(struct pdb_media *m, const char **path, uint64_t *size,
                   struct pdiburn_error **err)
{
    return m->ar ? next_in_image(m, path, size, err)
                 : next_in_folder(m, path, size, err);
}

bool pdb_media_read(struct pdb_media *m, void *buf, size_t len, size_t *got,
                    struct pdiburn_error **err)
{
    ssize_t n = m->ar ? archive_read_data(m->ar, buf, len)
                      : read(m->fd, buf, len);
    if (n < 0 && m->ar)
        return pdb_fail(err, PDIBURN_E_VERIFY, "reading '%s': %s",
                        m->current, archive_error_string(m->ar));
    if (n < 0)
        return pdb_fail(err, PDIBURN_E_VERIFY, "reading: %s",
                        strerror(errno));
    *got = (size_t) n;
    return true;
}

void pdb_media_close(struct pdb_media *m)
{
    if (!m)
        return;
    if (m->ar)
        archive_read_free(m->ar);
    if (m->fd >= 0)
        close(m->fd);
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i]);
    free(m->files);
    free(m->root);
    free(m->current);
    free(m);
}
