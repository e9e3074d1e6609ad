/* Unit tests for lib/core/intern.c: one copy per distinct value, values
 * that stay put while the table grows, "" for the empty string. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void one_copy_per_value(void **state)
{
    (void) state;
    struct pdb_intern *t = pdb_intern_new();
    assert_non_null(t);
    char a[] = "1.2.840.10008.5.1.4.1.1.4", b[] = "1.2.840.10008.5.1.4.1.1.4";
    const char *x = pdb_intern(t, a);
    const char *y = pdb_intern(t, b);
    assert_ptr_equal(x, y);
    assert_ptr_not_equal(x, a); /* a copy, not the caller's buffer */
    assert_string_equal(x, a);
    assert_ptr_not_equal(pdb_intern(t, "1.2.3"), x);
    assert_string_equal(pdb_intern(t, ""), "");
    assert_false(pdb_intern_failed(t));
    pdb_intern_free(t);
}

static void values_survive_growth(void **state)
{
    (void) state;
    struct pdb_intern *t = pdb_intern_new();
    enum { N = 50000 };
    const char **kept = calloc(N, sizeof(*kept));
    assert_non_null(kept);
    char text[32];
    for (int i = 0; i < N; i++) { /* many rehashes and blocks */
        snprintf(text, sizeof(text), "1.2.826.%d", i);
        kept[i] = pdb_intern(t, text);
    }
    char big[100000]; /* larger than a block */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    const char *b = pdb_intern(t, big);
    assert_string_equal(b, big);
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof(text), "1.2.826.%d", i);
        assert_string_equal(kept[i], text);
        assert_ptr_equal(pdb_intern(t, text), kept[i]);
    }
    assert_ptr_equal(pdb_intern(t, big), b);
    free(kept);
    pdb_intern_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_copy_per_value),
        cmocka_unit_test(values_survive_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
