/* Unit tests for lib/write/partial.c and lock.c: output appears under its
 * final name only when committed, is private until then, vanishes on
 * abort, never touches what was there (planted links, folders, other
 * runs' files); sets of outputs appear together; one writer per output. */
#include "cmocka_pre.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

static char dir[] = "/tmp/pdiburn-test-targetXXXXXX";
static char final[256];

static int setup(void **state)
{
    (void) state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(final, sizeof(final), "%s/out.iso", dir);
    return 0;
}

static int teardown(void **state)
{
    (void) state;
    pdb_fs_remove_tree(dir);
    return 0;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static bool holds(const char *path, const char *text)
{
    char buf[64] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return strcmp(buf, text) == 0;
}

/* Entries of the test folder, "." and ".." aside. */
static int entries(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static void file_is_private_until_committed(void **state)
{
    (void) state;
    struct pdb_partial t;
    struct stat st;
    assert_true(pdb_partial_check(final, false, NULL));
    assert_true(pdb_partial_begin(&t, final, false, NULL));
    assert_true(fstat(t.fd, &st) == 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* ".out.iso.XXXXXX.part" beside it */
    assert_non_null(strstr(t.part, "/.out.iso."));
    assert_int_equal(strlen(strrchr(t.part, '/')), strlen("/.out.iso.") + 11);
    assert_false(exists(final));
    assert_true(pdb_fs_write_all(t.fd, "data", 4));
    char *part = strdup(t.part);
    assert_true(pdb_partial_commit(&t, NULL));
    pdb_partial_abort(&t);
    assert_true(holds(final, "data"));
    assert_false(exists(part));
    free(part);
    unlink(final);
}

static void abort_removes_everything(void **state)
{
    (void) state;
    struct pdb_partial t;
    char folder[300];
    snprintf(folder, sizeof(folder), "%s/media", dir);
    assert_true(pdb_partial_begin(&t, folder, true, NULL));
    char *part = strdup(t.part);
    assert_true(exists(part));
    assert_true(pdb_fs_mkdirs(part, 0777, NULL)); /* a tree inside */
    char sub[400];
    snprintf(sub, sizeof(sub), "%s/A/B", part ? part : "");
    assert_true(pdb_fs_mkdirs(sub, 0777, NULL));
    pdb_partial_abort(&t);
    assert_false(exists(part));
    assert_false(exists(folder));
    free(part);
    assert_int_equal(entries(), 0);
}

/* What the old code wrote through or deleted: a planted symbolic link and
 * a folder under the names "out.iso.part" and the like. */
static void planted_names_are_left_alone(void **state)
{
    (void) state;
    char victim[300], link[300], folder[300], inside[320];
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    snprintf(link, sizeof(link), "%s.part", final);
    snprintf(folder, sizeof(folder), "%s/media.part", dir);
    snprintf(inside, sizeof(inside), "%s/keep", folder);
    put(victim, "precious");
    assert_int_equal(symlink(victim, link), 0);
    mkdir(folder, 0700);
    put(inside, "mine");
    struct pdb_partial t, d;
    char media[300];
    snprintf(media, sizeof(media), "%s/media", dir);
    assert_true(pdb_partial_begin(&t, final, false, NULL));
    assert_true(pdb_partial_begin(&d, media, true, NULL));
    assert_true(pdb_fs_write_all(t.fd, "image", 5));
    assert_true(pdb_partial_commit(&t, NULL));
    pdb_partial_abort(&t);
    pdb_partial_abort(&d);
    assert_true(holds(victim, "precious"));
    assert_true(holds(inside, "mine"));
    struct stat st;
    assert_int_equal(lstat(final, &st), 0);
    assert_true(S_ISREG(st.st_mode)); /* not the moved link */
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    unlink(link);
    unlink(victim);
    unlink(final);
    pdb_fs_remove_tree(folder);
}

static void two_partials_never_share_a_name(void **state)
{
    (void) state;
    struct pdb_partial a, b;
    assert_true(pdb_partial_begin(&a, final, false, NULL));
    assert_true(pdb_partial_begin(&b, final, false, NULL));
    assert_string_not_equal(a.part, b.part);
    pdb_partial_abort(&b);
    assert_true(exists(a.part)); /* b's abort leaves a's file alone */
    pdb_partial_abort(&a);
    assert_int_equal(entries(), 0);
}

static void placing_without_replacing(void **state)
{
    (void) state;
    struct pdb_partial t;
    bool taken = false;
    put(final, "theirs");
    assert_true(pdb_partial_begin(&t, final, false, NULL));
    assert_true(pdb_fs_write_all(t.fd, "ours", 4));
    assert_true(pdb_partial_finish(&t, NULL));
    assert_false(pdb_partial_place(&t, false, &taken, NULL));
    assert_true(taken);
    assert_true(holds(final, "theirs"));
    pdb_partial_abort(&t);
    assert_int_equal(entries(), 1);
    unlink(final);
}

static void outputs_appear_together(void **state)
{
    (void) state;
    struct pdb_outputs o = { 0 };
    struct pdb_partial *a, *b;
    char second[300], folder[300];
    snprintf(second, sizeof(second), "%s/out_2.iso", dir);
    snprintf(folder, sizeof(folder), "%s/media", dir);
    assert_true(pdb_outputs_begin(&o, final, false, &a, NULL));
    assert_true(pdb_outputs_begin(&o, folder, true, &b, NULL));
    assert_true(pdb_fs_write_all(a->fd, "one", 3));
    assert_true(pdb_partial_finish(a, NULL));
    assert_false(exists(final));
    assert_true(pdb_outputs_commit(&o, NULL));
    pdb_outputs_abort(&o);
    assert_true(holds(final, "one"));
    struct stat st;
    assert_int_equal(stat(folder, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0777 & ~pdb_fs_umask());
    assert_int_equal(entries(), 2);
    /* A set aborted before its commit leaves nothing of itself. */
    assert_true(pdb_outputs_begin(&o, second, false, &a, NULL));
    assert_true(pdb_partial_finish(a, NULL));
    pdb_outputs_abort(&o);
    assert_int_equal(entries(), 2);
    unlink(final);
    rmdir(folder);
}

static void non_empty_folder_is_refused(void **state)
{
    (void) state;
    char folder[300], file[320];
    struct pdiburn_error *err = NULL;
    snprintf(folder, sizeof(folder), "%s/full", dir);
    snprintf(file, sizeof(file), "%s/keep", folder);
    mkdir(folder, 0700);
    put(file, "");
    assert_false(pdb_partial_check(folder, true, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_MEDIA);
    pdiburn_error_free(err);
    assert_true(exists(file));
    pdb_fs_remove_tree(folder);
}

static void second_writer_is_refused(void **state)
{
    (void) state;
    struct pdb_lock a = { 0 }, b = { 0 };
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    char lock[300];
    snprintf(lock, sizeof(lock), "%s/.out.iso.lock", dir);
    assert_true(pdb_lock_output(&a, final, &log, NULL));
    assert_true(exists(lock));
    assert_false(pdb_lock_output(&b, final, &log, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_MEDIA);
    assert_non_null(strstr(pdiburn_error_message(err), "another run"));
    pdiburn_error_free(err);
    pdb_lock_release(&b); /* never taken: leaves a's lock alone */
    assert_true(exists(lock));
    pdb_lock_release(&a);
    assert_false(exists(lock));
}

/* A lock nobody holds was left by a run that died: it is taken over, and
 * that run's partial outputs of the same name go; other files stay. */
static void stale_lock_is_taken_over(void **state)
{
    (void) state;
    char lock[300], stale[300], other[300];
    snprintf(lock, sizeof(lock), "%s/.out.iso.lock", dir);
    snprintf(stale, sizeof(stale), "%s/.out.iso.Ab12Cd.part", dir);
    snprintf(other, sizeof(other), "%s/.out.iso.notours", dir);
    put(lock, "99999\n");
    put(stale, "half an image");
    put(other, "keep");
    struct pdb_lock l = { 0 };
    struct pdb_log log = { 0 };
    assert_true(pdb_lock_output(&l, final, &log, NULL));
    assert_false(exists(stale));
    assert_true(holds(other, "keep"));
    pdb_lock_release(&l);
    unlink(other);
    assert_int_equal(entries(), 0);
}

static void planted_lock_link_is_refused(void **state)
{
    (void) state;
    char lock[300], victim[300];
    snprintf(lock, sizeof(lock), "%s/.out.iso.lock", dir);
    snprintf(victim, sizeof(victim), "%s/victim", dir);
    put(victim, "precious");
    assert_int_equal(symlink(victim, lock), 0);
    struct pdb_lock l = { 0 };
    struct pdb_log log = { 0 };
    struct pdiburn_error *err = NULL;
    assert_false(pdb_lock_output(&l, final, &log, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_MEDIA);
    pdiburn_error_free(err);
    err = NULL;
    pdb_lock_release(&l);
    assert_true(holds(victim, "precious"));
    unlink(lock);
    assert_int_equal(link(victim, lock), 0); /* a second name: not ours */
    assert_false(pdb_lock_output(&l, final, &log, &err));
    pdiburn_error_free(err);
    assert_true(holds(victim, "precious"));
    unlink(lock);
    unlink(victim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_is_private_until_committed),
        cmocka_unit_test(abort_removes_everything),
        cmocka_unit_test(planted_names_are_left_alone),
        cmocka_unit_test(two_partials_never_share_a_name),
        cmocka_unit_test(placing_without_replacing),
        cmocka_unit_test(outputs_appear_together),
        cmocka_unit_test(non_empty_folder_is_refused),
        cmocka_unit_test(second_writer_is_refused),
        cmocka_unit_test(stale_lock_is_taken_over),
        cmocka_unit_test(planted_lock_link_is_refused),
    };
    return cmocka_run_group_tests_name("target", tests, setup, teardown);
}
