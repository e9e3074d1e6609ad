/* Unit tests for lib/plan/spanning.c: first fit of whole studies, a study
 * split by series only when no medium holds it, a series split over
 * volumes that knows where its other parts are (volume_share.c), an
 * instance too big for any medium refused, and the media capacities. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "spanning.h"
#include "select.h"

#define MB 1000000ull

static const uint32_t tags[] = { TAG_SOP_CLASS, TAG_SOP_INSTANCE,
                                 TAG_STUDY_DATE, TAG_PATIENT_ID,
                                 TAG_STUDY_UID, TAG_SERIES_UID,
                                 TAG_SERIES_NUMBER, TAG_INSTANCE_NUMBER, 0 };

/* One instance of `mb` MB in study 9.<study>, series 9.<study>.<series>,
 * studies dated in the order of their numbers. */
static struct pdb_instance *inst(unsigned study, unsigned series,
                                 unsigned number, uint64_t mb)
{
    char sop[32], date[16], st[16], se[16], se_no[8], no[8];
    snprintf(sop, sizeof(sop), "1.%u.%u.%u", study, series, number);
    snprintf(date, sizeof(date), "202401%02u", study);
    snprintf(st, sizeof(st), "9.%u", study);
    snprintf(se, sizeof(se), "9.%u.%u", study, series);
    snprintf(se_no, sizeof(se_no), "%u", series);
    snprintf(no, sizeof(no), "%u", number);
    const char *values[] = { "1.2.840.10008.5.1.4.1.1.2", sop, date, "P",
                             st, se, se_no, no };
    struct pdb_instance *i = fx_instance(sop, tags, values);
    i->out_size = mb * MB;
    return i;
}

static void plan(struct pdb_inventory *cat, struct pdb_instance **all, size_t n)
{
    fx_catalog(cat, all, n);
    for (size_t i = 0; i < cat->nstudies; i++)
        cat->studies[i]->selected = true;
    assert_true(pdb_group_patients(cat, &(struct pdb_log) { 0 }, NULL));
}

static const struct pdb_span ten_mb = { 10 * MB, PDB_VIEWER_NONE, false };

static void a_small_study_fills_the_gap_a_big_one_left(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_instance *all[] = { inst(1, 1, 1, 6), inst(2, 1, 1, 6),
                                   inst(3, 1, 1, 1) };
    plan(&cat, all, 3);
    unsigned count = 0;
    assert_true(pdb_span_plan(&cat, &ten_mb, &count, NULL));
    assert_int_equal(count, 2);
    assert_int_equal(all[0]->volume, 1);
    assert_int_equal(all[1]->volume, 2);
    assert_int_equal(all[2]->volume, 1); /* not a third disc */
    pdb_inventory_free(&cat);
}

static void a_study_too_big_for_one_medium_splits_by_series(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_instance *all[] = { inst(1, 1, 1, 3), inst(1, 1, 2, 3),
                                   inst(1, 2, 1, 5) };
    plan(&cat, all, 3);
    unsigned count = 0;
    assert_true(pdb_span_plan(&cat, &ten_mb, &count, NULL));
    assert_int_equal(count, 2);
    /* Each series whole, on a volume of its own. */
    assert_int_equal(all[0]->volume, all[1]->volume);
    assert_int_not_equal(all[0]->volume, all[2]->volume);
    pdb_inventory_free(&cat);
}

/* Each volume's view of a series split over volumes says which run of it
 * the volume holds and where the rest is (lib/plan/volume_share.c). */
static void a_split_series_knows_its_other_volumes(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_instance *all[] = { inst(1, 1, 1, 4), inst(1, 1, 2, 4),
                                   inst(1, 1, 3, 4), inst(1, 1, 4, 4) };
    plan(&cat, all, 4);
    unsigned count = 0;
    assert_true(pdb_span_plan(&cat, &ten_mb, &count, NULL));
    assert_true(count >= 2);
    size_t first = 1;
    for (unsigned v = 1; v <= count; v++) {
        struct pdb_inventory view;
        assert_true(pdb_inventory_share(&cat, v, &view, NULL));
        const struct pdb_series *s = view.patients[0]->studies[0]->series[0];
        assert_int_equal(s->part.total, 4);
        assert_int_equal(s->part.first, first);
        assert_int_equal(s->part.last, first + s->ninstances - 1);
        assert_int_equal(s->part.prev_volume, v > 1 ? v - 1 : 0);
        assert_int_equal(s->part.next_volume, v < count ? v + 1 : 0);
        for (size_t i = 0; i < s->ninstances; i++)
            assert_ptr_equal(s->instances[i], all[first - 1 + i]);
        first += s->ninstances;
        pdb_inventory_free(&view);
    }
    assert_int_equal(first, 5);
    pdb_inventory_free(&cat);
}

