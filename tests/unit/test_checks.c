/* Unit tests for lib/verify/checks.c, through pdb_verify_media() on small
 * media folders built here byte by byte: the DICOMDIR tree rules (PS3.3
 * F.3-F.4: offsets that point at records, no loops, PATIENT / STUDY /
 * SERIES / leaf, every record reachable), each record against its file
 * (PS3.3 F.3.2.2), File IDs (PS3.10 8.2), every DICOM file referenced
 * exactly once (PS3.11 D.3.3) and SHA256.TXT.  Each defect must be found,
 * counted once, and named in the log; sound media must pass.  Going
 * through pdb_verify_media() keeps these tests valid while the checks'
 * internal interface changes. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "verify.h"
#include "write.h"

#define SOP_CT "1.2.840.10008.5.1.4.1.1.2"
#define NONE (-1)
#define NOWHERE (-2) /* an offset that points at no record */

static char *dir;

static int setup(void **state)
{
    (void) state;
    dir = fx_temp_dir();
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    free(dir);
    return 0;
}

/* ---- building media ------------------------------------------------------ */

/* A directory record; next and lower are record indexes, NONE or
 * NOWHERE. */
struct rec {
    const char *type;
    int next, lower;
    const char *file; /* File ID with '/', or NULL */
    const char *uid;  /* Referenced SOP Instance UID */
    bool inactive;
};

static uint32_t link_of(const uint32_t *at, int i)
{
    return i == NONE ? 0 : i == NOWHERE ? 12345 : at[i];
}

/* The Type 1 keys of the record's type (PS3.3 F.5), which verify checks. */
static void put_type1_keys(struct pdb_buf *b, const char *type)
{
    if (strcmp(type, "PATIENT") == 0) {
        pdb_elem_put_str(b, 0x00100020, "LO", "PID1");
    } else if (strcmp(type, "STUDY") == 0) {
        pdb_elem_put_str(b, 0x00080020, "DA", "20240101");
        pdb_elem_put_str(b, 0x00080030, "TM", "120000");
        pdb_elem_put_str(b, 0x00200010, "SH", "1");
    } else if (strcmp(type, "SERIES") == 0) {
        pdb_elem_put_str(b, 0x00080060, "CS", "CT");
        pdb_elem_put_str(b, 0x0020000E, "UI", "2.25.9");
        pdb_elem_put_str(b, 0x00200011, "IS", "1");
    } else {
        pdb_elem_put_str(b, 0x00200013, "IS", "1");
    }
}

static void put_record(struct pdb_buf *b, const struct rec *r,
                       const uint32_t *at)
{
    pdb_elem_put_ul(b, 0x00041400, link_of(at, r->next));
    pdb_elem_put_us(b, 0x00041410, r->inactive ? 0 : 0xFFFF);
    pdb_elem_put_ul(b, 0x00041420, link_of(at, r->lower));
    pdb_elem_put_str(b, 0x00041430, "CS", r->type);
    if (!r->file) {
        put_type1_keys(b, r->type);
        return;
    }
    char id[80];
    snprintf(id, sizeof(id), "%s", r->file);
    for (char *p = id; *p; p++)
        *p = *p == '/' ? '\\' : *p;
    pdb_elem_put_str(b, 0x00041500, "CS", id);
    pdb_elem_put_str(b, 0x00041510, "UI", SOP_CT);
    pdb_elem_put_str(b, 0x00041511, "UI", r->uid);
    pdb_elem_put_str(b, 0x00041512, "UI", PDB_TS_EXPLICIT_LE);
    put_type1_keys(b, r->type);
}

/* The records as items of defined length after `head`; at[i] gets the
 * file offset of item i. */
static void put_records(struct pdb_buf *b, const struct rec *r, size_t n,
                        uint32_t *at)
{
    for (size_t i = 0; i < n; i++) {
        struct pdb_buf body = { 0 };
        at[i] = (uint32_t) b->len;
        put_record(&body, &r[i], at);
        pdb_buf_add_u16(b, 0xFFFE);
        pdb_buf_add_u16(b, 0xE000);
        pdb_buf_add_u32(b, (uint32_t) body.len);
        pdb_buf_add(b, body.data, body.len);
        pdb_buf_free(&body);
    }
    const uint8_t seq_end[] = { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 };
    pdb_buf_add(b, seq_end, sizeof(seq_end));
}

