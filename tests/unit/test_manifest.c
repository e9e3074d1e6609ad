/* Unit tests for lib/content/content.c, node_reader.c and manifest.c: nodes read
 * back byte for byte and hashed, SHA256.TXT sized before it is made. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>

#include "content.h"

static uint8_t *dup_text(const char *s)
{
    return (uint8_t *) strdup(s);
}

static void read_all(struct pdb_content *c, struct pdb_node *n, char *out,
                     size_t cap)
{
    struct pdb_node_reader r;
    size_t got = 0, total = 0;
    assert_true(pdb_node_reader_open(&r, c, n, NULL));
    do {
        assert_true(pdb_node_reader_read(&r, out + total, 3, &got, NULL));
        total += got;
    } while (got && total < cap);
    out[total] = 0;
    pdb_node_reader_close(&r);
}

static void checksum_list_matches_sha256sum(void **state)
{
    (void) state;
    struct pdb_content c = { 0 };
    assert_true(pdb_content_add_mem(&c, "README.TXT", dup_text("abc"), 3, NULL));
    assert_true(pdb_content_add_mem(&c, "viewer/a.js", dup_text(""), 0, NULL));
    assert_true(pdb_content_add_manifest(&c, "SHA256.TXT", NULL));
    char buf[512];
    read_all(&c, c.nodes[0], buf, sizeof(buf));
    assert_string_equal(buf, "abc");
    read_all(&c, c.nodes[1], buf, sizeof(buf));
    read_all(&c, c.nodes[2], buf, sizeof(buf));
    /* `printf abc | sha256sum` and `sha256sum /dev/null` */
    assert_string_equal(buf,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        "  README.TXT\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        "  viewer/a.js\n");
    assert_int_equal(strlen(buf), c.nodes[2]->size);
    assert_int_equal(c.bytes, 3 + c.nodes[2]->size);
    pdb_content_free(&c);
}

static void manifest_needs_every_file_written_first(void **state)
{
    (void) state;
    struct pdb_content c = { 0 };
    struct pdiburn_error *err = NULL;
    pdb_content_add_mem(&c, "A.TXT", dup_text("x"), 1, NULL);
    pdb_content_add_manifest(&c, "SHA256.TXT", NULL);
    struct pdb_node_reader r;
    assert_false(pdb_node_reader_open(&r, &c, c.nodes[1], &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_INTERNAL);
    pdiburn_error_free(err);
    pdb_content_free(&c);
}

static void names_must_be_level1(void **state)
{
    (void) state;
    struct pdb_content c = { 0 };
    struct pdiburn_error *err = NULL;
    pdb_content_add_mem(&c, "viewer/data/s0001/c0001.js", dup_text(""), 0,
                        NULL);
    assert_true(pdb_content_check_names(&c, NULL));
    pdb_content_add_mem(&c, "viewer/toolong.html", dup_text(""), 0, NULL);
    assert_false(pdb_content_check_names(&c, &err));
    pdiburn_error_free(err);
    pdb_content_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checksum_list_matches_sha256sum),
        cmocka_unit_test(manifest_needs_every_file_written_first),
        cmocka_unit_test(names_must_be_level1),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
