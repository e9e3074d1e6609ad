/* Unit tests for the checks of lib/verify/: pixel_check.c (native length
 * and truncation; fragments, delimiter and offset table, fed whole and a
 * byte at a time), profiles.c (claims and media), records.c (keys against
 * the file across character sets, Type 1 keys, record type, non-ASCII
 * without a character set) and findings.c (codes kept). */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_head.h"

struct world {
    struct pdb_log log;
    struct pdiburn_summary sum;
    struct pdb_findings found;
    struct vstate v;
};

static struct world *world_new(void)
{
    struct world *w = calloc(1, sizeof(*w));
    w->v.log = &w->log;
    w->v.sum = &w->sum;
    w->v.findings = &w->found;
    return w;
}

static void world_free(struct world *w)
{
    pdb_findings_clear(&w->found);
    free(w->v.files);
    free(w);
}

/* The codes found, problems as "code", notes as "note:code", joined by
 * spaces. */
static const char *codes(struct world *w)
{
    static char out[1024];
    out[0] = 0;
    for (size_t i = 0; i < w->found.n; i++) {
        const struct pdiburn_finding *f = &w->found.items[i];
        strcat(out, i ? " " : "");
        strcat(out, f->problem ? "" : "note:");
        strcat(out, f->code);
    }
    return out;
}

/* ---- pixel data -----------------------------------------------------------
 */

static struct pdb_head native_head(unsigned frames, uint32_t len)
{
    struct pdb_head hd = { .state = PDB_HEAD_DONE,
                           .has_pixels = true,
                           .value_offset = 1000,
                           .value_len = len,
                           .rows = 4,
                           .columns = 5,
                           .samples = 1,
                           .bits = 16,
                           .frames = frames };
    return hd;
}

static void native_pixel_data(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct vfile f = { .path = "IM1", .size = 1000 + 2 * 4 * 5 * 2 };
    struct pdb_pixcheck pc = { 0 };
    struct pdb_head hd = native_head(2, 80);
    pdb_pixcheck_finish(&pc, &hd, &w->v, &f);
    assert_string_equal(codes(w), "");
    hd = native_head(3, 80); /* three frames need 120 bytes */
    pdb_pixcheck_finish(&pc, &hd, &w->v, &f);
    f.size = 1050;
    hd = native_head(2, 80);
    pdb_pixcheck_finish(&pc, &hd, &w->v, &f);
    assert_string_equal(codes(w), "short-pixel-data truncated-pixel-data");
    world_free(w);
}

static void item(struct pdb_buf *b, uint32_t tag_lo, const void *v, uint32_t n)
{
    pdb_buf_add_u16(b, 0xFFFE);
    pdb_buf_add_u16(b, (uint16_t) tag_lo);
    pdb_buf_add_u32(b, n);
    pdb_buf_add(b, v, n);
}

/* 100 bytes of header, then encapsulated pixel data: an offset table for
 * `bot` frames (0 for none), `frags` fragments of 10 bytes, and the
 * delimiter unless `cut`. */
static struct pdb_buf encapsulated(unsigned bot, unsigned frags, bool cut)
{
    struct pdb_buf b = { 0 };
    uint8_t head[100] = { 0 }, data[10] = { 0xFF, 0xD8 };
    uint32_t offsets[16];
    for (unsigned i = 0; i < bot; i++)
        offsets[i] = i * 18;
    pdb_buf_add(&b, head, sizeof(head));
    item(&b, 0xE000, offsets, 4 * bot);
    for (unsigned i = 0; i < frags; i++)
        item(&b, 0xE000, data, sizeof(data));
    if (!cut)
        item(&b, 0xE0DD, NULL, 0);
    return b;
}

/* Feeds the file in pieces of `step` bytes and finishes. */
static void check_stream(struct world *w, struct pdb_buf *b, unsigned frames,
                         size_t step)
{
    struct pdb_head hd = { .state = PDB_HEAD_DONE,
                           .has_pixels = true,
                           .encapsulated = true,
                           .value_offset = 100,
                           .frames = frames };
    struct vfile f = { .path = "IM2", .size = b->len };
    struct pdb_pixcheck pc;
    pdb_pixcheck_start(&pc, &hd);
    /* the head again first, as verify.c does when it found the pixels */
    pdb_pixcheck_feed(&pc, b->data, 120 < b->len ? 120 : b->len, 0);
    for (size_t at = 0; at < b->len; at += step)
        pdb_pixcheck_feed(&pc, b->data + at,
                          at + step < b->len ? step : b->len - at, at);
    pdb_pixcheck_finish(&pc, &hd, &w->v, &f);
    pdb_buf_free(b);
}

