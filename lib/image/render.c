/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * 8-bit presentation values for pages, thumbnails and lossy previews,
 * by the rules the viewer follows (viewer-bundle/PROTOCOL.md): modality
 * LUT from Rescale Slope/Intercept (PS3.3 C.11.1), the linear VOI window
 * of PS3.3 C.11.2.1.2, MONOCHROME1 inverted.  The same numbers as
 * DCMTK's dcmj2pnm, so a JPEG on the media shows what the viewer shows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"

static double number(const struct pdb_instance *inst, uint32_t tag,
                     double fallback)
{
    char text[64];
    if (!pdb_instance_string(inst, tag, text, sizeof(text)) || !text[0])
        return fallback;
    char *end = NULL;
    double v = strtod(text, &end);
    /* strtod() also reads "NaN" and "inf", which no DS value may be */
    return end == text || !isfinite(v) ? fallback : v;
}

/* BIR 5.4: windows of these modalities apply to stored values. */
static bool stored_value_modality(const char *m)
{
    static const char *const list[] = { "MR", "PT", "NM", "XA", "RF" };
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
        if (strcmp(m, list[i]) == 0)
            return true;
    return false;
}

static int32_t stored_at(const struct pdb_image *img, size_t i)
{
    return img->is_signed ? (int16_t) img->gray[i] : img->gray[i];
}

static double display_value(const struct pdb_display *d, int32_t stored)
{
    return d->windows_on_stored ? stored : stored * d->slope + d->intercept;
}

static void stored_range(const struct pdb_image *img, int32_t *lo, int32_t *hi)
{
    size_t n = (size_t) img->rows * img->columns;
    *lo = *hi = n ? stored_at(img, 0) : 0;
    for (size_t i = 1; i < n; i++) {
        int32_t v = stored_at(img, i);
        *lo = v < *lo ? v : *lo;
        *hi = v > *hi ? v : *hi;
    }
}

/* Min and max: w = max - min + 1 and c = min + w / 2 map them to 0, 255.
 * The rescale is monotonic, in floating point too, so they are the
 * rescaled ends of the stored range. */
static void range_window(const struct pdb_image *img, struct pdb_display *d)
{
    int32_t lo, hi;
    stored_range(img, &lo, &hi);
    double a = display_value(d, lo), b = display_value(d, hi);
    d->width = (a < b ? b - a : a - b) + 1;
    d->center = (a < b ? a : b) + d->width / 2;
}

void pdb_render_display_of(const struct pdb_instance *inst,
                           const struct pdb_image *img, struct pdb_display *d)
{
    char modality[17] = "", photometric[17] = "";
    pdb_instance_string(inst, TAG_MODALITY, modality, sizeof(modality));
    pdb_instance_string(inst, TAG_PHOTOMETRIC, photometric,
                        sizeof(photometric));
    *d = (struct pdb_display) {
        .slope = number(inst, 0x00281053, 1),
        .intercept = number(inst, 0x00281052, 0),
        .windows_on_stored = stored_value_modality(modality),
        .monochrome1 = strcmp(photometric, "MONOCHROME1") == 0,
        .center = number(inst, 0x00281050, NAN),
        .width = number(inst, 0x00281051, NAN),
    };
    if (img->samples == 3) {
        d->center = 128;
        d->width = 256;
    } else if (isnan(d->center) || isnan(d->width) || d->width < 1) {
        if (strcmp(modality, "CT") == 0) {
            d->center = 40;
            d->width = 400;
        } else {
            range_window(img, d);
        }
    }
}

static uint8_t window(double x, double c, double w)
{
    if (w <= 1)
        return x <= c - 0.5 ? 0 : 255;
    double y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
    /* !(y > 0): NaN, from values overflowing to infinity, is black */
    return !(y > 0) ? 0 : y >= 255 ? 255 : (uint8_t) floor(y + 0.5);
}

static uint8_t gray_byte(const struct pdb_display *d, int32_t stored)
{
    uint8_t y = window(display_value(d, stored), d->center, d->width);
    return d->monochrome1 ? (uint8_t) (255 - y) : y;
}

