/* Unit tests for lib/image/render.c: the 8-bit presentation values that the
 * IHE_PDI JPEGs, thumbnails and lossy previews show, and that must equal
 * what the viewer draws (viewer-bundle/PROTOCOL.md "Display rules").  Every
 * expected value is worked out by hand from PS3.3 C.11.1 (modality LUT) and
 * C.11.2.1.2 (linear VOI window) in the comment beside it. */
#include "cmocka_pre.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "image.h"

enum { MAXPIX = 16 };

/* A 1-row grayscale image of up to MAXPIX stored values. */
struct gray {
    uint16_t values[MAXPIX];
    struct pdb_image img;
};

static void gray_init(struct gray *g, const int *values, unsigned n,
                      bool is_signed)
{
    memset(g, 0, sizeof(*g));
    for (unsigned i = 0; i < n; i++)
        g->values[i] = (uint16_t) values[i];
    g->img = (struct pdb_image) { .rows = 1, .columns = n, .samples = 1,
                                  .is_signed = is_signed,
                                  .gray = g->values };
}

static void render_gray(const int *values, unsigned n, bool is_signed,
                        const struct pdb_display *d, uint8_t *out)
{
    struct gray g;
    gray_init(&g, values, n, is_signed);
    pdb_render(&g.img, d, out);
}

static struct pdb_display modality(double slope, double intercept, double c,
                                   double w)
{
    return (struct pdb_display) { .slope = slope, .intercept = intercept,
                                  .center = c, .width = w };
}

/* c = 40, w = 400: x <= c - 0.5 - (w-1)/2 = -160 is 0, x > c - 0.5 +
 * (w-1)/2 = 239 is 255, else y = ((x - 39.5) / 399 + 0.5) * 255. */
static void linear_window_boundaries(void **state)
{
    (void) state;
    const int x[] = { -1000, -161, -160, -159, 39, 40, 238, 239, 240, 3000 };
    /* -159: 255/399 = 0.64 -> 1; 39: 127.18 -> 127; 40: 127.82 -> 128;
     * 238: 255 * 398/399 = 254.36 -> 254; 239: exactly 255. */
    const uint8_t want[] = { 0, 0, 0, 1, 127, 128, 254, 255, 255, 255 };
    struct pdb_display d = modality(1, 0, 40, 400);
    uint8_t out[10];
    render_gray(x, 10, true, &d, out);
    assert_memory_equal(out, want, sizeof(want));
}

/* The same values in an image with more pixels than distinct values,
 * which render.c windows through a table: every pixel still gets what
 * linear_window_boundaries() worked out, inverted for MONOCHROME1. */
static void large_images_give_the_same_values(void **state)
{
    (void) state;
    const int x[] = { -1000, -161, -160, -159, 39, 40, 238, 239, 240, 3000 };
    const uint8_t want[] = { 0, 0, 0, 1, 127, 128, 254, 255, 255, 255 };
    enum { N = 4096 }; /* more than 3000 - -1000 + 1 */
    uint16_t *values = malloc(N * sizeof(*values));
    uint8_t *out = malloc(N);
    assert_non_null(values);
    assert_non_null(out);
    for (unsigned i = 0; i < N; i++)
        values[i] = (uint16_t) x[i % 10];
    struct pdb_image img = { .rows = 64, .columns = 64, .samples = 1,
                             .is_signed = true, .gray = values };
    struct pdb_display d = modality(1, 0, 40, 400);
    for (int inverted = 0; inverted < 2; inverted++) {
        d.monochrome1 = inverted;
        pdb_render(&img, &d, out);
        for (unsigned i = 0; i < N; i++)
            assert_int_equal(out[i], inverted ? 255 - want[i % 10]
                                              : want[i % 10]);
    }
    free(values);
    free(out);
}

/* A ramp of every stored value goes through the table, which render.c
 * fills in runs; one pixel at a time, each value is windowed on its own.
 * Both give the same bytes, whatever the rescale and the window. */