/* A DICOMDIR (PS3.10 8.6) whose root is record 0 (none when n == 0). */
static uint8_t *dicomdir(const char *fsid, const struct rec *r, size_t n,
                         size_t *len)
{
    uint32_t at[16] = { 0 };
    struct pdb_buf b = { 0 };
    assert_true(n <= 16);
    for (int pass = 0; pass < 2; pass++) { /* the second knows offsets */
        pdb_buf_free(&b);
        pdb_elem_put_meta(&b, PDB_SOP_DICOMDIR, "2.25.99", PDB_TS_EXPLICIT_LE);
        pdb_elem_put_str(&b, 0x00041130, "CS", fsid);
        pdb_elem_put_ul(&b, 0x00041200, n ? at[0] : 0);
        pdb_elem_put_ul(&b, 0x00041202, n ? at[0] : 0);
        pdb_elem_put_us(&b, 0x00041212, 0);
        pdb_elem_put_header(&b, 0x00041220, "SQ", 0xFFFFFFFF);
        put_records(&b, r, n, at);
    }
    return pdb_buf_steal(&b, len);
}

static void write_dicomdir(const char *root, const char *fsid,
                           const struct rec *r, size_t n)
{
    size_t len;
    uint8_t *d = dicomdir(fsid, r, n, &len);
    free(fx_write_file(root, "DICOMDIR", d, len));
    free(d);
}

/* A CT image file whose meta says `uid` and data set says `ds_uid`. */
static void write_dicom(const char *root, const char *rel, const char *uid,
                        const char *ds_uid)
{
    struct pdb_buf b = { 0 };
    pdb_elem_put_meta(&b, SOP_CT, uid, PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00080016, "UI", SOP_CT);
    pdb_elem_put_str(&b, 0x00080018, "UI", ds_uid);
    free(fx_write_file(root, rel, b.data, b.len));
    pdb_buf_free(&b);
}

static void sha256_hex(const char *root, const char *rel, char hex[65])
{
    char *path = pdb_fs_path_join(root, rel);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct pdb_sha256 h;
    pdb_sha256_init(&h);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        pdb_sha256_update(&h, buf, n);
    fclose(f);
    uint8_t digest[PDB_SHA256_LEN];
    pdb_sha256_final(&h, digest);
    pdb_hex(digest, PDB_SHA256_LEN, hex);
    free(path);
}

/* SHA256.TXT listing `rels` (NULL-terminated) as sha256sum does. */
static void write_manifest(const char *root, const char *const *rels)
{
    struct pdb_buf b = { 0 };
    pdb_buf_add_str(&b, "");
    for (size_t i = 0; rels[i]; i++) {
        char hex[65];
        sha256_hex(root, rels[i], hex);
        pdb_buf_printf(&b, "%s  %s\n", hex, rels[i]);
    }
    free(fx_write_file(root, "SHA256.TXT", b.data, b.len));
    pdb_buf_free(&b);
}

/* PATIENT > STUDY > SERIES > two IMAGEs. */
static const struct rec sound[] = {
    { "PATIENT", NONE, 1, NULL, NULL, false },
    { "STUDY", NONE, 2, NULL, NULL, false },
    { "SERIES", NONE, 3, NULL, NULL, false },
    { "IMAGE", 4, NONE, "DICOM/IM000001", "2.25.1", false },
    { "IMAGE", NONE, NONE, "DICOM/IM000002", "2.25.2", false },
};

static const char *const sound_files[] = { "DICOMDIR", "DICOM/IM000001",
                                           "DICOM/IM000002", "README.TXT",
                                           NULL };

/* A fresh folder with the sound media's two images and README.TXT. */
static char *medium(const char *name)
{
    char *root = pdb_fs_path_join(dir, name);
    pdb_fs_remove_tree(root);
    assert_true(pdb_fs_mkdirs(root, 0700, NULL));
    write_dicom(root, "DICOM/IM000001", "2.25.1", "2.25.1");
    write_dicom(root, "DICOM/IM000002", "2.25.2", "2.25.2");
    free(fx_write_file(root, "README.TXT", "read me\n", 8));
    return root;
}

/* Sound media with the records `r` instead. */
static char *medium_with(const char *name, const struct rec *r, size_t n)
{
    char *root = medium(name);
    write_dicomdir(root, "TEST_SET", r, n);
    write_manifest(root, sound_files);
    return root;
}

