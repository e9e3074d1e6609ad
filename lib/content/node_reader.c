/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reads a node of the content from start to end, segment by segment, for
 * whichever writer is at work, and hashes every byte on the way: each
 * source byte is read once, and SHA256.TXT describes exactly what was
 * written.  A source file that changed since the scan (its size, time or
 * header bytes) is an error naming it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "shim_status.h"
#include "source.h"

/* The content's own descriptor of its spool file stays open. */
static void close_fd(struct pdb_node_reader *r)
{
    const struct pdb_content *c = r->content;
    bool shared = c && c->pack_path && r->fd == c->pack_fd;
    if (r->fd >= 0 && !shared)
        close(r->fd);
    r->fd = -1;
}

/* The header is made again from the source, once it is known to be the
 * file scanned (header_pack.c). */
static bool make_header(struct pdb_node_reader *r, struct pdiburn_error **err)
{
    size_t len = 0;
    return pdb_header_make(r->node->inst, &r->made, &len, err);
}

/* The instance whose source file this segment reads, if it does. */
static const struct pdb_instance *source_of(const struct pdb_node *node,
                                            const struct pdb_seg *seg)
{
    return node->inst && seg->path == node->inst->path ? node->inst : NULL;
}

/* The pixel data of a splice whose header was made ahead: the head of
 * its source is checked here, as make_header() would have. */
static bool source_unchanged(int fd, const struct pdb_seg *seg,
                             const struct pdb_instance *src,
                             struct pdiburn_error **err)
{
    if (seg->offset == 0 || !src->header_at)
        return pdb_source_stamp_check(fd, seg->path, &src->stamp, err);
    struct pdb_source_file f = { .path = seg->path, .fd = fd };
    return pdb_source_file_check(&f, &src->stamp, err);
}

/* A source file read from its start (a copy) has its header bytes hashed
 * on the way and compared with the scan's once they have passed. */
static bool open_file_seg(struct pdb_node_reader *r, const struct pdb_seg *seg,
                          struct pdiburn_error **err)
{
    close_fd(r);
    if (seg->path == r->content->pack_path) { /* ours, made by this run */
        r->fd = r->content->pack_fd;
        return true;
    }
    r->fd = pdb_fs_open_deep(seg->path, O_RDONLY);
    if (r->fd < 0)
        return pdb_fail(err, PDIBURN_E_IO, "opening '%s': %s", seg->path,
                        strerror(errno));
    const struct pdb_instance *src = source_of(r->node, seg);
    if (src && !source_unchanged(r->fd, seg, src, err))
        return false;
    r->head_left =
        src && src->stamp.known && seg->offset == 0 ? src->stamp.head_len : 0;
    pdb_sha256_init(&r->head);
    /* One pass from start to end: let the kernel read ahead. */
    posix_fadvise(r->fd, (off_t) seg->offset, (off_t) seg->length,
                  POSIX_FADV_SEQUENTIAL);
    return true;
}

static bool enter_segment(struct pdb_node_reader *r, struct pdiburn_error **err)
{
    const struct pdb_seg *seg = &r->node->segs[r->seg];
    free(r->made);
    r->made = NULL;
    r->seg_pos = 0;
    r->head_left = 0;
    if (seg->kind == PDB_SEG_HEADER)
        return make_header(r, err);
    if (seg->kind != PDB_SEG_FILE)
        return true;
    return open_file_seg(r, seg, err);
}

bool pdb_node_reader_open(struct pdb_node_reader *r, struct pdb_content *c,
                          struct pdb_node *node, struct pdiburn_error **err)
{
    memset(r, 0, sizeof(*r));
    if (c->pack && !pdb_content_seal(c, err))
        return false;
    r->content = c;
    r->node = node;
    r->fd = -1;
    pdb_sha256_init(&r->hash);
    pdb_xxh_init(&r->fast);
    if (node->inst && !pdb_content_instance_prefix(node->inst, &r->prefix)) {
        pdb_buf_free(&r->prefix);
        return pdb_fail_nomem(err);
    }
    if (node->is_manifest) {
        uint8_t *bytes = NULL;
        if (!pdb_manifest_make(c, node, &bytes, err))
            return false;
        free(node->owned);
        node->owned = bytes;
        node->nsegs = 1;
        node->segs[0] = (struct pdb_seg) { PDB_SEG_MEM, bytes, NULL, 0,
                                           node->size };
    }
    if (node->nsegs == 0 || enter_segment(r, err))
        return true;
    pdb_node_reader_close(r);
    return false;
}

