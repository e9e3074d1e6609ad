/* Fuzz target for lib/verify/dicomdir_reader.c and the tree walk of
 * lib/verify/checks.c: arbitrary bytes parsed as a DICOMDIR (PS3.10 8.6,
 * PS3.3 F.3), the records looked up by offset and their links followed,
 * then checked as verify checks the DICOMDIR of media made by others.  A
 * hostile DICOMDIR must give an error or records, never a crash or a
 * walk that does not end. */
#include <string.h>

#include "checks.h"
#include "fuzz.h"

static void check_record(const struct pdb_dicomdir *dir, size_t i)
{
    const struct pdb_dir_record *r = &dir->records[i];
    FUZZ_CHECK(i == 0 || r->offset > dir->records[i - 1].offset);
    FUZZ_CHECK(pdb_dicomdir_at(dir, r->offset) == r);
    FUZZ_CHECK(r->type[0] && strlen(r->type) < sizeof(r->type));
    FUZZ_CHECK(strlen(r->file_id) < sizeof(r->file_id));
    FUZZ_CHECK(strchr(r->file_id, '\\') == NULL);
}

/* Follows next and lower links from the root; every step reaches a new
 * record or stops, so at most nrecords steps. */
static void follow(const struct pdb_dicomdir *dir)
{
    size_t steps = 0;
    uint32_t at = dir->first_root;
    const struct pdb_dir_record *r;
    while (at && (r = pdb_dicomdir_at(dir, at)) != NULL &&
           steps++ <= dir->nrecords)
        at = r->lower ? r->lower : r->next;
}

/* As pdb_verify_media() would, on media holding this DICOMDIR and a file
 * it may refer to; first with no files at all. */
static void verify_tree(const uint8_t *data, size_t size)
{
    struct pdiburn_summary sum = { 0 };
    struct pdb_log log = { 0 };
    struct vfile files[] = {
        { .path = "DICOM/IM1", .key = "DICOM/IM1", .dicom = true,
          .sop_class = "1.2.840.10008.5.1.4.1.1.2", .sop_uid = "1.2.3",
          .ts = "1.2.840.10008.1.2.1" },
        { .path = "DICOMDIR", .key = "DICOMDIR", .size = size, .dicom = true },
    };
    struct vstate v = { .dicomdir = (uint8_t *) data, .dicomdir_len = size,
                        .log = &log, .sum = &sum };
    pdb_verify_check_dicomdir(&v);
    FUZZ_CHECK(sum.instances <= size / 8); /* a record is 8 bytes at least */
    v.files = files;
    v.nfiles = 2;
    pdb_verify_check_dicomdir(&v);
    pdb_verify_check_unreferenced(&v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pdb_dicomdir dir;
    struct pdiburn_error *err = NULL;
    if (!pdb_dicomdir_parse(data, size, &dir, &err)) {
        FUZZ_CHECK(err && (pdiburn_error_code(err) == PDIBURN_E_VERIFY ||
                           pdiburn_error_code(err) == PDIBURN_E_NOMEM));
        pdiburn_error_free(err);
    } else {
        FUZZ_CHECK(strlen(dir.fileset_id) < sizeof(dir.fileset_id));
        for (size_t i = 0; i < dir.nrecords; i++)
            check_record(&dir, i);
        follow(&dir);
        pdb_dicomdir_free(&dir);
    }
    verify_tree(data, size);
    return 0;
}