/* ---- verifying -------------------------------------------------------- */

struct outcome {
    bool ok;
    struct pdiburn_summary sum;
    struct pdb_buf errors, warnings;
};

static void collect(enum pdiburn_log_level level, const char *msg,
                    void *user)
{
    struct outcome *o = user;
    if (level <= PDIBURN_LOG_WARNING)
        pdb_buf_printf(level == PDIBURN_LOG_ERROR ? &o->errors : &o->warnings,
                       "%s\n", msg);
}

static void verify(const char *root, struct pdb_content *expected,
                   struct outcome *o)
{
    struct pdb_ctl ctl;
    memset(&ctl, 0, sizeof(ctl));
    memset(o, 0, sizeof(*o));
    pdb_buf_add_str(&o->errors, "");
    pdb_buf_add_str(&o->warnings, "");
    ctl.log.fn = collect;
    ctl.log.user = o;
    struct pdiburn_error *err = NULL;
    struct pdb_verify_args a = { .path = root, .expected = expected };
    o->ok = pdb_verify_media(&a, &ctl, &o->sum, &err);
    if (!o->ok)
        fx_expect_error(err, PDIBURN_E_VERIFY, "problem(s) found");
}

static void outcome_free(struct outcome *o)
{
    pdb_buf_free(&o->errors);
    pdb_buf_free(&o->warnings);
}

/* Fails with exactly `problems` problems, one of them saying `what`. */
static void expect_problems_of(const char *root, struct pdb_content *expected,
                               uint64_t problems, const char *what)
{
    struct outcome o;
    verify(root, expected, &o);
    const char *log = (const char *) o.errors.data;
    if (o.ok || o.sum.problems != problems || !strstr(log, what))
        fail_msg("expected %llu problem(s) with \"%s\", got %llu:\n%s",
                 (unsigned long long) problems, what,
                 (unsigned long long) o.sum.problems, log);
    outcome_free(&o);
}

static void expect_problems(const char *root, uint64_t problems,
                            const char *what)
{
    expect_problems_of(root, NULL, problems, what);
}

static void expect_records(const char *name, const struct rec *r, size_t n,
                           uint64_t problems, const char *what)
{
    char *root = medium_with(name, r, n);
    expect_problems(root, problems, what);
    free(root);
}

#define NREC(r) (sizeof(r) / sizeof((r)[0]))

/* ---- tests -------------------------------------------------------------- */

static void sound_media_pass(void **state)
{
    (void) state;
    char *root = medium_with("sound", sound, NREC(sound));
    struct outcome o;
    verify(root, NULL, &o);
    assert_true(o.ok);
    assert_int_equal(o.sum.problems, 0);
    assert_string_equal((char *) o.errors.data, "");
    assert_int_equal(o.sum.files, 5);
    assert_int_equal(o.sum.patients, 1);
    assert_int_equal(o.sum.studies, 1);
    assert_int_equal(o.sum.series, 1);
    assert_int_equal(o.sum.instances, 2);
    outcome_free(&o);
    free(root);
}

static void missing_and_unreferenced_files(void **state)
{
    (void) state;
    char *root = medium_with("missing", sound, NREC(sound));
    char *im2 = pdb_fs_path_join(root, "DICOM/IM000002");
    assert_int_equal(unlink(im2), 0);
    /* also listed in SHA256.TXT */
    expect_problems(root, 2, "DICOM/IM000002: referenced by the DICOMDIR "
                             "but missing");
    write_dicom(root, "DICOM/IM000002", "2.25.2", "2.25.2");
    write_dicom(root, "DICOM/EXTRA", "2.25.3", "2.25.3");
    write_manifest(root, (const char *const[]) { "DICOMDIR", "DICOM/EXTRA",
                                                 "DICOM/IM000001",
                                                 "DICOM/IM000002",
                                                 "README.TXT", NULL });
    expect_problems(root, 1, "DICOM/EXTRA: a DICOM file no directory "
                             "record refers to");
    free(im2);
    free(root);
}

static void file_referenced_twice(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[4].file = "DICOM/IM000001";
    r[4].uid = "2.25.1";
    /* and IM000002 is now unreferenced */
    expect_records("twice", r, NREC(r), 2,
                   "DICOM/IM000001: referenced by 2 directory records");
}

