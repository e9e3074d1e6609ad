/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JPEG 2000 frames (PS3.5 A.4.4, also HTJ2K) decoded with OpenJPEG, which
 * the free DCMTK lacks.  The only file that knows OpenJPEG.  Output is
 * native pixel data as DICOM stores it: samples interleaved, little
 * endian, 8 or 16 bits allocated, exactly rows x columns x samples.
 */
#include <openjpeg.h>
#include <stdlib.h>
#include <string.h>

#include "j2k.h"

struct mem_source {
    const uint8_t *data;
    size_t len, pos;
};

static OPJ_SIZE_T mem_read(void *buf, OPJ_SIZE_T n, void *user)
{
    struct mem_source *m = user;
    if (m->pos >= m->len)
        return (OPJ_SIZE_T) -1;
    size_t left = m->len - m->pos;
    size_t take = n < left ? n : left;
    memcpy(buf, m->data + m->pos, take);
    m->pos += take;
    return take;
}

static OPJ_OFF_T mem_skip(OPJ_OFF_T n, void *user)
{
    struct mem_source *m = user;
    if (n < 0 || (size_t) n > m->len - m->pos)
        return -1;
    m->pos += (size_t) n;
    return n;
}

static OPJ_BOOL mem_seek(OPJ_OFF_T n, void *user)
{
    struct mem_source *m = user;
    if (n < 0 || (size_t) n > m->len)
        return OPJ_FALSE;
    m->pos = (size_t) n;
    return OPJ_TRUE;
}

static void quiet(const char *msg, void *user)
{
    (void) msg;
    (void) user;
}

static opj_stream_t *open_stream(struct mem_source *src)
{
    opj_stream_t *s = opj_stream_create(65536, OPJ_TRUE);
    if (!s)
        return NULL;
    opj_stream_set_user_data(s, src, NULL);
    opj_stream_set_user_data_length(s, src->len);
    opj_stream_set_read_function(s, mem_read);
    opj_stream_set_skip_function(s, mem_skip);
    opj_stream_set_seek_function(s, mem_seek);
    return s;
}

/* A JP2 file starts with its signature box; DICOM should hold bare
 * codestreams, but some writers wrap them. */
static OPJ_CODEC_FORMAT format_of(const uint8_t *data, size_t len)
{
    static const uint8_t jp2[] = { 0, 0, 0, 12, 'j', 'P', ' ', ' ' };
    if (len >= sizeof(jp2) && memcmp(data, jp2, sizeof(jp2)) == 0)
        return OPJ_CODEC_JP2;
    return OPJ_CODEC_J2K;
}

static opj_image_t *decode_image(const uint8_t *data, size_t len)
{
    struct mem_source src = { data, len, 0 };
    opj_codec_t *codec = opj_create_decompress(format_of(data, len));
    opj_stream_t *stream = codec ? open_stream(&src) : NULL;
    opj_image_t *image = NULL;
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    bool ok = stream && opj_setup_decoder(codec, &params);
    if (ok) {
        opj_set_info_handler(codec, quiet, NULL);
        opj_set_warning_handler(codec, quiet, NULL);
        opj_set_error_handler(codec, quiet, NULL);
        ok = opj_read_header(stream, codec, &image) &&
             opj_decode(codec, stream, image) &&
             opj_end_decompress(codec, stream);
    }
    if (!ok && image) {
        opj_image_destroy(image);
        image = NULL;
    }
    if (stream)
        opj_stream_destroy(stream);
    if (codec)
        opj_destroy_codec(codec);
    return image;
}

static bool image_matches(const opj_image_t *img, const struct pdb_j2k_frame *f)
{
    if (img->numcomps != f->samples)
        return false;
    for (unsigned c = 0; c < img->numcomps; c++) {
        const opj_image_comp_t *comp = &img->comps[c];
        if (comp->w != f->columns || comp->h != f->rows || comp->dx != 1 ||
            comp->dy != 1 || comp->prec > f->bits_allocated || !comp->data)
            return false;
    }
    return true;
}

static void store_samples(const opj_image_t *img,
                          const struct pdb_j2k_frame *f, uint8_t *out)
{
    size_t pixels = (size_t) f->rows * f->columns;
    for (unsigned c = 0; c < f->samples; c++) {
        const OPJ_INT32 *src = img->comps[c].data;
        for (size_t i = 0; i < pixels; i++) {
            size_t at = i * f->samples + c;
            uint32_t v = (uint32_t) src[i];
            if (f->bits_allocated > 8) {
                out[2 * at] = (uint8_t) v;
                out[2 * at + 1] = (uint8_t) (v >> 8);
            } else {
                out[at] = (uint8_t) v;
            }
        }
    }
}

bool pdb_j2k_decode(const uint8_t *data, size_t len,
                    const struct pdb_j2k_frame *frame, uint8_t *out,
                    struct pdiburn_error **err)
{
    opj_image_t *img = decode_image(data, len);
    if (!img)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "JPEG 2000 frame could not be decoded");
    bool ok = image_matches(img, frame);
    if (ok)
        store_samples(img, frame, out);
    opj_image_destroy(img);
    if (!ok)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "JPEG 2000 frame does not match the image attributes "
                        "(%ux%u, %u samples, %u bits)",
                        frame->columns, frame->rows, frame->samples,
                        frame->bits_allocated);
    return true;
}
