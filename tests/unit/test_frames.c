/* Unit tests for lib/image/frames.c: the stored values of a frame, which
 * every page JPEG and every lossless viewer frame is made from.  Small
 * Part 10 files are written here with known pixel bytes, then read back:
 * Bits Stored masking and sign extension (PS3.3 C.7.6.3.1), colour as
 * R, G, B planes from either Planar Configuration, YBR_FULL to RGB, frames
 * of a multi-frame image, and the kinds of pixels that are refused.  Every
 * test runs twice: with the pixel data where the scan would have found it
 * (read straight from the file) and without (read through DCMTK). */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "fixtures.h"
#include "image.h"

static char *dir;
static bool located; /* the instances say where their pixel data is */

/* The Image Pixel attributes of a test file; 0 leaves one out. */
struct spec {
    unsigned samples;
    const char *photometric;
    int planar; /* -1: absent */
    unsigned frames, rows, columns, bits_allocated, bits_stored;
    unsigned pixel_rep;
    const void *pixels;
    size_t len;
};

static int setup(void **state)
{
    (void) state;
    dcmshim_init();
    dir = fx_temp_dir();
    return 0;
}

static int through_dcmtk(void **state)
{
    (void) state;
    located = false;
    return 0;
}

static int read_directly(void **state)
{
    (void) state;
    located = true;
    return 0;
}

/* Each test in both ways. */
#define BOTH(t)                                                              \
    { #t, t, through_dcmtk, NULL, NULL },                                    \
    {                                                                        \
        #t " (read directly)", t, read_directly, NULL, NULL                  \
    }

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    free(dir);
    return 0;
}

static void put_us_if(struct pdb_buf *b, uint32_t tag, unsigned v)
{
    if (v)
        pdb_elem_put_us(b, tag, (uint16_t) v);
}

