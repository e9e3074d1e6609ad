/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ZIP output (PS3.12 Annex V, STD-GEN-ZIP-MAIL): the DICOMDIR at the root,
 * folders kept, 8-character names, ZIP64 when the sizes need it,
 * optionally AES-256 encrypted.  Streamed: every file goes straight from
 * its source into the archive.  DICOM files are stored (their pixels
 * barely deflate), pages and viewer files deflated.
 */
#include <stdlib.h>

#include "archive_file.h"
#include "write.h"

static bool is_dicom(const struct pdb_node *n)
{
    return n->inst != NULL;
}

static bool write_data(struct pdb_zip_writer *w, struct pdb_content *c,
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
             pdb_node_reader_read(&r, buf, size, &got, err) &&
             (!got || pdb_zip_writer_data(w, buf, got, node->path, err));
        *done += got;
    }
    pdb_node_reader_close(&r);
    return ok;
}

bool pdb_zip_write(struct pdb_content *content, int fd, const char *passphrase,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    struct pdb_zip_writer *w = pdb_zip_writer_open(fd, passphrase, err);
    uint8_t *buf = w ? malloc(CHUNK) : NULL;
    uint64_t done = 0;
    bool ok = buf || (w && pdb_fail_nomem(err));
    for (size_t i = 0; ok && i < content->nnodes; i++) {
        struct pdb_node *node = content->nodes[i];
        ok = pdb_zip_writer_entry(w, node->path, node->size, !is_dicom(node),
                                  err) &&
             write_data(w, content, node, buf, CHUNK, &done, ctl, err);
    }
    free(buf);
    return w ? pdb_zip_writer_close(w, ok, err) : false;
}
