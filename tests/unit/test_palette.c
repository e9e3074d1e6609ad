/* Unit tests for lib/image/palette.c: PALETTE COLOR tables (PS3.3
 * C.7.6.3.1.5-6, C.7.9.2) read from small Part 10 files written here and
 * applied to stored values: 16-bit entries rounded to 8 bits, 8-bit
 * entries packed two to a word or one per word, values below the first
 * mapped value and above the last entry clamped, a signed first mapped
 * value, segmented tables (discrete, linear, indirect), and the tables
 * that are refused. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "fixtures.h"
#include "image.h"

static char *dir;

static int setup(void **state)
{
    (void) state;
    dcmshim_init();
    dir = fx_temp_dir();
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    free(dir);
    return 0;
}

/* One table's descriptor and data; data NULL leaves the data out, and
 * `segmented` puts it in (0028,122x) instead. */
struct table {
    uint16_t desc[3];
    const uint16_t *data;
    size_t words;
    bool segmented;
};

static void put_table(struct pdb_buf *b, unsigned c, const struct table *t)
{
    uint8_t d[6];
    for (unsigned i = 0; i < 3; i++) {
        d[2 * i] = (uint8_t) t->desc[i];
        d[2 * i + 1] = (uint8_t) (t->desc[i] >> 8);
    }
    pdb_elem_put(b, 0x00281101u + c, "US", d, 6);
    if (t->data)
        pdb_elem_put(b, (t->segmented ? 0x00281221u : 0x00281201u) + c, "OW",
                     t->data, 2 * t->words);
}

/* A file with the same table for R and G, and `blue` for B. */
static struct dcmshim_dataset *file(const struct table *t,
                                    const struct table *blue)
{
    struct pdb_buf b = { 0 };
    const uint8_t px[2] = { 0 };
    size_t len;
    pdb_elem_put_meta(&b, "1.2.840.10008.5.1.4.1.1.7", "2.25.9",
                      PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, TAG_PHOTOMETRIC, "CS", "PALETTE COLOR");
    put_table(&b, 0, t);
    put_table(&b, 1, t);
    put_table(&b, 2, blue ? blue : t);
    pdb_elem_put(&b, TAG_PIXEL_DATA, "OB", px, 2);
    uint8_t *bytes = pdb_buf_steal(&b, &len);
    char *path = fx_write_file(dir, "PAL", bytes, len);
    struct dcmshim_dataset *ds = NULL;
    char msg[256];
    assert_int_equal(dcmshim_dataset_load(path, &ds, msg, sizeof(msg)),
                     DCMSHIM_OK);
    free(bytes);
    free(path);
    return ds;
}

/* The red output of `values` through table `t`. */
static void expect_red(const struct table *t, bool is_signed,
                       const uint16_t *values, const uint8_t *want, size_t n)
{
    struct dcmshim_dataset *ds = file(t, NULL);
    struct pdb_palette p;
    struct pdiburn_error *err = NULL;
    if (!pdb_palette_load(ds, is_signed, &p, &err))
        fail_msg("%s", pdiburn_error_message(err));
    uint8_t *rgb = malloc(3 * n);
    pdb_palette_apply(&p, values, is_signed, n, rgb);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rgb[i], want[i]);
        assert_int_equal(rgb[n + i], want[i]); /* green: the same table */
    }
    free(rgb);
    pdb_palette_free(&p);
    dcmshim_dataset_free(ds);
}

static void sixteen_bit_entries_round_to_eight(void **state)
{
    (void) state;
    const uint16_t data[] = { 0, 0x8000, 0xFFFF, 0x0100 };
    const struct table t = { { 4, 10, 16 }, data, 4, false };
    /* 5 is below the first mapped value 10, 20 above the last entry */
    const uint16_t values[] = { 5, 10, 11, 12, 13, 20 };
    const uint8_t want[] = { 0, 0, 128, 255, 1, 1 };
    expect_red(&t, false, values, want, 6);
}

static void eight_bit_entries_packed_or_one_per_word(void **state)
{
    (void) state;
    const uint16_t packed[] = { 10 | 20 << 8, 30 }; /* 3 entries + pad */
    const struct table t = { { 3, 0, 8 }, packed, 2, false };
    const uint16_t values[] = { 0, 1, 2, 3 };
    const uint8_t want[] = { 10, 20, 30, 30 };
    expect_red(&t, false, values, want, 4);
    const uint16_t wide[] = { 7, 9 };
    const struct table w = { { 2, 0, 8 }, wide, 2, false };
    const uint8_t want_wide[] = { 7, 9, 9, 9 };
    expect_red(&w, false, values, want_wide, 4);
}

static void signed_first_mapped_value(void **state)
{
    (void) state;
    const uint16_t data[] = { 1, 2, 3 };
    const struct table t = { { 3, 0xFFFE, 8 }, data, 3, false }; /* -2 */
    const uint16_t values[] = { 0xFFFD, 0xFFFE, 0xFFFF, 0, 1 };
    const uint8_t want[] = { 1, 1, 2, 3, 3 };
    expect_red(&t, true, values, want, 5);
}

static void segmented_tables_expand(void **state)
{
    (void) state;
    /* discrete 0, 65535; linear down to 0 over 2; indirect: the first
     * segment again */
    const uint16_t segs[] = { 0, 2, 0, 65535, 1, 2, 0, 2, 1, 0, 0 };
    const struct table t = { { 6, 0, 16 }, segs, 11, true };
    const uint16_t values[] = { 0, 1, 2, 3, 4, 5 };
    const uint8_t want[] = { 0, 255, 128, 0, 0, 255 };
    expect_red(&t, false, values, want, 6);
}

static void refused(const struct table *t, const struct table *blue,
                    const char *why)
{
    struct dcmshim_dataset *ds = file(t, blue);
    struct pdb_palette p;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_palette_load(ds, false, &p, &err));
    fx_expect_error(err, PDIBURN_E_DICOM, why);
    dcmshim_dataset_free(ds);
}

static void broken_tables_are_refused(void **state)
{
    (void) state;
    const uint16_t data[] = { 1, 2, 3, 4 };
    const struct table t = { { 4, 0, 16 }, data, 4, false };
    const struct table other = { { 3, 0, 16 }, data, 3, false };
    refused(&t, &other, "tables of different sizes");
    const struct table none = { { 4, 0, 16 }, NULL, 0, false };
    refused(&none, NULL, "without its lookup table data");
    const uint16_t bad_op[] = { 7, 1, 0 };
    const struct table op = { { 4, 0, 16 }, bad_op, 3, true };
    refused(&op, NULL, "malformed segmented");
    /* an indirect segment pointing at itself would never end */
    const uint16_t loop[] = { 2, 1, 0, 0 };
    const struct table l = { { 4, 0, 16 }, loop, 4, true };
    refused(&l, NULL, "malformed segmented");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sixteen_bit_entries_round_to_eight),
        cmocka_unit_test(eight_bit_entries_packed_or_one_per_word),
        cmocka_unit_test(signed_first_mapped_value),
        cmocka_unit_test(segmented_tables_expand),
        cmocka_unit_test(broken_tables_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