/* Meta, SOP UIDs, Image Pixel module, Pixel Data: Explicit VR LE. */
static uint8_t *part10(const struct spec *s, size_t *len)
{
    struct pdb_buf b = { 0 };
    char text[16];
    pdb_elem_put_meta(&b, "1.2.840.10008.5.1.4.1.1.7", "2.25.7",
                      PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7");
    pdb_elem_put_str(&b, 0x00080018, "UI", "2.25.7");
    put_us_if(&b, TAG_SAMPLES_PER_PIXEL, s->samples);
    pdb_elem_put_str(&b, TAG_PHOTOMETRIC, "CS", s->photometric);
    if (s->planar >= 0)
        pdb_elem_put_us(&b, 0x00280006, (uint16_t) s->planar);
    snprintf(text, sizeof(text), "%u", s->frames);
    if (s->frames)
        pdb_elem_put_str(&b, TAG_NUMBER_OF_FRAMES, "IS", text);
    put_us_if(&b, TAG_ROWS, s->rows);
    put_us_if(&b, TAG_COLUMNS, s->columns);
    put_us_if(&b, TAG_BITS_ALLOCATED, s->bits_allocated);
    put_us_if(&b, TAG_BITS_STORED, s->bits_stored);
    put_us_if(&b, 0x00280102, s->bits_stored ? s->bits_stored - 1 : 0);
    pdb_elem_put_us(&b, TAG_PIXEL_REPRESENTATION, (uint16_t) s->pixel_rep);
    pdb_elem_put(&b, TAG_PIXEL_DATA, s->bits_allocated == 16 ? "OW" : "OB",
                 s->pixels, s->len);
    return pdb_buf_steal(&b, len);
}

/* The keys the scanner would have kept of that file. */
static struct pdb_instance *instance(const struct spec *s, const char *path)
{
    uint32_t tags[10];
    char text[9][24];
    const char *values[9];
    size_t n = 0;
    const uint32_t all[] = { TAG_SAMPLES_PER_PIXEL, TAG_PHOTOMETRIC,
                             0x00280006, TAG_NUMBER_OF_FRAMES, TAG_ROWS,
                             TAG_COLUMNS, TAG_BITS_ALLOCATED, TAG_BITS_STORED,
                             TAG_PIXEL_REPRESENTATION };
    const int v[] = { (int) s->samples, 0, s->planar, (int) s->frames,
                      (int) s->rows, (int) s->columns,
                      (int) s->bits_allocated, (int) s->bits_stored,
                      (int) s->pixel_rep };
    for (size_t i = 0; i < 9; i++) {
        if (all[i] == TAG_PHOTOMETRIC)
            snprintf(text[n], sizeof(text[n]), "%s", s->photometric);
        else if (v[i] > 0 || all[i] == TAG_PIXEL_REPRESENTATION)
            snprintf(text[n], sizeof(text[n]), "%d", v[i]);
        else
            continue;
        tags[n] = all[i];
        values[n] = text[n];
        n++;
    }
    tags[n] = 0;
    return fx_instance(path, tags, values);
}

/* Writes the file and returns its instance. */
static struct pdb_instance *make(const struct spec *s, const char *name)
{
    size_t len;
    uint8_t *bytes = part10(s, &len);
    char *path = fx_write_file(dir, name, bytes, len);
    struct pdb_instance *inst = instance(s, path);
    if (located) { /* Pixel Data is the last element, padded to even */
        size_t value = s->len + (s->len & 1);
        inst->pixels = (struct pdb_pixels) { PDB_PIXELS_NATIVE, "OB",
                                             len - value - 12, len - value,
                                             value, len, 0 };
    }
    free(bytes);
    free(path);
    return inst;
}

/* Opens `s` and reads frame `i`, which must work. */
static const struct pdb_image *read_frame(const struct spec *s,
                                          struct pdb_frames *f, unsigned i,
                                          struct pdb_instance **inst)
{
    const struct pdb_image *img = NULL;
    *inst = make(s, "IMG");
    assert_true(pdb_frames_open(*inst, f, NULL));
    assert_int_equal(f->ds == NULL, located); /* the way this run tests */
    struct pdiburn_error *e = NULL;
    if (!pdb_frames_read(f, i, &img, &e))
        fail_msg("%s", pdiburn_error_message(e));
    return img;
}

static void done(struct pdb_frames *f, struct pdb_instance *inst)
{
    pdb_frames_close(f);
    pdb_instance_free(inst);
}

static void gray_spec(struct spec *s, unsigned bits, unsigned stored,
                      unsigned rep, const void *pixels, size_t len)
{
    *s = (struct spec) { 1, "MONOCHROME2", -1, 0, 1,
                         (unsigned) (8 * len / bits), bits, stored, rep,
                         pixels, len };
}

/* Bits above Bits Stored (overlays, garbage) are not part of the value. */
static void unsigned_values_are_masked(void **state)
{
    (void) state;
    const uint16_t raw[] = { 0xF123, 0x0FFF, 0x1000, 0x0000 };
    const uint16_t want[] = { 0x0123, 0x0FFF, 0x0000, 0x0000 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 16, 12, 0, raw, sizeof(raw));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_int_equal(img->rows, 1);
    assert_int_equal(img->columns, 4);
    assert_false(img->is_signed);
    assert_memory_equal(img->gray, want, sizeof(want));
    done(&f, inst);
}

/* Pixel Representation 1: bit Bits Stored - 1 is the sign. */
static void signed_values_are_sign_extended(void **state)
{
    (void) state;
    const uint16_t raw[] = { 0x0800, 0x07FF, 0xFFFF, 0xF001 };
    const int16_t want[] = { -2048, 2047, -1, 1 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 16, 12, 1, raw, sizeof(raw));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_true(img->is_signed);
    for (int i = 0; i < 4; i++)
        assert_int_equal((int16_t) img->gray[i], want[i]);
    done(&f, inst);
}

static void full_sixteen_bits(void **state)
{
    (void) state;
    const uint16_t raw[] = { 0x8000, 0x7FFF, 0xFFFF, 0x0000 };
    const int16_t want_signed[] = { -32768, 32767, -1, 0 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 16, 16, 1, raw, sizeof(raw));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    for (int i = 0; i < 4; i++)
        assert_int_equal((int16_t) img->gray[i], want_signed[i]);
    done(&f, inst);
    gray_spec(&s, 16, 16, 0, raw, sizeof(raw));
    img = read_frame(&s, &f, 0, &inst);
    assert_memory_equal(img->gray, raw, sizeof(raw));
    done(&f, inst);
}

/* Bits Stored larger than Bits Allocated (broken files exist) cannot mean
 * more bits than there are: the whole sample is the value. */
static void bits_stored_beyond_allocated(void **state)
{
    (void) state;
    const uint16_t raw[] = { 0x8001, 0x7FFF };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 16, 20, 1, raw, sizeof(raw));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_int_equal((int16_t) img->gray[0], -32767);
    assert_int_equal((int16_t) img->gray[1], 32767);
    done(&f, inst);
    const uint8_t bytes[] = { 0x81, 0x7F };
    gray_spec(&s, 8, 12, 0, bytes, sizeof(bytes));
    img = read_frame(&s, &f, 0, &inst);
    assert_int_equal(img->gray[0], 0x81);
    assert_int_equal(img->gray[1], 0x7F);
    done(&f, inst);
}

