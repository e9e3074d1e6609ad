/* Unit tests for lib/verify/media_reader.c (and the reading half of
 * lib/core/archive_file.c): verify reads every file of media it did not
 * necessarily write, so the reader must list exactly the regular files of
 * a folder (nested, without following symbolic links into loops), of an
 * ISO 9660 image and of a ZIP (both made here with pdiburn's own writers,
 * plain and encrypted), hand back their bytes whole, and fail with an
 * error naming the file when one cannot be read. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"
#include "media_reader.h"
#include "write.h"

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

/* A fresh folder under the test's temp folder. */
static char *subdir(const char *name)
{
    char *path = pdb_fs_path_join(dir, name);
    pdb_fs_remove_tree(path);
    assert_true(pdb_fs_mkdirs(path, 0700, NULL));
    return path;
}

static void put(const char *root, const char *rel, const char *text)
{
    free(fx_write_file(root, rel, text, strlen(text)));
}

/* Every file of the media as "path=size:content\n" lines, sorted; reads in
 * chunks of `chunk` bytes. */
static char *listing(const char *path, const char *passphrase, size_t chunk)
{
    struct pdb_media *m = NULL;
    assert_true(pdb_media_open(path, passphrase, &m, NULL));
    char *lines[32];
    size_t n = 0;
    const char *name;
    uint64_t size;
    int rc;
    while ((rc = pdb_media_next(m, &name, &size, NULL)) > 0) {
        struct pdb_buf b = { 0 };
        pdb_buf_printf(&b, "%s=%llu:", name, (unsigned long long) size);
        char buf[64];
        size_t got;
        do {
            assert_true(pdb_media_read(m, buf, chunk, &got, NULL));
            pdb_buf_add(&b, buf, got);
        } while (got);
        assert_true(n < 32);
        lines[n++] = (char *) pdb_buf_steal(&b, NULL);
    }
    assert_int_equal(rc, 0);
    pdb_media_close(m);
    for (size_t i = 1; i < n; i++) /* insertion sort */
        for (size_t k = i; k > 0 && strcmp(lines[k - 1], lines[k]) > 0; k--) {
            char *t = lines[k];
            lines[k] = lines[k - 1];
            lines[k - 1] = t;
        }
    struct pdb_buf all = { 0 };
    pdb_buf_add_str(&all, "");
    for (size_t i = 0; i < n; i++) {
        pdb_buf_printf(&all, "%s\n", lines[i]);
        free(lines[i]);
    }
    return (char *) pdb_buf_steal(&all, NULL);
}

static void expect_listing(const char *path, const char *passphrase,
                           size_t chunk, const char *want)
{
    char *got = listing(path, passphrase, chunk);
    assert_string_equal(got, want);
    free(got);
}

/* Nested folders are walked; a link back up, a link to a file and a FIFO
 * are neither followed nor listed. */
