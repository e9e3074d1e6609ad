/* Unit tests for lib/web/viewer_codec.c and base64.c: the lossless pixel
 * codecs "med16" and "rgb8" of viewer-bundle/PROTOCOL.md, which the viewer
 * in the browser decodes.  The decoder here is written from PROTOCOL.md
 * alone (base64, zlib through zlib's own inflate rather than the igzip
 * that wrote the stream, byte planes, zigzag, median edge predictor), so a
 * writer that drifts from the protocol fails even if it stays consistent
 * with itself.  Images round-trip bit for bit: 1x1, odd widths, single
 * rows and columns, 16-bit extremes, signed values, noise. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "viewer_codec.h"

/* ---- the decoder, from PROTOCOL.md -------------------------------------- */

static int b64_value(char c)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(abc, c) : NULL;
    return p ? (int) (p - abc) : -1;
}

/* Standard alphabet with padding: a length that is a multiple of 4. */
static uint8_t *b64_decode(const char *s, size_t len, size_t *out_len)
{
    assert_int_equal(len % 4, 0);
    uint8_t *out = malloc(len / 4 * 3 + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++)
            v[k] = s[i + k] == '=' ? 0 : b64_value(s[i + k]);
        for (int k = 0; k < 4; k++)
            assert_true(v[k] >= 0);
        uint32_t q = (uint32_t) v[0] << 18 | (uint32_t) v[1] << 12 |
                     (uint32_t) v[2] << 6 | (uint32_t) v[3];
        int pad = (s[i + 2] == '=') + (s[i + 3] == '=');
        assert_true(pad == 0 || i + 4 == len);
        out[n++] = (uint8_t) (q >> 16);
        if (pad < 2)
            out[n++] = (uint8_t) (q >> 8);
        if (pad < 1)
            out[n++] = (uint8_t) q;
    }
    *out_len = n;
    return out;
}

/* base64, then an RFC 1950 stream of exactly `want` bytes. */
static uint8_t *unpack(const struct pdb_buf *text, size_t want)
{
    size_t zlen;
    uint8_t *z = b64_decode((const char *) text->data, text->len, &zlen);
    assert_true(zlen >= 6);
    assert_int_equal((z[0] * 256 + z[1]) % 31, 0); /* RFC 1950 FCHECK */
    assert_int_equal(z[0] & 0x0F, 8);               /* deflate */
    uLongf got = (uLongf) want;
    uint8_t *raw = malloc(want + 1);
    assert_int_equal(uncompress(raw, &got, z, zlen), Z_OK);
    assert_int_equal(got, want);
    free(z);
    return raw;
}

/* JPEG-LS median edge predictor with PROTOCOL.md's borders. */
static int predict(const int *img, unsigned w, unsigned x, unsigned y)
{
    if (y == 0)
        return x == 0 ? 0 : img[x - 1];
    if (x == 0)
        return img[(y - 1) * w];
    int a = img[y * w + x - 1], b = img[(y - 1) * w + x];
    int c = img[(y - 1) * w + x - 1];
    int hi = a > b ? a : b, lo = a < b ? a : b;
    if (c >= hi)
        return lo;
    if (c <= lo)
        return hi;
    return a + b - c;
}

/* Values as int16 (signed) or uint16, raster order. */
static int *med16_decode(const struct pdb_buf *text, unsigned w, unsigned h,
                         bool is_signed)
{
    size_t n = (size_t) w * h;
    uint8_t *planes = unpack(text, 2 * n);
    int *img = malloc(n * sizeof(int));
    for (unsigned y = 0; y < h; y++)
        for (unsigned x = 0; x < w; x++) {
            size_t i = (size_t) y * w + x;
            unsigned z = planes[i] | (unsigned) planes[n + i] << 8;
            int s = z & 1 ? -(int) ((z + 1) / 2) : (int) (z / 2);
            unsigned v = (unsigned) (predict(img, w, x, y) + s) & 0xFFFF;
            img[i] = is_signed ? (int) (int16_t) v : (int) v;
        }
    free(planes);
    return img;
}