/* 8 bits allocated, 7 stored, signed: 0x40 is -64, bit 7 is not data. */
static void eight_bit_values(void **state)
{
    (void) state;
    const uint8_t raw[] = { 0x40, 0x80, 0x3F, 0x7F };
    const int16_t want[] = { -64, 0, 63, -1 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 8, 7, 1, raw, sizeof(raw));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    for (int i = 0; i < 4; i++)
        assert_int_equal((int16_t) img->gray[i], want[i]);
    done(&f, inst);
    const uint8_t full[] = { 0, 255, 128, 1 };
    const uint16_t want_u[] = { 0, 255, 128, 1 };
    gray_spec(&s, 8, 8, 0, full, sizeof(full));
    img = read_frame(&s, &f, 0, &inst);
    assert_memory_equal(img->gray, want_u, sizeof(want_u));
    done(&f, inst);
}

static void colour_spec(struct spec *s, const char *model, int planar,
                        const uint8_t *pixels, size_t len)
{
    *s = (struct spec) { 3, model, planar, 0, 1, (unsigned) (len / 3), 8, 8,
                         0, pixels, len };
}

/* Both Planar Configurations end as the same R, G and B planes. */
static void rgb_either_planar_configuration(void **state)
{
    (void) state;
    const uint8_t interleaved[] = { 1, 2, 3, 4, 5, 6 };
    const uint8_t by_plane[] = { 1, 4, 2, 5, 3, 6 };
    const uint8_t want[] = { 1, 4, /* R */ 2, 5, /* G */ 3, 6 /* B */ };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    colour_spec(&s, "RGB", 0, interleaved, sizeof(interleaved));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_int_equal(img->samples, 3);
    assert_memory_equal(img->rgb, want, sizeof(want));
    done(&f, inst);
    colour_spec(&s, "RGB", 1, by_plane, sizeof(by_plane));
    img = read_frame(&s, &f, 0, &inst);
    assert_memory_equal(img->rgb, want, sizeof(want));
    done(&f, inst);
}

/* YBR_FULL (PS3.3 C.7.6.3.1.2) back to RGB, rounded and clamped:
 * (100, 128, 228): R = 100 + 1.402 * 100 = 240.2, G = 100 - 0.714136 *
 * 100 = 28.59, B = 100; (76, 85, 255): R = 76 + 1.402 * 127 = 254.05,
 * G = 76 + 0.344136 * 43 - 0.714136 * 127 = 0.10, B = 76 - 1.772 * 43 =
 * -0.20 (clamped to 0). */
static void ybr_full_becomes_rgb(void **state)
{
    (void) state;
    const uint8_t ybr[] = { 128, 128, 128, 100, 128, 228, 76, 85, 255 };
    const uint8_t want[] = { 128, 240, 254, /* R */ 128, 29, 0, /* G */
                             128, 100, 0 /* B */ };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    colour_spec(&s, "YBR_FULL", 0, ybr, sizeof(ybr));
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_memory_equal(img->rgb, want, sizeof(want));
    done(&f, inst);
}

/* Frame i of a multi-frame image, in any order. */
static void frames_of_a_multiframe_image(void **state)
{
    (void) state;
    const uint16_t raw[] = { 1, 2, 3, 4, 5, 6 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 16, 16, 0, raw, sizeof(raw));
    s.frames = 3;
    s.columns = 2;
    const struct pdb_image *img = read_frame(&s, &f, 2, &inst);
    assert_int_equal(f.count, 3);
    assert_int_equal(img->gray[0], 5);
    assert_int_equal(img->gray[1], 6);
    assert_true(pdb_frames_read(&f, 0, &img, NULL));
    assert_int_equal(img->gray[0], 1);
    assert_int_equal(img->gray[1], 2);
    struct pdiburn_error *err = NULL;
    assert_false(pdb_frames_read(&f, 3, &img, &err));
    fx_expect_error(err, PDIBURN_E_DICOM, inst->path);
    done(&f, inst);
}

/* Frames of odd length (8 bits, odd samples): DCMTK wants room for a pad
 * byte, and frame 1 starts right after frame 0's three bytes. */
