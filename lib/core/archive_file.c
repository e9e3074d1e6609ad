/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libarchive, and the only file that knows it: ISO 9660 images and ZIP
 * files read entry by entry (verify reads media through readers that
 * share no code with the libisofs that wrote them), and ZIP files written
 * entry by entry (PS3.12 Annex V).  libarchive keeps its message inside
 * the handle, so it is copied into our error before the handle is freed.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "archive_file.h"

/* libarchive says "Write error" and keeps the reason in its errno. */
static bool archive_fail(struct pdiburn_error **err, enum pdiburn_code code,
                         struct archive *a, const char *what)
{
    const char *msg = archive_error_string(a);
    int e = archive_errno(a);
    return pdb_fail(err, code, "%s: %s%s%s", what,
                    msg ? msg : "unknown libarchive error", e > 0 ? ": " : "",
                    e > 0 ? strerror(e) : "");
}

/* ---- reading ------------------------------------------------------------ */

struct pdb_archive_reader {
    struct archive *ar;
    char *current;  /* the entry's name, for messages */
    uint64_t index; /* entries read */
};

bool pdb_archive_reader_open(const char *path, const char *passphrase,
                             struct pdb_archive_reader **out,
                             struct pdiburn_error **err)
{
    struct pdb_archive_reader *r = calloc(1, sizeof(*r));
    if (!r || !(r->ar = archive_read_new())) {
        free(r);
        return pdb_fail_nomem(err);
    }
    archive_read_support_format_iso9660(r->ar);
    archive_read_support_format_zip(r->ar);
    if (passphrase)
        archive_read_add_passphrase(r->ar, passphrase);
    if (archive_read_open_filename(r->ar, path, 1 << 16) != ARCHIVE_OK) {
        pdb_fail(err, PDIBURN_E_IO, "opening '%s': %s", path,
                 archive_error_string(r->ar));
        pdb_archive_reader_close(r);
        return false;
    }
    *out = r;
    return true;
}

/* libarchive returns NULL for a name it cannot convert (a ZIP entry named
 * in a character set the locale lacks); the caller hears of it as a NULL
 * path, and messages name the entry by its number. */
static int entry(struct pdb_archive_reader *r, struct archive_entry *e,
                 const char **path, uint64_t *size, struct pdiburn_error **err)
{
    const char *name = archive_entry_pathname_utf8(e);
    /* Folders name their files "DICOM/...", libarchive's ISO 9660 reader
     * "./DICOM/...": the same names for both. */
    while (name && name[0] == '.' && name[1] == '/')
        name += 2;
    free(r->current);
    r->current = name ? strdup(name)
                      : pdb_format("entry %llu (a name not readable as "
                                   "UTF-8)",
                                   (unsigned long long) r->index);
    if (!r->current) {
        pdb_fail_nomem(err);
        return -1;
    }
    *path = name ? r->current : NULL;
    la_int64_t claimed = archive_entry_size(e);
    *size = claimed > 0 ? (uint64_t) claimed : 0;
    return 1;
}

int pdb_archive_reader_next(struct pdb_archive_reader *r, const char **path,
                            uint64_t *size, struct pdiburn_error **err)
{
    struct archive_entry *e;
    for (;;) {
        int rc = archive_read_next_header(r->ar, &e);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
            archive_fail(err, PDIBURN_E_VERIFY, r->ar, "reading the image");
            return -1;
        }
        r->index++;
        if (archive_entry_filetype(e) == AE_IFREG)
            return entry(r, e, path, size, err);
    }
}

bool pdb_archive_reader_read(struct pdb_archive_reader *r, void *buf,
                             size_t len, size_t *got,
                             struct pdiburn_error **err)
{
    la_ssize_t n = archive_read_data(r->ar, buf, len);
    if (n < 0)
        return pdb_fail(err, PDIBURN_E_VERIFY, "reading '%s': %s", r->current,
                        archive_error_string(r->ar));
    *got = (size_t) n;
    return true;
}

void pdb_archive_reader_close(struct pdb_archive_reader *r)
{
    if (!r)
        return;
    if (r->ar)
        archive_read_free(r->ar);
    free(r->current);
    free(r);
}

/* ---- writing a ZIP ----------------------------------------------------------
 */

struct pdb_zip_writer {
    struct archive *a;
};

struct pdb_zip_writer *pdb_zip_writer_open(int fd, const char *passphrase,
                                           struct pdiburn_error **err)
{
    struct pdb_zip_writer *w = calloc(1, sizeof(*w));
    if (!w || !(w->a = archive_write_new())) {
        free(w);
        pdb_fail_nomem(err);
        return NULL;
    }
    bool ok = archive_write_set_format_zip(w->a) == ARCHIVE_OK;
    if (ok && passphrase)
        ok = archive_write_set_options(w->a, "zip:encryption=aes256") ==
                 ARCHIVE_OK &&
             archive_write_set_passphrase(w->a, passphrase) == ARCHIVE_OK;
    ok = ok && archive_write_open_fd(w->a, fd) == ARCHIVE_OK;
    if (!ok) {
        archive_fail(err, PDIBURN_E_MEDIA, w->a, "starting the ZIP file");
        archive_write_free(w->a);
        free(w);
        return NULL;
    }
    return w;
}

bool pdb_zip_writer_entry(struct pdb_zip_writer *w, const char *name,
                          uint64_t size, int64_t mtime, bool deflate,
                          struct pdiburn_error **err)
{
    struct archive_entry *e = archive_entry_new();
    if (!e)
        return pdb_fail_nomem(err);
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t) size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t) mtime, 0);
    if (deflate)
        archive_write_zip_set_compression_deflate(w->a);
    else
        archive_write_zip_set_compression_store(w->a);
    bool ok = archive_write_header(w->a, e) == ARCHIVE_OK ||
              archive_fail(err, PDIBURN_E_MEDIA, w->a, name);
    archive_entry_free(e);
    return ok;
}

bool pdb_zip_writer_data(struct pdb_zip_writer *w, const void *buf, size_t len,
                         const char *name, struct pdiburn_error **err)
{
    return archive_write_data(w->a, buf, len) == (la_ssize_t) len ||
           archive_fail(err, PDIBURN_E_MEDIA, w->a, name);
}

bool pdb_zip_writer_close(struct pdb_zip_writer *w, bool ok,
                          struct pdiburn_error **err)
{
    if (!w)
        return false;
    if (ok && archive_write_close(w->a) != ARCHIVE_OK)
        ok = archive_fail(err, PDIBURN_E_MEDIA, w->a, "finishing the ZIP file");
    else if (!ok)
        archive_write_close(w->a); /* frees the compressor after a failure */
    archive_write_free(w->a);
    free(w);
    return ok;
}
