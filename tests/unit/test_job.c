/* Unit tests for lib/job/job.c: the public job object's flags, and the
 * values users type, refused as usage errors when they make no sense. */
#include "cmocka_pre.h"
#include <string.h>

#include "job.h"

static void flags_are_additive(void **state)
{
    (void) state;
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    assert_non_null(job);
    assert_true(job->flags & PDIBURN_FLAG_VERIFY); /* the default */
    pdiburn_job_set_flags(job, PDIBURN_FLAG_NO_WEB);
    assert_int_equal(job->flags, PDIBURN_FLAG_VERIFY | PDIBURN_FLAG_NO_WEB);
    pdiburn_job_set_flags(job, PDIBURN_FLAG_DRY_RUN);
    assert_int_equal(job->flags, PDIBURN_FLAG_VERIFY | PDIBURN_FLAG_NO_WEB |
                                     PDIBURN_FLAG_DRY_RUN);
    pdiburn_job_clear_flags(job, PDIBURN_FLAG_VERIFY | PDIBURN_FLAG_DRY_RUN);
    assert_int_equal(job->flags, PDIBURN_FLAG_NO_WEB);
    pdiburn_job_clear_flags(job, PDIBURN_FLAG_REPLACE); /* was not set */
    assert_int_equal(job->flags, PDIBURN_FLAG_NO_WEB);
    pdiburn_job_free(job);
}

/* Frees *err (set by the call that returned ok) and resets it. */
static bool usage_error(bool ok, struct pdiburn_error **err)
{
    bool usage = !ok && *err && pdiburn_error_code(*err) == PDIBURN_E_USAGE;
    pdiburn_error_free(*err);
    *err = NULL;
    return usage;
}

static bool option_refused(enum pdiburn_option opt, const char *value)
{
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    struct pdiburn_error *err = NULL;
    bool ok = pdiburn_job_set_option(job, opt, value, &err);
    bool refused = usage_error(ok, &err);
    pdiburn_job_free(job);
    return refused;
}

static bool filter_refused(enum pdiburn_filter kind, const char *value)
{
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    struct pdiburn_error *err = NULL;
    bool ok = pdiburn_job_add_filter(job, kind, value, &err);
    bool refused = usage_error(ok, &err);
    pdiburn_job_free(job);
    return refused;
}

static void sizes_and_media(void **state)
{
    (void) state;
    assert_true(option_refused(PDIBURN_OPT_MAX_SIZE, "-5"));
    assert_true(option_refused(PDIBURN_OPT_MAX_SIZE, " 5000000"));
    assert_true(option_refused(PDIBURN_OPT_MAX_SIZE, "99999999999999999999"));
    assert_true(option_refused(PDIBURN_OPT_MAX_SIZE, "1048575"));
    assert_false(option_refused(PDIBURN_OPT_MAX_SIZE, "1048576"));
    assert_true(option_refused(PDIBURN_OPT_MEDIA, "usb-99999999999999T"));
    assert_true(option_refused(PDIBURN_OPT_MEDIA, "usb-inf"));
    assert_true(option_refused(PDIBURN_OPT_MEDIA, "usb--8G"));
    assert_true(option_refused(PDIBURN_OPT_MEDIA, "usb-8GB"));
    assert_true(option_refused(PDIBURN_OPT_MEDIA, "floppy"));
    assert_false(option_refused(PDIBURN_OPT_MEDIA, "usb-8G"));
    assert_false(option_refused(PDIBURN_OPT_MEDIA, "usb-1000T"));
    assert_false(option_refused(PDIBURN_OPT_MEDIA, "dvd-dl"));
}

static void dates(void **state)
{
    (void) state;
    assert_true(filter_refused(PDIBURN_FILTER_SINCE, "2024-13-45"));
    assert_true(filter_refused(PDIBURN_FILTER_SINCE, "2023-02-29"));
    assert_true(filter_refused(PDIBURN_FILTER_UNTIL, "2024-04-31"));
    assert_true(filter_refused(PDIBURN_FILTER_UNTIL, "2024-1-05"));
    assert_true(filter_refused(PDIBURN_FILTER_UNTIL, "2024-01-05x"));
    assert_true(filter_refused(PDIBURN_FILTER_UNTIL, "20240100"));
    assert_false(filter_refused(PDIBURN_FILTER_SINCE, "2024-02-29"));
    assert_false(filter_refused(PDIBURN_FILTER_SINCE, "2000-02-29"));
    assert_true(filter_refused(PDIBURN_FILTER_SINCE, "1900-02-29"));
    assert_false(filter_refused(PDIBURN_FILTER_UNTIL, "20241231"));
}

static void reports_are_plain_files(void **state)
{
    (void) state;
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    struct pdiburn_error *err = NULL;
    bool ok = pdiburn_job_add_report(job, "/dev/zero", &err);
    assert_true(usage_error(ok, &err));
    ok = pdiburn_job_add_report(job, "/", &err);
    assert_true(usage_error(ok, &err));
    ok = pdiburn_job_add_report(job, "/no/such", &err);
    assert_true(usage_error(ok, &err));
    pdiburn_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flags_are_additive),
        cmocka_unit_test(sizes_and_media),
        cmocka_unit_test(dates),
        cmocka_unit_test(reports_are_plain_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
