/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ZIP output through libarchive (PS3.12 Annex V, STD-GEN-ZIP-MAIL): the
 * DICOMDIR at the root, folders kept, 8-character names, ZIP64 when the
 * sizes need it, optionally AES-256 encrypted.  Streamed: every file goes
 * straight from its source into the archive.  DICOM files are stored (their
 * pixels barely deflate), pages and viewer files deflated.  libarchive
 * keeps its message inside the handle: copy it before freeing.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "write.h"

/* libarchive says "Write error" and keeps the reason in its errno. */
static bool zip_fail(struct pdiburn_error **err, struct archive *a,
                     const char *what)
{
    const char *msg = archive_error_string(a);
    int e = archive_errno(a);
    return pdb_fail(err, PDIBURN_E_MEDIA, "%s: %s%s%s", what,
                    msg ? msg : "unknown libarchive error", e > 0 ? ": " : "",
                    e > 0 ? strerror(e) : "");
}

static bool is_dicom(const struct pdb_node *n)
{
    return n->inst != NULL;
}

static bool write_data(struct archive *a, struct pdb_content *c,
                       struct pdb_node *node, uint8_t *buf, size_t size,
                       uint64_t *done, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    struct pdb_node_reader r;
    if (!pdb_node_reader_open(&r, c, node, err))
        return false;
    bool ok = true;
    for (size_t got = 1; ok && got;) {
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_WRITE, *done, c->bytes,
                            node->path, err) &&
             pdb_node_reader_read(&r, buf, size, &got, err);
        if (ok && got && archive_write_data(a, buf, got) != (la_ssize_t) got)
            ok = zip_fail(err, a, node->path);
        *done += got;
    }
    pdb_node_reader_close(&r);
    return ok;
}

static bool write_entry(struct archive *a, struct pdb_content *c,
                        struct pdb_node *node, uint8_t *buf, size_t size,
                        uint64_t *done, struct pdb_ctl *ctl,
                        struct pdiburn_error **err)
{
    struct archive_entry *e = archive_entry_new();
    if (!e)
        return pdb_fail_nomem(err);
    archive_entry_set_pathname(e, node->path);
    archive_entry_set_size(e, (la_int64_t) node->size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, time(NULL), 0);
    if (is_dicom(node))
        archive_write_zip_set_compression_store(a);
    else
        archive_write_zip_set_compression_deflate(a);
    bool ok = archive_write_header(a, e) == ARCHIVE_OK ||
              zip_fail(err, a, node->path);
    archive_entry_free(e);
    return ok && write_data(a, c, node, buf, size, done, ctl, err);
}

static struct archive *open_zip(int fd, const char *passphrase,
                                struct pdiburn_error **err)
{
    struct archive *a = archive_write_new();
    if (!a) {
        pdb_fail_nomem(err);
        return NULL;
    }
    bool ok = archive_write_set_format_zip(a) == ARCHIVE_OK;
    if (ok && passphrase)
        ok = archive_write_set_options(a, "zip:encryption=aes256") ==
                 ARCHIVE_OK &&
             archive_write_set_passphrase(a, passphrase) == ARCHIVE_OK;
    ok = ok && archive_write_open_fd(a, fd) == ARCHIVE_OK;
    if (!ok) {
        zip_fail(err, a, "starting the ZIP file");
        archive_write_free(a);
        return NULL;
    }
    return a;
}

bool pdb_zip_write(struct pdb_content *content, int fd, const char *passphrase,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    struct archive *a = open_zip(fd, passphrase, err);
    uint8_t *buf = a ? malloc(CHUNK) : NULL;
    uint64_t done = 0;
    bool ok = buf || (a && pdb_fail_nomem(err));
    for (size_t i = 0; ok && i < content->nnodes; i++)
        ok = write_entry(a, content, content->nodes[i], buf, CHUNK, &done,
                         ctl, err);
    if (ok && archive_write_close(a) != ARCHIVE_OK)
        ok = zip_fail(err, a, "finishing the ZIP file");
    else if (!ok && a)
        archive_write_close(a); /* frees the compressor after a failure */
    if (a)
        archive_write_free(a);
    free(buf);
    return ok;
}
