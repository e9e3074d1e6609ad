/* Unit tests for lib/write/robot.c: every Key=Value line of a robot job
 * refuses control characters in its value (CR and LF would start a key of
 * the value's choosing), the names a job will hold are checked before any
 * work, and job names are random, unique and within PTBurn's 32
 * characters of [A-Za-z0-9_]. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robot.h"

static void good_line(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    assert_true(pdb_robot_line(&b, "ImageFile", "\\\\pacs\\robot\\x.iso",
                               NULL));
    assert_true(pdb_robot_line(&b, "Copies", "2", NULL));
    assert_string_equal((char *) b.data,
                        "ImageFile=\\\\pacs\\robot\\x.iso\r\nCopies=2\r\n");
    pdb_buf_free(&b);
}

static void refused(const char *value)
{
    struct pdb_buf b = { 0 };
    struct pdiburn_error *err = NULL;
    assert_false(pdb_robot_line(&b, "Data", value, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_USAGE);
    assert_non_null(strstr(pdiburn_error_message(err), "control character"));
    pdiburn_error_free(err);
    assert_int_equal(b.len, 0); /* nothing of the line written */
    pdb_buf_free(&b);
}

static void control_characters_are_refused(void **state)
{
    (void) state;
    refused("/srv/w\nImageFile=C:\\evil.iso");
    refused("/srv/w\rPrintLabel=x");
    refused("/srv/w\r\nCopies=999");
    refused("tab\there");
    refused("esc\x1b[2J");
    refused("del\x7f");
    refused("\x01");
}

static void names_are_checked_before_work(void **state)
{
    (void) state;
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    char hot[] = "/tmp/pdiburn-test-hotXXXXXX";
    assert_non_null(mkdtemp(hot));
    char *spec = pdb_format("ptburn:%s", hot);
    assert_true(pdiburn_job_set_target(job, PDIBURN_TARGET_ISO, "/tmp/x.iso",
                                       NULL));
    assert_true(pdiburn_job_set_option(job, PDIBURN_OPT_ROBOT, spec, NULL));
    assert_true(pdb_robot_check(job, NULL));
    struct pdiburn_error *err = NULL;
    assert_true(pdiburn_job_set_option(job, PDIBURN_OPT_ROBOT_PATH,
                                       "\\\\srv\\a\nImageFile=evil", NULL));
    assert_false(pdb_robot_check(job, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_USAGE);
    pdiburn_error_free(err);
    free(spec);
    rmdir(hot);
    pdiburn_job_free(job);
}

static bool name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static void job_names_are_random_and_short(void **state)
{
    (void) state;
    char a[40], b[40];
    pdb_robot_job_id(4095, a);
    pdb_robot_job_id(4095, b);
    assert_string_not_equal(a, b); /* same second, same pid, same volume */
    assert_true(strlen(a) <= 32);
    assert_int_equal(strncmp(a, "PDB", 3), 0);
    for (const char *p = a; *p; p++)
        assert_true(name_char(*p));
    assert_string_equal(a + strlen(a) - 5, "_4095");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_line),
        cmocka_unit_test(control_characters_are_refused),
        cmocka_unit_test(names_are_checked_before_work),
        cmocka_unit_test(job_names_are_random_and_short),
    };
    return cmocka_run_group_tests_name("robot", tests, NULL, NULL);
}