static void table_runs_match_each_value(void **state)
{
    (void) state;
    static const struct pdb_display cases[] = {
        { 1, 0, false, false, 1024, 2013 },     /* an MR's own range */
        { 2.5, -1024, false, false, 40, 400 },  /* CT soft tissue */
        { -1, 0, false, true, -2000, 3000 },    /* reversed twice */
        { 0.001, 0, false, false, 1, 3 },       /* runs of hundreds */
        { 1, 0, false, false, 600, 1 },         /* a threshold */
        { 1, 0, true, false, 600, 0.5 },
        { 3.7, 11.3, true, false, 900.25, 1777.5 },
        { 1e308, 0, false, false, 40, 400 },    /* not finite */
    };
    enum { LO = -1500, HI = 2600, N = HI - LO + 1 };
    uint16_t *ramp = malloc(N * sizeof(*ramp));
    uint8_t *out = malloc(N);
    assert_non_null(ramp);
    assert_non_null(out);
    for (int i = 0; i < N; i++)
        ramp[i] = (uint16_t) (int16_t) (LO + i);
    struct pdb_image img = { .rows = 1, .columns = N, .samples = 1,
                             .is_signed = true, .gray = ramp };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        pdb_render(&img, &cases[c], out);
        for (int i = 0; i < N; i++) {
            uint16_t one = ramp[i];
            struct pdb_image px = { .rows = 1, .columns = 1, .samples = 1,
                                    .is_signed = true, .gray = &one };
            uint8_t want = 0;
            pdb_render(&px, &cases[c], &want);
            assert_int_equal(out[i], want);
        }
    }
    free(ramp);
    free(out);
}

/* Halves round up: c = 0.5, w = 257 gives y = 255 x / 256 + 127.5, exact
 * in binary, so x = 0 lands on 127.5 -> 128; x = -1 on 126.504 -> 127,
 * x = 1 on 128.496 -> 128, x = 128 on 255, x = -128 on 0. */
static void rounding_is_half_up(void **state)
{
    (void) state;
    const int x[] = { -128, -1, 0, 1, 128 };
    const uint8_t want[] = { 0, 127, 128, 128, 255 };
    struct pdb_display d = modality(1, 0, 0.5, 257);
    uint8_t out[5];
    render_gray(x, 5, true, &d, out);
    assert_memory_equal(out, want, sizeof(want));
}

/* w = 1 is a threshold at c - 0.5 (PS3.3 C.11.2.1.2.1): with slope 0.5 the
 * stored 199 is 99.5 (<= 99.5: 0) and 200 is 100 (255). */
static void width_one_is_a_threshold(void **state)
{
    (void) state;
    const int x[] = { 0, 199, 200, 400 };
    const uint8_t want[] = { 0, 0, 255, 255 };
    struct pdb_display d = modality(0.5, 0, 100, 1);
    uint8_t out[4];
    render_gray(x, 4, false, &d, out);
    assert_memory_equal(out, want, sizeof(want));
}

/* Modality value = stored * slope + intercept, before the window. */
static void rescale_slope_and_intercept(void **state)
{
    (void) state;
    /* 1064 - 1024 = 40 -> 128; 864 - 1024 = -160 -> 0;
     * 1263 - 1024 = 239 -> 255. */
    const int ct[] = { 1064, 864, 1263 };
    const uint8_t want_ct[] = { 128, 0, 255 };
    struct pdb_display d = modality(1, -1024, 40, 400);
    uint8_t out[3];
    render_gray(ct, 3, false, &d, out);
    assert_memory_equal(out, want_ct, 3);
    /* 0.5 * 60 + 10 = 40 -> 128; 0.5 * 62 + 10 = 41 -> ((41 - 39.5) / 399
     * + 0.5) * 255 = 128.46 -> 128; 0.5 * 100 + 10 = 60 -> 140.60 -> 141;
     * 2 * 100 - 400 = -200 -> 0. */
    const int frac[] = { 60, 62, 100 };
    const uint8_t want_frac[] = { 128, 128, 141 };
    d = modality(0.5, 10, 40, 400);
    render_gray(frac, 3, false, &d, out);
    assert_memory_equal(out, want_frac, 3);
    const int neg[] = { 100 };
    d = modality(2, -400, 40, 400);
    render_gray(neg, 1, false, &d, out);
    assert_int_equal(out[0], 0);
}

