/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files of one volume as a list of nodes, each a few segments: bytes
 * made here, ranges of source or spool files, the re-encoded header of a
 * source made again when read.  Sizes are exact before anything is
 * written, as an ISO 9660 directory needs them.  Generated files (web
 * content, DICOMDIR) wait one after the other in a single spool file when
 * the layout asks for it, so memory does not grow with them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content.h"
#include "dicom.h"

static struct pdb_node *add_node(struct pdb_content *c, const char *path,
                                 struct pdiburn_error **err)
{
    struct pdb_node *n = calloc(1, sizeof(*n));
    if (!n || !(n->path = strdup(path)) ||
        !pdb_grow(&c->nodes, c->nnodes, sizeof(*c->nodes))) {
        if (n)
            free(n->path);
        free(n);
        pdb_fail_nomem(err);
        return NULL;
    }
    c->nodes[c->nnodes++] = n;
    return n;
}

static void add_seg(struct pdb_node *n, struct pdb_seg seg)
{
    n->segs[n->nsegs++] = seg;
    n->size += seg.length;
}

/* A failure to write the spool names its folder: exit 5, not the source's
 * fault (a full disk, a file size limit). */
static bool spool_fail(const char *pack_path, int e,
                       struct pdiburn_error **err)
{
    const char *slash = strrchr(pack_path, '/');
    int dir_len = (int) (slash ? (size_t) (slash - pack_path)
                               : strlen(pack_path));
    return pdb_fail(err, PDIBURN_E_MEDIA, "the spool '%.*s': writing: %s",
                    dir_len, pack_path, strerror(e));
}

bool pdb_content_spool(struct pdb_content *c, const char *dir,
                       struct pdiburn_error **err)
{
    char *path = pdb_format("%s/contentXXXXXX", dir);
    int fd = path ? mkostemp(path, O_CLOEXEC) : -1; /* 0600 */
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        free(path);
        return path ? pdb_fail(err, PDIBURN_E_MEDIA,
                               "the spool '%s': creating a file: %s", dir,
                               strerror(e))
                    : pdb_fail_nomem(err);
    }
    c->pack = f;
    c->pack_path = path;
    /* One descriptor for every reader of the spool file: pread on it is
     * safe from any thread, and a node need not open the file again. */
    c->pack_fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c->pack_fd < 0)
        return spool_fail(path, errno, err);
    return true;
}

bool pdb_content_flush(struct pdb_content *c, struct pdiburn_error **err)
{
    if (!c->pack || (fflush(c->pack) == 0 && !ferror(c->pack)))
        return true;
    return spool_fail(c->pack_path, errno ? errno : EIO, err);
}

bool pdb_content_seal(struct pdb_content *c, struct pdiburn_error **err)
{
    if (!c->pack)
        return true;
    bool ok = !ferror(c->pack);
    int e = ok ? 0 : EIO;
    if (fclose(c->pack) != 0 && ok) {
        ok = false;
        e = errno;
    }
    c->pack = NULL;
    return ok || spool_fail(c->pack_path, e, err);
}

uint64_t pdb_content_pack_offset(const struct pdb_content *c)
{
    return c->pack ? (uint64_t) ftello(c->pack) : 0;
}

bool pdb_content_add_packed(struct pdb_content *c, const char *path,
                            uint64_t start, struct pdiburn_error **err)
{
    if (!c->pack)
        return pdb_fail(err, PDIBURN_E_INTERNAL, "no spool file is open");
    if (ferror(c->pack))
        return spool_fail(c->pack_path, errno ? errno : EIO, err);
    struct pdb_node *n = add_node(c, path, err);
    if (!n)
        return false;
    add_seg(n, (struct pdb_seg) { PDB_SEG_FILE, NULL, c->pack_path, start,
                                  pdb_content_pack_offset(c) - start });
    c->bytes += n->size;
    return true;
}

bool pdb_content_pack_bytes(struct pdb_content *c, const uint8_t *data,
                            size_t len, uint64_t *at,
                            struct pdiburn_error **err)
{
    if (!c->pack)
        return pdb_fail(err, PDIBURN_E_INTERNAL, "no spool file is open");
    *at = pdb_content_pack_offset(c);
    if (len && fwrite(data, 1, len, c->pack) != len)
        return spool_fail(c->pack_path, errno, err);
    return true;
}

