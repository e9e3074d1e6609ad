/* Unit tests for cli/json.c: the --json writer always emits valid JSON. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdiburn/json.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(members_and_escapes),
        cmocka_unit_test(invalid_utf8_is_escaped),
        cmocka_unit_test(nested_containers_and_numbers),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