static void records_that_loop(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[4].next = 3; /* IMAGE 2 -> IMAGE 1 again */
    expect_records("loop", r, NREC(r), 1, "the records loop at offset");
    r[4].next = NONE;
    r[2].lower = 0; /* SERIES -> PATIENT */
    /* the loop, and both images unreferenced and unreachable */
    expect_records("loop2", r, NREC(r), 5, "the records loop at offset");
}

static void offsets_to_nowhere(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[3].next = NOWHERE;
    /* the strict reader rejects the whole DICOMDIR (and then does not
     * call every file unreferenced) */
    expect_records("nowhere", r, NREC(r), 1,
                   "next record 12345 (in the record at offset");
}

static void records_at_the_wrong_level(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[0].lower = 3; /* images right under the patient */
    /* and STUDY, SERIES unreachable */
    expect_records("level", r, NREC(r), 4, "a IMAGE record under PATIENT");
    memcpy(r, sound, sizeof(sound));
    r[0].type = "STUDY";
    /* and the STUDY below it is under a STUDY */
    expect_records("level2", r, NREC(r), 2, "a STUDY record under ROOT");
}

/* A record nothing links to; an inactive one is not a record at all. */
static void unreachable_records(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[3].next = NONE;
    expect_records("unreachable", r, NREC(r), 2,
                   "(IMAGE) cannot be reached from the root");
    r[4].inactive = true;
    expect_records("inactive", r, NREC(r), 1,
                   "DICOM/IM000002: a DICOM file no directory record");
}

static void records_disagree_with_files(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[3].uid = "2.25.77";
    expect_records("meta", r, NREC(r), 1,
                   "DICOM/IM000001: its meta information (SOP Instance "
                   "2.25.1");
    char *root = medium_with("dataset", sound, NREC(sound));
    write_dicom(root, "DICOM/IM000001", "2.25.1", "2.25.66");
    write_manifest(root, sound_files);
    expect_problems(root, 1, "DICOM/IM000001: SOP UIDs in the data set "
                             "differ from its meta information");
    free(root);
}

static void file_ids_and_non_dicom_files(void **state)
{
    (void) state;
    struct rec r[NREC(sound)];
    memcpy(r, sound, sizeof(sound));
    r[4].file = "DICOM/im000002"; /* found case-blind, but not a File ID */
    expect_records("fileid", r, NREC(r), 1,
                   "Referenced File ID 'DICOM/im000002' breaks the File ID "
                   "rules");
    memcpy(r, sound, sizeof(sound));
    r[4].file = "README.TXT";
    expect_records("notdicom", r, NREC(r), 3,
                   "README.TXT: not a DICOM Part 10 file");
}

static void broken_dicomdirs(void **state)
{
    (void) state;
    char *root = medium_with("nodir", sound, NREC(sound));
    char *path = pdb_fs_path_join(root, "DICOMDIR");
    unlink(path);
    write_manifest(root, (const char *const[]) { "DICOM/IM000001",
                                                 "DICOM/IM000002", NULL });
    /* the images are not called unreferenced when there is no DICOMDIR */
    expect_problems(root, 1, "no DICOMDIR in the root of the media");
    free(path);
    free(root);
    expect_records("empty", sound, 0, 3,
                   "DICOMDIR: no directory records (PS3.11 D.3.3)");
    root = medium("fsid");
    write_dicomdir(root, "bad id!", sound, NREC(sound));
    write_manifest(root, sound_files);
    expect_problems(root, 1, "File-set ID 'bad id!' breaks PS3.10 8.5");
    free(root);
}

static void truncated_dicomdir(void **state)
{
    (void) state;
    char *root = medium("cut");
    size_t len;
    uint8_t *d = dicomdir("TEST_SET", sound, NREC(sound), &len);
    free(fx_write_file(root, "DICOMDIR", d, len - 20));
    free(d);
    write_manifest(root, sound_files);
    expect_problems(root, 1, "DICOMDIR: malformed or truncated data set");
    free(root);
}

