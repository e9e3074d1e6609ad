/* Unit tests for lib/select/select.c (and the grouping in group.c): which
 * studies a selection takes, what it says when none, broken files. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "select.h"

static const uint32_t tags[] = { TAG_SOP_CLASS, TAG_SOP_INSTANCE,
                                 TAG_STUDY_DATE, TAG_ACCESSION, TAG_MODALITY,
                                 TAG_PATIENT_ID, TAG_STUDY_UID,
                                 TAG_SERIES_UID, 0 };

static struct pdb_instance *inst(const char *sop, const char *date,
                                 const char *acc, const char *modality,
                                 const char *pid, const char *study)
{
    char series[64];
    snprintf(series, sizeof(series), "%s.%s", study, modality[0] == 'S' ? "2" : "1");
    const char *values[] = { "1.2.840.10008.5.1.4.1.1.2", sop, date, acc,
                             modality, pid, study, series };
    return fx_instance(sop, tags, values);
}

struct fixture {
    struct pdb_inventory cat;
    struct pdb_selection sel;
    struct pdb_log log;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct pdb_instance *all[] = {
        inst("1.1", "20230105", "A1", "CT", "P1", "9.1"),
        inst("1.2", "20230105", "A1", "SR", "P1", "9.1"),
        inst("2.1", "20240301", "A2", "MR", "P1", "9.2"),
        inst("3.1", "20240301", "A3", "CT", "P2", "9.3"),
    };
    fx_catalog(&f->cat, all, 4);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pdb_inventory_free(&f->cat);
    pdb_selection_free(&f->sel);
    free(f);
    return 0;
}

static size_t selected(const struct pdb_inventory *cat, char *uids, size_t n)
{
    size_t count = 0;
    uids[0] = 0;
    for (size_t i = 0; i < cat->nstudies; i++)
        if (cat->studies[i]->selected) {
            count++;
            strncat(uids, cat->studies[i]->uid, n - strlen(uids) - 2);
            strcat(uids, " ");
        }
    return count;
}

static void grouping_makes_studies_and_series(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(f->cat.nstudies, 3);
    assert_int_equal(f->cat.studies[0]->nseries, 2); /* CT and SR */
}

static void patient_and_date_range(void **state)
{
    struct fixture *f = *state;
    char uids[256];
    assert_true(pdb_selection_add(&f->sel, PDIBURN_FILTER_PATIENT_ID, "P1",
                                  NULL));
    assert_true(pdb_selection_add(&f->sel, PDIBURN_FILTER_SINCE, "2024-01-01",
                                  NULL));
    assert_true(pdb_selection_apply(&f->sel, &f->cat, &f->log, NULL));
    assert_int_equal(selected(&f->cat, uids, sizeof(uids)), 1);
    assert_string_equal(uids, "9.2 ");
}

static void modality_selects_whole_studies(void **state)
{
    struct fixture *f = *state;
    char uids[256];
    assert_true(pdb_selection_add(&f->sel, PDIBURN_FILTER_MODALITY, "SR",
                                  NULL));
    assert_true(pdb_selection_apply(&f->sel, &f->cat, &f->log, NULL));
    assert_int_equal(selected(&f->cat, uids, sizeof(uids)), 1);
    assert_string_equal(uids, "9.1 ");
}

static void accessions_combine_with_or(void **state)
{
    struct fixture *f = *state;
    char uids[256];
    pdb_selection_add(&f->sel, PDIBURN_FILTER_ACCESSION, "A1", NULL);
    pdb_selection_add(&f->sel, PDIBURN_FILTER_ACCESSION, "A3", NULL);
    assert_true(pdb_selection_apply(&f->sel, &f->cat, &f->log, NULL));
    assert_int_equal(selected(&f->cat, uids, sizeof(uids)), 2);
}

