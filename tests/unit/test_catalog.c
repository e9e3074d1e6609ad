/* Unit tests for lib/catalog/ (and the search keys of lib/dicom/
 * text_fold.c): indexing a folder and refreshing it, finding studies by
 * case-, accent- and charset-blind names, the export source giving the
 * folder scanner's very inventory, and the stale-catalog check. */
#include "cmocka_pre.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_source.h"
#include "catalog.h"
#include "text.h"

/* ---- search keys ---------------------------------------------------------- */

static void folding_strips_case_and_accents(void **state)
{
    (void) state;
    const char *cases[][2] = {
        { "MÜLLER^JÜRGEN", "muller^jurgen" },
        { "Straße Ærø Œuvre", "strasse aero oeuvre" },
        { "ΠΑΠΑΔΌΠΟΥΛΟΣ", "παπαδοπουλοσ" },
        { "ЁЛКИН Иван", "елкин иван" },
        { "Ｄｏｅ", "doe" },
        { "Mu\xcc\x88ller", "muller" }, /* a combining diaeresis */
        { "山田^太郎", "山田^太郎" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *key = pdb_text_fold(cases[i][0]);
        assert_string_equal(key, cases[i][1]);
        free(key);
    }
    char *key = pdb_text_name_key("Doe^Jane^^^=ドウ^^=");
    assert_string_equal(key, "doe^jane=ドウ");
    free(key);
}

static void wildcards_count_characters(void **state)
{
    (void) state;
    assert_true(pdb_text_wildcard("m?ller", "möller"));
    assert_true(pdb_text_wildcard("山?", "山田"));
    assert_true(pdb_text_wildcard("*ll*", "muller"));
    assert_true(pdb_text_wildcard("*", ""));
    assert_false(pdb_text_wildcard("mul", "muller"));
    assert_false(pdb_text_wildcard("m?ller", "mller"));
    assert_true(pdb_text_wildcard("a*b*c", "aXXbYYbc"));
}

static void names_match_by_component(void **state)
{
    (void) state;
    const char *key = "muller^jurgen=山田^太郎";
    assert_true(pdb_text_name_match("muller", key));
    assert_true(pdb_text_name_match("jurgen", key));
    assert_true(pdb_text_name_match("jur*", key));
    assert_true(pdb_text_name_match("山田", key));
    assert_true(pdb_text_name_match("muller^jurgen", key));
    assert_true(pdb_text_name_match("muller^j*", key));
    assert_false(pdb_text_name_match("jurgen^muller", key));
    assert_false(pdb_text_name_match("mull", key));
    assert_false(pdb_text_name_match("muller^jurgen=", key));
    const char *dutch = "van der berg-smit^anna maria";
    assert_true(pdb_text_name_match("berg", dutch));
    assert_true(pdb_text_name_match("smit", dutch));
    assert_true(pdb_text_name_match("maria", dutch));
    assert_true(pdb_text_name_match("van der berg-smit", dutch));
    assert_true(pdb_text_name_match("anna maria", dutch));
    assert_false(pdb_text_name_match("der berg", dutch));
}

/* ---- a small archive on disk ------------------------------------------- */

struct spec {
    const char *path, *charset, *sop, *date, *modality, *description;
    const char *name, *pid, *birth, *study;
    uint16_t pixel; /* first pixel value: changes the content */
};

static void put_us(struct pdb_buf *b, uint32_t tag, uint16_t v)
{
    pdb_elem_put_us(b, tag, v);
}

static void write_file(const char *root, const struct spec *s)
{
    struct pdb_buf b = { 0 };
    char series[65], path[512];
    snprintf(series, sizeof(series), "%s.1", s->study);
    pdb_elem_put_meta(&b, "1.2.840.10008.5.1.4.1.1.7", s->sop,
                      PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00080005, "CS", s->charset);
    pdb_elem_put_str(&b, 0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7");
    pdb_elem_put_str(&b, 0x00080018, "UI", s->sop);
    pdb_elem_put_str(&b, 0x00080020, "DA", s->date);
    pdb_elem_put_str(&b, 0x00080060, "CS", s->modality);
    pdb_elem_put_str(&b, 0x00081030, "LO", s->description);
    pdb_elem_put_str(&b, 0x00100010, "PN", s->name);
    pdb_elem_put_str(&b, 0x00100020, "LO", s->pid);
    pdb_elem_put_str(&b, 0x00100030, "DA", s->birth);
    pdb_elem_put_str(&b, 0x00100040, "CS", "F");
    pdb_elem_put_str(&b, 0x0020000D, "UI", s->study);
    pdb_elem_put_str(&b, 0x0020000E, "UI", series);
    pdb_elem_put_str(&b, 0x00200013, "IS", "1");
    put_us(&b, 0x00280002, 1);
    pdb_elem_put_str(&b, 0x00280004, "CS", "MONOCHROME2");
    put_us(&b, 0x00280010, 2);
    put_us(&b, 0x00280011, 2);
    put_us(&b, 0x00280100, 16);
    put_us(&b, 0x00280101, 16);
    put_us(&b, 0x00280102, 15);
    put_us(&b, 0x00280103, 0);
    uint16_t px[4] = { s->pixel, 2, 3, 4 };
    pdb_elem_put(&b, 0x7FE00010, "OW", px, sizeof(px));
    assert_false(b.failed);
    snprintf(path, sizeof(path), "%s/%s", root, s->path);
    char *dir = pdb_fs_dirname(path);
    assert_true(pdb_fs_mkdirs(dir, 0700, NULL));
    free(dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
    fclose(f);
    pdb_buf_free(&b);
}

#define UID "1.2.826.0.1.3680043.10.1234.88."

static const struct spec files[] = {
    { "p1/s1/a.dcm", "ISO_IR 100", UID "3.1", "20220105", "CT", "Thorax",
      "M\xdcLLER^J\xdcRGEN", "PID1", "19610402", UID "1.1", 10 },
    { "p1/s2/b.dcm", "ISO_IR 192", UID "3.2", "20230301", "MR",
      "Schädel", "MÜLLER^JÜRGEN", "PID1", "19610402", UID "1.2", 20 },
    { "p2/c.dcm", "ISO_IR 192", UID "3.3", "20210101", "CR",
      "Θώρακας", "ΠΑΠΑΔΌΠΟΥΛΟΣ^ΝΊΚΟΣ", "PID2", "19700101", UID "1.3", 30 },
    { "p2/d.dcm", "ISO_IR 192", UID "3.4", "20210101", "CR",
      "Θώρακας", "ΠΑΠΑΔΌΠΟΥΛΟΣ^ΝΊΚΟΣ", "PID2", "19700101", UID "1.3", 40 },
};
#define NFILES (sizeof(files) / sizeof(files[0]))

struct fixture {
    char root[256];
    char catalog[300];
};

static int cat_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    const char *tmp = getenv("TMPDIR");
    snprintf(f->root, sizeof(f->root), "%s/pdb-catalog-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    assert_non_null(mkdtemp(f->root));
    for (size_t i = 0; i < NFILES; i++)
        write_file(f->root, &files[i]);
    char path[300];
    snprintf(path, sizeof(path), "%s/junk.txt", f->root);
    FILE *junk = fopen(path, "w");
    fputs("not an image\n", junk);
    fclose(junk);
    snprintf(f->catalog, sizeof(f->catalog), "%s/.pdiburn-catalog.sqlite",
             f->root);
    *state = f;
    return 0;
}

static int cat_teardown(void **state)
{
    struct fixture *f = *state;
    pdb_fs_remove_tree(f->root);
    free(f);
    return 0;
}

static struct pdiburn_index_summary run_index(const char *root)
{
    struct pdiburn_error *err = NULL;
    struct pdiburn_index_summary sum;
    struct pdiburn_catalog *cat = pdiburn_catalog_open(root, NULL, true, &err);
    assert_non_null(cat);
    bool ok = pdiburn_catalog_index(cat, &sum, &err);
    if (!ok)
        fail_msg("%s", pdiburn_error_message(err));
    pdiburn_catalog_close(cat);
    return sum;
}

static void index_is_private_and_incremental(void **state)
{
    struct fixture *f = *state;
    struct pdiburn_index_summary s = run_index(f->root);
    assert_int_equal(s.files, NFILES + 1);
    assert_int_equal(s.added, NFILES + 1);
    assert_int_equal(s.instances, NFILES);
    assert_int_equal(s.studies, 3);
    assert_int_equal(s.not_dicom, 1);
    struct stat st;
    assert_int_equal(stat(f->catalog, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    s = run_index(f->root);
    assert_int_equal(s.added + s.changed + s.removed, 0);

    struct spec changed = files[0];
    changed.pixel = 99;
    changed.description = "Thorax, longer description";
    write_file(f->root, &changed);
    struct spec added = files[3];
    added.path = "p3/e.dcm";
    added.sop = UID "3.5";
    write_file(f->root, &added);
    char gone[300];
    snprintf(gone, sizeof(gone), "%s/p2/d.dcm", f->root);
    assert_int_equal(unlink(gone), 0);
    s = run_index(f->root);
    assert_int_equal(s.added, 1);
    assert_int_equal(s.changed, 1);
    assert_int_equal(s.removed, 1);
    assert_int_equal(s.instances, NFILES);
}

static struct pdiburn_match *find(const char *root,
                                  const struct pdiburn_query *q, size_t *n,
                                  enum pdiburn_code *code)
{
    struct pdiburn_error *err = NULL;
    struct pdiburn_match *m = NULL;
    struct pdiburn_catalog *cat = pdiburn_catalog_open(root, NULL, false, &err);
    assert_non_null(cat);
    *code = pdiburn_catalog_find(cat, q, &m, n, &err) ? PDIBURN_OK
                                                      : pdiburn_error_code(err);
    pdiburn_error_free(err);
    pdiburn_catalog_close(cat);
    return m;
}

static void find_is_blind_to_case_accents_and_charset(void **state)
{
    struct fixture *f = *state;
    run_index(f->root);
    size_t n = 0;
    enum pdiburn_code code;
    struct pdiburn_query q = { .patient_name = "muller" };
    struct pdiburn_match *m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 2); /* ISO_IR 100 and ISO_IR 192 */
    assert_string_equal(m[0].patient_name, "MÜLLER^JÜRGEN");
    assert_string_equal(m[1].patient_name, "MÜLLER^JÜRGEN");
    assert_string_equal(m[0].study_date, "20220105");
    assert_int_equal(m[0].instances, 1);
    free(m);

    q.patient_name = "JÜR*"; /* a given name, by its start */
    m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 2);
    free(m);

    q = (struct pdiburn_query){ .patient_name = "papadopoulos*" };
    m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 0); /* Greek letters are not Latin ones */
    assert_int_equal(code, PDIBURN_OK);
    free(m);
    q.patient_name = "παπαδόπουλος";
    m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 1);
    assert_int_equal(m[0].instances, 2);
    assert_int_equal(m[0].series, 1);
    assert_string_equal(m[0].modalities, "CR");
    free(m);

    q = (struct pdiburn_query){ .patient_id = "PID1", .since = "2023-01-01",
                                .birth_date = "1961-04-02" };
    m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].description, "Schädel");
    free(m);
    q = (struct pdiburn_query){ .description = "SCHADEL", .modality = "mr" };
    m = find(f->root, &q, &n, &code);
    assert_int_equal(n, 1);
    free(m);
    q = (struct pdiburn_query){ .birth_date = "1961-13" };
    m = find(f->root, &q, &n, &code);
    assert_int_equal(code, PDIBURN_E_USAGE);
}

