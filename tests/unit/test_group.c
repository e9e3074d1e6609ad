/* Unit tests for lib/select/group.c: duplicates merged or refused by
 * content, one study under two Patient IDs, invented Patient IDs, order. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "select.h"

static const uint32_t tags[] = { TAG_SOP_CLASS, TAG_SOP_INSTANCE,
                                 TAG_STUDY_DATE, TAG_PATIENT_ID,
                                 TAG_STUDY_UID, TAG_SERIES_UID,
                                 TAG_SERIES_NUMBER, TAG_INSTANCE_NUMBER, 0 };

static char dir[] = "/tmp/pdiburn-test-catalogXXXXXX";

static struct pdb_instance *inst(const char *name, const char *content,
                                 const char *sop, const char *pid,
                                 const char *study, const char *series,
                                 const char *series_no, const char *number)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(content, f);
    fclose(f);
    const char *values[] = { "1.2.840.10008.5.1.4.1.1.2", sop, "20240101",
                             pid, study, series, series_no, number };
    struct pdb_instance *i = fx_instance(path, tags, values);
    i->size = strlen(content);
    return i;
}

static int setup(void **state)
{
    (void) state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    return 0;
}

static void select_all(struct pdb_inventory *cat)
{
    for (size_t i = 0; i < cat->nstudies; i++)
        cat->studies[i]->selected = true;
}

static void identical_copies_go_on_once(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdb_instance *all[] = {
        inst("a", "same", "1.1", "P", "9.1", "9.1.1", "1", "1"),
        inst("b", "same", "1.1", "P", "9.1", "9.1.1", "1", "1"),
        inst("c", "other", "1.2", "P", "9.1", "9.1.1", "1", "2"),
    };
    fx_catalog(&cat, all, 3);
    select_all(&cat);
    assert_true(pdb_group_check(&cat, &log, NULL));
    assert_int_equal(cat.studies[0]->series[0]->ninstances, 2);
    assert_int_equal(log.warnings, 1);
    pdb_inventory_free(&cat);
}

static void same_uid_different_content_is_refused(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    struct pdb_instance *all[] = {
        inst("a", "this", "1.1", "P", "9.1", "9.1.1", "1", "1"),
        inst("b", "that", "1.1", "P", "9.1", "9.1.1", "1", "1"),
    };
    fx_catalog(&cat, all, 2);
    select_all(&cat);
    assert_false(pdb_group_check(&cat, &log, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_DICOM);
    assert_non_null(strstr(pdiburn_error_message(err), "/a'"));
    assert_non_null(strstr(pdiburn_error_message(err), "/b'"));
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

static void one_study_two_patients_is_refused(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    struct pdb_instance *all[] = {
        inst("a", "1", "1.1", "SECRET_A", "9.1", "9.1.1", "1", "1"),
        inst("b", "2", "1.2", "SECRET_B", "9.1", "9.1.1", "1", "2"),
    };
    fx_catalog(&cat, all, 2);
    select_all(&cat);
    assert_false(pdb_group_check(&cat, &log, &err));
    assert_null(strstr(pdiburn_error_message(err), "SECRET")); /* no PHI */
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

static void series_sorted_by_number_and_ids_invented(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdb_instance *all[] = {
        inst("a", "1", "1.1", "", "9.1", "9.1.9", "10", "1"),
        inst("b", "2", "1.2", "", "9.1", "9.1.1", "2", "1"),
        inst("c", "3", "1.3", "P2", "9.2", "9.2.1", "1", "1"),
    };
    fx_catalog(&cat, all, 3);
    assert_string_equal(cat.studies[0]->series[0]->uid, "9.1.1");
    select_all(&cat);
    assert_true(pdb_group_check(&cat, &log, NULL));
    assert_true(pdb_group_patients(&cat, NULL));
    assert_int_equal(cat.npatients, 2);
    assert_string_equal(cat.patients[0]->id, "9.1"); /* from the study */
    assert_string_equal(cat.patients[1]->id, "P2");
    pdb_inventory_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_copies_go_on_once),
        cmocka_unit_test(same_uid_different_content_is_refused),
        cmocka_unit_test(one_study_two_patients_is_refused),
        cmocka_unit_test(series_sorted_by_number_and_ids_invented),
    };
    return cmocka_run_group_tests_name("inventory", tests, setup, teardown);
}