static bool read_file_seg(struct pdb_node_reader *r, const struct pdb_seg *seg,
                          void *buf, size_t want, size_t *got,
                          struct pdiburn_error **err)
{
    if (!pdb_fs_read_at(r->fd, buf, want, seg->offset + r->seg_pos, got))
        return pdb_fail(err, PDIBURN_E_IO, "reading '%s': %s", seg->path,
                        strerror(errno));
    if (*got < want)
        return pdb_fail(err, PDIBURN_E_IO,
                        "'%s' became shorter while the media was being made",
                        seg->path);
    if (r->head_left == 0)
        return true;
    uint64_t n = *got < r->head_left ? *got : r->head_left;
    pdb_sha256_update(&r->head, buf, (size_t) n);
    r->head_left -= n;
    if (r->head_left)
        return true;
    uint8_t digest[PDB_SHA256_LEN];
    pdb_sha256_final(&r->head, digest);
    return pdb_source_head_matches(&r->node->inst->stamp, digest, seg->path,
                                   err);
}

static bool read_seg(struct pdb_node_reader *r, void *buf, size_t want,
                     size_t *got, struct pdiburn_error **err)
{
    const struct pdb_seg *seg = &r->node->segs[r->seg];
    switch (seg->kind) {
    case PDB_SEG_MEM:
        memcpy(buf, (seg->mem ? seg->mem : r->prefix.data) + seg->offset +
                        r->seg_pos,
               want);
        break;
    case PDB_SEG_HEADER:
        memcpy(buf, r->made + r->seg_pos, want);
        break;
    case PDB_SEG_FILE: return read_file_seg(r, seg, buf, want, got, err);
    }
    *got = want;
    return true;
}

bool pdb_node_reader_read(struct pdb_node_reader *r, void *buf, size_t len,
                          size_t *got, struct pdiburn_error **err)
{
    *got = 0;
    while (*got < len && r->seg < r->node->nsegs) {
        const struct pdb_seg *seg = &r->node->segs[r->seg];
        uint64_t left = seg->length - r->seg_pos;
        if (left == 0) {
            if (++r->seg < r->node->nsegs && !enter_segment(r, err))
                return false;
            continue;
        }
        if (r->content->ctl && pdb_ctl_cancelled(r->content->ctl))
            return pdb_fail(err, PDIBURN_E_CANCELLED, "cancelled");
        size_t want = len - *got < left ? len - *got : (size_t) left;
        size_t n = 0;
        if (!read_seg(r, (uint8_t *) buf + *got, want, &n, err))
            return false;
        pdb_sha256_update(&r->hash, (uint8_t *) buf + *got, n);
        pdb_xxh_update(&r->fast, (uint8_t *) buf + *got, n);
        r->seg_pos += n;
        *got += n;
        r->done += n;
    }
    return true;
}

void pdb_node_reader_close(struct pdb_node_reader *r)
{
    if (r->node && r->done == r->node->size) {
        pdb_sha256_final(&r->hash, r->node->sha256);
        r->node->xxh = pdb_xxh_final(&r->fast);
        r->node->hashed = true;
    }
    close_fd(r);
    free(r->made);
    r->made = NULL;
    pdb_buf_free(&r->prefix);
    /* Made again if read again; meanwhile its megabytes (65 bytes and a
     * name a file) are not held through the read-back. */
    if (r->node && r->node->is_manifest) {
        free(r->node->owned);
        r->node->owned = NULL;
        r->node->nsegs = 0;
    }
}
