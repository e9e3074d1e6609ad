/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Our own look at a source file's header before DCMTK parses it: an
 * iterative walk of the element headers (PS3.5 7.1, 7.5; values are
 * skipped, never read) up to the Pixel Data, that refuses sequences nested
 * deeper than PDB_MAX_NESTING (DCMTK's reader recurses and would overflow
 * the stack), keeps the identifiers and meta values it passes, so a file
 * DCMTK rejects can still be tied to a patient or study, and finds where
 * the header ends.  A structure it cannot follow ends the walk; judging
 * the file is then left to DCMTK.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"

#define TAG_ITEM     0xFFFEE000u
#define TAG_ITEM_END 0xFFFEE00Du
#define TAG_SEQ_END  0xFFFEE0DDu
#define UNDEFINED    0xFFFFFFFFu

enum { STEP_MORE, STEP_DONE, STEP_STOP };

struct reader {
    int fd;
    uint64_t size;
    uint64_t at; /* file offset of buf[0] */
    size_t len;
    uint8_t buf[65536];
};

/* Bytes [off, off + n) of the file, n <= 4096; NULL past its end. */
static const uint8_t *peek(struct reader *r, uint64_t off, size_t n)
{
    if (off > r->size || n > r->size - off)
        return NULL;
    if (off < r->at || off + n > r->at + r->len) {
        size_t got = 0, want = r->size - off < sizeof(r->buf)
                                   ? (size_t) (r->size - off)
                                   : sizeof(r->buf);
        if (!pdb_fs_read_at(r->fd, r->buf, want, off, &got) || got < n)
            return NULL;
        r->at = off;
        r->len = got;
    }
    return r->buf + (off - r->at);
}

struct level {
    bool is_seq;    /* a sequence (holds items), else an item */
    bool fragments; /* encapsulated pixel data: items hold no elements */
    bool undefined; /* ends at its delimiter, else at `end` */
    uint64_t end;
    enum pdb_syntax syn;
};

struct walk {
    struct reader *r;
    struct pdb_walked_head *h;
    struct level lv[2 * PDB_MAX_NESTING + 2];
    int n;     /* levels open; 0 = the data set itself */
    int depth; /* sequences open */
    uint64_t pos;
    enum pdb_syntax syn; /* of the data set */
};

struct elem_head {
    uint32_t tag;
    char vr[3];
    uint32_t len;
    unsigned size; /* bytes of the element header */
};

static uint16_t u16(const uint8_t *p, bool be)
{
    return be ? (uint16_t) (p[0] << 8 | p[1]) : (uint16_t) (p[1] << 8 | p[0]);
}

static uint32_t u32(const uint8_t *p, bool be)
{
    return be ? (uint32_t) u16(p, true) << 16 | u16(p + 2, true)
              : (uint32_t) u16(p + 2, false) << 16 | u16(p, false);
}

static bool is_upper(uint8_t c)
{
    return c >= 'A' && c <= 'Z';
}

static bool read_head(struct reader *r, uint64_t pos, enum pdb_syntax syn,
                      struct elem_head *e)
{
    bool be = syn == PDB_EXPLICIT_BE;
    const uint8_t *p = peek(r, pos, 8);
    if (!p)
        return false;
    e->tag = (uint32_t) u16(p, be) << 16 | u16(p + 2, be);
    bool explicit_vr = syn != PDB_IMPLICIT_LE && (e->tag >> 16) != 0xFFFE;
    memcpy(e->vr, explicit_vr ? (const char *) p + 4 : "??", 2);
    e->vr[2] = 0;
    e->size = 8;
    if (!explicit_vr) {
        e->len = u32(p + 4, be);
        return true;
    }
    if (!is_upper(p[4]) || !is_upper(p[5]))
        return false;
    if (!pdb_vr_has_long_length(e->vr)) {
        e->len = u16(p + 6, be);
        return true;
    }
    if (!(p = peek(r, pos, 12)))
        return false;
    e->len = u32(p + 8, be);
    e->size = 12;
    return true;
}

static void copy_value(struct reader *r, uint64_t at, uint32_t len, char *out,
                       size_t outlen)
{
    const uint8_t *v = len < outlen ? peek(r, at, len) : NULL;
    if (!v)
        return;
    struct pdb_elem e = { .value = v, .len = len };
    pdb_elem_string(&e, out, outlen);
}

