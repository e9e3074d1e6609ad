/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pixels of an instance as numbers (PS3.3 C.7.6.3): each frame read
 * natively through the shim, then stored values masked to Bits Stored and
 * sign-extended for Pixel Representation 1, colour as R, G, B planes
 * whatever the Planar Configuration.  Read from what goes on the media:
 * the source, or its re-encoded copy in the spool.
 */
#include <stdlib.h>
#include <string.h>

#include "shim_status.h"
#include "image.h"

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
    *f = (struct pdb_frames) { .rows = g.rows, .columns = g.columns,
                               .samples = g.samples,
                               .bits_allocated = g.bits_allocated,
                               .bits_stored = stored,
                               .count = g.frames, .is_signed = rep == 1,
                               .planar = planar == 1 };
    pdb_instance_string(inst, TAG_PHOTOMETRIC, f->photometric,
                        sizeof(f->photometric));
    unsigned bits = g.bits_allocated;
    bool gray = g.samples == 1 &&
                strncmp(f->photometric, "MONOCHROME", 10) == 0;
    bool colour = g.samples == 3 && bits == 8;
    if (!g.rows || !g.columns || !(gray || colour) ||
        (bits != 8 && bits != 16))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "pixels of this kind are not shown (%s, %u bits)",
                        f->photometric, bits);
    return true;
}

bool pdb_frames_open(const struct pdb_instance *inst, struct pdb_frames *f,
                     struct pdiburn_error **err)
{
    char msg[512];
    if (!read_attributes(inst, f, err))
        return false;
    f->file.fd = -1;
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
    f->source = inst->path;
    /* Decompression may have changed how colour samples are arranged. */
    uint16_t planar = 0;
    if (dcmshim_dataset_get_u16(f->ds, 0x00280006, &planar))
        f->planar = planar == 1;
    size_t pixels = (size_t) f->rows * f->columns;
    f->frame_bytes = pixels * f->samples * (f->bits_allocated / 8);
    f->raw = malloc(f->frame_bytes + 1); /* see pdb_frames_read() */
    f->image = (struct pdb_image) { f->rows, f->columns, f->samples,
                                    f->is_signed, NULL, NULL };
    if (f->samples == 1)
        f->image.gray = malloc(pixels * sizeof(uint16_t));
    else
        f->image.rgb = malloc(pixels * 3);
    if (!f->raw || (!f->image.gray && !f->image.rgb)) {
        pdb_frames_close(f);
        return pdb_fail_nomem(err);
    }
    return true;
}

/* PS3.3 C.7.6.3.1: only the low Bits Stored bits hold the value; the sign
 * bit is bit Bits Stored - 1. */
static void normalize_gray(struct pdb_frames *f)
{
    size_t n = (size_t) f->rows * f->columns;
    unsigned shift = 16 - f->bits_stored;
    for (size_t i = 0; i < n; i++) {
        uint16_t v = f->bits_allocated == 8
                         ? f->raw[i]
                         : (uint16_t) (f->raw[2 * i] | f->raw[2 * i + 1] << 8);
        v = (uint16_t) (v << shift);
        f->image.gray[i] = f->is_signed ? (uint16_t) ((int16_t) v >> shift)
                                        : (uint16_t) (v >> shift);
    }
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

bool pdb_frames_read(struct pdb_frames *f, unsigned i,
                     const struct pdb_image **img, struct pdiburn_error **err)
{
    char msg[512], model[17] = "";
    /* DCMTK wants room for the pad byte after a frame of odd length (an
     * 8-bit image with an odd number of samples). */
    size_t room = f->frame_bytes + (f->frame_bytes & 1);
    enum dcmshim_status st = dcmshim_dataset_native_frame(
        f->ds, i, f->raw, room, model, msg, sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, f->source, msg);
    if (f->samples == 1)
        normalize_gray(f);
    else
        normalize_colour(f, model[0] ? model : f->photometric);
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
    memset(f, 0, sizeof(*f));
    f->file.fd = -1;
}