/* Signed stored values are int16: 0xFF9C is -100, which the CT window maps
 * to ((-100 - 39.5) / 399 + 0.5) * 255 = 38.35 -> 38; read unsigned it
 * would be 65436 and white. */
static void signed_pixels(void **state)
{
    (void) state;
    const int x[] = { 0xFF9C, 0x8000, 0x7FFF };
    struct pdb_display d = modality(1, 0, 40, 400);
    uint8_t out[3];
    render_gray(x, 3, true, &d, out);
    assert_int_equal(out[0], 38);
    assert_int_equal(out[1], 0);   /* -32768 */
    assert_int_equal(out[2], 255); /* 32767 */
    render_gray(x, 3, false, &d, out);
    assert_int_equal(out[0], 255);
    assert_int_equal(out[1], 255);
}

static void monochrome1_is_inverted(void **state)
{
    (void) state;
    const int x[] = { -160, 40, 239 };
    const uint8_t want[] = { 255, 127, 0 }; /* 255 - (0, 128, 255) */
    struct pdb_display d = modality(1, 0, 40, 400);
    d.monochrome1 = true;
    uint8_t out[3];
    render_gray(x, 3, true, &d, out);
    assert_memory_equal(out, want, 3);
}

/* BIR 5.4: for MR the window applies to stored values; the same window
 * on the modality value 2 * 40 + 100 = 180 gives ((180 - 39.5) / 399 +
 * 0.5) * 255 = 217.29 -> 217. */
static void stored_value_windows(void **state)
{
    (void) state;
    const int x[] = { 40 };
    struct pdb_display d = modality(2, 100, 40, 400);
    uint8_t out[1];
    render_gray(x, 1, false, &d, out);
    assert_int_equal(out[0], 217);
    d.windows_on_stored = true;
    render_gray(x, 1, false, &d, out);
    assert_int_equal(out[0], 128);
}

/* Colour: planes R, G, B in, interleaved RGB out; c = 128, w = 256 is the
 * identity (y = x - 127.5 + 127.5). */
static void colour_identity_and_interleaving(void **state)
{
    (void) state;
    uint8_t planes[] = { 0, 1, 127, /* R */ 128, 254, 255, /* G */
                         10, 20, 30 /* B */ };
    struct pdb_image img = { .rows = 1, .columns = 3, .samples = 3,
                             .rgb = planes };
    struct pdb_display d = modality(1, 0, 128, 256);
    uint8_t out[9];
    pdb_render(&img, &d, out);
    const uint8_t want[] = { 0, 128, 10, 1, 254, 20, 127, 255, 30 };
    assert_memory_equal(out, want, 9);
    /* c = 128, w = 128: x <= 64 is 0, x > 191 is 255, 128 ->
     * ((128 - 127.5) / 127 + 0.5) * 255 = 128.5 -> 129. */
    d = modality(1, 0, 128, 128);
    pdb_render(&img, &d, out);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 129);
    assert_int_equal(out[4], 255);
}

static const uint32_t display_tags[] = {
    TAG_MODALITY, TAG_PHOTOMETRIC, 0x00281050, 0x00281051,
    0x00281052,   0x00281053,      0
};

static void display_of(const char *const *values, const struct gray *g,
                       struct pdb_display *d)
{
    struct pdb_instance *inst = fx_instance("x", display_tags, values);
    pdb_render_display_of(inst, &g->img, d);
    pdb_instance_free(inst);
}