/* The identifiers that tie even an unreadable file to its patient. */
static void keep_identifier(struct walk *w, const struct elem_head *e)
{
    struct pdb_walked_head *h = w->h;
    uint64_t at = w->pos + e->size;
    char *out = e->tag == TAG_PATIENT_ID     ? h->patient_id
                : e->tag == TAG_ISSUER       ? h->issuer
                : e->tag == TAG_STUDY_UID    ? h->study_uid
                : e->tag == TAG_SERIES_UID   ? h->series_uid
                : e->tag == TAG_SOP_INSTANCE ? h->sop_uid
                                             : NULL;
    if (out && e->len != UNDEFINED)
        copy_value(w->r, at, e->len, out, PDB_UID_MAX + 1);
}

static int open_level(struct walk *w, struct level lv, uint32_t len)
{
    if (lv.is_seq && ++w->depth > PDB_MAX_NESTING) {
        w->h->too_deep = true;
        return STEP_STOP;
    }
    lv.undefined = len == UNDEFINED;
    lv.end = w->pos + len;
    w->lv[++w->n] = lv;
    return STEP_MORE;
}

static void close_level(struct walk *w)
{
    w->depth -= w->lv[w->n].is_seq;
    w->n--;
}

/* Implicit VR says nothing of sequences of defined length: a value that
 * starts with an item is read as one, as DCMTK would for an SQ tag. */
static bool starts_with_item(struct walk *w, const struct elem_head *e,
                             enum pdb_syntax syn)
{
    if (syn != PDB_IMPLICIT_LE || e->len < 8)
        return false;
    const uint8_t *p = peek(w->r, w->pos + e->size, 4);
    return p &&
           ((uint32_t) u16(p, false) << 16 | u16(p + 2, false)) == TAG_ITEM;
}

/* Inside a sequence: an item opens, or the sequence ends. */
static int step_in_sequence(struct walk *w, const struct elem_head *e)
{
    const struct level *top = &w->lv[w->n];
    w->pos += 8;
    if (e->tag == TAG_SEQ_END && top->undefined) {
        close_level(w);
        return STEP_MORE;
    }
    if (e->tag != TAG_ITEM)
        return STEP_STOP;
    if (top->fragments) {
        w->pos += e->len;
        return e->len == UNDEFINED ? STEP_STOP : STEP_MORE;
    }
    return open_level(w, (struct level){ .syn = top->syn }, e->len);
}

static int open_sequence(struct walk *w, const struct elem_head *e,
                         enum pdb_syntax syn)
{
    /* UN of undefined length holds Implicit VR LE (PS3.5 6.2.2); pixel
     * data of undefined length (an icon's) holds fragments (A.4). */
    struct level lv = {
        .is_seq = true,
        .fragments = e->tag == TAG_PIXEL_DATA || strcmp(e->vr, "OB") == 0 ||
                     strcmp(e->vr, "OW") == 0,
        .syn = strcmp(e->vr, "UN") == 0 ? PDB_IMPLICIT_LE : syn,
    };
    return open_level(w, lv, e->len);
}

static int close_item(struct walk *w)
{
    if (w->n == 0 || !w->lv[w->n].undefined)
        return STEP_STOP;
    w->pos += 8;
    close_level(w);
    return STEP_MORE;
}

static int step_element(struct walk *w, const struct elem_head *e,
                        enum pdb_syntax syn)
{
    if (w->n == 0 && e->tag >= TAG_PIXEL_DATA) {
        w->h->pixels_found = e->tag == TAG_PIXEL_DATA;
        w->h->end = w->pos;
        return STEP_DONE;
    }
    if (e->tag == TAG_ITEM_END)
        return close_item(w);
    if (w->n == 0)
        keep_identifier(w, e);
    bool seq = strcmp(e->vr, "SQ") == 0 || e->len == UNDEFINED ||
               starts_with_item(w, e, syn);
    w->pos += e->size;
    if (seq)
        return open_sequence(w, e, syn);
    w->pos += e->len;
    return STEP_MORE;
}

static int step(struct walk *w)
{
    struct level *top = &w->lv[w->n];
    if (w->n > 0 && !top->undefined && w->pos >= top->end) {
        close_level(w);
        return STEP_MORE;
    }
    if (w->n == 0 && w->pos >= w->r->size) {
        w->h->end = w->r->size;
        return STEP_DONE;
    }
    enum pdb_syntax syn = w->n ? top->syn : w->syn;
    struct elem_head e;
    if (!read_head(w->r, w->pos, syn, &e))
        return STEP_STOP;
    return top->is_seq && w->n ? step_in_sequence(w, &e)
                               : step_element(w, &e, syn);
}

/* ---- meta information and the data set's encoding ------------------------ */

