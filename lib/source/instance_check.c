/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a scanned instance must be before anything is planned for it, so
 * that a fault of the source is named as the source file (exit 3) and
 * never surfaces later as a difference on the media: identifying UIDs in
 * the data set itself (PS3.3 C.12.1, PS3.5 9.1), one transfer syntax in
 * the meta information (PS3.10 7.1), pixel data as long as the Image Pixel
 * attributes say (PS3.3 C.7.6.3, PS3.5 8.1.1), sane Bits Stored.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "source.h"
#include "transfer_syntax.h"

/* PS3.5 9.1: digits and dots, at most 64 characters.  Leading zeros,
 * which some archives do carry, are let through. */
static bool uid_chars(const char *v, size_t len)
{
    if (len == 0 || len > PDB_UID_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if ((v[i] < '0' || v[i] > '9') && v[i] != '.')
            return false;
    return true;
}

static bool check_uid(const struct pdb_instance *inst, uint32_t tag,
                      const char *name, struct pdiburn_error **err)
{
    struct pdb_elem e;
    char text[2 * PDB_UID_MAX + 2] = "";
    if (!pdb_elem_find(inst->keys, inst->keys_len, PDB_EXPLICIT_LE, tag, &e))
        return pdb_fail(err, PDIBURN_E_DICOM, "no %s in its data set", name);
    bool fits = pdb_elem_string(&e, text, sizeof(text));
    if (fits && !text[0])
        return pdb_fail(err, PDIBURN_E_DICOM, "an empty %s in its data set",
                        name);
    if (fits && uid_chars(text, strlen(text)))
        return true;
    return pdb_fail(err, PDIBURN_E_DICOM,
                    "its %s ('%.80s', %u bytes) is not a UID: at most 64 "
                    "digits and dots (PS3.5 9.1)",
                    name, text, e.len);
}

static bool check_uids(const struct pdb_instance *inst,
                       struct pdiburn_error **err)
{
    return check_uid(inst, TAG_SOP_CLASS, "SOP Class UID", err) &&
           check_uid(inst, TAG_SOP_INSTANCE, "SOP Instance UID", err) &&
           check_uid(inst, TAG_STUDY_UID, "Study Instance UID", err) &&
           check_uid(inst, TAG_SERIES_UID, "Series Instance UID", err);
}

/* One transfer syntax UID; one we do not know stays the instance's, so
 * that the plan leaves it out (or stops) instead of copying a file whose
 * encoding it cannot vouch for. */
static bool check_meta_ts(struct pdb_instance *inst, const struct pdb_walked_head *h,
                          struct pdiburn_error **err)
{
    if (!h->has_meta)
        return true;
    const char *ts = h->meta_ts;
    if (!h->meta_ts_present || !ts[0])
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "its meta information has %s Transfer Syntax UID",
                        h->meta_ts_present ? "an empty" : "no");
    if (strchr(ts, '\\'))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "its meta information has several Transfer Syntax "
                        "UIDs ('%s'), where PS3.10 7.1 allows one",
                        ts);
    if (!uid_chars(ts, strlen(ts)))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "its meta information's Transfer Syntax UID ('%s', %u "
                        "bytes) is not a UID",
                        ts, h->meta_ts_len);
    if (pdb_ts_kind(ts) == PDB_TS_UNSUPPORTED)
        snprintf(inst->ts, sizeof(inst->ts), "%s", ts);
    return true;
}

static bool check_frames(const struct pdb_instance *inst,
                         struct pdiburn_error **err)
{
    char text[32] = "";
    long frames = 0;
    if (!pdb_instance_string(inst, TAG_NUMBER_OF_FRAMES, text, sizeof(text)) ||
        !text[0])
        return true;
    if (pdb_instance_int(inst, TAG_NUMBER_OF_FRAMES, &frames) && frames > 0 &&
        frames <= INT32_MAX)
        return true;
    return pdb_fail(err, PDIBURN_E_DICOM,
                    "Number of Frames '%s' is not a number of frames", text);
}

static bool check_bits(const struct pdb_instance *inst,
                       struct pdiburn_error **err)
{
    uint16_t allocated = 0, stored = 0;
    if (inst->pixels.kind == PDB_PIXELS_NONE ||
        !pdb_instance_u16(inst, TAG_BITS_ALLOCATED, &allocated) ||
        !pdb_instance_u16(inst, TAG_BITS_STORED, &stored))
        return true;
    if (stored >= 1 && stored <= allocated)
        return true;
    return pdb_fail(err, PDIBURN_E_DICOM,
                    "Bits Stored %u does not fit Bits Allocated %u "
                    "(PS3.3 C.7.6.3.1)",
                    stored, allocated);
}

/* Bytes the native pixel data must hold; false when it overflows. */
static bool native_need(const struct pdb_geometry *g, uint64_t *need)
{
    uint64_t bits;
    if (__builtin_mul_overflow((uint64_t) g->rows, g->columns, &bits) ||
        __builtin_mul_overflow(bits, (uint64_t) g->samples, &bits) ||
        __builtin_mul_overflow(bits, (uint64_t) g->frames, &bits) ||
        __builtin_mul_overflow(bits, (uint64_t) g->bits_allocated, &bits))
        return false;
    *need = bits / 8 + (bits % 8 != 0);
    return true;
}

static bool check_pixel_length(const struct pdb_instance *inst,
                               struct pdiburn_error **err)
{
    struct pdb_geometry g;
    pdb_instance_geometry(inst, &g);
    const struct pdb_pixels *px = &inst->pixels;
    /* PS3.5 A.4: a frame takes one fragment or more, except in video. */
    enum pdb_ts_kind kind = pdb_ts_kind(inst->ts);
    bool image_codec = kind == PDB_TS_DCMTK || kind == PDB_TS_J2K;
    if (px->kind == PDB_PIXELS_ENCAPSULATED && image_codec &&
        g.frames > px->fragments)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "Number of Frames is %u, but the compressed pixel "
                        "data holds %llu fragment(s)",
                        g.frames, (unsigned long long) px->fragments);
    uint64_t need = UINT64_MAX;
    if (px->kind != PDB_PIXELS_NATIVE || !g.rows || !g.columns ||
        !g.bits_allocated)
        return true;
    if (native_need(&g, &need) && px->value_length >= need)
        return true;
    return pdb_fail(err, PDIBURN_E_DICOM,
                    "its pixel data holds %llu bytes, fewer than Rows %u x "
                    "Columns %u x Samples %u x Frames %u x Bits Allocated %u "
                    "need",
                    (unsigned long long) px->value_length, g.rows, g.columns,
                    g.samples, g.frames, g.bits_allocated);
}

bool pdb_instance_check(struct pdb_instance *inst, const struct pdb_walked_head *head,
                        struct pdiburn_error **err)
{
    return check_uids(inst, err) && check_meta_ts(inst, head, err) &&
           check_frames(inst, err) && check_bits(inst, err) &&
           check_pixel_length(inst, err);
}
