/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* image.h - the pixels of an instance as values a page or the viewer can
 * use (frames.c), rendered to 8 bits (render.c), as JPEG (jpeg.c). */
#ifndef PDB_IMAGE_H
#define PDB_IMAGE_H

#include "source.h"

/* One frame: grayscale stored values (masked to Bits Stored and sign
 * extended, so int16 when `is_signed`), or RGB as three planes. */
struct pdb_image {
    unsigned rows, columns, samples; /* samples: 1 or 3 */
    bool is_signed;
    uint16_t *gray; /* rows x columns, when samples == 1 */
    uint8_t *rgb;   /* R, G and B planes of rows x columns, else */
};

struct dcmshim_dataset;

/* ---- palette.c: PALETTE COLOR to RGB (PS3.3 C.7.6.3.1.5, C.7.9) ------- */

struct pdb_palette {
    uint8_t *lut[3]; /* R, G, B: `entries` 8-bit values each */
    unsigned entries;
    int first;       /* the stored value of entry 0 */
};

bool pdb_palette_load(struct dcmshim_dataset *ds, bool is_signed,
                      struct pdb_palette *p, struct pdiburn_error **err);
/* n stored values (as frames.c normalises them) to R, G, B planes. */
void pdb_palette_apply(const struct pdb_palette *p, const uint16_t *values,
                       bool is_signed, size_t n, uint8_t *rgb);
void pdb_palette_free(struct pdb_palette *p);

struct pdb_frames {
    struct dcmshim_dataset *ds;  /* NULL when read directly */
    struct pdb_source_file file; /* the source or spool file, open */
    uint64_t pixel_offset, pixel_length; /* of native pixel data */
    const char *source; /* the instance's file, for messages (borrowed) */
    unsigned rows, columns, samples, bits_allocated, bits_stored;
    unsigned count;
    bool is_signed, planar;
    char photometric[17];
    struct pdb_palette palette; /* PALETTE COLOR: its tables, else none */
    uint16_t *values; /* PALETTE COLOR: one frame's stored values */
    uint8_t *raw;     /* one frame as stored */
    size_t frame_bytes;
    struct pdb_image image;
};

/* Opens the pixels of an instance as planned (the spool copy when it was
 * re-encoded).  PALETTE COLOR comes out as RGB (image.samples 3).
 * PDIBURN_E_DICOM when they are of a kind pages and the viewer do not
 * show (32 bits, no pixel data, a palette without its tables). */
bool pdb_frames_open(const struct pdb_instance *inst, struct pdb_frames *f,
                     struct pdiburn_error **err);
/* Frame i; the image stays valid until the next call. */
bool pdb_frames_read(struct pdb_frames *f, unsigned i,
                     const struct pdb_image **img, struct pdiburn_error **err);
void pdb_frames_close(struct pdb_frames *f);

/* ---- render.c: the display rules of viewer-bundle/PROTOCOL.md ----------- */

struct pdb_display {
    double slope, intercept;
    bool windows_on_stored;   /* MR, PT, NM, XA, RF: BIR 5.4 */
    bool monochrome1;
    double center, width;     /* the window used */
};

/* The window and rescale of an instance: its first VOI window, else CT
 * soft tissue, else the range of `img`. */
void pdb_render_display_of(const struct pdb_instance *inst,
                           const struct pdb_image *img, struct pdb_display *d);
/* 8-bit presentation values: rows x columns gray, or interleaved RGB. */
void pdb_render(const struct pdb_image *img, const struct pdb_display *d,
                uint8_t *out);
/* Box-filtered copy no larger than `max` pixels on either side. */
void pdb_render_shrink(const uint8_t *in, unsigned w, unsigned h,
                       unsigned comps, unsigned max, uint8_t *out,
                       unsigned *ow, unsigned *oh);

/* ---- jpeg.c ------------------------------------------------------------- */

/* Baseline JPEG of 8-bit gray (comps 1) or interleaved RGB (comps 3). */
bool pdb_jpeg_encode(const uint8_t *pixels, unsigned w, unsigned h,
                     unsigned comps, int quality, uint8_t **out, size_t *len,
                     struct pdiburn_error **err);
/* The rendering of `img` through `d` as a JPEG, shrunk to `max` pixels on
 * either side when max > 0. */
bool pdb_jpeg_render(const struct pdb_image *img, const struct pdb_display *d,
                     unsigned max, int quality, uint8_t **out, size_t *len,
                     struct pdiburn_error **err);

#endif
