/* Unit tests for lib/dicom/element_writer.c and lib/dicom/element_reader.c: elements written
 * in Explicit VR LE read back, nested undefined lengths, other syntaxes,
 * truncation detected rather than read past, and which VRs have long
 * lengths. */
#include "cmocka_pre.h"
#include <string.h>

#include "core.h"
#include "dicom.h"

static void put_raw(struct pdb_buf *b, const uint8_t *bytes, size_t n)
{
    pdb_buf_add(b, bytes, n);
}

static void strings_round_trip_with_padding(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    pdb_elem_put_str(&b, 0x00080016, "UI", "1.2.3");  /* odd: NUL pad */
    pdb_elem_put_str(&b, 0x00100010, "PN", "DOE^JO"); /* even */
    pdb_elem_put_str(&b, 0x00100020, "LO", "ID7");    /* odd: space pad */
    pdb_elem_put_us(&b, 0x00280010, 512);
    char s[65];
    assert_true(pdb_elem_get_string(b.data, b.len, PDB_EXPLICIT_LE, 0x00080016,
                                    s, sizeof(s)));
    assert_string_equal(s, "1.2.3");
    assert_true(pdb_elem_get_string(b.data, b.len, PDB_EXPLICIT_LE, 0x00100020,
                                    s, sizeof(s)));
    assert_string_equal(s, "ID7");
    uint16_t rows = 0;
    assert_true(
        pdb_elem_get_u16(b.data, b.len, PDB_EXPLICIT_LE, 0x00280010, &rows));
    assert_int_equal(rows, 512);
    assert_int_equal(b.len % 2, 0);
    assert_false(pdb_elem_get_string(b.data, b.len, PDB_EXPLICIT_LE, 0x00100030,
                                     s, sizeof(s)));
    pdb_buf_free(&b);
}

/* (0040,A730) SQ of undefined length, one item of undefined length with a
 * CS inside, then a following element that must still be found. */
static void nested_undefined_lengths(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    pdb_elem_put_header(&b, 0x0040A730, "SQ", 0xFFFFFFFF);
    const uint8_t item[] = { 0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF };
    put_raw(&b, item, sizeof(item));
    pdb_elem_put_str(&b, 0x0040A010, "CS", "HAS CONCEPT MOD");
    const uint8_t item_end[] = { 0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0 };
    const uint8_t seq_end[] = { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 };
    put_raw(&b, item_end, sizeof(item_end));
    put_raw(&b, seq_end, sizeof(seq_end));
    pdb_elem_put_str(&b, 0x00420010, "ST", "COMPLETE");

    struct pdb_elem seq;
    assert_true(
        pdb_elem_find(b.data, b.len, PDB_EXPLICIT_LE, 0x0040A730, &seq));
    assert_true(seq.undefined);
    size_t pos = 0;
    const uint8_t *body;
    size_t body_len;
    assert_int_equal(
        pdb_elem_next_item(&seq, &pos, PDB_EXPLICIT_LE, &body, &body_len), 1);
    char s[32];
    assert_true(pdb_elem_get_string(body, body_len, PDB_EXPLICIT_LE, 0x0040A010,
                                    s, sizeof(s)));
    assert_string_equal(s, "HAS CONCEPT MOD");
    assert_int_equal(
        pdb_elem_next_item(&seq, &pos, PDB_EXPLICIT_LE, &body, &body_len), 0);
    assert_true(pdb_elem_get_string(b.data, b.len, PDB_EXPLICIT_LE, 0x00420010,
                                    s, sizeof(s)));
    assert_string_equal(s, "COMPLETE");
    pdb_buf_free(&b);
}

static void implicit_and_big_endian(void **state)
{
    (void) state;
    const uint8_t implicit[] = { 0x08, 0x00, 0x60, 0x00, 2, 0, 0, 0, 'C', 'T' };
    char s[8];
    assert_true(pdb_elem_get_string(implicit, sizeof(implicit), PDB_IMPLICIT_LE,
                                    0x00080060, s, sizeof(s)));
    assert_string_equal(s, "CT");
    const uint8_t big[] = { 0x00, 0x28, 0x00, 0x10, 'U', 'S', 0, 2, 0x01, 0x00 };
    uint16_t rows = 0;
    assert_true(
        pdb_elem_get_u16(big, sizeof(big), PDB_EXPLICIT_BE, 0x00280010, &rows));
    assert_int_equal(rows, 256);
}

static void truncation_is_reported(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    pdb_elem_put_str(&b, 0x00100010, "PN", "SOMEBODY^WITH^A^NAME");
    size_t pos = 0;
    struct pdb_elem e;
    assert_int_equal(
        pdb_elem_next(b.data, b.len - 3, &pos, PDB_EXPLICIT_LE, &e), -1);
    pos = 0;
    assert_int_equal(pdb_elem_next(b.data, 5, &pos, PDB_EXPLICIT_LE, &e), -1);
    pos = b.len;
    assert_int_equal(pdb_elem_next(b.data, b.len, &pos, PDB_EXPLICIT_LE, &e),
                     0);
    pdb_buf_free(&b);
}

static void meta_information_is_complete(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    assert_true(pdb_elem_put_meta(&b, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4",
                                  PDB_TS_EXPLICIT_LE));
    assert_memory_equal(b.data + 128, "DICM", 4);
    for (int i = 0; i < 128; i++)
        assert_int_equal(b.data[i], 0); /* PS3.10 7.5: nothing executable */
    struct pdb_elem gl;
    assert_true(pdb_elem_find(b.data + 132, b.len - 132, PDB_EXPLICIT_LE,
                              0x00020000, &gl));
    assert_int_equal(pdb_le32(gl.value), b.len - 132 - 12);
    char s[65];
    assert_true(pdb_elem_get_string(b.data + 132, b.len - 132, PDB_EXPLICIT_LE,
                                    0x00020012, s, sizeof(s)));
    assert_string_equal(s, PDB_IMPLEMENTATION_UID);
    pdb_buf_free(&b);
}

/* Every two-letter VR, and what is not one: only PS3.5 Table 7.1-1's
 * thirteen have a 4-byte length. */
static void long_lengths_are_the_table(void **state)
{
    (void) state;
    static const char *const table = "OB OD OF OL OV OW SQ SV UC UN UR UT UV";
    char vr[3] = "";
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            vr[0] = (char) a;
            vr[1] = (char) b;
            bool listed = a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' &&
                          strstr(table, vr) != NULL;
            assert_int_equal(pdb_vr_has_long_length(vr), listed);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_round_trip_with_padding),
        cmocka_unit_test(nested_undefined_lengths),
        cmocka_unit_test(implicit_and_big_endian),
        cmocka_unit_test(truncation_is_reported),
        cmocka_unit_test(meta_information_is_complete),
        cmocka_unit_test(long_lengths_are_the_table),
    };
    return cmocka_run_group_tests_name("dcmread", tests, NULL, NULL);
}