static bool add_to_pack(struct pdb_content *c, const char *path,
                        const uint8_t *data, size_t len,
                        struct pdiburn_error **err)
{
    uint64_t start = 0;
    return pdb_content_pack_bytes(c, data, len, &start, err) &&
           pdb_content_add_packed(c, path, start, err);
}

bool pdb_content_add_mem(struct pdb_content *c, const char *path,
                         uint8_t *data, size_t len,
                         struct pdiburn_error **err)
{
    if (c->pack) {
        bool ok = add_to_pack(c, path, data, len, err);
        free(data);
        return ok;
    }
    struct pdb_node *n = add_node(c, path, err);
    if (!n) {
        free(data);
        return false;
    }
    n->owned = data;
    add_seg(n, (struct pdb_seg) { PDB_SEG_MEM, data, NULL, 0, len });
    c->bytes += n->size;
    return true;
}

bool pdb_content_add_copy(struct pdb_content *c, const char *path,
                          const uint8_t *data, size_t len,
                          struct pdiburn_error **err)
{
    if (c->pack)
        return add_to_pack(c, path, data, len, err);
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return pdb_fail_nomem(err);
    memcpy(copy, data, len);
    return pdb_content_add_mem(c, path, copy, len, err);
}

/* Native pixel data after a re-encoded header: a new Explicit VR element
 * header, then the source's value bytes unchanged (PS3.5 A.1: OW when more
 * than 8 bits are allocated). */
static void pixel_header(struct pdb_buf *b, const struct pdb_instance *inst)
{
    const char *vr = inst->pixels.vr;
    if (!vr[0]) {
        uint16_t bits = 16;
        pdb_instance_u16(inst, TAG_BITS_ALLOCATED, &bits);
        vr = bits > 8 ? "OW" : "OB";
    }
    pdb_elem_put_header(b, TAG_PIXEL_DATA, vr,
                        (uint32_t) inst->pixels.value_length);
}

/* The prefix is not kept: a node reader makes it again from the instance
 * (pdb_content_instance_prefix), so MEM segments of an instance node have
 * no memory, only offsets into it. */
static void add_instance_segs(const struct pdb_content *c, struct pdb_node *n,
                              const struct pdb_instance *inst, size_t meta,
                              size_t pixhdr)
{
    if (inst->action == PDB_ACTION_COPY) {
        add_seg(n, (struct pdb_seg) { PDB_SEG_FILE, NULL, inst->path, 0,
                                      inst->size });
        return;
    }
    add_seg(n, (struct pdb_seg) { PDB_SEG_MEM, NULL, NULL, 0, meta });
    if (inst->action == PDB_ACTION_TRANSCODE) {
        add_seg(n, (struct pdb_seg) { PDB_SEG_FILE, NULL, inst->spool, 0,
                                      inst->spool_size });
        return;
    }
    if (inst->header_at) /* made ahead: header_pack.c */
        add_seg(n, (struct pdb_seg) { PDB_SEG_FILE, NULL, c->pack_path,
                                      inst->header_at - 1,
                                      inst->header_len });
    else
        add_seg(n, (struct pdb_seg) { PDB_SEG_HEADER, NULL, inst->path, 0,
                                      inst->header_len });
    if (pixhdr) {
        add_seg(n, (struct pdb_seg) { PDB_SEG_MEM, NULL, NULL, meta,
                                      pixhdr });
        add_seg(n, (struct pdb_seg) { PDB_SEG_FILE, NULL, inst->path,
                                      inst->pixels.value_offset,
                                      inst->pixels.value_length });
    }
}

/* The bytes we write in front of what comes from elsewhere: our meta
 * information, and for a splice the new pixel element header. */
static bool instance_prefix(const struct pdb_instance *inst,
                            struct pdb_buf *own, size_t *meta, size_t *pixhdr)
{
    *meta = *pixhdr = 0;
    if (inst->action == PDB_ACTION_COPY)
        return true;
    pdb_elem_put_meta(own, inst->sop_class, inst->sop_uid, PDB_TS_EXPLICIT_LE);
    *meta = own->len;
    if (inst->action == PDB_ACTION_SPLICE &&
        inst->pixels.kind == PDB_PIXELS_NATIVE)
        pixel_header(own, inst);
    *pixhdr = own->len - *meta;
    return !own->failed;
}

