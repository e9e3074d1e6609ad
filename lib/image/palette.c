/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PALETTE COLOR pixels as RGB (PS3.3 C.7.6.3.1.5-6): the Red, Green and
 * Blue Palette Color LUTs, with 8- or 16-bit entries or segmented
 * (C.7.9.2), turned into three 8-bit tables the stored values index.
 * Values below the first mapped value take the first entry, values above
 * the last take the last (C.7.6.3.1.5).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "shim_status.h"
#include "image.h"

#define TAG_DESCRIPTOR(c) (0x00281101u + (c))
#define TAG_DATA(c)       (0x00281201u + (c))
#define TAG_SEGMENTED(c)  (0x00281221u + (c))

/* The segments of C.7.9.2 expanded into out[0..max); returns how many
 * entries they gave.  An indirect segment copies earlier segments, never
 * another indirect one (a loop would never end); expansion stops once the
 * table is full, so a crafted file cannot make it spin. */
struct segs {
    const uint16_t *w;
    size_t n;
    uint16_t *out;
    size_t len, max;
};

static void put(struct segs *s, double v)
{
    if (s->len < s->max)
        s->out[s->len++] = (uint16_t) (v < 0 ? 0 : v > 65535 ? 65535 : v);
}

static void linear(struct segs *s, size_t count, double y1)
{
    double y0 = s->len ? s->out[s->len - 1] : y1;
    for (size_t i = 1; i <= count && s->len < s->max; i++)
        put(s, floor(y0 + (y1 - y0) * (double) i / (double) count + 0.5));
}

static bool expand(struct segs *s, size_t at, size_t nsegs, bool nested);

/* The segment at *at (C.7.9.2.1-3); moves *at past it. */
static bool segment(struct segs *s, size_t *at, bool nested)
{
    const uint16_t *w = s->w + *at;
    size_t left = s->n - *at, count = w[1];
    if (w[0] == 0 && 2 + count <= left) {
        for (size_t i = 0; i < count; i++)
            put(s, w[2 + i]);
        *at += 2 + count;
        return true;
    }
    if (w[0] == 1 && left > 2) {
        linear(s, count, w[2]);
        *at += 3;
        return true;
    }
    if (w[0] != 2 || nested || left <= 3)
        return false;
    *at += 4;
    return expand(s, w[2] | (size_t) w[3] << 16, count, true);
}

static bool expand(struct segs *s, size_t at, size_t nsegs, bool nested)
{
    for (size_t k = 0; at + 1 < s->n && k < nsegs && s->len < s->max; k++)
        if (!segment(s, &at, nested))
            return false;
    return true;
}

/* 16-bit entries keep their top 8 bits, rounded; 8-bit entries are used
 * as they are, whether packed two to a word or one per word. */
static void to8(const uint16_t *w, size_t nwords, unsigned entries,
                unsigned bits, bool packed, uint8_t *out)
{
    for (unsigned i = 0; i < entries; i++) {
        unsigned v;
        if (packed)
            v = i / 2 < nwords ? (i & 1 ? w[i / 2] >> 8 : w[i / 2] & 0xFF) : 0;
        else
            v = i < nwords ? w[i] : nwords ? w[nwords - 1] : 0;
        if (!packed && (bits == 16 || v > 255))
            v = (v + 128) / 257;
        out[i] = (uint8_t) (v > 255 ? 255 : v);
    }
}

static bool segmented(struct dcmshim_dataset *ds, unsigned c, unsigned entries,
                      unsigned bits, uint8_t *out, struct pdiburn_error **err)
{
    char msg[256];
    uint16_t *w = NULL;
    size_t n = 0;
    enum dcmshim_status st = dcmshim_dataset_get_words(ds, TAG_SEGMENTED(c), &w,
                                                       &n, msg, sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "palette colour without its lookup table data");
    struct segs s = { w, n, calloc(entries, sizeof(uint16_t)), 0, entries };
    bool ok = s.out && expand(&s, 0, (size_t) -1, false) && s.len;
    if (ok)
        to8(s.out, s.len, entries, bits, false, out);
    free(w);
    free(s.out);
    return ok ? true
              : pdb_fail(err, PDIBURN_E_DICOM,
                         "malformed segmented palette colour lookup table");
}

/* One of the three tables, from its descriptor and its data. */
static bool load_table(struct dcmshim_dataset *ds, unsigned c, bool is_signed,
                       struct pdb_palette *p, struct pdiburn_error **err)
{
    char msg[256];
    uint16_t *d = NULL, *w = NULL;
    size_t nd = 0, nw = 0;
    if (dcmshim_dataset_get_words(ds, TAG_DESCRIPTOR(c), &d, &nd, msg,
                                  sizeof(msg)) != DCMSHIM_OK ||
        nd < 3) {
        free(d);
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "palette colour without a lookup table descriptor");
    }
    unsigned entries = d[0] ? d[0] : 65536u, bits = d[2];
    int first = is_signed ? (int16_t) d[1] : (int) d[1];
    free(d);
    if (c > 0 && (entries != p->entries || first != p->first))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "palette colour tables of different sizes");
    p->entries = entries;
    p->first = first;
    p->lut[c] = malloc(entries);
    if (!p->lut[c])
        return pdb_fail_nomem(err);
    if (dcmshim_dataset_get_words(ds, TAG_DATA(c), &w, &nw, msg, sizeof(msg)) !=
        DCMSHIM_OK)
        return segmented(ds, c, entries, bits, p->lut[c], err);
    /* C.7.6.3.1.6: 8-bit entries are packed, but some writers put one in
     * each word; the data's length tells (as pydicom reads it). */
    to8(w, nw, entries, bits, bits == 8 && nw < entries, p->lut[c]);
    free(w);
    return true;
}

bool pdb_palette_load(struct dcmshim_dataset *ds, bool is_signed,
                      struct pdb_palette *p, struct pdiburn_error **err)
{
    *p = (struct pdb_palette){ 0 };
    for (unsigned c = 0; c < 3; c++)
        if (!load_table(ds, c, is_signed, p, err)) {
            pdb_palette_free(p);
            return false;
        }
    return true;
}

void pdb_palette_apply(const struct pdb_palette *p, const uint16_t *values,
                       bool is_signed, size_t n, uint8_t *rgb)
{
    long last = (long) p->entries - 1;
    for (size_t i = 0; i < n; i++) {
        long v = is_signed ? (int16_t) values[i] : values[i];
        long at = v - p->first;
        at = at < 0 ? 0 : at > last ? last : at;
        for (unsigned c = 0; c < 3; c++)
            rgb[c * n + i] = p->lut[c][at];
    }
}

void pdb_palette_free(struct pdb_palette *p)
{
    for (unsigned c = 0; c < 3; c++)
        free(p->lut[c]);
    *p = (struct pdb_palette){ 0 };
}
