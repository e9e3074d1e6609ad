/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The viewer's lossless pixel codecs (viewer-bundle/PROTOCOL.md "med16",
 * "rgb8"): the median edge predictor of JPEG-LS (ISO/IEC 14495-1 4.3.1),
 * zigzagged residuals split into byte planes, zlib (RFC 1950), base64.
 * This runs for every pixel on the media, so the predictor works on eight
 * values at a time (vector extensions, SSE2 or NEON) and ISA-L's igzip
 * writes the zlib stream, each plane its own block: on CT planes it is
 * seven times faster than libdeflate at level 6, within a percent in size.
 */
#include <isa-l/igzip_lib.h>
#include <stdlib.h>
#include <string.h>

#include "viewer_codec.h"

typedef int16_t v8s __attribute__((vector_size(16)));
typedef uint16_t v8u __attribute__((vector_size(16)));
typedef uint8_t v8b __attribute__((vector_size(8)));

struct pdb_codec_scratch {
    int level;
    struct isal_zstream z;
    uint8_t *level_buf;
    uint8_t *planes;
    size_t planes_cap;
    uint8_t *zout;
    size_t zout_cap;
};

/* ISA-L's levels 0-3; 1 and 2 match libdeflate's size at level 6. */
static const uint32_t level_buf_size[] = { ISAL_DEF_LVL0_DEFAULT,
                                           ISAL_DEF_LVL1_DEFAULT,
                                           ISAL_DEF_LVL2_DEFAULT,
                                           ISAL_DEF_LVL3_DEFAULT };
static const uint32_t level_buf_req[] = { 0, ISAL_DEF_LVL1_REQ,
                                          ISAL_DEF_LVL2_REQ,
                                          ISAL_DEF_LVL3_REQ };
static const uint32_t level_token_size[] = { 0, ISAL_DEF_LVL1_TOKEN_SIZE,
                                              ISAL_DEF_LVL2_TOKEN_SIZE,
                                              ISAL_DEF_LVL3_TOKEN_SIZE };

/* Zero bytes after the last plane: igzip may look past the end of its
 * input, and what it finds there must not depend on earlier frames. */
enum { TAIL_PAD = 2 * ISAL_LOOK_AHEAD };

struct pdb_codec_scratch *pdb_codec_scratch_new(int level)
{
    if (level < 0 || level > 3)
        return NULL;
    struct pdb_codec_scratch *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->level = level;
    if (level_buf_size[level] &&
        !(c->level_buf = malloc(level_buf_size[level]))) {
        free(c);
        return NULL;
    }
    return c;
}

void pdb_codec_scratch_free(struct pdb_codec_scratch *c)
{
    if (!c)
        return;
    free(c->level_buf);
    free(c->planes);
    free(c->zout);
    free(c);
}

static bool fit(uint8_t **p, size_t *cap, size_t want)
{
    if (want <= *cap)
        return true;
    uint8_t *bigger = realloc(*p, want);
    if (!bigger)
        return false;
    *p = bigger;
    *cap = want;
    return true;
}

/* ---- the median edge predictor ------------------------------------------ */

/* Values in signed order: unsigned ones are biased by 0x8000.  x - p mod
 * 65536 does not change, since a, b, c and x all move by the same amount. */
static int biased(uint16_t v, uint16_t bias)
{
    return (int16_t) (uint16_t) (v ^ bias);
}

static uint16_t residual(int a, int b, int c, int x)
{
    int hi = a > b ? a : b, lo = a > b ? b : a;
    int p = c >= hi ? lo : c <= lo ? hi : a + b - c;
    return (uint16_t) (x - p);
}

static v8s load8(const uint16_t *p, v8s bias)
{
    v8s v;
    memcpy(&v, p, sizeof(v));
    return v ^ bias;
}

static v8u select8(v8s mask, v8u yes, v8u no)
{
    return ((v8u) mask & yes) | (~(v8u) mask & no);
}