/* The first of several VOI windows, and the rescale, read from the keys. */
static void display_from_the_instance(void **state)
{
    (void) state;
    struct gray g;
    const int x[] = { 0 };
    gray_init(&g, x, 1, false);
    const char *ct[] = { "CT", "MONOCHROME1", "-600\\40", "1500\\400",
                         "-1024", "1.5" };
    struct pdb_display d;
    display_of(ct, &g, &d);
    assert_true(d.center == -600 && d.width == 1500);
    assert_true(d.slope == 1.5 && d.intercept == -1024);
    assert_true(d.monochrome1);
    assert_false(d.windows_on_stored);
    const char *mr[] = { "MR", "MONOCHROME2", "", "", "", "" };
    display_of(mr, &g, &d);
    assert_true(d.slope == 1 && d.intercept == 0);
    assert_true(d.windows_on_stored);
    assert_false(d.monochrome1);
}

/* No usable window: CT soft tissue; others the range of the image:
 * min 100, max 300 gives w = 201, c = 200.5, which maps 100 to 0 and 300
 * to 255. */
static void default_windows(void **state)
{
    (void) state;
    struct gray g;
    const int x[] = { 200, 100, 300, 150 };
    gray_init(&g, x, 4, false);
    const char *ct[] = { "CT", "MONOCHROME2", "", "", "", "" };
    struct pdb_display d;
    display_of(ct, &g, &d);
    assert_true(d.center == 40 && d.width == 400);
    const char *narrow[] = { "CT", "MONOCHROME2", "50", "0.5", "", "" };
    display_of(narrow, &g, &d); /* width < 1 is not a window */
    assert_true(d.center == 40 && d.width == 400);
    const char *cr[] = { "CR", "MONOCHROME2", "", "", "", "" };
    display_of(cr, &g, &d);
    assert_true(d.width == 201 && d.center == 200.5);
    uint8_t out[4];
    pdb_render(&g.img, &d, out);
    assert_int_equal(out[1], 0);
    assert_int_equal(out[2], 255);
    /* ((200 - 200) / 200 + 0.5) * 255 = 127.5 -> 128 */
    assert_int_equal(out[0], 128);
}

/* The range is taken in the values the window applies to: modality
 * values for CR (2 * 100 - 50 = 150 .. 550), stored values for PT. */
static void default_window_follows_rescale(void **state)
{
    (void) state;
    struct gray g;
    const int x[] = { 100, 300 };
    gray_init(&g, x, 2, false);
    const char *cr[] = { "CR", "MONOCHROME2", "", "", "-50", "2" };
    struct pdb_display d;
    display_of(cr, &g, &d);
    assert_true(d.width == 401 && d.center == 350.5);
    const char *pt[] = { "PT", "MONOCHROME2", "", "", "-50", "2" };
    display_of(pt, &g, &d);
    assert_true(d.width == 201 && d.center == 200.5);
    /* signed: -5 .. 5 */
    const int s[] = { 0xFFFB, 5 };
    gray_init(&g, s, 2, true);
    display_of(cr, &g, &d);
    assert_true(d.width == 21 && d.center == -49.5);
    /* a negative slope turns the range: 100, 300 -> -250, -650 */
    gray_init(&g, x, 2, false);
    const char *flipped[] = { "CR", "MONOCHROME2", "", "", "-50", "-2" };
    display_of(flipped, &g, &d);
    assert_true(d.width == 401 && d.center == -449.5);
}

/* strtod() reads "NaN" and "inf"; no DS value may be either. */
static void non_numbers_are_ignored(void **state)
{
    (void) state;
    struct gray g;
    const int x[] = { 0 };
    gray_init(&g, x, 1, false);
    const char *bad[] = { "CT", "MONOCHROME2", "inf", "NaN", "nan", "-inf" };
    struct pdb_display d;
    display_of(bad, &g, &d);
    assert_true(d.center == 40 && d.width == 400);
    assert_true(d.slope == 1 && d.intercept == 0);
    /* a window that is not a number renders black, not undefined */
    d = modality(1, 0, NAN, NAN);
    uint8_t out[1] = { 99 };
    render_gray(x, 1, false, &d, out);
    assert_int_equal(out[0], 0);
}