static void note_problem(const char *path, const char *reason, bool broken,
                         void *user)
{
    pdb_buf_printf(user, "%s|%s|%d\n", strrchr(path, '/') + 1, reason,
                   broken);
}

static void problems_are_listed_with_reasons(void **state)
{
    struct fixture *f = *state;
    char path[300];
    snprintf(path, sizeof(path), "%s/p2/c.dcm", f->root);
    assert_int_equal(truncate(path, 400), 0); /* inside the pixel data */
    run_index(f->root);
    struct pdiburn_error *err = NULL;
    struct pdiburn_catalog *cat =
        pdiburn_catalog_open(NULL, f->catalog, false, &err);
    assert_non_null(cat);
    struct pdb_buf b = { 0 };
    assert_true(pdiburn_catalog_problems(cat, note_problem, &b, &err));
    pdb_buf_add(&b, "", 1);
    assert_non_null(strstr((char *) b.data, "c.dcm|not readable as DICOM"));
    assert_non_null(strstr((char *) b.data, "junk.txt|not a DICOM file|0"));
    pdiburn_catalog_close(cat);
    pdb_buf_free(&b);
}

/* ---- the export source ------------------------------------------------- */

static void same_instance(const struct pdb_instance *a,
                          const struct pdb_instance *b)
{
    assert_string_equal(a->path, b->path);
    assert_int_equal(a->size, b->size);
    assert_string_equal(a->ts, b->ts);
    assert_string_equal(a->sop_class, b->sop_class);
    assert_string_equal(a->sop_uid, b->sop_uid);
    assert_string_equal(a->study_uid, b->study_uid);
    assert_string_equal(a->series_uid, b->series_uid);
    assert_string_equal(a->patient_id, b->patient_id);
    assert_int_equal(a->part10, b->part10);
    assert_int_equal(a->keys_len, b->keys_len);
    assert_memory_equal(a->keys, b->keys, a->keys_len);
    assert_memory_equal(&a->pixels, &b->pixels, sizeof(a->pixels));
    assert_int_equal(a->header_len, b->header_len);
}

