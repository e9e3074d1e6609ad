/* Unit tests for lib/core/buf.c and lib/core/error.c. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "dicom.h"

static void buffer_grows_and_stays_terminated(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    for (int i = 0; i < 1000; i++)
        pdb_buf_printf(&b, "%d,", i);
    assert_false(b.failed);
    assert_int_equal(b.data[b.len], 0);
    assert_memory_equal(b.data, "0,1,2,", 6);
    size_t len = 0;
    uint8_t *p = pdb_buf_steal(&b, &len);
    assert_non_null(p);
    assert_int_equal(strlen((char *) p), len);
    assert_null(b.data);
    free(p);
}

static void little_endian_numbers(void **state)
{
    (void) state;
    struct pdb_buf b = { 0 };
    pdb_buf_add_u16(&b, 0x1234);
    pdb_buf_add_u32(&b, 0xA1B2C3D4);
    const uint8_t want[] = { 0x34, 0x12, 0xD4, 0xC3, 0xB2, 0xA1 };
    assert_memory_equal(b.data, want, sizeof(want));
    pdb_buf_put_u32(&b, 2, 7);
    assert_int_equal(pdb_le32(b.data + 2), 7);
    pdb_buf_free(&b);
}

static void errors_carry_context(void **state)
{
    (void) state;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_fail(&err, PDIBURN_E_DICOM, "bad %s", "thing"));
    pdb_error_prefix(&err, "'%s': ", "file");
    assert_string_equal(pdiburn_error_message(err), "'file': bad thing");
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_DICOM);
    assert_string_equal(pdiburn_code_name(PDIBURN_E_DICOM), "E_DICOM");
    pdiburn_error_free(err);
    assert_false(pdb_fail(NULL, PDIBURN_E_IO, "ignored"));
}

static void out_of_memory_error_is_static(void **state)
{
    (void) state;
    struct pdiburn_error *err = NULL;
    pdb_fail_nomem(&err);
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_NOMEM);
    pdb_error_prefix(&err, "ignored: ");
    assert_string_equal(pdiburn_error_message(err), "out of memory");
    pdiburn_error_free(err); /* must not free the static object */
}

static void grow_doubles(void **state)
{
    (void) state;
    int *a = NULL;
    for (size_t i = 0; i < 100; i++) {
        assert_true(pdb_grow(&a, i, sizeof(int)));
        a[i] = (int) i;
    }
    assert_int_equal(a[99], 99);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_grows_and_stays_terminated),
        cmocka_unit_test(little_endian_numbers),
        cmocka_unit_test(errors_carry_context),
        cmocka_unit_test(out_of_memory_error_is_static),
        cmocka_unit_test(grow_doubles),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
