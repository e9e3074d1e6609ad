/* Unit tests for lib/core/json.c and utf8.c: the JSON writer always emits
 * valid JSON in strictly valid UTF-8, and numbers in their shortest
 * form. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdiburn/json.h"
#include "pdiburn/utf8.h"

static char *render(void (*fill)(struct pdb_json *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct pdb_json j;
    pdb_json_begin(&j, f);
    fill(&j);
    pdb_json_end(&j);
    fclose(f);
    return text;
}

static void fill_members(struct pdb_json *j)
{
    pdb_json_str(j, "a", "x\"y\\z\n");
    pdb_json_uint(j, "n", 42);
    pdb_json_bool(j, "ok", true);
    pdb_json_str(j, "none", NULL);
    pdb_json_array(j, "list");
    pdb_json_str(j, NULL, "one");
    pdb_json_str(j, NULL, "two");
    pdb_json_close(j);
    pdb_json_str(j, "after", "b");
}

static void members_and_escapes(void **state)
{
    (void) state;
    char *text = render(fill_members);
    assert_string_equal(text, "{\"a\":\"x\\\"y\\\\z\\u000a\",\"n\":42,"
                              "\"ok\":true,\"none\":null,"
                              "\"list\":[\"one\",\"two\"],\"after\":\"b\"}\n");
    free(text);
}

static void fill_bytes(struct pdb_json *j)
{
    pdb_json_str(j, "utf8", "M\xc3\xbcller");
    pdb_json_str(j, "latin1", "M\xfcller");
}

static void fill_nested(struct pdb_json *j)
{
    pdb_json_array(j, "a");
    pdb_json_object(j, NULL);
    pdb_json_num(j, "x", 0.7);
    pdb_json_num(j, "y", -1024);
    pdb_json_int(j, "z", -3);
    pdb_json_null(j, "n");
    pdb_json_close(j);
    pdb_json_array(j, NULL);
    pdb_json_close(j);
    pdb_json_str(j, NULL, "</script>");
    /* left open: pdb_json_end closes it */
}

static void nested_containers_and_numbers(void **state)
{
    (void) state;
    char *text = render(fill_nested);
    assert_string_equal(text, "{\"a\":[{\"x\":0.7,\"y\":-1024,\"z\":-3,"
                              "\"n\":null},[],\"\\u003c/script>\"]}\n");
    free(text);
}

static void invalid_utf8_is_escaped(void **state)
{
    (void) state;
    char *text = render(fill_bytes);
    assert_string_equal(text, "{\"utf8\":\"M\xc3\xbcller\","
                              "\"latin1\":\"M\\u00fcller\"}\n");
    free(text);
}

static void fill_lenient(struct pdb_json *j)
{
    pdb_json_str(j, "overlong", "\xc0\xaf");   /* '/' in two bytes */
    pdb_json_str(j, "surrogate", "\xed\xa0\x80");
    pdb_json_str(j, "beyond", "\xf4\x90\x80\x80");
    pdb_json_str(j, "cut", "\xe2\x82");
    pdb_json_str(j, "ls", "a\xe2\x80\xa8" "b\x01");
}

/* What lenient decoders pass and strict ones reject never goes out raw. */
static void only_strict_utf8_goes_out_raw(void **state)
{
    (void) state;
    char *text = render(fill_lenient);
    assert_string_equal(text, "{\"overlong\":\"\\u00c0\\u00af\","
                              "\"surrogate\":\"\\u00ed\\u00a0\\u0080\","
                              "\"beyond\":\"\\u00f4\\u0090\\u0080\\u0080\","
                              "\"cut\":\"\\u00e2\\u0082\","
                              "\"ls\":\"a\\u2028b\\u0001\"}\n");
    free(text);
}

