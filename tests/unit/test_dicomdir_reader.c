/* Unit tests for lib/verify/dicomdir_reader.c, the strict reader: a good
 * DICOMDIR (two patients, an SR record with a nested code sequence) reads
 * back; each kind of damage other readers reject fails it with the
 * offset or key named: meta group length, Type 1 meta, VR and length of
 * fixed keys, repertoire of CS and UI keys, tags out of order, reserved
 * bytes, offsets inside a record or outside the file, in-use flag,
 * consistency flag, damage inside a nested item, truncation.  A wrong
 * (0004,1202) reads, for checks.c to report. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>

#include "dirrecord.h"
#include "verify.h"

static struct pdb_record *record(const char *type, const char *key_vr,
                                 uint32_t tag, const char *value)
{
    struct pdb_record *r = calloc(1, sizeof(*r));
    pdb_elem_put_str(&r->body, 0x00041430, "CS", type);
    if (tag)
        pdb_elem_put_str(&r->body, tag, key_vr, value);
    return r;
}

/* An SR leaf: File ID, UIDs, and a Concept Name Code Sequence with one
 * item of defined length. */
static struct pdb_record *sr_record(void)
{
    struct pdb_record *r = record("SR DOCUMENT", NULL, 0, NULL);
    pdb_elem_put_str(&r->body, 0x00041500, "CS", "DICOM\\SR000001");
    pdb_elem_put_str(&r->body, 0x00041510, "UI",
                     "1.2.840.10008.5.1.4.1.1.88.11");
    pdb_elem_put_str(&r->body, 0x00041511, "UI", "2.25.7");
    pdb_elem_put_str(&r->body, 0x00041512, "UI", PDB_TS_EXPLICIT_LE);
    struct pdb_buf item = { 0 };
    pdb_elem_put_str(&item, 0x00080100, "SH", "18748-4");
    pdb_elem_put_str(&item, 0x00080102, "SH", "LN");
    pdb_elem_put_header(&r->body, 0x0040A043, "SQ", (uint32_t) item.len + 8);
    pdb_buf_add_u16(&r->body, 0xFFFE);
    pdb_buf_add_u16(&r->body, 0xE000);
    pdb_buf_add_u32(&r->body, (uint32_t) item.len);
    pdb_buf_add(&r->body, item.data, item.len);
    pdb_buf_free(&item);
    return r;
}

struct fixture {
    uint8_t *file;
    size_t len;
    struct pdb_dicomdir dir;
};

/* PATIENT(P1) > STUDY > SERIES > SR; PATIENT(P2). */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pdb_record *p1 = record("PATIENT", "LO", 0x00100020, "P1");
    struct pdb_record *st = record("STUDY", "DA", 0x00080020, "20240101");
    struct pdb_record *se = record("SERIES", "CS", 0x00080060, "SR");
    p1->child = p1->last_child = st;
    st->child = st->last_child = se;
    se->child = se->last_child = sr_record();
    p1->next = record("PATIENT", "LO", 0x00100020, "P2");
    assert_true(
        pdb_dicomdir_encode(p1, "SET", "2.25.1", &f->file, &f->len, NULL));
    pdb_records_free(p1);
    assert_true(pdb_dicomdir_parse(f->file, f->len, &f->dir, NULL));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pdb_dicomdir_free(&f->dir);
    free(f->file);
    free(f);
    return 0;
}

/* Parses the (damaged) file and expects failure mentioning `text`. */
static void rejected(struct fixture *f, size_t len, const char *text)
{
    struct pdb_dicomdir d;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_dicomdir_parse(f->file, len, &d, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_VERIFY);
    if (!strstr(pdiburn_error_message(err), text))
        fail_msg("'%s' does not say '%s'", pdiburn_error_message(err), text);
    pdiburn_error_free(err);
}

/* Where the value of `tag` of the record at index i is in the file. */
static size_t value_at(const struct fixture *f, size_t i, uint32_t tag)
{
    const struct pdb_dir_record *r = &f->dir.records[i];
    struct pdb_elem e;
    assert_true(pdb_elem_find(r->body, r->body_len, PDB_EXPLICIT_LE, tag, &e));
    return (size_t) (e.value - f->file);
}

static void good_directory_reads(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(f->dir.nrecords, 5);
    assert_string_equal(f->dir.records[3].type, "SR DOCUMENT");
    assert_string_equal(f->dir.records[3].file_id, "DICOM/SR000001");
    assert_int_equal(f->dir.last_root, f->dir.root_chain_end);
    assert_int_equal(f->dir.last_root, f->dir.records[4].offset);
}