/* Three planes of bytes, r = (x - p) mod 256, no zigzag. */
static uint8_t *rgb8_decode(const struct pdb_buf *text, unsigned w,
                            unsigned h)
{
    size_t n = (size_t) w * h;
    uint8_t *planes = unpack(text, 3 * n);
    int *plane = malloc(n * sizeof(int));
    uint8_t *out = malloc(3 * n);
    for (unsigned c = 0; c < 3; c++) {
        for (unsigned y = 0; y < h; y++)
            for (unsigned x = 0; x < w; x++) {
                size_t i = (size_t) y * w + x;
                int p = predict(plane, w, x, y);
                plane[i] = (p + planes[c * n + i]) & 0xFF;
                out[c * n + i] = (uint8_t) plane[i];
            }
    }
    free(plane);
    free(planes);
    return out;
}

/* ---- encoding, with working memory of its own or shared ----------------- */

static bool med16(const struct pdb_image *img, int level, struct pdb_buf *out)
{
    struct pdb_codec_scratch *c = pdb_codec_scratch_new(level);
    assert_non_null(c);
    bool ok = pdb_codec_med16(c, img, out);
    pdb_codec_scratch_free(c);
    return ok;
}

static bool rgb8(const struct pdb_image *img, int level, struct pdb_buf *out)
{
    struct pdb_codec_scratch *c = pdb_codec_scratch_new(level);
    assert_non_null(c);
    bool ok = pdb_codec_rgb8(c, img, out);
    pdb_codec_scratch_free(c);
    return ok;
}

/* ---- images ------------------------------------------------------------- */

static uint32_t rng = 12345;

static uint32_t next_random(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static struct pdb_image gray_image(unsigned w, unsigned h, bool is_signed)
{
    struct pdb_image img = { .rows = h, .columns = w, .samples = 1,
                             .is_signed = is_signed };
    img.gray = calloc((size_t) w * h, sizeof(uint16_t));
    return img;
}

/* Encodes, decodes independently, and compares every value. */
static void med16_round_trip(const struct pdb_image *img, int level)
{
    struct pdb_buf text = { 0 };
    assert_true(med16(img, level, &text));
    int *got = med16_decode(&text, img->columns, img->rows, img->is_signed);
    for (size_t i = 0; i < (size_t) img->rows * img->columns; i++) {
        int want = img->is_signed ? (int16_t) img->gray[i] : img->gray[i];
        if (got[i] != want)
            fail_msg("%ux%u: value %zu is %d, not %d", img->columns,
                     img->rows, i, got[i], want);
    }
    free(got);
    pdb_buf_free(&text);
}

static void rgb8_round_trip(const struct pdb_image *img, int level)
{
    struct pdb_buf text = { 0 };
    assert_true(rgb8(img, level, &text));
    uint8_t *got = rgb8_decode(&text, img->columns, img->rows);
    assert_memory_equal(got, img->rgb, 3 * (size_t) img->rows * img->columns);
    free(got);
    pdb_buf_free(&text);
}

/* ---- tests -------------------------------------------------------------- */

/* [[1, 2], [3, 4]]: p = 0, a = 1, b = 1, and max(a, b) = 3 because
 * c = 1 <= min(3, 2); residuals 1, 1, 2, 1 zigzag to 2, 2, 4, 2, low
 * bytes first. */
static void med16_bytes_by_hand(void **state)
{
    (void) state;
    struct pdb_image img = gray_image(2, 2, false);
    for (int i = 0; i < 4; i++)
        img.gray[i] = (uint16_t) (i + 1);
    struct pdb_buf text = { 0 };
    assert_true(med16(&img, 1, &text));
    uint8_t *raw = unpack(&text, 8);
    const uint8_t want[] = { 2, 2, 4, 2, 0, 0, 0, 0 };
    assert_memory_equal(raw, want, sizeof(want));
    free(raw);
    pdb_buf_free(&text);
    free(img.gray);
}

/* 65535 then 0: residuals 65535 = -1 (z 1) and 0 - 65535 = 1 mod 65536
 * (z 2); signed -32768 then 32767: 65535 = -1 again (z 1). */
static void med16_wraps_modulo_65536(void **state)
{
    (void) state;
    struct pdb_image img = gray_image(2, 1, false);
    img.gray[0] = 65535;
    img.gray[1] = 0;
    struct pdb_buf text = { 0 };
    assert_true(med16(&img, 1, &text));
    uint8_t *raw = unpack(&text, 4);
    const uint8_t want[] = { 1, 2, 0, 0 };
    assert_memory_equal(raw, want, sizeof(want));
    free(raw);
    pdb_buf_free(&text);
    img.is_signed = true;
    img.gray[0] = 0x8000;
    img.gray[1] = 0x7FFF;
    assert_true(med16(&img, 1, &text));
    raw = unpack(&text, 4);
    const uint8_t want_signed[] = { 0xFF, 1, 0xFF, 0 }; /* 32768*2-1, 1 */
    assert_memory_equal(raw, want_signed, sizeof(want_signed));
    free(raw);
    pdb_buf_free(&text);
    free(img.gray);
}

static void med16_sizes(void **state)
{
    (void) state;
    const unsigned sizes[][2] = { { 1, 1 }, { 1, 7 }, { 7, 1 }, { 3, 5 },
                                  { 17, 3 }, { 63, 64 } };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct pdb_image img = gray_image(sizes[k][0], sizes[k][1], false);
        for (size_t i = 0; i < (size_t) img.rows * img.columns; i++)
            img.gray[i] = (uint16_t) next_random();
        med16_round_trip(&img, 1);
        img.is_signed = true;
        med16_round_trip(&img, 2);
        free(img.gray);
    }
}