static void folder_nested_without_links(void **state)
{
    (void) state;
    char *root = subdir("nested");
    put(root, "A/B/C/F1", "one");
    put(root, "A/F3", "");
    put(root, "F2", "two!");
    char *loop = pdb_fs_path_join(root, "A/LOOP");
    char *link = pdb_fs_path_join(root, "LINK");
    char *fifo = pdb_fs_path_join(root, "A/B/PIPE");
    assert_int_equal(symlink("..", loop), 0);
    assert_int_equal(symlink("F2", link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_listing(root, NULL, 64, "A/B/C/F1=3:one\nA/F3=0:\nF2=4:two!\n");
    expect_listing(root, NULL, 1, "A/B/C/F1=3:one\nA/F3=0:\nF2=4:two!\n");
    free(loop);
    free(link);
    free(fifo);
    free(root);
}

static void folder_empty(void **state)
{
    (void) state;
    char *root = subdir("empty");
    expect_listing(root, NULL, 64, "");
    free(root);
}

/* The folder listed at open, a file gone by the time it is read. */
static void folder_file_vanished(void **state)
{
    (void) state;
    char *root = subdir("vanish");
    put(root, "GONE", "x");
    struct pdb_media *m = NULL;
    assert_true(pdb_media_open(root, NULL, &m, NULL));
    char *gone = pdb_fs_path_join(root, "GONE");
    assert_int_equal(unlink(gone), 0);
    const char *name;
    uint64_t size;
    struct pdiburn_error *err = NULL;
    assert_int_equal(pdb_media_next(m, &name, &size, &err), -1);
    fx_expect_error(err, PDIBURN_E_VERIFY, gone);
    pdb_media_close(m);
    free(gone);
    free(root);
}

/* A file that became a folder is not read as if it were the file. */
static void folder_file_replaced_by_folder(void **state)
{
    (void) state;
    char *root = subdir("replaced");
    put(root, "ITEM", "data");
    struct pdb_media *m = NULL;
    assert_true(pdb_media_open(root, NULL, &m, NULL));
    char *item = pdb_fs_path_join(root, "ITEM");
    assert_int_equal(unlink(item), 0);
    assert_int_equal(mkdir(item, 0700), 0);
    const char *name;
    uint64_t size;
    struct pdiburn_error *err = NULL;
    assert_int_equal(pdb_media_next(m, &name, &size, &err), -1);
    fx_expect_error(err, PDIBURN_E_VERIFY, item);
    pdb_media_close(m);
    free(item);
    free(root);
}

static bool error_is(struct pdiburn_error *err, enum pdiburn_code code,
                     const char *part)
{
    bool ok = err && pdiburn_error_code(err) == code &&
              strstr(pdiburn_error_message(err), part);
    pdiburn_error_free(err);
    return ok;
}

/* No cmocka here: it may run in a child.  0 when both media fail as they
 * should. */
static int unreadable_checks(const char *with_file, const char *with_folder)
{
    struct pdb_media *m = NULL;
    struct pdiburn_error *err = NULL;
    const char *name;
    uint64_t size;
    int failures = 0;
    if (!pdb_media_open(with_file, NULL, &m, NULL))
        return 1;
    if (pdb_media_next(m, &name, &size, &err) != -1 ||
        !error_is(err, PDIBURN_E_VERIFY, "SECRET': Permission denied"))
        failures |= 2;
    pdb_media_close(m);
    err = NULL;
    if (pdb_media_open(with_folder, NULL, &m, &err) ||
        !error_is(err, PDIBURN_E_IO, "SUB': Permission denied"))
        failures |= 4;
    return failures;
}

/* Root reads everything, so as root the checks run in a child that has
 * become nobody (CI runs as root). */
static int as_nobody(const char *with_file, const char *with_folder)
{
    const uid_t nobody = 65534;
    assert_int_equal(chmod(dir, 0711), 0);
    assert_int_equal(chown(with_file, nobody, nobody), 0);
    assert_int_equal(chown(with_folder, nobody, nobody), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(setgid(nobody) == 0 && setuid(nobody) == 0
                  ? unreadable_checks(with_file, with_folder)
                  : 8);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(chmod(dir, 0700), 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 16;
}

/* A file or a folder that permissions keep out. */
static void folder_unreadable(void **state)
{
    (void) state;
    char *with_file = subdir("unreadable-file");
    char *with_folder = subdir("unreadable-folder");
    put(with_file, "SECRET", "x");
    put(with_folder, "SUB/INNER", "y");
    char *secret = pdb_fs_path_join(with_file, "SECRET");
    char *sub = pdb_fs_path_join(with_folder, "SUB");
    assert_int_equal(chmod(secret, 0), 0);
    assert_int_equal(chmod(sub, 0), 0);
    int failures = geteuid() == 0 ? as_nobody(with_file, with_folder)
                                  : unreadable_checks(with_file, with_folder);
    assert_int_equal(failures, 0);
    assert_int_equal(chmod(sub, 0700), 0);
    free(secret);
    free(sub);
    free(with_file);
    free(with_folder);
}

static void missing_or_unknown_media(void **state)
{
    (void) state;
    char *missing = pdb_fs_path_join(dir, "nothing-here");
    struct pdb_media *m = NULL;
    struct pdiburn_error *err = NULL;
    assert_false(pdb_media_open(missing, NULL, &m, &err));
    fx_expect_error(err, PDIBURN_E_IO, missing);
    char *text = fx_write_file(dir, "notes.txt", "not an image\n", 13);
    err = NULL;
    assert_false(pdb_media_open(text, NULL, &m, &err));
    fx_expect_error(err, PDIBURN_E_IO, text);
    free(missing);
    free(text);
    pdb_media_close(NULL);
}

/* ---- images made by pdiburn's writers ----------------------------------- */

static const char *const image_files[][2] = {
    { "DICOMDIR", "dicomdir bytes" },
    { "DICOM/PT000001/ST000001/IM000001", "first image" },
    { "DICOM/PT000001/ST000001/IM000002", "" },
    { "viewer/viewer.js", "PDV.start();" },
    { "README.TXT", "read me" },
};

static const char image_listing[] =
    "DICOM/PT000001/ST000001/IM000001=11:first image\n"
    "DICOM/PT000001/ST000001/IM000002=0:\n"
    "DICOMDIR=14:dicomdir bytes\n"
    "README.TXT=7:read me\n"
    "viewer/viewer.js=12:PDV.start();\n";

static void fill(struct pdb_content *c, struct pdb_ctl *ctl)
{
    memset(c, 0, sizeof(*c));
    memset(ctl, 0, sizeof(*ctl));
    c->ctl = ctl;
    for (size_t i = 0; i < sizeof(image_files) / sizeof(image_files[0]);
         i++) {
        const char *text = image_files[i][1];
        assert_true(pdb_content_add_mem(c, image_files[i][0],
                                        (uint8_t *) strdup(text),
                                        strlen(text), NULL));
    }
}

enum kind { ISO, ZIP, ZIP_AES };

static char *make_image(const char *name, enum kind kind)
{
    struct pdb_content c;
    struct pdb_ctl ctl;
    fill(&c, &ctl);
    char *path = pdb_fs_path_join(dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    bool ok = kind == ISO ? pdb_iso_write(&c, "TEST_SET", fileno(f), &ctl, NULL)
                          : pdb_zip_write(&c, fileno(f),
                                          kind == ZIP_AES ? "s3cret" : NULL,
                                          &ctl, NULL);
    assert_true(ok);
    assert_int_equal(fclose(f), 0);
    pdb_content_free(&c);
    return path;
}

static void iso_image(void **state)
{
    (void) state;
    char *iso = make_image("media.iso", ISO);
    expect_listing(iso, NULL, 64, image_listing);
    expect_listing(iso, NULL, 3, image_listing);
    free(iso);
}

static void zip_file(void **state)
{
    (void) state;
    char *zip = make_image("media.zip", ZIP);
    expect_listing(zip, NULL, 64, image_listing);
    expect_listing(zip, "unused", 5, image_listing);
    free(zip);
}

/* Reads until the first failure: -1 from next or false from read. */
static bool read_all(const char *path, const char *passphrase,
                     struct pdiburn_error **err)
{
    struct pdb_media *m = NULL;
    if (!pdb_media_open(path, passphrase, &m, err))
        return false;
    const char *name;
    uint64_t size;
    int rc;
    bool ok = true;
    while (ok && (rc = pdb_media_next(m, &name, &size, err)) > 0) {
        char buf[4096];
        size_t got = 1;
        while (ok && got)
            ok = pdb_media_read(m, buf, sizeof(buf), &got, err);
    }
    pdb_media_close(m);
    return ok && rc == 0;
}

/* An encrypted ZIP opens with its passphrase only. */
static void encrypted_zip(void **state)
{
    (void) state;
    char *zip = make_image("secret.zip", ZIP_AES);
    expect_listing(zip, "s3cret", 64, image_listing);
    struct pdiburn_error *err = NULL;
    assert_false(read_all(zip, NULL, &err));
    assert_non_null(err);
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_VERIFY);
    pdiburn_error_free(err);
    err = NULL;
    assert_false(read_all(zip, "wrong", &err));
    assert_non_null(err);
    pdiburn_error_free(err);
    free(zip);
}

/* A copy of `path` cut to `keep` bytes. */
static char *truncated(const char *path, const char *name, long keep)
{
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    char *bytes = malloc((size_t) keep);
    assert_int_equal(fread(bytes, 1, (size_t) keep, in), keep);
    fclose(in);
    char *out = fx_write_file(dir, name, bytes, (size_t) keep);
    free(bytes);
    return out;
}

/* A cut image is an error, never a shorter file read as complete. */
static void truncated_images_fail(void **state)
{
    (void) state;
    char *zip = make_image("whole.zip", ZIP);
    char *cut = truncated(zip, "cut.zip", 90); /* inside the first entry */
    struct pdiburn_error *err = NULL;
    assert_false(read_all(cut, NULL, &err));
    assert_non_null(err);
    pdiburn_error_free(err);
    char *iso = make_image("whole.iso", ISO);
    struct stat st;
    assert_int_equal(stat(iso, &st), 0);
    char *cut_iso = truncated(iso, "cut.iso", 36 * 2048);
    err = NULL;
    assert_false(read_all(cut_iso, NULL, &err));
    assert_non_null(err);
    pdiburn_error_free(err);
    free(zip);
    free(cut);
    free(iso);
    free(cut_iso);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folder_nested_without_links),
        cmocka_unit_test(folder_empty),
        cmocka_unit_test(folder_file_vanished),
        cmocka_unit_test(folder_file_replaced_by_folder),
        cmocka_unit_test(folder_unreadable),
        cmocka_unit_test(missing_or_unknown_media),
        cmocka_unit_test(iso_image),
        cmocka_unit_test(zip_file),
        cmocka_unit_test(encrypted_zip),
        cmocka_unit_test(truncated_images_fail),
    };
    return cmocka_run_group_tests_name("media_reader", tests, setup,
                                       teardown);
}
