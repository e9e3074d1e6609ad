/* Unit tests for lib/job/job.c: the public job object's flags. */
#include "cmocka_pre.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flags_are_additive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