/* Every predictor branch at the extremes: alternating 0 / 65535 and
 * -32768 / 32767 edges, a constant image, a ramp. */
static void med16_extremes(void **state)
{
    (void) state;
    struct pdb_image img = gray_image(9, 7, false);
    size_t n = 9 * 7;
    for (size_t i = 0; i < n; i++)
        img.gray[i] = (i * 7919) % 3 ? 0xFFFF : 0;
    med16_round_trip(&img, 3);
    img.is_signed = true;
    for (size_t i = 0; i < n; i++)
        img.gray[i] = (i / 9 + i % 9) % 2 ? 0x7FFF : 0x8000;
    med16_round_trip(&img, 0);
    for (size_t i = 0; i < n; i++)
        img.gray[i] = 0x8000;
    med16_round_trip(&img, 1);
    img.is_signed = false;
    for (size_t i = 0; i < n; i++)
        img.gray[i] = (uint16_t) (i * 1040);
    med16_round_trip(&img, 1);
    free(img.gray);
}

/* 12-bit CT-like values: small residuals, and the output is smaller
 * than the raw 2 bytes a value (base64 included). */
static void med16_compresses_smooth_images(void **state)
{
    (void) state;
    struct pdb_image img = gray_image(64, 64, true);
    for (unsigned y = 0; y < 64; y++)
        for (unsigned x = 0; x < 64; x++)
            img.gray[y * 64 + x] = (uint16_t) (int16_t) (
                -1000 + (int) (x * 10 + y * 3) + (int) (next_random() % 5));
    med16_round_trip(&img, 1);
    struct pdb_buf text = { 0 };
    assert_true(med16(&img, 1, &text));
    assert_true(text.len < 2 * 64 * 64);
    pdb_buf_free(&text);
    free(img.gray);
}