static void fragments_and_offset_table(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct pdb_buf b = encapsulated(3, 3, false);
    check_stream(w, &b, 3, 1);
    b = encapsulated(3, 3, false);
    check_stream(w, &b, 3, 4096);
    b = encapsulated(0, 4, false); /* no table, more fragments: fine */
    check_stream(w, &b, 3, 7);
    assert_string_equal(codes(w), "");
    b = encapsulated(3, 3, true);
    check_stream(w, &b, 3, 5);
    b = encapsulated(0, 2, false);
    check_stream(w, &b, 3, 5);
    b = encapsulated(2, 3, false); /* two entries for three frames */
    check_stream(w, &b, 3, 5);
    assert_string_equal(codes(w),
                        "truncated-pixel-data missing-fragments offset-table");
    world_free(w);
}

static void offset_table_entries_hit_fragments(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct pdb_buf b = encapsulated(3, 3, false);
    uint32_t bad = 20; /* the second frame at 18 */
    memcpy(b.data + 100 + 8 + 4, &bad, 4);
    check_stream(w, &b, 3, 3);
    b = encapsulated(2, 2, false);
    b.data[100 + 8 + 8 + 1] = 0x00; /* the first fragment's item tag */
    check_stream(w, &b, 2, 64);
    assert_string_equal(codes(w), "offset-table broken-fragments");
    world_free(w);
}

/* A file whose meta and data set show no UIDs. */
#define NO_UIDS                                                            \
    .sop_class = "", .sop_uid = "", .ts = "", .ds_class = "", .ds_uid = ""

/* ---- profiles -------------------------------------------------------------
 */

static void add(struct world *w, const char *key, const char *ts)
{
    w->v.files = realloc(w->v.files, (w->v.nfiles + 1) * sizeof(struct vfile));
    struct vfile *f = &w->v.files[w->v.nfiles++];
    *f = (struct vfile){ .sop_class = "", .sop_uid = "", .ts = ts,
                         .ds_class = "", .ds_uid = "" };
    f->path = f->key = (char *) key;
    f->dicom = true;
}

static void judge(struct world *w, enum pdb_media_kind kind, uint64_t size,
                  unsigned long fs, const char *profile)
{
    w->v.kind = kind;
    w->v.media_size = size;
    w->v.fs_type = fs;
    w->v.profile = profile;
    pdb_verify_check_profiles(&w->v);
}

#define JPEG "1.2.840.10008.1.2.4.50"

static void transfer_syntaxes_against_profiles(void **state)
{
    (void) state;
    struct world *w = world_new();
    add(w, "DICOMDIR", PDB_TS_EXPLICIT_LE);
    add(w, "A", PDB_TS_EXPLICIT_LE);
    judge(w, PDB_MEDIA_ISO, 1000000, 0, NULL);
    judge(w, PDB_MEDIA_FOLDER, 1000000, 0x4d44, NULL);
    assert_string_equal(codes(w), "");
    add(w, "B", JPEG);
    judge(w, PDB_MEDIA_ISO, 1000000, 0, NULL); /* a CD image claims CD */
    judge(w, PDB_MEDIA_ISO, 1000000, 0, "STD-GEN-DVD-JPEG");
    judge(w, PDB_MEDIA_ISO, 1000000000, 0, NULL); /* too big for a CD */
    judge(w, PDB_MEDIA_FOLDER, 1000000, 0x4d44, "STD-GEN-USB-J2K");
    assert_string_equal(codes(w), "ts-not-in-profile note:profiles "
                                  "note:profiles note:profiles "
                                  "ts-not-in-profile note:profiles");
    world_free(w);
}

static void syntaxes_no_profile_allows(void **state)
{
    (void) state;
    struct world *w = world_new();
    add(w, "A", PDB_TS_IMPLICIT_LE);
    judge(w, PDB_MEDIA_FOLDER, 1000000, 0xEF53, NULL);
    judge(w, PDB_MEDIA_ZIP, 1000000, 0, NULL);
    assert_string_equal(codes(w),
                        "ts-in-no-profile note:profiles note:ts-zip-only");
    assert_non_null(
        strstr(w->found.items[1].message, "no general-purpose profile"));
    world_free(w);
}

static void the_message_names_what_fits(void **state)
{
    (void) state;
    struct world *w = world_new();
    add(w, "A", JPEG);
    judge(w, PDB_MEDIA_FOLDER, 1000000, 0xEF53, NULL);
    assert_string_equal(w->found.items[0].message,
                        "the media could be STD-GEN-DVD-JPEG, STD-GEN-USB-JPEG "
                        "or STD-GEN-BD-JPEG, not STD-GEN-CD");
    assert_true(pdb_profile_known("STD-GEN-BD-MPEG2-MPHL"));
    assert_false(pdb_profile_known("STD-GEN-FLOPPY"));
    world_free(w);
}

/* ---- records ---------------------------------------------------------------
 */

