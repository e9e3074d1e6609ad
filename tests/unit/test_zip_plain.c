/* Unit tests for lib/write/zip_plain.c: every local header carries its CRC
 * and sizes (no data descriptor, general purpose bit 3 clear), ZIP64
 * fields where sizes or offsets need them (forced with a low threshold,
 * as 4 GB cannot be written here), and libarchive, which shares no code
 * with it, reads the entries back byte for byte. */
#include "cmocka_pre.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_file.h"
#include "zip_plain.h"

static const char text[] = "DICM stored bytes, streamed in pieces";

static char *temp_path(void)
{
    char *path = strdup("/tmp/test_zip_plain.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

/* A stored entry given in three pieces, a deflated one and an empty one. */
static void write_zip(const char *path, uint64_t zip64_at)
{
    int fd = open(path, O_RDWR | O_TRUNC);
    assert_true(fd >= 0);
    struct pdb_zip_plain *w = pdb_zip_plain_open(fd, NULL);
    assert_non_null(w);
    if (zip64_at)
        pdb_zip_plain_set_zip64_at(w, zip64_at);
    size_t n = strlen(text);
    assert_true(pdb_zip_plain_stored(w, "DICOM/IM000001", n, 0, NULL));
    assert_true(pdb_zip_plain_data(w, text, 4, NULL));
    assert_true(pdb_zip_plain_data(w, text + 4, 10, NULL));
    assert_true(pdb_zip_plain_data(w, text + 14, n - 14, NULL));
    assert_true(pdb_zip_plain_end(w, NULL));
    char page[4000];
    memset(page, 'a', sizeof(page));
    assert_true(pdb_zip_plain_deflated(w, "INDEX.HTM", (uint8_t *) page,
                                       sizeof(page), 1700000000, NULL));
    assert_true(pdb_zip_plain_stored(w, "EMPTY", 0, 0, NULL));
    assert_true(pdb_zip_plain_close(w, true, NULL));
    close(fd);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
           (uint32_t) p[3] << 24;
}

static void first_header_is_complete(const char *path, bool zip64)
{
    uint8_t h[64];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
    fclose(f);
    assert_int_equal(le32(h), 0x04034b50);
    assert_int_equal(h[6] & 8, 0); /* no data descriptor */
    assert_int_equal(le32(h + 14), pdb_crc32(0, text, strlen(text)));
    uint32_t want = zip64 ? 0xFFFFFFFFu : (uint32_t) strlen(text);
    assert_int_equal(le32(h + 18), want);
    assert_int_equal(le32(h + 22), want);
}

static void read_back(const char *path)
{
    struct pdb_archive_reader *r = NULL;
    assert_true(pdb_archive_reader_open(path, NULL, &r, NULL));
    const char *name;
    uint64_t size;
    char buf[5000];
    size_t got = 0;
    assert_int_equal(pdb_archive_reader_next(r, &name, &size, NULL), 1);
    assert_string_equal(name, "DICOM/IM000001");
    assert_true(pdb_archive_reader_read(r, buf, sizeof(buf), &got, NULL));
    assert_int_equal(got, strlen(text));
    assert_memory_equal(buf, text, got);
    assert_int_equal(pdb_archive_reader_next(r, &name, &size, NULL), 1);
    assert_string_equal(name, "INDEX.HTM");
    assert_int_equal(size, 4000);
    assert_int_equal(pdb_archive_reader_next(r, &name, &size, NULL), 1);
    assert_string_equal(name, "EMPTY");
    assert_int_equal(pdb_archive_reader_next(r, &name, &size, NULL), 0);
    pdb_archive_reader_close(r);
}

static void sizes_and_crc_in_local_headers(void **state)
{
    (void) state;
    char *path = temp_path();
    write_zip(path, 0);
    first_header_is_complete(path, false);
    read_back(path);
    unlink(path);
    free(path);
}

static void zip64_fields_when_needed(void **state)
{
    (void) state;
    char *path = temp_path();
    write_zip(path, 16); /* every size from 16 bytes and offset is "big" */
    first_header_is_complete(path, true);
    read_back(path);
    unlink(path);
    free(path);
}

static void wrong_lengths_fail(void **state)
{
    (void) state;
    char *path = temp_path();
    int fd = open(path, O_RDWR | O_TRUNC);
    struct pdb_zip_plain *w = pdb_zip_plain_open(fd, NULL);
    struct pdiburn_error *err = NULL;
    assert_true(pdb_zip_plain_stored(w, "A", 3, 0, NULL));
    assert_false(pdb_zip_plain_data(w, "abcd", 4, &err));
    pdiburn_error_free(err);
    err = NULL;
    assert_true(pdb_zip_plain_data(w, "ab", 2, NULL));
    assert_false(pdb_zip_plain_end(w, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "missing"));
    pdiburn_error_free(err);
    assert_false(pdb_zip_plain_close(w, false, NULL));
    close(fd);
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes_and_crc_in_local_headers),
        cmocka_unit_test(zip64_fields_when_needed),
        cmocka_unit_test(wrong_lengths_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