static struct pdb_image rgb_image(unsigned w, unsigned h)
{
    struct pdb_image img = { .rows = h, .columns = w, .samples = 3 };
    img.rgb = calloc((size_t) w * h, 3);
    return img;
}

/* [[10, 250]] in R: residuals 10 and 240; G all 255: 255 then 0. */
static void rgb8_bytes_by_hand(void **state)
{
    (void) state;
    struct pdb_image img = rgb_image(2, 1);
    const uint8_t planes[] = { 10, 250, 255, 255, 0, 1 };
    memcpy(img.rgb, planes, 6);
    struct pdb_buf text = { 0 };
    assert_true(rgb8(&img, 2, &text));
    uint8_t *raw = unpack(&text, 6);
    const uint8_t want[] = { 10, 240, 255, 0, 0, 1 };
    assert_memory_equal(raw, want, sizeof(want));
    free(raw);
    pdb_buf_free(&text);
    free(img.rgb);
}

static void rgb8_sizes_and_extremes(void **state)
{
    (void) state;
    const unsigned sizes[][2] = { { 1, 1 }, { 1, 5 }, { 5, 1 }, { 3, 3 },
                                  { 33, 17 } };
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct pdb_image img = rgb_image(sizes[k][0], sizes[k][1]);
        size_t n = 3 * (size_t) img.rows * img.columns;
        for (size_t i = 0; i < n; i++)
            img.rgb[i] = (uint8_t) next_random();
        rgb8_round_trip(&img, 1);
        for (size_t i = 0; i < n; i++)
            img.rgb[i] = i % 2 ? 255 : 0;
        rgb8_round_trip(&img, 0);
        free(img.rgb);
    }
}

/* igzip has levels 0 to 3; another gets no encoder. */
static void bad_level_fails(void **state)
{
    (void) state;
    assert_null(pdb_codec_scratch_new(4));
    assert_null(pdb_codec_scratch_new(-1));
}

/* One encoder's memory serves frames of any size in turn: a large frame
 * of noise (which does not compress, so the output buffer grows and igzip
 * writes stored blocks), then small ones, then large again. */
static void scratch_reused_across_sizes(void **state)
{
    (void) state;
    const unsigned sizes[][2] = { { 512, 300 }, { 3, 2 }, { 64, 64 },
                                  { 1, 1 }, { 129, 257 } };
    struct pdb_codec_scratch *c = pdb_codec_scratch_new(1);
    assert_non_null(c);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct pdb_image img = gray_image(sizes[k][0], sizes[k][1], k % 2);
        size_t n = (size_t) img.rows * img.columns;
        for (size_t i = 0; i < n; i++)
            img.gray[i] = (uint16_t) next_random();
        struct pdb_buf text = { 0 };
        assert_true(pdb_codec_med16(c, &img, &text));
        int *got = med16_decode(&text, img.columns, img.rows, img.is_signed);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(got[i], img.is_signed ? (int16_t) img.gray[i]
                                                   : img.gray[i]);
        free(got);
        pdb_buf_free(&text);
        struct pdb_image rgb = rgb_image(sizes[k][1], sizes[k][0]);
        for (size_t i = 0; i < 3 * n; i++)
            rgb.rgb[i] = (uint8_t) next_random();
        assert_true(pdb_codec_rgb8(c, &rgb, &text));
        uint8_t *back = rgb8_decode(&text, rgb.columns, rgb.rows);
        assert_memory_equal(back, rgb.rgb, 3 * n);
        free(back);
        pdb_buf_free(&text);
        free(rgb.rgb);
        free(img.gray);
    }
    pdb_codec_scratch_free(c);
}

static void encode_both(struct pdb_codec_scratch *c,
                        const struct pdb_image *gray,
                        const struct pdb_image *rgb, struct pdb_buf *text)
{
    assert_true(pdb_codec_med16(c, gray, &text[0]));
    assert_true(pdb_codec_rgb8(c, rgb, &text[1]));
}