static void keep_meta(struct walk *w, const struct elem_head *e)
{
    struct pdb_walked_head *h = w->h;
    uint64_t at = w->pos + e->size;
    if (e->tag == 0x00020002)
        copy_value(w->r, at, e->len, h->meta_sop_class,
                   sizeof(h->meta_sop_class));
    if (e->tag == 0x00020003)
        copy_value(w->r, at, e->len, h->meta_sop_uid, sizeof(h->meta_sop_uid));
    if (e->tag != 0x00020010)
        return;
    h->meta_ts_present = true;
    h->meta_ts_len = e->len;
    copy_value(w->r, at, e->len, h->meta_ts, sizeof(h->meta_ts));
}

/* File Meta Information: Explicit VR Little Endian, group 0002 (PS3.10
 * 7.1).  Returns where the data set starts. */
static bool walk_meta(struct walk *w)
{
    struct elem_head e;
    const uint8_t *p;
    while ((p = peek(w->r, w->pos, 2)) && u16(p, false) == 0x0002) {
        if (!read_head(w->r, w->pos, PDB_EXPLICIT_LE, &e) || e.len == UNDEFINED)
            return false;
        keep_meta(w, &e);
        w->pos += e.size + e.len;
    }
    return true;
}

/* The data set's encoding as it is, whatever the meta information says:
 * DCMTK reads it that way too. */
static enum pdb_syntax detect_syntax(struct walk *w)
{
    const uint8_t *p = peek(w->r, w->pos, 6);
    if (!p)
        return PDB_EXPLICIT_LE;
    bool be = strcmp(w->h->meta_ts, PDB_TS_EXPLICIT_BE) == 0 ||
              (!w->h->has_meta && p[0] == 0x00 && p[1] == 0x08);
    if (be)
        return PDB_EXPLICIT_BE;
    return is_upper(p[4]) && is_upper(p[5]) ? PDB_EXPLICIT_LE : PDB_IMPLICIT_LE;
}

static uint64_t meta_start(struct reader *r)
{
    /* From offset 0, so that a small header is read once, hash included. */
    const uint8_t *p = peek(r, 0, 132);
    if (p && memcmp(p + 128, "DICM", 4) == 0)
        return 132;
    p = peek(r, 0, 4);
    return p && memcmp(p, "DICM", 4) == 0 ? 4 : 0;
}

static void run_walk(struct walk *w)
{
    w->pos = meta_start(w->r);
    w->h->has_meta = w->pos > 0;
    w->h->end = w->r->size; /* unless the walk finds where it ends */
    if (!walk_meta(w) || strcmp(w->h->meta_ts, PDB_TS_DEFLATED) == 0)
        return; /* a deflated data set is not walked */
    w->syn = detect_syntax(w);
    int rc;
    while ((rc = step(w)) == STEP_MORE)
        ;
    if (rc == STEP_STOP && !w->h->too_deep)
        w->h->end = w->r->size;
}

/* The digest of the header bytes, to tell later whether the file changed
 * since it was read. */
static bool hash_header(struct reader *r, struct pdb_walked_head *h)
{
    struct pdb_sha256 sha;
    pdb_sha256_init(&sha);
    if (r->at == 0 && r->len >= h->end) { /* all in the buffer already */
        pdb_sha256_update(&sha, r->buf, (size_t) h->end);
        pdb_sha256_final(&sha, h->sha256);
        return true;
    }
    for (uint64_t off = 0; off < h->end;) {
        size_t want = h->end - off < sizeof(r->buf) ? (size_t) (h->end - off)
                                                    : sizeof(r->buf);
        size_t got = 0;
        if (!pdb_fs_read_at(r->fd, r->buf, want, off, &got) || got < want)
            return false;
        pdb_sha256_update(&sha, r->buf, got);
        off += got;
    }
    r->len = 0; /* the buffer no longer holds what `at` says */
    pdb_sha256_final(&sha, h->sha256);
    return true;
}

/* Most headers fit the walk's buffer: DCMTK then reads them from a copy,
 * not from the file a second time. */
static void keep_head(const struct reader *r, struct pdb_walked_head *h)
{
    size_t n = pdb_source_head_span(h->end, r->size);
    if (n == 0 || r->at != 0 || r->len < n || !(h->bytes = malloc(n)))
        return;
    memcpy(h->bytes, r->buf, n);
    h->bytes_len = n;
}

bool pdb_head_walk(int fd, uint64_t size, bool keep,
                   struct pdb_walked_head *h)
{
    memset(h, 0, sizeof(*h));
    struct {
        struct reader r;
        struct walk w;
    } *mem = calloc(1, sizeof(*mem));
    if (!mem) {
        errno = ENOMEM;
        return false;
    }
    mem->r.fd = fd;
    mem->r.size = size;
    mem->w.r = &mem->r;
    mem->w.h = h;
    run_walk(&mem->w);
    bool ok = hash_header(&mem->r, h);
    if (ok && keep)
        keep_head(&mem->r, h);
    free(mem);
    return ok;
}
