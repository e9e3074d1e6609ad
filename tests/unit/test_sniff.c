/* Unit tests for lib/source/sniff.c: telling DICOM from other files. */
#include "cmocka_pre.h"
#include <string.h>

#include "source.h"

static void part10_and_bare_data_sets(void **state)
{
    (void) state;
    uint8_t h[132] = { 0 };
    memcpy(h + 128, "DICM", 4);
    assert_int_equal(pdb_sniff_bytes(h, sizeof(h)), PDB_SNIFF_PART10);
    const uint8_t implicit[] = { 0x08, 0x00, 0x05, 0x00, 0x0A, 0, 0, 0 };
    assert_int_equal(pdb_sniff_bytes(implicit, 8), PDB_SNIFF_DATASET);
    const uint8_t explicit_vr[] = { 0x08, 0x00, 0x16, 0x00, 'U', 'I', 26, 0 };
    assert_int_equal(pdb_sniff_bytes(explicit_vr, 8), PDB_SNIFF_DATASET);
    const uint8_t meta[] = { 0x02, 0x00, 0x00, 0x00, 'U', 'L', 4, 0 };
    assert_int_equal(pdb_sniff_bytes(meta, 8), PDB_SNIFF_DATASET);
}

static void other_files_are_not_dicom(void **state)
{
    (void) state;
    const char *text = "Patient notes: nothing to see here\n";
    assert_int_equal(pdb_sniff_bytes((const uint8_t *) text, strlen(text)),
                     PDB_SNIFF_NOT_DICOM);
    const uint8_t png[] = { 0x89, 'P', 'N', 'G', 13, 10, 26, 10 };
    assert_int_equal(pdb_sniff_bytes(png, 8), PDB_SNIFF_NOT_DICOM);
    assert_int_equal(pdb_sniff_bytes(png, 0), PDB_SNIFF_NOT_DICOM);
    /* group 0008 but an implausible implicit length */
    const uint8_t odd[] = { 0x08, 0x00, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0x7F };
    assert_int_equal(pdb_sniff_bytes(odd, 8), PDB_SNIFF_NOT_DICOM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(part10_and_bare_data_sets),
        cmocka_unit_test(other_files_are_not_dicom),
    };
    return cmocka_run_group_tests_name("sniff", tests, NULL, NULL);
}
