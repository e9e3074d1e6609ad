/* Unit tests for lib/write/partial.c: output appears under its final name
 * only when committed, is private until then, and vanishes on abort. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

static char dir[] = "/tmp/pdiburn-test-targetXXXXXX";
static char final[256];

static int setup(void **state)
{
    (void) state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(final, sizeof(final), "%s/out.iso", dir);
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    return 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void file_is_private_until_committed(void **state)
{
    (void) state;
    struct pdb_partial t;
    struct stat st;
    assert_true(pdb_partial_check(final, false, NULL));
    assert_true(pdb_partial_begin(&t, final, false, NULL));
    assert_true(fstat(t.fd, &st) == 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_false(exists(final));
    assert_true(pdb_fs_write_all(t.fd, "data", 4));
    assert_true(pdb_partial_commit(&t, NULL));
    pdb_partial_abort(&t);
    assert_true(exists(final));
    assert_false(exists(t.part ? t.part : "/nonexistent"));
    unlink(final);
}

static void abort_removes_everything(void **state)
{
    (void) state;
    struct pdb_partial t;
    char folder[300], part[310];
    snprintf(folder, sizeof(folder), "%s/media", dir);
    snprintf(part, sizeof(part), "%s.part", folder);
    assert_true(pdb_partial_begin(&t, folder, true, NULL));
    assert_true(exists(part));
    assert_true(pdb_fs_mkdirs(part, 0777, NULL));
    pdb_partial_abort(&t);
    assert_false(exists(part));
    assert_false(exists(folder));
}

static void second_writer_is_refused(void **state)
{
    (void) state;
    struct pdb_partial a, b;
    struct pdiburn_error *err = NULL;
    assert_true(pdb_partial_begin(&a, final, false, NULL));
    assert_false(pdb_partial_begin(&b, final, false, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "another run"));
    pdiburn_error_free(err);
    pdb_partial_abort(&b); /* must leave a's file alone */
    struct stat st;
    assert_int_equal(stat(a.part, &st), 0);
    pdb_partial_abort(&a);
}

static void non_empty_folder_is_refused(void **state)
{
    (void) state;
    char folder[300], file[320];
    struct pdiburn_error *err = NULL;
    snprintf(folder, sizeof(folder), "%s/full", dir);
    snprintf(file, sizeof(file), "%s/keep", folder);
    mkdir(folder, 0700);
    fclose(fopen(file, "w"));
    assert_false(pdb_partial_check(folder, true, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_MEDIA);
    pdiburn_error_free(err);
    assert_true(exists(file));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_is_private_until_committed),
        cmocka_unit_test(abort_removes_everything),
        cmocka_unit_test(second_writer_is_refused),
        cmocka_unit_test(non_empty_folder_is_refused),
    };
    return cmocka_run_group_tests_name("target", tests, setup, teardown);
}
