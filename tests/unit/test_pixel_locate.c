/* Unit tests for lib/source/pixel_locate.c: finding Pixel Data after the header
 * scanner stopped, and telling a truncated file from a whole one. */
#include "cmocka_pre.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dicom.h"
#include "source.h"

/* A file: 20 bytes of "header", then the element; returns the offset
 * right after the element header, where the scanner would stop. */
static int make_file(const uint8_t *element, size_t len, uint64_t *stop,
                     size_t header_len)
{
    char path[] = "/tmp/pdiburn-test-pixelsXXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    uint8_t pad[20] = { 0 };
    assert_true(pdb_fs_write_all(fd, pad, sizeof(pad)));
    assert_true(pdb_fs_write_all(fd, element, len));
    *stop = sizeof(pad) + header_len;
    return fd;
}

static void native_explicit(void **state)
{
    (void) state;
    const uint8_t el[] = { 0xE0, 0x7F, 0x10, 0x00, 'O', 'W', 0, 0,
                           4, 0, 0, 0, 1, 2, 3, 4 };
    uint64_t stop;
    int fd = make_file(el, sizeof(el), &stop, 12);
    struct pdb_pixels px;
    assert_true(pdb_pixels_locate(fd, 20 + sizeof(el), PDB_EXPLICIT_LE, stop,
                                  &px, NULL));
    assert_int_equal(px.kind, PDB_PIXELS_NATIVE);
    assert_string_equal(px.vr, "OW");
    assert_int_equal(px.element_offset, 20);
    assert_int_equal(px.value_offset, 32);
    assert_int_equal(px.value_length, 4);
    assert_int_equal(px.end, 36);
    close(fd);
}

static void native_implicit_truncated(void **state)
{
    (void) state;
    const uint8_t el[] = { 0xE0, 0x7F, 0x10, 0x00, 8, 0, 0, 0, 1, 2, 3, 4 };
    uint64_t stop;
    int fd = make_file(el, sizeof(el), &stop, 8);
    struct pdb_pixels px;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_pixels_locate(fd, 20 + sizeof(el), PDB_IMPLICIT_LE, stop,
                                   &px, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_DICOM);
    assert_non_null(strstr(pdiburn_error_message(err), "truncated"));
    pdiburn_error_free(err);
    close(fd);
}

static void encapsulated_fragments(void **state)
{
    (void) state;
    const uint8_t el[] = {
        0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0,             /* offset table */
        0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 0xFF, 0xD8, /* one fragment */
        0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,             /* delimiter */
    };
    uint64_t stop;
    int fd = make_file(el, sizeof(el), &stop, 12);
    struct pdb_pixels px;
    assert_true(pdb_pixels_locate(fd, 20 + sizeof(el), PDB_EXPLICIT_LE, stop,
                                  &px, NULL));
    assert_int_equal(px.kind, PDB_PIXELS_ENCAPSULATED);
    assert_int_equal(px.end, 20 + sizeof(el));
    struct pdiburn_error *err = NULL;
    assert_false(pdb_pixels_locate(fd, 20 + sizeof(el) - 8, PDB_EXPLICIT_LE,
                                   stop, &px, &err)); /* delimiter missing */
    pdiburn_error_free(err);
    close(fd);
}

static void another_element_is_unknown(void **state)
{
    (void) state;
    const uint8_t el[] = { 0xFC, 0xFF, 0xFC, 0xFF, 'O', 'B', 0, 0,
                           2, 0, 0, 0, 0, 0 };
    uint64_t stop;
    int fd = make_file(el, sizeof(el), &stop, 12);
    struct pdb_pixels px;
    assert_true(pdb_pixels_locate(fd, 20 + sizeof(el), PDB_EXPLICIT_LE, stop,
                                  &px, NULL));
    assert_int_equal(px.kind, PDB_PIXELS_UNKNOWN);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(native_explicit),
        cmocka_unit_test(native_implicit_truncated),
        cmocka_unit_test(encapsulated_fragments),
        cmocka_unit_test(another_element_is_unknown),
    };
    return cmocka_run_group_tests_name("pixels", tests, NULL, NULL);
}