/* gray_byte() of lo + v for v < span.  It never reverses an order:
 * rescaling, windowing and rounding in floating point keep one, and a
 * negative slope or MONOCHROME1 reverses all of it; only a NaN could
 * break it, and finite ends leave none.  So the table is at most 256
 * runs of one byte each, and where a run ends is guessed from the last
 * run's length and checked on both sides: about two values are windowed
 * per run instead of every one (a 64 x 64 MR image of 2,000 values,
 * windowed to its range, has runs of 8).  The same bytes either way. */
static void fill_runs(const struct pdb_display *d, int32_t lo, size_t span,
                      uint8_t *lut)
{
    size_t guess = 1;
    uint8_t y = gray_byte(d, lo);
    for (size_t v = 0; v < span;) {
        size_t end = v + guess < span ? v + guess : span;
        /* f(end - 1) differs: the run ends sooner, at the first that does */
        if (end - 1 > v && gray_byte(d, lo + (int32_t) (end - 1)) != y)
            do
                end--;
            while (gray_byte(d, lo + (int32_t) (end - 1)) != y);
        uint8_t next = y;
        while (end < span && (next = gray_byte(d, lo + (int32_t) end)) == y)
            end++;
        memset(lut + v, y, end - v);
        guess = end - v;
        v = end;
        y = next;
    }
}

static void fill_table(const struct pdb_display *d, int32_t lo, int32_t hi,
                       uint8_t *lut)
{
    size_t span = (size_t) (hi - lo) + 1;
    bool finite = isfinite(display_value(d, lo)) &&
                  isfinite(display_value(d, hi)) && isfinite(d->center) &&
                  isfinite(d->width);
    if (finite) {
        fill_runs(d, lo, span, lut);
        return;
    }
    for (size_t v = 0; v < span; v++)
        lut[v] = gray_byte(d, lo + (int32_t) v);
}

/* Each stored value is windowed once, into a table: an image holds fewer
 * distinct values than pixels, and windowing, in floating point as the
 * standard writes it, costs more than the look-up (9,600 page images of
 * 64 x 64: the pages take 0.63 -> 0.55 s).  The table gives the same bytes. */
static void render_gray(const struct pdb_image *img,
                        const struct pdb_display *d, uint8_t *out)
{
    size_t n = (size_t) img->rows * img->columns;
    if (!n)
        return;
    int32_t lo, hi;
    stored_range(img, &lo, &hi);
    size_t span = (size_t) (hi - lo) + 1;
    uint8_t *lut = span <= n ? malloc(span) : NULL;
    if (!lut) {
        for (size_t i = 0; i < n; i++)
            out[i] = gray_byte(d, stored_at(img, i));
        return;
    }
    fill_table(d, lo, hi, lut);
    for (size_t i = 0; i < n; i++)
        out[i] = lut[stored_at(img, i) - lo];
    free(lut);
}

void pdb_render(const struct pdb_image *img, const struct pdb_display *d,
                uint8_t *out)
{
    size_t n = (size_t) img->rows * img->columns;
    if (img->samples == 1) {
        render_gray(img, d, out);
        return;
    }
    uint8_t lut[256];
    for (unsigned v = 0; v < 256; v++)
        lut[v] = window(v, d->center, d->width);
    for (size_t c = 0; c < 3; c++)
        for (size_t i = 0; i < n; i++)
            out[3 * i + c] = lut[img->rgb[c * n + i]];
}

void pdb_render_shrink(const uint8_t *in, unsigned w, unsigned h,
                       unsigned comps, unsigned max, uint8_t *out,
                       unsigned *ow, unsigned *oh)
{
    unsigned step = ((w > h ? w : h) + max - 1) / max;
    step = step ? step : 1;
    while ((w + step - 1) / step > max || (h + step - 1) / step > max)
        step++;
    *ow = (w + step - 1) / step;
    *oh = (h + step - 1) / step;
    for (unsigned y = 0; y < *oh; y++)
        for (unsigned x = 0; x < *ow; x++)
            for (unsigned c = 0; c < comps; c++) {
                unsigned sum = 0, count = 0;
                for (unsigned sy = y * step; sy < h && sy < (y + 1) * step; sy++)
                    for (unsigned sx = x * step; sx < w && sx < (x + 1) * step;
                         sx++, count++)
                        sum += in[((size_t) sy * w + sx) * comps + c];
                out[((size_t) y * *ow + x) * comps + c] =
                    (uint8_t) ((sum + count / 2) / count);
            }
}
