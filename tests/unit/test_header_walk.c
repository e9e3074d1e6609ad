/* Unit tests for lib/source/header_walk.c: the identifiers it keeps, where
 * it finds the header's end, sequences nested too deep (undefined and
 * defined lengths, Implicit VR), and walks that stop without judging. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

static void put16(struct pdb_buf *b, uint16_t v) { pdb_buf_add_u16(b, v); }

static void tag(struct pdb_buf *b, uint32_t t)
{
    put16(b, (uint16_t) (t >> 16));
    put16(b, (uint16_t) t);
}

static void implicit_header(struct pdb_buf *b, uint32_t t, uint32_t len)
{
    tag(b, t);
    pdb_buf_add_u32(b, len);
}

/* Preamble, DICM and a meta group naming `ts`. */
static void meta(struct pdb_buf *b, const char *ts)
{
    static const uint8_t zero[128];
    pdb_buf_add(b, zero, sizeof(zero));
    pdb_buf_add_str(b, "DICM");
    pdb_elem_put_str(b, 0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.2");
    pdb_elem_put_str(b, 0x00020003, "UI", "1.2.3.4");
    pdb_elem_put_str(b, 0x00020010, "UI", ts);
}

/* `depth` sequences of undefined length, each in an item of the last. */
static void nest_undefined(struct pdb_buf *b, unsigned depth)
{
    for (unsigned i = 0; i < depth; i++) {
        pdb_elem_put_header(b, 0x0040A730, "SQ", 0xFFFFFFFFu);
        implicit_header(b, 0xFFFEE000u, 0xFFFFFFFFu);
    }
    for (unsigned i = 0; i < depth; i++) {
        implicit_header(b, 0xFFFEE00Du, 0);
        implicit_header(b, 0xFFFEE0DDu, 0);
    }
}

/* The same nest in Implicit VR with defined lengths, built inside out. */
static void nest_defined_implicit(struct pdb_buf *b, unsigned depth)
{
    struct pdb_buf in = { 0 };
    for (unsigned i = 0; i < depth; i++) {
        struct pdb_buf out = { 0 };
        implicit_header(&out, 0x0040A730, (uint32_t) in.len + 8);
        implicit_header(&out, 0xFFFEE000u, (uint32_t) in.len);
        pdb_buf_add(&out, in.data, in.len);
        pdb_buf_free(&in);
        in = out;
    }
    pdb_buf_add(b, in.data, in.len);
    pdb_buf_free(&in);
}

static void walk(struct pdb_buf *b, struct pdb_walked_head *h)
{
    char path[] = "/tmp/pdiburn-test-headXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_true(pdb_fs_write_all(fd, b->data, b->len));
    assert_true(pdb_head_walk(fd, b->len, false, h));
    close(fd);
    pdb_buf_free(b);
}

static void keeps_identifiers_and_finds_the_pixels(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    meta(&b, PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00080018, "UI", "1.2.3.4");
    pdb_elem_put_str(&b, 0x00100020, "LO", "PID7");
    pdb_elem_put_str(&b, 0x00100021, "LO", "HOSP");
    nest_undefined(&b, 3);
    pdb_elem_put_str(&b, 0x0020000D, "UI", "1.2.3");
    pdb_elem_put_str(&b, 0x0020000E, "UI", "1.2.3.1");
    size_t pixels = b.len;
    pdb_elem_put(&b, 0x7FE00010, "OW", "\1\2\3\4", 4);
    struct pdb_walked_head h;
    walk(&b, &h);
    assert_true(h.has_meta && h.meta_ts_present && h.pixels_found);
    assert_false(h.too_deep);
    assert_string_equal(h.meta_ts, PDB_TS_EXPLICIT_LE);
    assert_string_equal(h.meta_sop_uid, "1.2.3.4");
    assert_string_equal(h.patient_id, "PID7");
    assert_string_equal(h.issuer, "HOSP");
    assert_string_equal(h.study_uid, "1.2.3");
    assert_string_equal(h.series_uid, "1.2.3.1");
    assert_int_equal(h.end, pixels);
}

static void refuses_nesting_past_the_limit(void **state)
{
    (void) state;
    struct pdb_walked_head h;
    for (unsigned depth = PDB_MAX_NESTING; depth <= PDB_MAX_NESTING + 1;
         depth++) {
        struct pdb_buf b = { 0 };
        meta(&b, PDB_TS_EXPLICIT_LE);
        pdb_elem_put_str(&b, 0x00100020, "LO", "PID7");
        nest_undefined(&b, depth);
        walk(&b, &h);
        assert_int_equal(h.too_deep, depth > PDB_MAX_NESTING);
        assert_string_equal(h.patient_id, "PID7"); /* what it passed */
    }
    struct pdb_buf b = { 0 };
    meta(&b, PDB_TS_IMPLICIT_LE);
    nest_defined_implicit(&b, PDB_MAX_NESTING + 1);
    walk(&b, &h);
    assert_true(h.too_deep);
    b = (struct pdb_buf) { 0 };
    nest_defined_implicit(&b, 6000); /* a bare data set, no meta */
    walk(&b, &h);
    assert_true(h.too_deep);
}

/* Encapsulated pixel data of an icon, inside an item: fragments, not
 * elements, however their bytes look. */
static void fragments_are_not_walked(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    meta(&b, PDB_TS_EXPLICIT_LE);
    pdb_elem_put_header(&b, 0x00880200, "SQ", 0xFFFFFFFFu);
    implicit_header(&b, 0xFFFEE000u, 0xFFFFFFFFu);
    pdb_elem_put_header(&b, 0x7FE00010, "OB", 0xFFFFFFFFu);
    implicit_header(&b, 0xFFFEE000u, 0); /* offset table */
    uint8_t looks_like_sq[16] = { 0x40, 0x00, 0x30, 0xA7, 'S', 'Q', 0, 0,
                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0x00,
                                  0xE0 };
    implicit_header(&b, 0xFFFEE000u, sizeof(looks_like_sq));
    pdb_buf_add(&b, looks_like_sq, sizeof(looks_like_sq));
    implicit_header(&b, 0xFFFEE0DDu, 0);
    implicit_header(&b, 0xFFFEE00Du, 0);
    implicit_header(&b, 0xFFFEE0DDu, 0);
    pdb_elem_put_str(&b, 0x00100020, "LO", "AFTER");
    struct pdb_walked_head h;
    walk(&b, &h);
    assert_false(h.too_deep);
    assert_string_equal(h.patient_id, "AFTER");
}

/* A cut file or a deflated data set ends the walk without a verdict: the
 * header is then the whole file, and DCMTK judges it. */
static void stops_without_judging(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    meta(&b, PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00100020, "LO", "PID7");
    pdb_elem_put_header(&b, 0x00091010, "OB", 1000); /* the value is missing */
    size_t len = b.len;
    struct pdb_walked_head h;
    walk(&b, &h);
    assert_false(h.too_deep || h.pixels_found);
    assert_int_equal(h.end, len);
    assert_string_equal(h.patient_id, "PID7");
    b = (struct pdb_buf) { 0 };
    meta(&b, PDB_TS_DEFLATED);
    pdb_buf_add_str(&b, "\x78\x9c compressed bytes");
    len = b.len;
    walk(&b, &h);
    assert_false(h.too_deep);
    assert_int_equal(h.end, len);
    assert_string_equal(h.meta_ts, PDB_TS_DEFLATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keeps_identifiers_and_finds_the_pixels),
        cmocka_unit_test(refuses_nesting_past_the_limit),
        cmocka_unit_test(fragments_are_not_walked),
        cmocka_unit_test(stops_without_judging),
    };
    return cmocka_run_group_tests_name("header_walk", tests, NULL, NULL);
}
