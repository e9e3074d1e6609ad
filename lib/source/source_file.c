/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Opening a source file again after the scan: at any depth (DCMTK takes
 * names, so a path too long for open() reaches it as /proc/self/fd/N),
 * and checked to be the file that was scanned - same file, size and
 * modification time, and the same header bytes - so that what goes on the
 * media is what the DICOMDIR was made from.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"

bool pdb_source_file_open(struct pdb_source_file *f, const char *path,
                          struct pdiburn_error **err)
{
    f->path = path;
    f->fd = pdb_fs_open_deep(path, O_RDONLY);
    if (f->fd < 0)
        return pdb_fail(err, PDIBURN_E_IO, "opening '%s': %s", path,
                        strerror(errno));
    f->name = pdb_fs_fd_name(path, f->fd, f->proc);
    return true;
}

void pdb_source_file_close(struct pdb_source_file *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

static bool changed(const char *path, const char *what,
                    struct pdiburn_error **err)
{
    return pdb_fail(err, PDIBURN_E_IO,
                    "'%s' changed after it was read (%s); the media would not "
                    "match its DICOMDIR, so nothing is written: run again once "
                    "the source is no longer being changed",
                    path, what);
}

bool pdb_source_stamp_check(int fd, const char *path,
                            const struct pdb_stamp *stamp,
                            struct pdiburn_error **err)
{
    struct stat st;
    if (!stamp->known)
        return true;
    if (fstat(fd, &st) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "'%s': %s", path, strerror(errno));
    if ((uint64_t) st.st_dev != stamp->dev ||
        (uint64_t) st.st_ino != stamp->ino)
        return changed(path, "another file now has its name", err);
    if ((uint64_t) st.st_size != stamp->size)
        return changed(path, "its size", err);
    if (st.st_mtim.tv_sec != stamp->mtime_sec ||
        st.st_mtim.tv_nsec != stamp->mtime_nsec)
        return changed(path, "its modification time", err);
    return true;
}

bool pdb_source_head_matches(const struct pdb_stamp *stamp,
                             const uint8_t digest[PDB_SHA256_LEN],
                             const char *path, struct pdiburn_error **err)
{
    if (!stamp->known ||
        memcmp(digest, stamp->head_sha256, PDB_SHA256_LEN) == 0)
        return true;
    return changed(path, "its header bytes", err);
}

/* The header bytes read again and compared with the digest of the scan. */
bool pdb_source_file_check(const struct pdb_source_file *f,
                           const struct pdb_stamp *stamp,
                           struct pdiburn_error **err)
{
    if (!stamp->known)
        return true;
    if (!pdb_source_stamp_check(f->fd, f->path, stamp, err))
        return false;
    struct pdb_sha256 sha;
    uint8_t buf[65536], digest[PDB_SHA256_LEN];
    pdb_sha256_init(&sha);
    for (uint64_t off = 0; off < stamp->head_len;) {
        uint64_t left = stamp->head_len - off;
        size_t want = left < sizeof(buf) ? (size_t) left : sizeof(buf), got = 0;
        if (!pdb_fs_read_at(f->fd, buf, want, off, &got))
            return pdb_fail(err, PDIBURN_E_IO, "reading '%s': %s", f->path,
                            strerror(errno));
        if (got < want)
            return changed(f->path, "it became shorter", err);
        pdb_sha256_update(&sha, buf, got);
        off += got;
    }
    pdb_sha256_final(&sha, digest);
    return pdb_source_head_matches(stamp, digest, f->path, err);
}

/* DCMTK reads a header from memory when the bytes up to the end of the
 * walk, and room for the Pixel Data element's own header (at most 12
 * bytes, PS3.5 7.1.2), are few; a walk that did not reach the pixel data
 * ends at the end of the file. */
#define HEAD_SLACK 16
#define HEAD_IN_MEMORY_MAX (1u << 20)

size_t pdb_source_head_span(uint64_t head_end, uint64_t size)
{
    uint64_t n = head_end + HEAD_SLACK < size ? head_end + HEAD_SLACK : size;
    return n <= HEAD_IN_MEMORY_MAX ? (size_t) n : 0;
}

uint8_t *pdb_source_head_read(int fd, size_t n)
{
    uint8_t *buf = n ? malloc(n) : NULL;
    size_t got = 0;
    if (buf && pdb_fs_read_at(fd, buf, n, 0, &got) && got == n)
        return buf;
    free(buf);
    return NULL;
}

bool pdb_source_file_check_head(const struct pdb_source_file *f,
                                const struct pdb_stamp *stamp,
                                uint8_t **head, size_t *head_len,
                                struct pdiburn_error **err)
{
    *head = NULL;
    *head_len = 0;
    size_t n = stamp->known ? pdb_source_head_span(stamp->head_len,
                                                   stamp->size)
                            : 0;
    if (n == 0 || n < stamp->head_len)
        return pdb_source_file_check(f, stamp, err);
    if (!pdb_source_stamp_check(f->fd, f->path, stamp, err))
        return false;
    uint8_t *buf = pdb_source_head_read(f->fd, n);
    if (!buf) /* read again the slow way, for the right message */
        return pdb_source_file_check(f, stamp, err);
    struct pdb_sha256 sha;
    uint8_t digest[PDB_SHA256_LEN];
    pdb_sha256_init(&sha);
    pdb_sha256_update(&sha, buf, (size_t) stamp->head_len);
    pdb_sha256_final(&sha, digest);
    if (!pdb_source_head_matches(stamp, digest, f->path, err)) {
        free(buf);
        return false;
    }
    *head = buf;
    *head_len = n;
    return true;
}