static void colour_display_is_identity(void **state)
{
    (void) state;
    uint8_t planes[3] = { 1, 2, 3 };
    struct pdb_image img = { .rows = 1, .columns = 1, .samples = 3,
                             .rgb = planes };
    struct gray g = { .img = img };
    const char *us[] = { "US", "RGB", "40", "400", "", "" };
    struct pdb_display d;
    display_of(us, &g, &d);
    assert_true(d.center == 128 && d.width == 256);
}

/* Box filter: 4x2 into one row of 2x2 boxes, rounded to nearest. */
static void shrink_even(void **state)
{
    (void) state;
    const uint8_t in[] = { 0, 1, 10, 10, /* row 0 */ 2, 2, 20, 21 };
    uint8_t out[2];
    unsigned w, h;
    pdb_render_shrink(in, 4, 2, 1, 2, out, &w, &h);
    assert_int_equal(w, 2);
    assert_int_equal(h, 1);
    assert_int_equal(out[0], 1);  /* 5 / 4 = 1.25 */
    assert_int_equal(out[1], 15); /* 61 / 4 = 15.25 */
}

/* 5x3 into at most 2: step 3, boxes of 3x3 and 2x3 pixels. */
static void shrink_odd_and_colour(void **state)
{
    (void) state;
    uint8_t in[5 * 3 * 3];
    for (unsigned i = 0; i < 15; i++) {
        in[3 * i] = (uint8_t) (i % 5 < 3 ? 9 : 200);
        in[3 * i + 1] = (uint8_t) i;
        in[3 * i + 2] = 255;
    }
    uint8_t out[2 * 3];
    unsigned w, h;
    pdb_render_shrink(in, 5, 3, 3, 2, out, &w, &h);
    assert_int_equal(w, 2);
    assert_int_equal(h, 1);
    /* G of box 0: 0+1+2+5+6+7+10+11+12 = 54 / 9 = 6; of box 1:
     * 3+4+8+9+13+14 = 51 / 6 = 8.5 -> 9 */
    const uint8_t want[] = { 9, 6, 255, 200, 9, 255 };
    assert_memory_equal(out, want, sizeof(want));
}

/* Tall images shrink by their height; small ones stay as they are. */
static void shrink_tall_and_small(void **state)
{
    (void) state;
    const uint8_t in[] = { 1, 2, 3, 4, 5 };
    uint8_t out[5];
    unsigned w, h;
    pdb_render_shrink(in, 1, 5, 1, 2, out, &w, &h);
    assert_int_equal(w, 1);
    assert_int_equal(h, 2);
    assert_int_equal(out[0], 2);   /* (1+2+3)/3 */
    assert_int_equal(out[1], 5);   /* (4+5)/2 = 4.5 -> 5 */
    pdb_render_shrink(in, 5, 1, 1, 128, out, &w, &h);
    assert_int_equal(w, 5);
    assert_int_equal(h, 1);
    assert_memory_equal(out, in, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_window_boundaries),
        cmocka_unit_test(large_images_give_the_same_values),
        cmocka_unit_test(table_runs_match_each_value),
        cmocka_unit_test(rounding_is_half_up),
        cmocka_unit_test(width_one_is_a_threshold),
        cmocka_unit_test(rescale_slope_and_intercept),
        cmocka_unit_test(signed_pixels),
        cmocka_unit_test(monochrome1_is_inverted),
        cmocka_unit_test(stored_value_windows),
        cmocka_unit_test(colour_identity_and_interleaving),
        cmocka_unit_test(display_from_the_instance),
        cmocka_unit_test(default_windows),
        cmocka_unit_test(default_window_follows_rescale),
        cmocka_unit_test(non_numbers_are_ignored),
        cmocka_unit_test(colour_display_is_identity),
        cmocka_unit_test(shrink_even),
        cmocka_unit_test(shrink_odd_and_colour),
        cmocka_unit_test(shrink_tall_and_small),
    };
    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