static void no_match_says_what_was_searched(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_error *err = NULL;
    pdb_selection_add(&f->sel, PDIBURN_FILTER_STUDY_UID, "1.2.3", NULL);
    pdb_selection_add(&f->sel, PDIBURN_FILTER_UNTIL, "20200101", NULL);
    assert_false(pdb_selection_apply(&f->sel, &f->cat, &f->log, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_NOMATCH);
    assert_non_null(strstr(pdiburn_error_message(err), "study 1.2.3"));
    assert_non_null(strstr(pdiburn_error_message(err), "until 20200101"));
    assert_non_null(strstr(pdiburn_error_message(err), "3 studies"));
    pdiburn_error_free(err);
}

static void bad_values_are_usage_errors(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_selection_add(&f->sel, PDIBURN_FILTER_SINCE, "2024-1-1",
                                   &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_USAGE);
    pdiburn_error_free(err);
    err = NULL;
    assert_false(pdb_selection_add(&f->sel, PDIBURN_FILTER_STUDY_UID,
                                   "not-a-uid", &err));
    pdiburn_error_free(err);
}

static void add_broken(struct pdb_inventory *cat, const char *path,
                       const char *pid, const char *study)
{
    cat->broken = realloc(cat->broken, (cat->nbroken + 1) * sizeof(*cat->broken));
    struct pdb_broken *b = &cat->broken[cat->nbroken++];
    *b = (struct pdb_broken) { .path = strdup(path),
                               .reason = strdup("truncated") };
    snprintf(b->patient_id, sizeof(b->patient_id), "%s", pid);
    snprintf(b->study_uid, sizeof(b->study_uid), "%s", study);
}

static void broken_file_of_a_selected_study_is_an_error(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_error *err = NULL;
    add_broken(&f->cat, "x/other.dcm", "", "9.3");
    add_broken(&f->cat, "x/mine.dcm", "", "9.2");
    pdb_selection_add(&f->sel, PDIBURN_FILTER_STUDY_UID, "9.3", NULL);
    assert_false(pdb_selection_apply(&f->sel, &f->cat, &f->log, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_DICOM);
    assert_non_null(strstr(pdiburn_error_message(err), "x/other.dcm"));
    pdiburn_error_free(err);

    struct pdb_selection other = { 0 };
    pdb_selection_add(&other, PDIBURN_FILTER_STUDY_UID, "9.1", NULL);
    f->cat.broken[1].study_uid[0] = 'X'; /* a study not in the inventory */
    assert_true(pdb_selection_apply(&other, &f->cat, &f->log, NULL));
    /* the second was named in the first run too */
    assert_int_equal(f->log.warnings, 3); /* both named, as ignored */
    pdb_selection_free(&other);
}

/* A study whose only file is broken is part of "every study", and of its
 * patient's studies; not of another patient's. */
static void study_made_of_broken_files(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_error *err = NULL;
    add_broken(&f->cat, "x/lonely.dcm", "P1", "9.9");
    assert_false(pdb_selection_apply(&f->sel, &f->cat, &f->log, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "x/lonely.dcm"));
    pdiburn_error_free(err);
    err = NULL;

    struct pdb_selection p1 = { 0 }, p2 = { 0 };
    pdb_selection_add(&p1, PDIBURN_FILTER_PATIENT_ID, "P1", NULL);
    assert_false(pdb_selection_apply(&p1, &f->cat, &f->log, &err));
    pdiburn_error_free(err);
    pdb_selection_add(&p2, PDIBURN_FILTER_PATIENT_ID, "P2", NULL);
    assert_true(pdb_selection_apply(&p2, &f->cat, &f->log, NULL));
    pdb_selection_free(&p1);
    pdb_selection_free(&p2);
}

/* No identifier at all: a counted warning, an error when strict. */
static void untied_file_warns_unless_strict(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_error *err = NULL;
    add_broken(&f->cat, "x/empty", "", "");
    assert_true(pdb_selection_apply(&f->sel, &f->cat, &f->log, NULL));
    assert_int_equal(f->cat.unidentified, 1);
    assert_int_equal(f->log.warnings, 1);
    f->sel.strict = true;
    assert_false(pdb_selection_apply(&f->sel, &f->cat, &f->log, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "x/empty"));
    assert_non_null(strstr(pdiburn_error_message(err), "--strict"));
    pdiburn_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(grouping_makes_studies_and_series,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(patient_and_date_range, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(modality_selects_whole_studies, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(accessions_combine_with_or, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_match_says_what_was_searched,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(bad_values_are_usage_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            broken_file_of_a_selected_study_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(study_made_of_broken_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(untied_file_warns_unless_strict,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("select", tests, NULL, NULL);
}
