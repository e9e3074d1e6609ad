/* Unit tests for lib/dicom/fileid.c: File IDs, File-set IDs, Level 1 names. */
#include "cmocka_pre.h"
#include <string.h>

#include "core.h"
#include "dicom.h"

static void valid_ids_pass(void **state)
{
    (void) state;
    assert_true(pdb_fileid_valid("DICOMDIR"));
    assert_true(pdb_fileid_valid("DICOM/PT000001/ST000001/SE000001/IM000001"));
    assert_true(pdb_fileid_valid("A/B/C/D/E/F/G/H"));
}

static void invalid_ids_are_rejected(void **state)
{
    (void) state;
    assert_false(pdb_fileid_valid(""));
    assert_false(pdb_fileid_valid("IMG000001"));  /* nine characters */
    assert_false(pdb_fileid_valid("img1"));       /* lower case */
    assert_false(pdb_fileid_valid("IM.DCM"));     /* no extensions */
    assert_false(pdb_fileid_valid("A//B"));       /* empty component */
    assert_false(pdb_fileid_valid("A/B/C/D/E/F/G/H/I")); /* nine levels */
    assert_false(pdb_fileid_valid("A B"));        /* space excluded, 8.5 */
}

static void components_are_numbered(void **state)
{
    (void) state;
    char c[9];
    assert_true(pdb_fileid_component(c, "PT", 1, NULL));
    assert_string_equal(c, "PT000001");
    assert_true(pdb_fileid_component(c, "IM", 999999, NULL));
    assert_string_equal(c, "IM999999");
}

static void component_overflow_is_a_capacity_error(void **state)
{
    (void) state;
    char c[9];
    struct pdiburn_error *err = NULL;
    assert_false(pdb_fileid_component(c, "IM", 1000000, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_CAPACITY);
    assert_non_null(strstr(pdiburn_error_message(err), "IM"));
    pdiburn_error_free(err);
}

static void fileset_ids(void **state)
{
    (void) state;
    assert_true(pdb_fileset_id_valid(""));
    assert_true(pdb_fileset_id_valid("PDI_20261128"));
    assert_true(pdb_fileset_id_valid("ABCDEFGHIJKLMNOP"));
    assert_false(pdb_fileset_id_valid("ABCDEFGHIJKLMNOPQ"));
    assert_false(pdb_fileset_id_valid("MY DISC"));
    assert_false(pdb_fileset_id_valid("disc"));
}

static void level1_names(void **state)
{
    (void) state;
    assert_true(pdb_iso_level1_name_valid("README.TXT", false));
    assert_true(pdb_iso_level1_name_valid("DICOMDIR", false));
    assert_true(pdb_iso_level1_name_valid("VIEWER", true));
    assert_false(pdb_iso_level1_name_valid("VIEWER.JS2X", false));
    assert_false(pdb_iso_level1_name_valid("LONGNAME1.TXT", false));
    assert_false(pdb_iso_level1_name_valid("A.B.C", false));
    assert_false(pdb_iso_level1_name_valid("DIR.X", true));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_ids_pass),
        cmocka_unit_test(invalid_ids_are_rejected),
        cmocka_unit_test(components_are_numbered),
        cmocka_unit_test(component_overflow_is_a_capacity_error),
        cmocka_unit_test(fileset_ids),
        cmocka_unit_test(level1_names),
    };
    return cmocka_run_group_tests_name("fileid", tests, NULL, NULL);
}
