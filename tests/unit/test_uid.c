/* Unit tests for lib/core/uid.c: UUID-derived UIDs. */
#include "cmocka_pre.h"
#include <string.h>

#include "core.h"

static void new_uids_are_valid_and_distinct(void **state)
{
    (void) state;
    char a[PDB_UID_MAX + 1], b[PDB_UID_MAX + 1];
    assert_true(pdb_uid_new(a, NULL));
    assert_true(pdb_uid_new(b, NULL));
    assert_true(pdb_uid_valid(a));
    assert_memory_equal(a, "2.25.", 5);
    assert_string_not_equal(a, b);
    assert_true(strlen(a) <= 44); /* 5 + at most 39 digits */
}

static void uid_rules(void **state)
{
    (void) state;
    assert_true(pdb_uid_valid("1.2.840.10008.1.2.1"));
    assert_true(pdb_uid_valid("0.1"));
    assert_false(pdb_uid_valid(""));
    assert_false(pdb_uid_valid("1..2"));
    assert_false(pdb_uid_valid("1.02"));  /* leading zero */
    assert_false(pdb_uid_valid("1.2."));
    assert_false(pdb_uid_valid("1.2a"));
    char longest[70];
    memset(longest, '1', 65);
    longest[65] = 0;
    assert_false(pdb_uid_valid(longest));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_uids_are_valid_and_distinct),
        cmocka_unit_test(uid_rules),
    };
    return cmocka_run_group_tests_name("uid", tests, NULL, NULL);
}