static void an_instance_no_medium_holds_is_refused(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_instance *all[] = { inst(1, 1, 1, 2), inst(1, 1, 2, 12) };
    plan(&cat, all, 2);
    unsigned count = 0;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_span_plan(&cat, &ten_mb, &count, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_CAPACITY);
    assert_non_null(strstr(pdiburn_error_message(err), "'1.1.1.2'"));
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

/* Sizes from a file's own numbers saturate: 32768 x 32768 x 4 samples x
 * 2 bytes x 2^31 frames is 2^64 bytes, too big for any medium, not 0
 * bytes after wrapping around (the scan refuses such files; this is the
 * second line of defence). */
static void huge_geometry_saturates(void **state)
{
    (void) state;
    static const uint32_t geo[] = { TAG_SOP_CLASS, TAG_SOP_INSTANCE,
                                    TAG_PATIENT_ID, TAG_STUDY_UID,
                                    TAG_SERIES_UID, TAG_SAMPLES_PER_PIXEL,
                                    TAG_NUMBER_OF_FRAMES, TAG_ROWS,
                                    TAG_COLUMNS, TAG_BITS_ALLOCATED, 0 };
    const char *values[] = { "1.2.840.10008.5.1.4.1.1.2", "1.9", "P", "9.9",
                             "9.9.1", "4", "2147483648", "32768", "32768",
                             "16" };
    struct pdb_instance *big = fx_instance("huge.dcm", geo, values);
    big->out_size = 4096;
    const struct pdb_span full = { 700 * MB, PDB_VIEWER_FULL, true };
    assert_true(pdb_span_cost(big, &full) >= UINT64_MAX / 2);
    struct pdb_inventory cat;
    plan(&cat, &big, 1);
    unsigned count = 0;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_span_plan(&cat, &full, &count, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_CAPACITY);
    assert_non_null(strstr(pdiburn_error_message(err), "huge.dcm"));
    pdiburn_error_free(err);
    pdb_inventory_free(&cat);
}

static void no_capacity_means_one_volume(void **state)
{
    (void) state;
    struct pdb_inventory cat;
    struct pdb_instance *all[] = { inst(1, 1, 1, 600), inst(2, 1, 1, 900) };
    plan(&cat, all, 2);
    const struct pdb_span unlimited = { 0, PDB_VIEWER_NONE, false };
    unsigned count = 0;
    assert_true(pdb_span_plan(&cat, &unlimited, &count, NULL));
    assert_int_equal(count, 1);
    assert_int_equal(all[0]->volume, 1);
    assert_int_equal(all[1]->volume, 1);
    pdb_inventory_free(&cat);
}

static void capacities_are_exact(void **state)
{
    (void) state;
    uint64_t n = 0;
    assert_true(pdb_span_capacity("cd", &n, NULL));
    assert_int_equal(n, 360000ull * 2048);
    assert_true(pdb_span_capacity("dvd", &n, NULL));
    assert_int_equal(n, 2295104ull * 2048);
    assert_true(pdb_span_capacity("usb-8G", &n, NULL));
    assert_int_equal(n, 7760000000ull); /* 3% kept for the file system */
    struct pdiburn_error *err = NULL;
    assert_false(pdb_span_capacity("floppy", &n, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_USAGE);
    pdiburn_error_free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_small_study_fills_the_gap_a_big_one_left),
        cmocka_unit_test(a_study_too_big_for_one_medium_splits_by_series),
        cmocka_unit_test(a_split_series_knows_its_other_volumes),
        cmocka_unit_test(an_instance_no_medium_holds_is_refused),
        cmocka_unit_test(huge_geometry_saturates),
        cmocka_unit_test(no_capacity_means_one_volume),
        cmocka_unit_test(capacities_are_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
