/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Baseline JPEG (ISO/IEC 10918-1) with libjpeg-turbo, the only file that
 * knows it: renderings for the IHE PDI pages, thumbnails, lossy previews.
 * libjpeg reports errors by calling a handler that must not return; ours
 * jumps back here.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h> /* jpeglib.h needs FILE and size_t first */
#include <stdlib.h>

#include <jpeglib.h>

#include "image.h"

struct jpeg_failure {
    struct jpeg_error_mgr base;
    jmp_buf back;
    char message[JMSG_LENGTH_MAX];
};

static void on_error(j_common_ptr cinfo)
{
    struct jpeg_failure *f = (struct jpeg_failure *) cinfo->err;
    cinfo->err->format_message(cinfo, f->message);
    longjmp(f->back, 1);
}

static void on_message(j_common_ptr cinfo, int level)
{
    (void) cinfo;
    (void) level; /* warnings and traces stay quiet */
}

bool pdb_jpeg_encode(const uint8_t *pixels, unsigned w, unsigned h,
                     unsigned comps, int quality, uint8_t **out, size_t *len,
                     struct pdiburn_error **err)
{
    struct jpeg_compress_struct c;
    struct jpeg_failure fail;
    unsigned char *mem = NULL;
    unsigned long size = 0;
    c.err = jpeg_std_error(&fail.base);
    fail.base.error_exit = on_error;
    fail.base.emit_message = on_message;
    if (setjmp(fail.back)) {
        jpeg_destroy_compress(&c);
        free(mem);
        return pdb_fail(err, PDIBURN_E_INTERNAL, "JPEG encoding: %s",
                        fail.message);
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = (int) comps;
    c.in_color_space = comps == 3 ? JCS_RGB : JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < h) {
        JSAMPROW row = (JSAMPROW) (pixels + (size_t) c.next_scanline * w * comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *out = mem;
    *len = size;
    return true;
}

bool pdb_jpeg_render(const struct pdb_image *img, const struct pdb_display *d,
                     unsigned max, int quality, uint8_t **out, size_t *len,
                     struct pdiburn_error **err)
{
    size_t n = (size_t) img->rows * img->columns * img->samples;
    unsigned w = img->columns, h = img->rows;
    bool shrink = max && (w > max || h > max); /* else a copy */
    uint8_t *pix = malloc(n), *small = shrink ? malloc(n) : NULL;
    bool ok = pix && (!shrink || small);
    if (ok) {
        pdb_render(img, d, pix);
        if (shrink)
            pdb_render_shrink(pix, img->columns, img->rows, img->samples, max,
                              small, &w, &h);
        ok = pdb_jpeg_encode(shrink ? small : pix, w, h, img->samples,
                             quality, out, len, err);
    } else {
        pdb_fail_nomem(err);
    }
    free(pix);
    free(small);
    return ok;
}
