/* Unit tests for lib/content/dirrecord.c, dicomdir.c and dicomdir_reader.c: the
 * record tree of a small inventory, encoded, read back: offsets, types,
 * references, character sets, invented keys. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirrecord.h"
#include "fixtures.h"
#include "verify.h"
#include "dicom.h"
#include "select.h"

static const uint32_t tags[] = { TAG_SPECIFIC_CHARSET, TAG_SOP_CLASS,
                                 TAG_SOP_INSTANCE, TAG_STUDY_DATE,
                                 0x00080030, TAG_MODALITY, TAG_PATIENT_NAME,
                                 TAG_PATIENT_ID, TAG_STUDY_UID,
                                 TAG_SERIES_UID, TAG_STUDY_ID,
                                 TAG_SERIES_NUMBER, TAG_INSTANCE_NUMBER, 0 };

struct fixture {
    struct pdb_inventory cat;
    struct pdb_log log;
    uint8_t *file;
    size_t len;
    struct pdb_dicomdir dir;
};

static struct pdb_instance *image(const char *sop, const char *number)
{
    const char *values[] = { "ISO_IR 100", "1.2.840.10008.5.1.4.1.1.2", sop,
                             "20240105", "101500", "CT",
                             "M\xfcller^J\xfcrgen", "PID001", "9.1", "9.1.1",
                             "", "3", number };
    struct pdb_instance *inst = fx_instance(sop, tags, values);
    snprintf(inst->file_id, sizeof(inst->file_id),
             "DICOM/PT000001/ST000001/SE000001/IM00000%s", sop + 6);
    return inst;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pdb_instance *all[] = { image("9.1.1.1", "1"),
                                   image("9.1.1.2", "") };
    fx_catalog(&f->cat, all, 2);
    f->cat.studies[0]->selected = true;
    pdb_group_check(&f->cat, &f->log, NULL);
    pdb_group_patients(&f->cat, &(struct pdb_log) { 0 }, NULL);
    all[1]->number = 7; /* as plan.c would number it */
    struct pdb_record *roots = NULL;
    assert_true(pdb_records_build(&f->cat, PDB_PROFILE_CD, &f->log, &roots,
                                  NULL));
    assert_true(pdb_dicomdir_encode(roots, "TEST_SET", "2.25.1", &f->file,
                                    &f->len, NULL));
    pdb_records_free(roots);
    assert_true(pdb_dicomdir_parse(f->file, f->len, &f->dir, NULL));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pdb_dicomdir_free(&f->dir);
    free(f->file);
    pdb_inventory_free(&f->cat);
    free(f);
    return 0;
}

static void tree_is_linked_by_offsets(void **state)
{
    struct fixture *f = *state;
    struct pdb_dicomdir *d = &f->dir;
    assert_string_equal(d->fileset_id, "TEST_SET");
    assert_int_equal(d->nrecords, 5);
    struct pdb_dir_record *patient = pdb_dicomdir_at(d, d->first_root);
    assert_non_null(patient);
    assert_string_equal(patient->type, "PATIENT");
    assert_int_equal(patient->next, 0);
    struct pdb_dir_record *study = pdb_dicomdir_at(d, patient->lower);
    assert_string_equal(study->type, "STUDY");
    struct pdb_dir_record *series = pdb_dicomdir_at(d, study->lower);
    assert_string_equal(series->type, "SERIES");
    struct pdb_dir_record *first = pdb_dicomdir_at(d, series->lower);
    assert_string_equal(first->type, "IMAGE");
    struct pdb_dir_record *second = pdb_dicomdir_at(d, first->next);
    assert_non_null(second);
    assert_int_equal(second->next, 0);
    assert_int_equal(second->lower, 0);
    /* each offset points at an item tag */
    assert_int_equal(pdb_le16(f->file + second->offset), 0xFFFE);
    assert_int_equal(pdb_le16(f->file + second->offset + 2), 0xE000);
}

static void leaf_records_reference_their_files(void **state)
{
    struct fixture *f = *state;
    const struct pdb_dir_record *r = &f->dir.records[3];
    assert_string_equal(r->file_id, "DICOM/PT000001/ST000001/SE000001/IM000001");
    assert_string_equal(r->sop_uid, "9.1.1.1");
    assert_string_equal(r->ts, PDB_TS_EXPLICIT_LE);
}

/* The record's keys: find one in the item starting at `offset`. */
static bool record_string(const struct fixture *f, uint32_t offset,
                          uint32_t tag, char *out, size_t n)
{
    uint32_t len = pdb_le32(f->file + offset + 4);
    return pdb_elem_get_string(f->file + offset + 8, len, PDB_EXPLICIT_LE, tag,
                               out, n);
}

static void names_keep_their_character_set(void **state)
{
    struct fixture *f = *state;
    char s[64];
    uint32_t patient = f->dir.first_root;
    assert_true(record_string(f, patient, TAG_PATIENT_NAME, s, sizeof(s)));
    assert_string_equal(s, "M\xfcller^J\xfcrgen"); /* bytes, not flattened */
    assert_true(record_string(f, patient, TAG_SPECIFIC_CHARSET, s, sizeof(s)));
    assert_string_equal(s, "ISO_IR 100");
    /* an all-ASCII record needs no character set */
    assert_false(record_string(f, f->dir.records[2].offset,
                               TAG_SPECIFIC_CHARSET, s, sizeof(s)));
}

static void missing_keys_are_invented_with_warnings(void **state)
{
    struct fixture *f = *state;
    char s[64];
    assert_true(record_string(f, f->dir.records[1].offset, TAG_STUDY_ID, s,
                              sizeof(s)));
    assert_string_equal(s, "ST000001");
    assert_true(record_string(f, f->dir.records[4].offset,
                              TAG_INSTANCE_NUMBER, s, sizeof(s)));
    assert_string_equal(s, "7");
    assert_int_equal(f->log.warnings, 2);
}

static void record_types_by_sop_class(void **state)
{
    (void) state;
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.88.11"),
                        "SR DOCUMENT");
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.88.59"),
                        "KEY OBJECT DOC");
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.104.1"),
                        "ENCAP DOC");
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.11.1"),
                        "PRESENTATION");
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.481.2"),
                        "RT DOSE");
    assert_string_equal(pdb_records_type_of("1.2.840.10008.5.1.4.1.1.2"),
                        "IMAGE");
}

static void corrupt_directories_are_rejected(void **state)
{
    struct fixture *f = *state;
    struct pdb_dicomdir d;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_dicomdir_parse(f->file, f->len - 10, &d, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_VERIFY);
    pdiburn_error_free(err);
    err = NULL;
    f->file[128] = 'X';
    assert_false(pdb_dicomdir_parse(f->file, f->len, &d, &err));
    pdiburn_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(tree_is_linked_by_offsets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(leaf_records_reference_their_files,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(names_keep_their_character_set, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            missing_keys_are_invented_with_warnings, setup, teardown),
        cmocka_unit_test(record_types_by_sop_class),
        cmocka_unit_test_setup_teardown(corrupt_directories_are_rejected,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("dicomdir", tests, NULL, NULL);
}
