/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pixels of an instance as numbers (PS3.3 C.7.6.3): each frame read
 * as stored, then stored values masked to Bits Stored and sign-extended
 * for Pixel Representation 1, colour as R, G, B planes whatever the
 * Planar Configuration.  Read from what goes on the media: native little
 * endian pixel data straight from the source file where the scan found
 * it (PS3.5 8.1.1, 8.2), anything else through the shim from the source
 * or its re-encoded copy in the spool.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shim_status.h"
#include "image.h"

static bool is_palette(const struct pdb_frames *f)
{
    return strcmp(f->photometric, "PALETTE COLOR") == 0;
}

static bool read_attributes(const struct pdb_instance *inst,
                            struct pdb_frames *f, struct pdiburn_error **err)
{
    struct pdb_geometry g;
    uint16_t stored = 0, rep = 0, planar = 0;
    pdb_instance_geometry(inst, &g);
    pdb_instance_u16(inst, TAG_BITS_STORED, &stored);
    pdb_instance_u16(inst, TAG_PIXEL_REPRESENTATION, &rep);
    pdb_instance_u16(inst, 0x00280006, &planar);
    /* More bits stored than allocated is a broken file: the whole sample
     * is the value then (and masking would shift by a negative count). */
    if (!stored || stored > g.bits_allocated)
        stored = (uint16_t) g.bits_allocated;
    *f = (struct pdb_frames) { .file.fd = -1, .rows = g.rows,
                               .columns = g.columns, .samples = g.samples,
                               .bits_allocated = g.bits_allocated,
                               .bits_stored = stored,
                               .count = g.frames, .is_signed = rep == 1,
                               .planar = planar == 1 };
    pdb_instance_string(inst, TAG_PHOTOMETRIC, f->photometric,
                        sizeof(f->photometric));
    unsigned bits = g.bits_allocated;
    bool gray = g.samples == 1 &&
                (strncmp(f->photometric, "MONOCHROME", 10) == 0 ||
                 is_palette(f));
    bool colour = g.samples == 3 && bits == 8;
    if (!g.rows || !g.columns || !(gray || colour) ||
        (bits != 8 && bits != 16))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "pixels of this kind are not shown (%s, %u bits)",
                        f->photometric, bits);
    return true;
}

/* Native pixel data in little endian sits in the file as the frames
 * want it: no need for DCMTK to load the whole data set.  Big endian and
 * re-encoded instances go through the shim. */
static bool is_direct(const struct pdb_instance *inst,
                      const struct pdb_frames *f)
{
    /* The palette's tables are read from the data set. */
    return !is_palette(f) && inst->action != PDB_ACTION_TRANSCODE &&
           inst->pixels.kind == PDB_PIXELS_NATIVE &&
           strcmp(inst->ts, PDB_TS_EXPLICIT_BE) != 0;
}

static bool open_pixels(const struct pdb_instance *inst, struct pdb_frames *f,
                        struct pdiburn_error **err)
{
    char msg[512];
    f->file.fd = -1;
    f->source = inst->path;
    if (is_direct(inst, f)) {
        f->pixel_offset = inst->pixels.value_offset;
        f->pixel_length = inst->pixels.value_length;
        return pdb_source_file_open(&f->file, inst->path, err);
    }
    const char *path = inst->action == PDB_ACTION_TRANSCODE ? inst->spool
                                                            : inst->path;
    /* Open while the data set lives: DCMTK reads pixels through its name. */
    if (!pdb_source_file_open(&f->file, path, err))
        return false;
    enum dcmshim_status st =
        dcmshim_dataset_load(f->file.name, &f->ds, msg, sizeof(msg));
    if (st != DCMSHIM_OK) {
        pdb_source_file_close(&f->file);
        return pdb_shim_fail(err, st, NULL, msg); /* the caller names it */
    }
    /* Decompression may have changed how colour samples are arranged. */
    uint16_t planar = 0;
    if (dcmshim_dataset_get_u16(f->ds, 0x00280006, &planar))
        f->planar = planar == 1;
    return true;
}

/* A frame as stored, and as values: gray, or RGB (palette colour through
 * a plane of stored values). */
static bool alloc_buffers(struct pdb_frames *f)
{
    size_t pixels = (size_t) f->rows * f->columns;
    bool palette = is_palette(f);
    f->frame_bytes = pixels * f->samples * (f->bits_allocated / 8);
    f->raw = malloc(f->frame_bytes + 1); /* see pdb_frames_read() */
    f->image = (struct pdb_image) { f->rows, f->columns,
                                    palette ? 3 : f->samples, f->is_signed,
                                    NULL, NULL };
    if (palette)
        f->values = malloc(pixels * sizeof(uint16_t));
    if (f->image.samples == 1)
        f->image.gray = malloc(pixels * sizeof(uint16_t));
    else
        f->image.rgb = malloc(pixels * 3);
    return f->raw && (f->image.gray || f->image.rgb) &&
           (!palette || f->values);
}

bool pdb_frames_open(const struct pdb_instance *inst, struct pdb_frames *f,
                     struct pdiburn_error **err)
{
    if (!read_attributes(inst, f, err))
        return false;
    bool ok = open_pixels(inst, f, err) &&
              (!is_palette(f) ||
               pdb_palette_load(f->ds, f->is_signed, &f->palette, err));
    if (ok && !alloc_buffers(f))
        ok = pdb_fail_nomem(err);
    if (!ok)
        pdb_frames_close(f);
    return ok;
}