static bool collect(const char *root, struct pdb_selection *sel,
                    struct pdb_inventory *inv, struct pdiburn_error **err)
{
    struct pdb_ctl ctl = { 0 };
    memset(inv, 0, sizeof(*inv));
    return pdb_archive_collect(root, NULL, sel, inv, &ctl, err);
}

static void export_source_is_the_folder_scan(void **state)
{
    struct fixture *f = *state;
    run_index(f->root);
    struct pdb_selection sel = { 0 };
    struct pdb_inventory scanned = { 0 }, loaded;
    struct pdb_ctl ctl = { 0 };
    struct pdiburn_error *err = NULL;
    assert_true(pdb_source_scan(&scanned, f->root, &ctl, NULL));
    assert_true(collect(f->root, &sel, &loaded, &err));
    assert_true(pdb_group_build(&scanned, NULL));
    assert_true(pdb_group_build(&loaded, NULL));
    assert_int_equal(loaded.ninstances, scanned.ninstances);
    for (size_t i = 0; i < loaded.ninstances; i++)
        same_instance(loaded.instances[i], scanned.instances[i]);
    pdb_inventory_free(&scanned);
    pdb_inventory_free(&loaded);

    /* A name in either character set selects both of its studies. */
    assert_true(pdb_selection_add(&sel, PDIBURN_FILTER_NAME, "MULLER^JURGEN",
                                  NULL));
    assert_true(collect(f->root, &sel, &loaded, NULL));
    assert_int_equal(loaded.ninstances, 2);
    pdb_inventory_free(&loaded);
    pdb_selection_free(&sel);
    assert_true(pdb_selection_add(&sel, PDIBURN_FILTER_PATIENT_ID, "NOBODY",
                                  NULL));
    assert_false(collect(f->root, &sel, &loaded, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_NOMATCH);
    pdiburn_error_free(err);
    pdb_inventory_free(&loaded);
    pdb_selection_free(&sel);
}

static enum pdiburn_code select_by(const char *root, enum pdiburn_filter kind,
                                   const char *value, size_t *studies)
{
    struct pdb_selection sel = { 0 };
    struct pdb_inventory inv;
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    pdb_selection_add(&sel, kind, value, NULL);
    bool ok = collect(root, &sel, &inv, &err) && pdb_group_build(&inv, &err) &&
              pdb_selection_apply(&sel, &inv, &log, &err);
    enum pdiburn_code code = ok ? PDIBURN_OK : pdiburn_error_code(err);
    *studies = 0;
    for (size_t i = 0; i < inv.nstudies; i++)
        *studies += inv.studies[i]->selected;
    pdiburn_error_free(err);
    pdb_inventory_free(&inv);
    pdb_selection_free(&sel);
    return code;
}

static void a_name_must_find_one_patient(void **state)
{
    struct fixture *f = *state;
    size_t n = 0;
    run_index(f->root);
    assert_int_equal(select_by(f->root, PDIBURN_FILTER_NAME, "jürgen", &n),
                     PDIBURN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(select_by(f->root, PDIBURN_FILTER_BIRTH_DATE,
                               "19700101", &n),
                     PDIBURN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(select_by(f->root, PDIBURN_FILTER_NAME, "*", &n),
                     PDIBURN_E_USAGE);
}

/* Exports by Patient ID 1 after `change`; returns the error message. */
static char *stale_after(struct fixture *f, void (*change)(const char *root))
{
    run_index(f->root);
    change(f->root);
    struct pdb_selection sel = { 0 };
    struct pdb_inventory inv;
    struct pdiburn_error *err = NULL;
    pdb_selection_add(&sel, PDIBURN_FILTER_PATIENT_ID, "PID1", NULL);
    assert_false(collect(f->root, &sel, &inv, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_IO);
    char *msg = strdup(pdiburn_error_message(err));
    assert_non_null(strstr(msg, "run 'pdiburn index"));
    pdiburn_error_free(err);
    pdb_inventory_free(&inv);
    pdb_selection_free(&sel);
    return msg;
}

static void rewrite_a(const char *root)
{
    struct spec s = files[0];
    s.pixel = 77; /* same size, new time */
    s.description = "Thorax again";
    write_file(root, &s);
}

static void delete_b(const char *root)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/p1/s2/b.dcm", root);
    unlink(path);
}

static void add_to_s1(const char *root)
{
    struct spec s = files[0];
    s.path = "p1/s1/new.dcm";
    s.sop = UID "3.9";
    write_file(root, &s);
}

static void stale_catalog_names_what_changed(void **state)
{
    struct fixture *f = *state;
    char *msg = stale_after(f, rewrite_a);
    assert_non_null(strstr(msg, "p1/s1/a.dcm' (changed)"));
    free(msg);
    msg = stale_after(f, delete_b);
    assert_non_null(strstr(msg, "p1/s2/b.dcm' (gone)"));
    free(msg);
    msg = stale_after(f, add_to_s1);
    assert_non_null(strstr(msg, "p1/s1' (folder changed"));
    free(msg);
    run_index(f->root); /* and all is well again */
    struct pdb_selection sel = { 0 };
    struct pdb_inventory inv;
    pdb_selection_add(&sel, PDIBURN_FILTER_PATIENT_ID, "PID1", NULL);
    assert_true(collect(f->root, &sel, &inv, NULL));
    assert_int_equal(inv.ninstances, 2);
    pdb_inventory_free(&inv);
    pdb_selection_free(&sel);
}

/* ---- interrupted runs, other archives, other versions -------------------- */

static bool cancel_at_start(const struct pdiburn_progress *p, void *user)
{
    if (p->stage == PDIBURN_STAGE_SCAN)
        pdiburn_catalog_cancel(user); /* takes effect after one batch */
    return true;
}

static void cancelled_index_resumes(void **state)
{
    struct fixture *f = *state;
    for (int i = 0; i < 600; i++) { /* more than one batch */
        struct spec s = files[2];
        char path[64], sop[64];
        snprintf(path, sizeof(path), "many/f%03d.dcm", i);
        snprintf(sop, sizeof(sop), UID "4.%d", i);
        s.path = path;
        s.sop = sop;
        write_file(f->root, &s);
    }
    struct pdiburn_error *err = NULL;
    struct pdiburn_catalog *cat =
        pdiburn_catalog_open(f->root, NULL, true, &err);
    pdiburn_catalog_set_progress(cat, cancel_at_start, cat);
    assert_false(pdiburn_catalog_index(cat, NULL, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_CANCELLED);
    pdiburn_error_free(err);
    err = NULL;
    pdiburn_catalog_close(cat);

    /* What was written can be read; exports wait for a finished run. */
    cat = pdiburn_catalog_open(NULL, f->catalog, false, &err);
    assert_null(cat);
    assert_non_null(strstr(pdiburn_error_message(err), "no index run"));
    pdiburn_error_free(err);
    struct pdiburn_index_summary s = run_index(f->root);
    assert_int_equal(s.added, 600 + NFILES + 1 - 512);
    assert_int_equal(s.instances, 600 + NFILES);
}

static void another_archive_or_version_is_refused(void **state)
{
    struct fixture *f = *state;
    run_index(f->root);
    char other[300];
    snprintf(other, sizeof(other), "%s/p1", f->root);
    struct pdiburn_error *err = NULL;
    assert_null(pdiburn_catalog_open(other, f->catalog, false, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_IO);
    assert_non_null(strstr(pdiburn_error_message(err), "made for the archive"));
    pdiburn_error_free(err);
    err = NULL;

    struct pdb_db *db = pdb_db_open(f->catalog, true, false, NULL);
    assert_true(pdb_db_exec(db, "PRAGMA user_version=999", NULL));
    pdb_db_close(db);
    assert_null(pdiburn_catalog_open(f->root, NULL, false, &err));
    assert_non_null(strstr(pdiburn_error_message(err), "another version"));
    pdiburn_error_free(err);
    struct pdiburn_index_summary s = run_index(f->root); /* reads it all */
    assert_int_equal(s.added, NFILES + 1);
    assert_int_equal(s.instances, NFILES);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding_strips_case_and_accents),
        cmocka_unit_test(wildcards_count_characters),
        cmocka_unit_test(names_match_by_component),
        cmocka_unit_test_setup_teardown(index_is_private_and_incremental,
                                        cat_setup, cat_teardown),
        cmocka_unit_test_setup_teardown(
            find_is_blind_to_case_accents_and_charset, cat_setup,
            cat_teardown),
        cmocka_unit_test_setup_teardown(problems_are_listed_with_reasons,
                                        cat_setup, cat_teardown),
        cmocka_unit_test_setup_teardown(export_source_is_the_folder_scan,
                                        cat_setup, cat_teardown),
        cmocka_unit_test_setup_teardown(a_name_must_find_one_patient,
                                        cat_setup, cat_teardown),
        cmocka_unit_test_setup_teardown(stale_catalog_names_what_changed,
                                        cat_setup, cat_teardown),
        cmocka_unit_test_setup_teardown(cancelled_index_resumes, cat_setup,
                                        cat_teardown),
        cmocka_unit_test_setup_teardown(
            another_archive_or_version_is_refused, cat_setup, cat_teardown),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
