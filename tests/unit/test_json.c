/* Unit tests for cli/json.c: the --json writer always emits valid JSON. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static char *render(void (*fill)(struct json *))
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct json j;
    json_begin(&j, f);
    fill(&j);
    json_end(&j);
    fclose(f);
    return text;
}

static void fill_members(struct json *j)
{
    json_str(j, "a", "x\"y\\z\n");
    json_uint(j, "n", 42);
    json_bool(j, "ok", true);
    json_str(j, "none", NULL);
    json_array_begin(j, "list");
    json_array_str(j, "one");
    json_array_str(j, "two");
    json_array_end(j);
    json_str(j, "after", "b");
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

static void fill_bytes(struct json *j)
{
    json_str(j, "utf8", "M\xc3\xbcller");
    json_str(j, "latin1", "M\xfcller");
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
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