static void meta_damage_is_rejected(void **state)
{
    struct fixture *f = *state;
    f->file[140] ^= 0x01; /* (0002,0000) value */
    rejected(f, f->len, "group length (0002,0000)");
    f->file[140] ^= 0x01;
    f->file[136] = 'S'; /* (0002,0000) VR "UL" -> "SL" */
    rejected(f, f->len, "(0002,0000)");
    f->file[136] = 'U';
    f->file[144 + 12 + 1] ^= 0xFF; /* (0002,0001) value 00\01 */
    rejected(f, f->len, "Version");
}

static void fixed_keys_need_their_vr_and_length(void **state)
{
    struct fixture *f = *state;
    size_t next = value_at(f, 0, 0x00041400);
    f->file[next - 4] = 'U'; /* UL -> UN would change the header size */
    f->file[next - 3] = 'S';
    rejected(f, f->len, "(0004,1400)");
}

static void code_strings_and_uids_keep_their_repertoire(void **state)
{
    struct fixture *f = *state;
    size_t type = value_at(f, 1, 0x00041430);
    f->file[type + 1] = 't'; /* "STUDY" -> "StUDY" */
    rejected(f, f->len, "outside its VR CS");
    f->file[type + 1] = 'T';
    size_t uid = value_at(f, 3, 0x00041511);
    f->file[uid] = 'x';
    rejected(f, f->len, "outside its VR UI");
}

static void tags_ascend_and_reserved_bytes_are_zero(void **state)
{
    struct fixture *f = *state;
    size_t lower = value_at(f, 2, 0x00041420);
    f->file[lower - 8 + 2] = 0x00; /* (0004,1420) -> (0004,1400) again */
    rejected(f, f->len, "out of order");
    f->file[lower - 8 + 2] = 0x20;
    size_t seq = value_at(f, 3, 0x0040A043);
    f->file[seq - 6] = 1; /* reserved bytes of the SQ header */
    rejected(f, f->len, "reserved bytes");
}

static void offsets_point_at_record_starts(void **state)
{
    struct fixture *f = *state;
    size_t next = value_at(f, 0, 0x00041400);
    uint32_t was = pdb_le32(f->file + next);
    uint32_t inside = f->dir.records[4].offset + 2;
    memcpy(f->file + next, &inside, 4);
    rejected(f, f->len, "at no record's start");
    uint32_t beyond = (uint32_t) f->len + 100;
    memcpy(f->file + next, &beyond, 4);
    rejected(f, f->len, "outside the file");
    memcpy(f->file + next, &was, 4);
}

static void flags_have_their_two_values(void **state)
{
    struct fixture *f = *state;
    size_t in_use = value_at(f, 2, 0x00041410);
    f->file[in_use] = 0x12;
    rejected(f, f->len, "In-use Flag");
    f->file[in_use] = 0xFF;
    /* the consistency flag follows (0004,1202): 12 + 10 bytes before the
     * sequence header that precedes the first record */
    size_t flag = f->dir.first_root - 12 - 2;
    f->file[flag] = 0xFF;
    rejected(f, f->len, "Consistency Flag");
}

static void damage_inside_a_nested_item_is_found(void **state)
{
    struct fixture *f = *state;
    size_t seq = value_at(f, 3, 0x0040A043);
    f->file[seq + 1] = 0x00; /* the item tag (FFFE,E000) -> (00FE,E000) */
    rejected(f, f->len, "malformed item in the sequence (0040,A043)");
}

static void truncation_is_rejected(void **state)
{
    struct fixture *f = *state;
    rejected(f, f->len - 3, "malformed");
    rejected(f, 200, "DICOMDIR");
}

static void wrong_last_root_reads_for_the_checks(void **state)
{
    struct fixture *f = *state;
    /* (0004,1202) names the SR record, as gdcmgendir would */
    size_t at = f->dir.first_root - 12 - 10 - 4;
    uint32_t sr = f->dir.records[3].offset;
    memcpy(f->file + at, &sr, 4);
    struct pdb_dicomdir d;
    assert_true(pdb_dicomdir_parse(f->file, f->len, &d, NULL));
    assert_int_equal(d.last_root, sr);
    assert_int_equal(d.root_chain_end, d.records[4].offset);
    pdb_dicomdir_free(&d);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(good_directory_reads),
        T(meta_damage_is_rejected),
        T(fixed_keys_need_their_vr_and_length),
        T(code_strings_and_uids_keep_their_repertoire),
        T(tags_ascend_and_reserved_bytes_are_zero),
        T(offsets_point_at_record_starts),
        T(flags_have_their_two_values),
        T(damage_inside_a_nested_item_is_found),
        T(truncation_is_rejected),
        T(wrong_last_root_reads_for_the_checks),
    };
    return cmocka_run_group_tests_name("dicomdir_reader", tests, NULL, NULL);
}