typedef uint16_t v8u __attribute__((vector_size(16)));
typedef int16_t v8s __attribute__((vector_size(16)));

/* Keeps the low 16 - shift bits of each value, sign-extended from the
 * highest of them when `is_signed`; eight values at a time. */
static void mask16(uint16_t *v, size_t n, unsigned shift, bool is_signed)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        v8u x;
        memcpy(&x, v + i, sizeof(x));
        x <<= shift;
        x = is_signed ? (v8u) ((v8s) x >> shift) : x >> shift;
        memcpy(v + i, &x, sizeof(x));
    }
    for (; i < n; i++) {
        uint16_t x = (uint16_t) (v[i] << shift);
        v[i] = is_signed ? (uint16_t) ((int16_t) x >> shift)
                         : (uint16_t) (x >> shift);
    }
}

/* PS3.3 C.7.6.3.1: only the low Bits Stored bits hold the value; the sign
 * bit is bit Bits Stored - 1. */
static void normalize_gray(struct pdb_frames *f, uint16_t *out)
{
    size_t n = (size_t) f->rows * f->columns;
    if (f->bits_allocated == 8) {
        for (size_t i = 0; i < n; i++)
            out[i] = f->raw[i];
    } else if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
        memcpy(out, f->raw, 2 * n);
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = (uint16_t) (f->raw[2 * i] | f->raw[2 * i + 1] << 8);
    }
    unsigned shift = 16 - f->bits_stored;
    if (shift || f->is_signed)
        mask16(out, n, shift, f->is_signed);
}

static uint8_t clamp8(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t) (v + 0.5);
}

/* YBR_FULL as PS3.3 C.7.6.3.1.2 defines it, back to RGB. */
static void ybr_to_rgb(uint8_t *r, uint8_t *g, uint8_t *b)
{
    double y = *r, cb = *g - 128.0, cr = *b - 128.0;
    *r = clamp8(y + 1.402 * cr);
    *g = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    *b = clamp8(y + 1.772 * cb);
}

static void normalize_colour(struct pdb_frames *f, const char *model)
{
    size_t n = (size_t) f->rows * f->columns;
    uint8_t *r = f->image.rgb, *g = r + n, *b = g + n;
    bool ybr = strncmp(model, "YBR_FULL", 8) == 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = f->planar ? i : 3 * i, step = f->planar ? n : 1;
        r[i] = f->raw[at];
        g[i] = f->raw[at + step];
        b[i] = f->raw[at + 2 * step];
        if (ybr)
            ybr_to_rgb(&r[i], &g[i], &b[i]);
    }
}

/* Frame i of the pixel data read straight from the file; short pixel data
 * is the file's fault, a file shorter than the scan saw is a change. */
static bool read_direct(struct pdb_frames *f, unsigned i,
                        struct pdiburn_error **err)
{
    uint64_t at = (uint64_t) i * f->frame_bytes;
    size_t got = 0;
    if (i >= f->count || at + f->frame_bytes > f->pixel_length)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "'%s': frame %u is not in its pixel data", f->source,
                        i + 1);
    if (!pdb_fs_read_at(f->file.fd, f->raw, f->frame_bytes, f->pixel_offset + at,
                        &got))
        return pdb_fail(err, PDIBURN_E_IO, "reading '%s': %s", f->source,
                        strerror(errno));
    if (got < f->frame_bytes)
        return pdb_fail(err, PDIBURN_E_IO,
                        "'%s' became shorter while the media was being made",
                        f->source);
    return true;
}

bool pdb_frames_read(struct pdb_frames *f, unsigned i,
                     const struct pdb_image **img, struct pdiburn_error **err)
{
    char msg[512], model[17] = "";
    if (!f->ds) {
        if (!read_direct(f, i, err))
            return false;
    } else {
        /* DCMTK wants room for the pad byte after a frame of odd length
         * (an 8-bit image with an odd number of samples). */
        size_t room = f->frame_bytes + (f->frame_bytes & 1);
        enum dcmshim_status st = dcmshim_dataset_native_frame(
            f->ds, i, f->raw, room, model, msg, sizeof(msg));
        if (st != DCMSHIM_OK)
            return pdb_shim_fail(err, st, f->source, msg);
    }
    if (is_palette(f)) {
        normalize_gray(f, f->values);
        pdb_palette_apply(&f->palette, f->values, f->is_signed,
                          (size_t) f->rows * f->columns, f->image.rgb);
    } else if (f->samples == 1) {
        normalize_gray(f, f->image.gray);
    } else {
        normalize_colour(f, model[0] ? model : f->photometric);
    }
    *img = &f->image;
    return true;
}

void pdb_frames_close(struct pdb_frames *f)
{
    dcmshim_dataset_free(f->ds);
    pdb_source_file_close(&f->file);
    free(f->raw);
    free(f->image.gray);
    free(f->image.rgb);
    free(f->values);
    pdb_palette_free(&f->palette);
    memset(f, 0, sizeof(*f));
    f->file.fd = -1;
}
