/* Fuzz target for lib/verify/media_reader.c and the reading half of
 * lib/core/archive_file.c: arbitrary bytes as an image file (ISO 9660 or
 * ZIP, which `pdiburn verify` accepts from anyone), opened, and every
 * entry read to its end.  The input lives in a memfd, named through
 * /proc/self/fd, so no file is left behind by a crash.  Reading stops at
 * 4 MB an input: a deflate bomb is libarchive's to bound, not a finding. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "media_reader.h"
#include "fuzz.h"

#define READ_LIMIT (4u << 20)

static int image_fd = -1;
static char image_path[64];

static void put_image(const uint8_t *data, size_t size)
{
    if (image_fd < 0) {
        image_fd = memfd_create("pdiburn-fuzz-image", MFD_CLOEXEC);
        FUZZ_CHECK(image_fd >= 0);
        snprintf(image_path, sizeof(image_path), "/proc/self/fd/%d",
                 image_fd);
    }
    FUZZ_CHECK(ftruncate(image_fd, 0) == 0);
    FUZZ_CHECK(pdb_fs_write_all(image_fd, data, size));
    FUZZ_CHECK(lseek(image_fd, 0, SEEK_SET) == 0);
}

static void failed(struct pdiburn_error *err)
{
    FUZZ_CHECK(err != NULL);
    FUZZ_CHECK(pdiburn_error_message(err)[0] != 0);
    pdiburn_error_free(err);
}

/* Reads the current entry; false when reading failed (err freed). */
static bool read_entry(struct pdb_media *m, size_t *total)
{
    static uint8_t buf[65536];
    struct pdiburn_error *err = NULL;
    size_t got = 1;
    while (got && *total < READ_LIMIT) {
        if (!pdb_media_read(m, buf, sizeof(buf), &got, &err)) {
            failed(err);
            return false;
        }
        FUZZ_CHECK(got <= sizeof(buf));
        *total += got;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pdb_media *m = NULL;
    struct pdiburn_error *err = NULL;
    put_image(data, size);
    /* A passphrase, so that encrypted ZIP entries are decrypted too. */
    if (!pdb_media_open(image_path, "pdiburn", &m, &err)) {
        failed(err);
        return 0;
    }
    const char *name;
    uint64_t entry_size;
    size_t total = 0;
    int rc;
    while (total < READ_LIMIT &&
           (rc = pdb_media_next(m, &name, &entry_size, &err)) > 0) {
        /* NULL: a name not readable as UTF-8, which verify reports */
        FUZZ_CHECK(name == NULL || strlen(name) < 65536);
        if (!read_entry(m, &total))
            break;
    }
    if (err)
        failed(err);
    pdb_media_close(m);
    return 0;
}
