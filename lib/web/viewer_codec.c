/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The viewer's lossless pixel codecs (viewer-bundle/PROTOCOL.md "med16",
 * "rgb8"): the median edge predictor of JPEG-LS (ISO/IEC 14495-1 4.3.1),
 * zigzagged residuals split into byte planes, zlib, base64.  About a third
 * of the raw size for noisy CT, and decoded in JavaScript in ~10 ms a slice.
 * The zlib stream comes from libdeflate (core/deflate.c).
 */
#include <stdlib.h>

#include "viewer_codec.h"

/* Residuals of one row against the median edge predictor; `prev` is the
 * row above (NULL for the first).  Written for speed: this runs for every
 * pixel on the media, and a compiler turns the selects into cmovs. */
static void predict_row(const int *cur, const int *prev, unsigned w, int *res)
{
    res[0] = cur[0] - (prev ? prev[0] : 0);
    for (unsigned x = 1; x < w; x++) {
        int a = cur[x - 1];
        if (!prev) {
            res[x] = cur[x] - a;
            continue;
        }
        int b = prev[x], c = prev[x - 1];
        int hi = a > b ? a : b, lo = a > b ? b : a;
        int p = c >= hi ? lo : c <= lo ? hi : a + b - c;
        res[x] = cur[x] - p;
    }
}

static bool deflate_base64(const uint8_t *raw, size_t len, int level,
                           struct pdb_buf *out)
{
    uint8_t *z = NULL;
    size_t size = 0;
    bool ok = pdb_deflate(raw, len, level, true, &z, &size) &&
              pdb_base64(out, z, size);
    free(z);
    return ok;
}

bool pdb_codec_med16(const struct pdb_image *img, int level,
                     struct pdb_buf *out)
{
    unsigned w = img->columns;
    size_t n = (size_t) img->rows * w;
    int *rows = malloc(3 * (size_t) w * sizeof(int));
    uint8_t *planes = malloc(2 * n);
    bool ok = rows && planes;
    for (unsigned y = 0; ok && y < img->rows; y++) {
        int *cur = rows + (y & 1) * w, *prev = y ? rows + ((y - 1) & 1) * w : NULL;
        int *res = rows + 2 * (size_t) w;
        const uint16_t *g = img->gray + (size_t) y * w;
        for (unsigned x = 0; x < w; x++)
            cur[x] = img->is_signed ? (int16_t) g[x] : g[x];
        predict_row(cur, prev, w, res);
        for (unsigned x = 0; x < w; x++) {
            int16_t s = (int16_t) (uint16_t) res[x]; /* mod 65536 */
            uint16_t z = (uint16_t) (s >= 0 ? 2 * s : -2 * s - 1);
            planes[(size_t) y * w + x] = (uint8_t) z;
            planes[n + (size_t) y * w + x] = (uint8_t) (z >> 8);
        }
    }
    ok = ok && deflate_base64(planes, 2 * n, level, out);
    free(rows);
    free(planes);
    return ok;
}

bool pdb_codec_rgb8(const struct pdb_image *img, int level, struct pdb_buf *out)
{
    unsigned w = img->columns;
    size_t n = (size_t) img->rows * w;
    int *rows = malloc(3 * (size_t) w * sizeof(int));
    uint8_t *planes = malloc(3 * n);
    bool ok = rows && planes;
    for (unsigned c = 0; ok && c < 3; c++)
        for (unsigned y = 0; y < img->rows; y++) {
            int *cur = rows + (y & 1) * w;
            int *prev = y ? rows + ((y - 1) & 1) * w : NULL;
            int *res = rows + 2 * (size_t) w;
            const uint8_t *src = img->rgb + c * n + (size_t) y * w;
            for (unsigned x = 0; x < w; x++)
                cur[x] = src[x];
            predict_row(cur, prev, w, res);
            for (unsigned x = 0; x < w; x++)
                planes[c * n + (size_t) y * w + x] = (uint8_t) res[x];
        }
    ok = ok && deflate_base64(planes, 3 * n, level, out);
    free(rows);
    free(planes);
    return ok;
}