static void manifest_differences(void **state)
{
    (void) state;
    char *root = medium_with("manifest", sound, NREC(sound));
    free(fx_write_file(root, "README.TXT", "changed\n", 8));
    expect_problems(root, 1, "README.TXT: its SHA-256 differs from "
                             "SHA256.TXT");
    free(fx_write_file(root, "README.TXT", "read me\n", 8));
    write_manifest(root, (const char *const[]) { "DICOMDIR", "README.TXT",
                                                 "DICOM/IM000001", NULL });
    expect_problems(root, 1, "DICOM/IM000002: on the media but not in "
                             "SHA256.TXT");
    char *extra = fx_write_file(root, "viewer/a.js", "x", 1);
    write_manifest(root, sound_files);
    expect_problems(root, 1, "viewer/a.js: on the media but not in "
                             "SHA256.TXT");
    write_manifest(root, (const char *const[]) { "DICOMDIR", "README.TXT",
                                                 "DICOM/IM000001",
                                                 "DICOM/IM000002",
                                                 "viewer/a.js", NULL });
    unlink(extra);
    expect_problems(root, 1, "viewer/a.js: listed in SHA256.TXT but "
                             "missing");
    free(extra);
    free(root);
}

static void manifest_lines_unreadable(void **state)
{
    (void) state;
    char *root = medium_with("lines", sound, NREC(sound));
    char *path = pdb_fs_path_join(root, "SHA256.TXT");
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("not a checksum line\n", f);
    fputs("zz3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85"
          "  README.TXT\n", f);
    fclose(f);
    expect_problems(root, 2, "SHA256.TXT: unreadable line 'not a checksum");
    free(path);
    free(root);
}

/* A stick's own files beside the media are a warning, not a problem. */
static void files_beside_the_media(void **state)
{
    (void) state;
    char *root = medium_with("beside", sound, NREC(sound));
    free(fx_write_file(root, "holiday.jpg", "jpeg", 4));
    struct outcome o;
    verify(root, NULL, &o);
    assert_true(o.ok);
    assert_int_equal(o.sum.problems, 0);
    assert_non_null(strstr((char *) o.warnings.data,
                           "holiday.jpg: beside the media, not part of it"));
    outcome_free(&o);
    free(root);
}

/* Right after writing: every file as written (XXH3 of what was written),
 * nothing more, nothing less. */
static void expected_content(void **state)
{
    (void) state;
    char *root = pdb_fs_path_join(dir, "written");
    pdb_fs_remove_tree(root);
    assert_true(pdb_fs_mkdirs(root, 0700, NULL));
    struct pdb_ctl ctl;
    memset(&ctl, 0, sizeof(ctl));
    struct pdb_content c = { .ctl = &ctl };
    assert_true(pdb_content_add_mem(&c, "README.TXT",
                                    (uint8_t *) strdup("abc"), 3, NULL));
    assert_true(pdb_content_add_mem(&c, "viewer/a.js",
                                    (uint8_t *) strdup("x"), 1, NULL));
    assert_true(pdb_dir_write(&c, root, &ctl, NULL));
    expect_problems_of(root, &c, 1, "no DICOMDIR in the root");
    free(fx_write_file(root, "viewer/a.js", "y", 1));
    free(fx_write_file(root, "EXTRA", "", 0));
    /* and no DICOMDIR, and a.js differs */
    expect_problems_of(root, &c, 3, "the media holds 3 files, 2 were "
                                    "written");
    expect_problems_of(root, &c, 3, "viewer/a.js: differs from what was "
                                    "written");
    char *readme = pdb_fs_path_join(root, "README.TXT");
    unlink(readme);
    expect_problems_of(root, &c, 3, "README.TXT: written but not found on "
                                    "the media");
    free(readme);
    pdb_content_free(&c);
    free(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sound_media_pass),
        cmocka_unit_test(missing_and_unreferenced_files),
        cmocka_unit_test(file_referenced_twice),
        cmocka_unit_test(records_that_loop),
        cmocka_unit_test(offsets_to_nowhere),
        cmocka_unit_test(records_at_the_wrong_level),
        cmocka_unit_test(unreachable_records),
        cmocka_unit_test(records_disagree_with_files),
        cmocka_unit_test(file_ids_and_non_dicom_files),
        cmocka_unit_test(broken_dicomdirs),
        cmocka_unit_test(truncated_dicomdir),
        cmocka_unit_test(manifest_differences),
        cmocka_unit_test(manifest_lines_unreadable),
        cmocka_unit_test(files_beside_the_media),
        cmocka_unit_test(expected_content),
    };
    return cmocka_run_group_tests_name("checks", tests, setup, teardown);
}