/* Eight residuals of a row below the first, from column x >= 1. */
static v8u residual8(const uint16_t *cur, const uint16_t *up, unsigned x,
                     v8s bias)
{
    v8s a = load8(cur + x - 1, bias), b = load8(up + x, bias);
    v8s c = load8(up + x - 1, bias), v = load8(cur + x, bias);
    v8s a_gt_b = a > b;
    v8u hi = select8(a_gt_b, (v8u) a, (v8u) b);
    v8u lo = select8(a_gt_b, (v8u) b, (v8u) a);
    v8u grad = (v8u) a + (v8u) b - (v8u) c; /* mod 65536, as wanted */
    v8u p = select8(c >= (v8s) hi, lo, select8(c <= (v8s) lo, hi, grad));
    return (v8u) v - p;
}

/* Residuals of row `cur`; `up` is the row above, NULL for the first. */
static void residual_row(const uint16_t *cur, const uint16_t *up, unsigned w,
                         uint16_t bias, uint16_t *res)
{
    v8s vbias = { 0 };
    vbias += (int16_t) bias;
    /* p = 0 for the very first value: the unbiased 0 */
    res[0] = (uint16_t) (cur[0] - (up ? up[0] : 0));
    unsigned x = 1;
    for (; up && x + 8 <= w; x += 8) {
        v8u r = residual8(cur, up, x, vbias);
        memcpy(res + x, &r, sizeof(r));
    }
    for (; x < w; x++) {
        int a = biased(cur[x - 1], bias), v = biased(cur[x], bias);
        res[x] =
            up ? residual(a, biased(up[x], bias), biased(up[x - 1], bias), v)
               : (uint16_t) (v - a);
    }
}

/* PROTOCOL.md: z = 2s for s >= 0, -2s - 1 below, s the residual as int16;
 * then the low bytes of a row into one plane, the high bytes into another. */
static void zigzag_planes(const uint16_t *res, unsigned w, uint8_t *low,
                          uint8_t *high)
{
    unsigned x = 0;
    for (; x + 8 <= w; x += 8) {
        v8u r;
        memcpy(&r, res + x, sizeof(r));
        v8u z = (r << 1) ^ (v8u) ((v8s) r >> 15);
        v8b l = __builtin_convertvector(z & 0xFF, v8b);
        v8b h = __builtin_convertvector(z >> 8, v8b);
        memcpy(low + x, &l, sizeof(l));
        memcpy(high + x, &h, sizeof(h));
    }
    for (; x < w; x++) {
        uint16_t z = (uint16_t) (res[x] << 1) ^ (uint16_t) (0 - (res[x] >> 15));
        low[x] = (uint8_t) z;
        high[x] = (uint8_t) (z >> 8);
    }
}

/* ---- zlib and base64 ---------------------------------------------------- */

/* Runs igzip until it has taken all input and, for a plane that is not
 * the last, flushed a block; the output buffer grows when it fills. */
static bool deflate_piece(struct pdb_codec_scratch *c, const uint8_t *in,
                          size_t len, bool last)
{
    struct isal_zstream *z = &c->z;
    z->next_in = (uint8_t *) in;
    z->avail_in = (uint32_t) len;
    z->end_of_stream = last;
    z->flush = last ? NO_FLUSH : SYNC_FLUSH;
    for (;;) {
        if (isal_deflate(z) != COMP_OK)
            return false;
        bool done = last ? z->internal_state.state == ZSTATE_END
                         : z->avail_in == 0 && z->avail_out > 0;
        if (done)
            return true;
        if (z->avail_out > 0)
            continue;
        size_t used = z->total_out;
        if (!fit(&c->zout, &c->zout_cap, 2 * c->zout_cap))
            return false;
        z->next_out = c->zout + used;
        z->avail_out = (uint32_t) (c->zout_cap - used);
    }
}

/* Each stream starts from zeroed memory, so that nothing a worker
 * encoded before can play a part.  (CI has seen one frame deflated two
 * ways in two runs, the same pixels either way; the cause is not found,
 * and t192 compares chunks decoded.)  The level buffer is sized to the
 * frame, so zeroing it costs little for small ones. */
