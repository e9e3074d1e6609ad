/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ZIP output (PS3.12 Annex V, STD-GEN-ZIP-MAIL): the DICOMDIR at the root,
 * folders kept, 8-character names, ZIP64 when the sizes need it.  DICOM
 * files are stored (their pixels barely deflate), streamed from their
 * sources; pages and viewer files deflated.  Unencrypted, zip_plain.c
 * writes it with every size and CRC in the local headers (Java readers
 * need that); AES-256 encrypted, libarchive does (core/archive_file.c).
 */
#include <stdlib.h>
#include <time.h>

#include "archive_file.h"
#include "write.h"
#include "zip_plain.h"

/* Larger files are stored: a whole deflated copy must fit in memory. */
#define DEFLATE_MAX (64u << 20)

struct zip_out {
    struct pdb_zip_writer *aes;  /* encrypted: libarchive */
    struct pdb_zip_plain *plain; /* otherwise */
    struct pdb_content *content;
    struct pdb_ctl *ctl;
    uint8_t *buf;
    size_t size;
    uint64_t done;
    int64_t now;
};

static bool deflated(const struct pdb_node *n)
{
    return n->inst == NULL && n->size <= DEFLATE_MAX;
}

static bool put_data(struct zip_out *z, const struct pdb_node *node,
                     const uint8_t *data, size_t len,
                     struct pdiburn_error **err)
{
    if (z->aes)
        return pdb_zip_writer_data(z->aes, data, len, node->path, err);
    return pdb_zip_plain_data(z->plain, data, len, err);
}

/* Streams the node into the entry begun for it. */
static bool stream_node(struct zip_out *z, struct pdb_node *node,
                        struct pdiburn_error **err)
{
    struct pdb_node_reader r;
    if (!pdb_node_reader_open(&r, z->content, node, err))
        return false;
    bool ok = true;
    for (size_t got = 1; ok && got;) {
        ok = pdb_ctl_report(z->ctl, PDIBURN_STAGE_WRITE, z->done,
                            z->content->bytes, node->path, err) &&
             pdb_node_reader_read(&r, z->buf, z->size, &got, err) &&
             (!got || put_data(z, node, z->buf, got, err));
        z->done += got;
    }
    pdb_node_reader_close(&r);
    return ok;
}

/* Reads a node whole into `data` (node->size bytes). */
static bool read_whole(struct zip_out *z, struct pdb_node *node, uint8_t *data,
                       struct pdiburn_error **err)
{
    struct pdb_node_reader r;
    if (!pdb_node_reader_open(&r, z->content, node, err))
        return false;
    size_t have = 0, got = 1;
    bool ok = true;
    while (ok && got && have < node->size) {
        ok =
            pdb_node_reader_read(&r, data + have, node->size - have, &got, err);
        have += ok ? got : 0;
    }
    pdb_node_reader_close(&r);
    z->done += have;
    return ok && (have == node->size ||
                  pdb_fail(err, PDIBURN_E_IO, "%s: ended early", node->path));
}

/* A small file read whole, then deflated as one piece. */
static bool deflate_node(struct zip_out *z, struct pdb_node *node,
                         int64_t mtime, struct pdiburn_error **err)
{
    uint8_t *data = malloc(node->size ? node->size : 1);
    bool ok = (data || pdb_fail_nomem(err)) && read_whole(z, node, data, err) &&
              pdb_ctl_report(z->ctl, PDIBURN_STAGE_WRITE, z->done,
                             z->content->bytes, node->path, err) &&
              pdb_zip_plain_deflated(z->plain, node->path, data, node->size,
                                     mtime, err);
    free(data);
    return ok;
}

static bool write_node(struct zip_out *z, struct pdb_node *node,
                       struct pdiburn_error **err)
{
    int64_t mtime = node->mtime ? node->mtime : z->now;
    if (z->aes)
        return pdb_zip_writer_entry(z->aes, node->path, node->size, mtime,
                                    node->inst == NULL, err) &&
               stream_node(z, node, err);
    if (deflated(node))
        return deflate_node(z, node, mtime, err);
    return pdb_zip_plain_stored(z->plain, node->path, node->size, mtime, err) &&
           stream_node(z, node, err) && pdb_zip_plain_end(z->plain, err);
}

bool pdb_zip_write(struct pdb_content *content, int fd, const char *passphrase,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    struct zip_out z = { .content = content,
                         .ctl = ctl,
                         .size = CHUNK,
                         .now = (int64_t) time(NULL) };
    if (passphrase)
        z.aes = pdb_zip_writer_open(fd, passphrase, err);
    else
        z.plain = pdb_zip_plain_open(fd, err);
    if (!z.aes && !z.plain)
        return false;
    z.buf = malloc(CHUNK);
    bool ok = z.buf || pdb_fail_nomem(err);
    for (size_t i = 0; ok && i < content->nnodes; i++)
        ok = write_node(&z, content->nodes[i], err);
    free(z.buf);
    if (z.aes)
        return pdb_zip_writer_close(z.aes, ok, err);
    return pdb_zip_plain_close(z.plain, ok, err);
}