static void odd_length_frames(void **state)
{
    (void) state;
    const uint8_t raw[] = { 10, 20, 30, 40, 50, 60 };
    struct spec s;
    struct pdb_frames f;
    struct pdb_instance *inst;
    gray_spec(&s, 8, 8, 0, raw, 3);
    const struct pdb_image *img = read_frame(&s, &f, 0, &inst);
    assert_int_equal(img->gray[2], 30);
    done(&f, inst);
    gray_spec(&s, 8, 8, 0, raw, sizeof(raw));
    s.frames = 2;
    s.columns = 3;
    img = read_frame(&s, &f, 1, &inst);
    assert_int_equal(img->gray[0], 40);
    assert_int_equal(img->gray[2], 60);
    done(&f, inst);
    colour_spec(&s, "RGB", 0, raw, 3);
    img = read_frame(&s, &f, 0, &inst);
    assert_memory_equal(img->rgb, raw, 3);
    done(&f, inst);
}

/* A re-encoded instance is read from its spool copy, not the source. */
static void transcoded_instances_read_the_spool(void **state)
{
    (void) state;
    const uint16_t raw[] = { 7, 8 };
    struct spec s;
    gray_spec(&s, 16, 16, 0, raw, sizeof(raw));
    struct pdb_instance *inst = make(&s, "SPOOLED");
    inst->spool = inst->path;
    inst->path = strdup("/nonexistent/source");
    inst->action = PDB_ACTION_TRANSCODE;
    struct pdb_frames f;
    const struct pdb_image *img;
    assert_true(pdb_frames_open(inst, &f, NULL));
    assert_string_equal(f.source, "/nonexistent/source");
    assert_true(pdb_frames_read(&f, 0, &img, NULL));
    assert_int_equal(img->gray[1], 8);
    done(&f, inst);
}

static void refused(const struct spec *s, const char *why)
{
    struct pdb_instance *inst = make(s, "REFUSED");
    struct pdb_frames f;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_frames_open(inst, &f, &err));
    fx_expect_error(err, PDIBURN_E_DICOM, why);
    pdb_instance_free(inst);
}

/* Kinds the pages and the viewer do not show are errors, not garbage. */
static void unsupported_pixels_are_refused(void **state)
{
    (void) state;
    const uint8_t px[16] = { 0 };
    struct spec s;
    gray_spec(&s, 8, 8, 0, px, 4);
    s.photometric = "PALETTE COLOR"; /* shown, but not without its tables */
    refused(&s, "palette colour without a lookup table descriptor");
    gray_spec(&s, 16, 12, 0, px, 16);
    s.bits_allocated = 32;
    s.columns = 2;
    refused(&s, "(MONOCHROME2, 32 bits)");
    gray_spec(&s, 8, 8, 0, px, 4);
    s.rows = 0;
    refused(&s, "not shown");
    colour_spec(&s, "RGB", 0, px, 12);
    s.bits_allocated = 16;
    s.bits_stored = 16;
    s.columns = 2;
    refused(&s, "(RGB, 16 bits)");
}

/* Unreadable files and pixel data shorter than the frame fail. */
static void broken_files_fail(void **state)
{
    (void) state;
    const uint8_t px[4] = { 1, 2, 3, 4 };
    struct spec s;
    gray_spec(&s, 8, 8, 0, px, 4);
    struct pdb_instance *inst = make(&s, "SHORT");
    free(inst->path);
    inst->path = strdup("/nonexistent/IMG");
    struct pdb_frames f;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_frames_open(inst, &f, &err));
    assert_non_null(err);
    pdiburn_error_free(err);
    pdb_instance_free(inst);

    gray_spec(&s, 8, 8, 0, px, 4);
    s.rows = 2; /* 2 x 4 bytes announced, 4 stored */
    const struct pdb_image *img;
    inst = make(&s, "SHORT");
    assert_true(pdb_frames_open(inst, &f, NULL));
    err = NULL;
    assert_false(pdb_frames_read(&f, 0, &img, &err));
    fx_expect_error(err, PDIBURN_E_DICOM, inst->path);
    done(&f, inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(unsigned_values_are_masked),
        BOTH(signed_values_are_sign_extended),
        BOTH(full_sixteen_bits),
        BOTH(eight_bit_values),
        BOTH(bits_stored_beyond_allocated),
        BOTH(rgb_either_planar_configuration),
        BOTH(ybr_full_becomes_rgb),
        BOTH(frames_of_a_multiframe_image),
        BOTH(odd_length_frames),
        BOTH(transcoded_instances_read_the_spool),
        BOTH(unsupported_pixels_are_refused),
        BOTH(broken_files_fail),
    };
    return cmocka_run_group_tests_name("frames", tests, setup, teardown);
}