bool pdb_content_instance_prefix(const struct pdb_instance *inst,
                                 struct pdb_buf *out)
{
    size_t meta, pixhdr;
    return instance_prefix(inst, out, &meta, &pixhdr);
}

uint64_t pdb_content_instance_size(const struct pdb_instance *inst)
{
    struct pdb_buf own = { 0 };
    size_t meta, pixhdr;
    instance_prefix(inst, &own, &meta, &pixhdr);
    pdb_buf_free(&own);
    switch (inst->action) {
    case PDB_ACTION_COPY: return inst->size;
    case PDB_ACTION_TRANSCODE: return meta + inst->spool_size;
    case PDB_ACTION_SPLICE:
        return meta + inst->header_len + pixhdr +
               (pixhdr ? inst->pixels.value_length : 0);
    case PDB_ACTION_SKIP: return 0;
    }
    return 0;
}

bool pdb_content_add_instance(struct pdb_content *c,
                              const struct pdb_instance *inst,
                              struct pdiburn_error **err)
{
    struct pdb_buf own = { 0 };
    size_t meta = 0, pixhdr = 0;
    bool ok = instance_prefix(inst, &own, &meta, &pixhdr);
    pdb_buf_free(&own);
    if (!ok)
        return pdb_fail_nomem(err);
    struct pdb_node *n = add_node(c, inst->file_id, err);
    if (!n)
        return false;
    n->inst = inst;
    /* A copy keeps its source's time, as xorriso or zip would give it;
     * a file re-encoded here is made now. */
    n->mtime = inst->action == PDB_ACTION_COPY ? inst->mtime : 0;
    add_instance_segs(c, n, inst, meta, pixhdr);
    c->bytes += n->size;
    return true;
}

bool pdb_content_add_manifest(struct pdb_content *c, const char *path,
                              struct pdiburn_error **err)
{
    struct pdb_node *n = add_node(c, path, err);
    if (!n)
        return false;
    n->is_manifest = true;
    n->size = pdb_manifest_size(c, n);
    c->bytes += n->size;
    return true;
}

static void remove_spool(struct pdb_content *c)
{
    if (c->pack_fd >= 0)
        close(c->pack_fd);
    unlink(c->pack_path);
}

static void *remove_spool_thread(void *arg)
{
    remove_spool(arg);
    return NULL;
}

void pdb_content_drop_spool(struct pdb_content *c)
{
    if (c->pack_path && !c->pack && !c->dropped)
        c->dropped = pthread_create(&c->dropping, NULL, remove_spool_thread,
                                    c) == 0;
}

void pdb_content_free(struct pdb_content *c)
{
    if (c->pack)
        fclose(c->pack);
    if (c->dropped)
        pthread_join(c->dropping, NULL);
    else if (c->pack_path)
        remove_spool(c);
    free(c->pack_path);
    for (size_t i = 0; i < c->nnodes; i++) {
        free(c->nodes[i]->path);
        free(c->nodes[i]->owned);
        free(c->nodes[i]);
    }
    free(c->nodes);
    memset(c, 0, sizeof(*c));
}

static bool check_path(const char *path, struct pdiburn_error **err)
{
    char part[PDB_FILEID_MAX];
    unsigned depth = 0;
    for (const char *p = path; *p;) {
        size_t len = strcspn(p, "/");
        bool is_dir = p[len] == '/';
        if (len >= sizeof(part))
            len = sizeof(part) - 1;
        for (size_t i = 0; i < len; i++)
            part[i] = (char) (p[i] >= 'a' && p[i] <= 'z' ? p[i] - 32 : p[i]);
        part[len] = 0;
        if (!pdb_iso_level1_name_valid(part, is_dir) || ++depth > 8)
            return pdb_fail(err, PDIBURN_E_INTERNAL,
                            "'%s' is not an ISO 9660 Level 1 path", path);
        p += len + is_dir;
    }
    return true;
}

bool pdb_content_check_names(const struct pdb_content *c,
                             struct pdiburn_error **err)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (!check_path(c->nodes[i]->path, err))
            return false;
    return true;
}