/* A record body as the reader leaves it. */
static struct pdb_dir_record rec(const char *type, struct pdb_buf *body)
{
    struct pdb_dir_record r = { .offset = 500 };
    snprintf(r.type, sizeof(r.type), "%s", type);
    r.body = body->data;
    r.body_len = body->len;
    return r;
}

static void keys_are_compared_as_text(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct vfile f = { .path = "IM3", NO_UIDS };
    f.keys[PDB_HK_CHARSET] = "ISO_IR 192";
    f.keys[PDB_HK_PATIENT_NAME] = "M\xc3\xbcller^J";
    f.keys[PDB_HK_PATIENT_ID] = "PID1";
    struct pdb_buf b = { 0 };
    pdb_elem_put_str(&b, 0x00080005, "CS", "ISO_IR 100");
    pdb_elem_put_str(&b, 0x00100010, "PN", "M\xfcller^J"); /* Latin-1 */
    pdb_elem_put_str(&b, 0x00100020, "LO", "PID1");
    struct pdb_dir_record p = rec("PATIENT", &b);
    const struct pdb_dir_record *above[] = { &p };
    struct pdb_buf leaf_body = { 0 };
    pdb_elem_put_str(&leaf_body, 0x00041430, "CS", "IMAGE");
    struct pdb_dir_record leaf = rec("IMAGE", &leaf_body);
    pdb_verify_check_record_file(&w->v, &leaf, above, 1, &f);
    assert_string_equal(codes(w), ""); /* one name in two character sets */
    f.keys[PDB_HK_PATIENT_NAME] = "M\xc3\xbcller^J^^=";
    pdb_verify_check_record_file(&w->v, &leaf, above, 1, &f);
    assert_string_equal(codes(w), ""); /* empty trailing components */
    f.keys[PDB_HK_PATIENT_NAME] = "M\xc3\xbcller^J";
    f.keys[PDB_HK_CHARSET] = "ISO_IR 100"; /* the UTF-8 bytes as Latin-1 */
    pdb_verify_check_record_file(&w->v, &leaf, above, 1, &f);
    f.keys[PDB_HK_PATIENT_ID] = "PID2";
    pdb_verify_check_record_file(&w->v, &leaf, above, 1, &f);
    assert_string_equal(codes(w), "record-mismatch record-mismatch "
                                  "record-mismatch");
    for (size_t i = 0; i < w->found.n; i++) /* no patient data */
        assert_null(strstr(w->found.items[i].message, "PID"));
    pdb_buf_free(&b);
    pdb_buf_free(&leaf_body);
    world_free(w);
}

static void record_type_fits_the_sop_class(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct vfile f = { .path = "IM4", NO_UIDS };
    struct pdb_buf b = { 0 };
    pdb_elem_put_str(&b, 0x00041430, "CS", "IMAGE");
    struct pdb_dir_record r = rec("IMAGE", &b);
    strcpy(r.sop_class, "1.2.840.10008.5.1.4.1.1.104.1"); /* a PDF */
    pdb_verify_check_record_file(&w->v, &r, NULL, 0, &f);
    strcpy(r.sop_class, "1.2.840.10008.5.1.4.1.1.2"); /* a CT image */
    pdb_verify_check_record_file(&w->v, &r, NULL, 0, &f);
    strcpy(r.type, "SR DOCUMENT");
    pdb_verify_check_record_file(&w->v, &r, NULL, 0, &f);
    assert_string_equal(codes(w), "record-type record-type");
    pdb_buf_free(&b);
    world_free(w);
}

static void type1_keys_and_character_sets(void **state)
{
    (void) state;
    struct world *w = world_new();
    struct pdb_buf b = { 0 };
    pdb_elem_put_str(&b, 0x00041430, "CS", "PATIENT");
    pdb_elem_put_str(&b, 0x00100010, "PN", "\xe7\x8e\x8b^X"); /* UTF-8 */
    pdb_elem_put_str(&b, 0x00100020, "LO", "  ");
    struct pdb_dir_record r = rec("PATIENT", &b);
    pdb_verify_check_record(&w->v, &r);
    assert_string_equal(codes(w), "type1-missing charset-missing");
    pdb_buf_free(&b);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(native_pixel_data),
        cmocka_unit_test(fragments_and_offset_table),
        cmocka_unit_test(offset_table_entries_hit_fragments),
        cmocka_unit_test(transfer_syntaxes_against_profiles),
        cmocka_unit_test(syntaxes_no_profile_allows),
        cmocka_unit_test(the_message_names_what_fits),
        cmocka_unit_test(keys_are_compared_as_text),
        cmocka_unit_test(record_type_fits_the_sop_class),
        cmocka_unit_test(type1_keys_and_character_sets),
    };
    return cmocka_run_group_tests_name("verify_checks", tests, NULL, NULL);
}
