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
    assert_true(pdb_group_patients(&cat, &(struct pdb_log) { 0 }, NULL));
    assert_int_equal(cat.npatients, 2);
    assert_string_equal(cat.patients[0]->id, "9.1"); /* from the study */
    assert_string_equal(cat.patients[1]->id, "P2");
    pdb_inventory_free(&cat);
}

/* ---- one Patient ID, one person (patient_identity.c) -------------------- */

static const uint32_t person_tags[] = { TAG_SOP_CLASS, TAG_SOP_INSTANCE,
                                        TAG_STUDY_DATE, TAG_PATIENT_NAME,
                                        TAG_PATIENT_ID, TAG_ISSUER,
                                        TAG_BIRTH_DATE, TAG_PATIENT_SEX,
                                        TAG_STUDY_UID, TAG_SERIES_UID, 0 };

/* A study `n` (dated 2024-0n-01) of the patient described. */
static struct pdb_instance *visit(unsigned n, const char *name,
                                  const char *issuer, const char *birth,
                                  const char *sex)
{
    char sop[16], date[16], study[16], series[16], path[32];
    snprintf(sop, sizeof(sop), "1.%u", n);
    snprintf(date, sizeof(date), "20240%u01", n);
    snprintf(study, sizeof(study), "9.%u", n);
    snprintf(series, sizeof(series), "9.%u.1", n);
    snprintf(path, sizeof(path), "visit%u.dcm", n);
    const char *values[] = { "1.2.840.10008.5.1.4.1.1.2", sop, date, name,
                             "P1", issuer, birth, sex, study, series };
    return fx_instance(path, person_tags, values);
}

static bool group(struct pdb_instance **all, size_t n, struct pdb_log *log,
                  struct pdb_inventory *cat, struct pdiburn_error **err)
{
    fx_catalog(cat, all, n);
    select_all(cat);
    return pdb_group_check(cat, log, err) && pdb_group_patients(cat, log, err);
}

static void two_people_behind_one_id_are_refused(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    struct pdb_instance *all[] = { visit(1, "A^A", "HOSP_A", "19500101", "F"),
                                   visit(2, "B^B", "HOSP_B", "19500101", "F") };
    assert_false(group(all, 2, &log, &cat, &err));
    const char *msg = pdiburn_error_message(err);
    assert_non_null(strstr(msg, "their Issuer of Patient ID differ"));
    assert_non_null(strstr(msg, "'visit1.dcm'"));
    assert_non_null(strstr(msg, "'visit2.dcm'"));
    assert_null(strstr(msg, "19500101")); /* not without --verbose */
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

/* Birth date or sex alone tell people apart; a value missing on one side
 * does not. */
static void missing_values_do_not_count(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    struct pdb_instance *all[] = { visit(1, "A^A", "", "19500101", "F"),
                                   visit(2, "A^A", "HOSP_A", "", "F"),
                                   visit(3, "A^A", "HOSP_A", "19500101", "") };
    assert_true(group(all, 3, &log, &cat, NULL));
    assert_int_equal(cat.npatients, 1);
    assert_int_equal(log.warnings, 0);
    pdb_inventory_free(&cat);
    struct pdb_instance *sexes[] = { visit(1, "A^A", "H", "19500101", "F"),
                                     visit(2, "A^A", "H", "19500101", "M") };
    assert_false(group(sexes, 2, &log, &cat, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "their sex differ"));
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

static void a_renamed_patient_shows_the_newest_name(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_log log = { 0 };
    struct pdb_instance *all[] = {
        visit(3, "New^Name", "H", "19500101", "F"),
        visit(1, "Old^Name", "H", "19500101", "F"),
        visit(2, "Old^Name", "H", "19500101", "F"),
    };
    assert_true(group(all, 3, &log, &cat, NULL));
    assert_int_equal(cat.npatients, 1);
    assert_int_equal(log.warnings, 1);
    char name[64];
    pdb_instance_string(cat.patients[0]->shown, TAG_PATIENT_NAME, name,
                        sizeof(name));
    assert_string_equal(name, "New^Name");
    pdb_inventory_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identical_copies_go_on_once),
        cmocka_unit_test(same_uid_different_content_is_refused),
        cmocka_unit_test(one_study_two_patients_is_refused),
        cmocka_unit_test(series_sorted_by_number_and_ids_invented),
        cmocka_unit_test(two_people_behind_one_id_are_refused),
        cmocka_unit_test(missing_values_do_not_count),
        cmocka_unit_test(a_renamed_patient_shows_the_newest_name),
    };
    return cmocka_run_group_tests_name("inventory", tests, setup, teardown);
}