static void utf8_decoder(void **state)
{
    (void) state;
    uint32_t cp = 0;
    assert_int_equal(pdb_utf8_next("A", &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(pdb_utf8_next("\xc3\xbc", &cp), 2);
    assert_int_equal(cp, 0xFC);
    assert_int_equal(pdb_utf8_next("\xef\xbf\xbd", &cp), 3);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(pdb_utf8_next("\xf0\x9f\x98\x80", &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(pdb_utf8_next("\xf4\x8f\xbf\xbf", &cp), 4);
    assert_int_equal(pdb_utf8_next("\x80", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xc1\xbf", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xe0\x9f\xbf", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xed\xbf\xbf", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xf0\x8f\xbf\xbf", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xf5\x80\x80\x80", &cp), 0);
    assert_int_equal(pdb_utf8_next("\xf0\x9f\x98", &cp), 0);
}

/* A value made by a writer of its own goes into another as it is, with
 * the commas of the one it goes into. */
static void fill_spliced(struct pdb_json *j)
{
    char *part = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&part, &len);
    struct pdb_json v;
    pdb_json_begin_value(&v, f);
    pdb_json_array(&v, NULL);
    pdb_json_str(&v, NULL, "(0010,0010)");
    pdb_json_str(&v, NULL, "M\xc3\xbcller<");
    pdb_json_close(&v);
    fclose(f);
    pdb_json_array(j, "images");
    pdb_json_raw(j, NULL, part, len);
    pdb_json_raw(j, NULL, part, len);
    pdb_json_close(j);
    pdb_json_raw(j, "tail", "[]", 2);
    free(part);
}

static void values_made_apart(void **state)
{
    (void) state;
    char *text = render(fill_spliced);
    assert_string_equal(text, "{\"images\":[[\"(0010,0010)\",\"M\xc3\xbcller"
                              "\\u003c\"],[\"(0010,0010)\",\"M\xc3\xbcller"
                              "\\u003c\"]],\"tail\":[]}\n");
    free(text);
}

/* What pdb_json_num wrote before it knew integers: the fewest digits
 * that read back as the same double. */
static void shortest(double v, char *text, size_t size)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, size, "%.*g", digits, v);
        if (strtod(text, NULL) == v)
            return;
    }
}

static char *one_number(double v)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct pdb_json j;
    pdb_json_begin_value(&j, f);
    pdb_json_num(&j, NULL, v);
    fclose(f);
    return text;
}

/* Integers take a shortcut; everything comes out as the search writes
 * it: 100 as 1e+02, -0 as -0. */
static void numbers_in_their_shortest_form(void **state)
{
    (void) state;
    static const double some[] = { 0, -0.0, 1, -1, 9, 10, 11, 100, 101,
                                   -1024, 4095, 65535, 123456789, 1e14,
                                   1e15 - 1, 1e15, 1e15 + 1, 2e15 + 3,
                                   9007199254740993.0, 1e300, 0.7, -125.5,
                                   1.0 / 3, 5e-324, 0.5, 4096.25 };
    char want[32];
    for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
        char *got = one_number(some[i]);
        shortest(some[i], want, sizeof(want));
        assert_string_equal(got, want);
        free(got);
    }
    for (long long v = -300000; v <= 300000; v += 7) {
        char *got = one_number((double) v);
        shortest((double) v, want, sizeof(want));
        assert_string_equal(got, want);
        free(got);
    }
}

static void fill_extremes(struct pdb_json *j)
{
    pdb_json_int(j, "min", -9223372036854775807LL - 1);
    pdb_json_int(j, "zero", 0);
    pdb_json_uint(j, "max", 18446744073709551615ULL);
}

static void integers_at_their_limits(void **state)
{
    (void) state;
    char *text = render(fill_extremes);
    assert_string_equal(text, "{\"min\":-9223372036854775808,\"zero\":0,"
                              "\"max\":18446744073709551615}\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_and_escapes),
        cmocka_unit_test(invalid_utf8_is_escaped),
        cmocka_unit_test(nested_containers_and_numbers),
        cmocka_unit_test(only_strict_utf8_goes_out_raw),
        cmocka_unit_test(utf8_decoder),
        cmocka_unit_test(values_made_apart),
        cmocka_unit_test(numbers_in_their_shortest_form),
        cmocka_unit_test(integers_at_their_limits),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