static void fresh_stream(struct pdb_codec_scratch *c, size_t len)
{
    struct isal_zstream *z = &c->z;
    memset(z, 0, sizeof(*z));
    isal_deflate_init(z);
    z->level = (uint32_t) c->level;
    z->gzip_flag = IGZIP_ZLIB;
    if (!c->level)
        return;
    uint64_t want = level_buf_req[c->level] +
                    (uint64_t) level_token_size[c->level] * (len + IGZIP_K);
    uint32_t size = level_buf_size[c->level];
    if (want < size)
        size = (uint32_t) want;
    memset(c->level_buf, 0, size);
    z->level_buf = c->level_buf;
    z->level_buf_size = size;
}

/* One deflate block per plane: each gets Huffman codes of its own (the
 * high bytes of residuals are mostly 0, the low ones spread out). */
static bool deflate_base64(struct pdb_codec_scratch *c, size_t plane,
                           unsigned nplanes, struct pdb_buf *out)
{
    size_t len = plane * nplanes;
    if (len > UINT32_MAX / 2 || !fit(&c->zout, &c->zout_cap, len / 2 + 4096))
        return false;
    struct isal_zstream *z = &c->z;
    fresh_stream(c, len);
    z->next_out = c->zout;
    z->avail_out = (uint32_t) c->zout_cap;
    for (unsigned i = 0; i < nplanes; i++)
        if (!deflate_piece(c, c->planes + i * plane, plane, i + 1 == nplanes))
            return false;
    return pdb_base64(out, c->zout, z->total_out);
}

bool pdb_codec_med16(struct pdb_codec_scratch *c, const struct pdb_image *img,
                     struct pdb_buf *out)
{
    unsigned w = img->columns;
    size_t n = (size_t) img->rows * w;
    uint16_t bias = img->is_signed ? 0 : 0x8000;
    if (!fit(&c->planes, &c->planes_cap, 2 * n + 2 * (size_t) w + TAIL_PAD))
        return false;
    /* the residuals of a row wait behind the planes */
    uint16_t *res = (uint16_t *) (void *) (c->planes + 2 * n);
    memset(c->planes + 2 * n, 0, 2 * (size_t) w + TAIL_PAD);
    for (unsigned y = 0; y < img->rows; y++) {
        const uint16_t *row = img->gray + (size_t) y * w;
        residual_row(row, y ? row - w : NULL, w, bias, res);
        zigzag_planes(res, w, c->planes + (size_t) y * w,
                      c->planes + n + (size_t) y * w);
    }
    return deflate_base64(c, n, 2, out);
}

/* Bytes widened to 16 bits take the same predictor; mod 256 is the low
 * byte of the residual mod 65536. */
bool pdb_codec_rgb8(struct pdb_codec_scratch *c, const struct pdb_image *img,
                    struct pdb_buf *out)
{
    unsigned w = img->columns;
    size_t n = (size_t) img->rows * w, at = (3 * n + 1) & ~(size_t) 1;
    if (!fit(&c->planes, &c->planes_cap, at + 6 * (size_t) w + TAIL_PAD))
        return false;
    memset(c->planes + 3 * n, 0, at - 3 * n + 6 * (size_t) w + TAIL_PAD);
    uint16_t *rows = (uint16_t *) (void *) (c->planes + at); /* aligned */
    for (unsigned ch = 0; ch < 3; ch++)
        for (unsigned y = 0; y < img->rows; y++) {
            uint16_t *cur = rows + (y & 1) * w, *res = rows + 2 * (size_t) w;
            const uint8_t *src = img->rgb + ch * n + (size_t) y * w;
            for (unsigned x = 0; x < w; x++)
                cur[x] = src[x];
            residual_row(cur, y ? rows + ((y - 1) & 1) * w : NULL, w, 0, res);
            uint8_t *plane = c->planes + ch * n + (size_t) y * w;
            for (unsigned x = 0; x < w; x++)
                plane[x] = (uint8_t) res[x];
        }
    return deflate_base64(c, n, 3, out);
}