/* A frame's bytes depend on the frame alone, not on what the encoder did
 * before: media made twice from one study must compare equal, whichever
 * worker took which frame.  A small smooth frame, fresh and after large
 * noise, small noise and another smooth frame. */
static void output_independent_of_history(void **state)
{
    (void) state;
    struct pdb_image gray = gray_image(16, 16, false);
    struct pdb_image rgb = rgb_image(16, 16);
    for (size_t i = 0; i < 256; i++) {
        gray.gray[i] = (uint16_t) (i % 16 ? 7 : 112);
        for (int ch = 0; ch < 3; ch++)
            rgb.rgb[ch * 256 + i] = (uint8_t) (i % 16 ? 7 : 112);
    }
    struct pdb_codec_scratch *fresh = pdb_codec_scratch_new(1);
    struct pdb_buf want[2] = { { 0 }, { 0 } };
    encode_both(fresh, &gray, &rgb, want);
    pdb_codec_scratch_free(fresh);

    const unsigned sizes[][2] = { { 300, 512 }, { 5, 3 }, { 16, 16 } };
    struct pdb_codec_scratch *used = pdb_codec_scratch_new(1);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        struct pdb_image g = gray_image(sizes[k][0], sizes[k][1], false);
        struct pdb_image r = rgb_image(sizes[k][0], sizes[k][1]);
        size_t n = (size_t) g.rows * g.columns;
        for (size_t i = 0; i < n; i++)
            g.gray[i] = (uint16_t) (k == 2 ? i & 1 : next_random());
        for (size_t i = 0; i < 3 * n; i++)
            r.rgb[i] = (uint8_t) (k == 2 ? i % 3 : next_random());
        struct pdb_buf other[2] = { { 0 }, { 0 } };
        encode_both(used, &g, &r, other);
        struct pdb_buf got[2] = { { 0 }, { 0 } };
        encode_both(used, &gray, &rgb, got);
        for (int i = 0; i < 2; i++) {
            assert_int_equal(got[i].len, want[i].len);
            assert_memory_equal(got[i].data, want[i].data, want[i].len);
            pdb_buf_free(&got[i]);
            pdb_buf_free(&other[i]);
        }
        free(g.gray);
        free(r.rgb);
    }
    pdb_codec_scratch_free(used);
    for (int i = 0; i < 2; i++)
        pdb_buf_free(&want[i]);
    free(gray.gray);
    free(rgb.rgb);
}

/* RFC 4648 test vectors, padding included. */
static void base64_vectors(void **state)
{
    (void) state;
    const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                          "Zm9vYmFy" };
    for (int i = 0; i < 7; i++) {
        struct pdb_buf b = { 0 };
        assert_true(pdb_base64(&b, (const uint8_t *) in[i], strlen(in[i])));
        assert_string_equal(b.len ? (char *) b.data : "", out[i]);
        pdb_buf_free(&b);
    }
    const uint8_t high[] = { 0xFB, 0xFF, 0xBF };
    struct pdb_buf b = { 0 };
    assert_true(pdb_base64(&b, high, 3));
    assert_string_equal((char *) b.data, "+/+/");
    pdb_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(med16_bytes_by_hand),
        cmocka_unit_test(med16_wraps_modulo_65536),
        cmocka_unit_test(med16_sizes),
        cmocka_unit_test(med16_extremes),
        cmocka_unit_test(med16_compresses_smooth_images),
        cmocka_unit_test(rgb8_bytes_by_hand),
        cmocka_unit_test(rgb8_sizes_and_extremes),
        cmocka_unit_test(bad_level_fails),
        cmocka_unit_test(scratch_reused_across_sizes),
        cmocka_unit_test(output_independent_of_history),
        cmocka_unit_test(base64_vectors),
    };
    return cmocka_run_group_tests_name("viewer_codec", tests, NULL, NULL);
}
