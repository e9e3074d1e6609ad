/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An index run: list the archive, compare it with the catalog (size,
 * modification time, inode), read the headers of new and changed files on
 * all cores, and write them, the removals and the studies they touch in
 * batches, one transaction each.  Only one run at a time (a flock beside
 * the catalog); a run that is killed leaves the catalog as of its last
 * batch, and the next run goes on from there.  The folder times that
 * tell exports the catalog is current are written last.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "dcmshim.h"

#define BATCH 512

struct run {
    struct pdiburn_catalog *cat;
    struct pdiburn_index_summary *sum;
    struct pdb_file_list walked; /* sorted by path (byte order) */
    size_t *todo;                /* walked files to read */
    size_t ntodo;
    char **gone;                 /* catalogued paths no longer there */
    size_t ngone;
    struct pdb_stmt *remove, *insert;
    /* Seconds of the read phase: wall, CPU of the process, CPU of the
     * writer thread in SQLite (CPU time does not depend on the load). */
    double reading, cpu, writing;
};

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static const char *rel_of(const struct run *r, const char *path)
{
    size_t n = strlen(r->cat->root);
    const char *rel = path + n;
    return *rel == '/' ? rel + 1 : rel;
}

static bool wait_for_lock(struct pdiburn_catalog *cat,
                          struct pdiburn_error **err)
{
    if (flock(cat->lock_fd, LOCK_EX | LOCK_NB) == 0)
        return true;
    pdb_info(&cat->ctl.log, "waiting for another index run of '%s'",
             cat->path);
    while (flock(cat->lock_fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return pdb_fail(err, PDIBURN_E_MEDIA, "locking '%s-lock': %s",
                            cat->path, strerror(errno));
        if (!pdb_ctl_go_on(&cat->ctl, err))
            return false;
    }
    return true;
}

static bool open_for_index(struct pdiburn_catalog *cat,
                           struct pdiburn_error **err)
{
    char *lock = pdb_format("%s-lock", cat->path);
    if (!lock)
        return pdb_fail_nomem(err);
    cat->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    free(lock);
    if (cat->lock_fd < 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "catalog '%s-lock': %s%s",
                        cat->path, strerror(errno),
                        cat->custom_path ? ""
                                         : " (--catalog FILE keeps the "
                                           "catalog outside the archive)");
    bool rebuilt = false;
    if (!wait_for_lock(cat, err) ||
        !(cat->db = pdb_db_open(cat->path, true, true, err)) ||
        !pdb_schema_prepare(cat->db, true, &rebuilt, err))
        return false;
    if (rebuilt)
        pdb_info(&cat->ctl.log, "the catalog was made by another version of "
                                "pdiburn: every file is read again");
    return true;
}

static int cmp_files(const void *a, const void *b)
{
    return strcmp(((const struct pdb_file *) a)->path,
                  ((const struct pdb_file *) b)->path);
}

static bool add_todo(struct run *r, size_t i)
{
    if (!pdb_grow(&r->todo, r->ntodo, sizeof(*r->todo)))
        return false;
    r->todo[r->ntodo++] = i;
    return true;
}

static bool add_gone(struct run *r, const char *rel)
{
    char *copy = strdup(rel);
    if (!copy || !pdb_grow(&r->gone, r->ngone, sizeof(*r->gone))) {
        free(copy);
        return false;
    }
    r->gone[r->ngone++] = copy;
    return true;
}

/* Broken files are read again every time: the reason may have been a
 * permission or a file still being written. */
static bool changed(const struct pdb_file *f, struct pdb_stmt *st)
{
    return (uint64_t) pdb_stmt_col_int(st, 1) != f->size ||
           pdb_stmt_col_int(st, 2) != f->mtime_ns ||
           (uint64_t) pdb_stmt_col_int(st, 3) != f->ino ||
           pdb_stmt_col_int(st, 4) == PDB_ROW_BROKEN;
}

/* One step of the merge of the sorted listing and the sorted rows: c < 0
 * a file the catalog lacks, c > 0 a row whose file is gone, c == 0 both. */
static bool merge_step(struct run *r, size_t i, struct pdb_stmt *st, int c)
{
    if (c > 0)
        return add_gone(r, pdb_stmt_col_text(st, 0));
    if (c == 0 && !changed(&r->walked.files[i], st))
        return true;
    r->sum->added += c < 0;
    r->sum->changed += c == 0 && pdb_stmt_col_int(st, 4) != PDB_ROW_BROKEN;
    return add_todo(r, i);
}

static bool diff(struct run *r, struct pdiburn_error **err)
{
    if (r->walked.nfiles > 1) /* qsort(NULL, 0) is undefined */
        qsort(r->walked.files, r->walked.nfiles, sizeof(struct pdb_file),
              cmp_files);
    struct pdb_stmt *st = pdb_db_prepare(
        r->cat->db,
        "SELECT path, size, mtime, ino, kind FROM files ORDER BY path", err);
    if (!st)
        return false;
    size_t i = 0, n = r->walked.nfiles;
    int have = pdb_stmt_step(st, err);
    bool ok = have >= 0;
    while (ok && (i < n || have == 1)) {
        int c = i >= n       ? 1
                : have != 1 ? -1
                            : strcmp(rel_of(r, r->walked.files[i].path),
                                     pdb_stmt_col_text(st, 0));
        ok = merge_step(r, i, st, c) || pdb_fail_nomem(err);
        i += c <= 0;
        if (ok && c >= 0)
            ok = (have = pdb_stmt_step(st, err)) >= 0;
    }
    pdb_stmt_free(st);
    r->sum->removed = r->ngone;
    return ok;
}

/* ---- writing ------------------------------------------------------------- */

struct touched {
    char **uids;
    size_t n;
};

static bool touch(struct touched *t, const char *uid)
{
    if (!uid[0])
        return true;
    char *copy = strdup(uid);
    if (!copy || !pdb_grow(&t->uids, t->n, sizeof(char *))) {
        free(copy);
        return false;
    }
    t->uids[t->n++] = copy;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static bool refresh(struct run *r, struct touched *t,
                    struct pdiburn_error **err)
{
    if (t->n > 1) /* qsort(NULL, 0) is undefined */
        qsort(t->uids, t->n, sizeof(char *), cmp_str);
    size_t kept = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (kept && strcmp(t->uids[kept - 1], t->uids[i]) == 0)
            free(t->uids[i]);
        else
            t->uids[kept++] = t->uids[i];
    }
    t->n = kept;
    return pdb_studies_refresh(r->cat->db, t->uids, t->n, err);
}

static void touched_free(struct touched *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->uids[i]);
    free(t->uids);
}

/* Deletes the row of `rel`, noting the study it was part of. */
static bool remove_row(struct run *r, const char *rel, struct touched *t,
                       struct pdiburn_error **err)
{
    pdb_stmt_text(r->remove, 1, rel);
    int got;
    bool ok = true;
    while (ok && (got = pdb_stmt_step(r->remove, err)) == 1)
        ok = touch(t, pdb_stmt_col_text(r->remove, 0)) || pdb_fail_nomem(err);
    pdb_stmt_reset(r->remove);
    return ok && got == 0;
}

static bool begin(struct run *r, struct pdiburn_error **err)
{
    return pdb_db_exec(r->cat->db, "BEGIN IMMEDIATE", err);
}

static bool end(struct run *r, bool ok, struct touched *t,
                struct pdiburn_error **err)
{
    ok = ok && refresh(r, t, err) && pdb_db_exec(r->cat->db, "COMMIT", err);
    if (!ok)
        pdb_db_exec(r->cat->db, "ROLLBACK", NULL);
    touched_free(t);
    return ok;
}

static bool remove_gone(struct run *r, struct pdiburn_error **err)
{
    for (size_t i = 0; i < r->ngone; i += BATCH) {
        struct touched t = { 0 };
        bool ok = begin(r, err);
        for (size_t j = i; ok && j < r->ngone && j < i + BATCH; j++)
            ok = remove_row(r, r->gone[j], &t, err);
        if (!end(r, ok, &t, err) || !pdb_ctl_go_on(&r->cat->ctl, err))
            return false;
    }
    return true;
}

static bool write_batch(struct run *r, struct pdb_row *rows, size_t n,
                        struct pdiburn_error **err)
{
    struct touched t = { 0 };
    bool ok = begin(r, err);
    for (size_t i = 0; ok && i < n; i++) {
        ok = remove_row(r, rows[i].rel, &t, err) &&
             pdb_row_insert(r->insert, &rows[i], err) &&
             (touch(&t, rows[i].read.kind == PDB_READ_INSTANCE
                            ? rows[i].read.inst->study_uid
                            : rows[i].read.study_uid) ||
              pdb_fail_nomem(err));
    }
    return end(r, ok, &t, err);
}

/* ---- reading ------------------------------------------------------------- */

/* Rows live in two batches of slots (pdb_work): item i in slot
 * i % (2 * BATCH); on a worker, its header is read and its search text
 * derived, then the caller writes the batch in order. */
struct reading {
    struct run *r;
    struct pdb_row *rows;
};

static struct pdb_row *slot(struct reading *rd, size_t i)
{
    return &rd->rows[i % (2 * BATCH)];
}

static bool read_row(void *ctx, size_t i)
{
    struct reading *rd = ctx;
    const struct pdb_file *f = &rd->r->walked.files[rd->r->todo[i]];
    struct pdb_row *row = slot(rd, i);
    row->rel = rel_of(rd->r, f->path);
    return pdb_source_read_file(f->path, f, false, &row->read, NULL) &&
           pdb_row_derive(row, NULL);
}

static bool write_rows(void *ctx, size_t first, size_t n,
                       struct pdiburn_error **err)
{
    struct reading *rd = ctx;
    struct run *r = rd->r;
    double t = seconds(CLOCK_THREAD_CPUTIME_ID);
    bool ok = write_batch(r, slot(rd, first), n, err);
    r->writing += seconds(CLOCK_THREAD_CPUTIME_ID) - t;
    return ok && pdb_ctl_report(&r->cat->ctl, PDIBURN_STAGE_SCAN, first + n,
                                r->ntodo, slot(rd, first + n - 1)->rel, err);
}

static void clear_rows(void *ctx, size_t first, size_t n)
{
    struct reading *rd = ctx;
    for (size_t i = first; i < first + n; i++) {
        pdb_read_clear(&slot(rd, i)->read);
        memset(slot(rd, i), 0, sizeof(struct pdb_row));
    }
}

static double per(size_t n, double s)
{
    return s > 0 ? (double) n / s : 0.0;
}

/* How the time went: reading headers should be what limits a run, not
 * SQLite on the writer thread. */
static void log_rates(struct run *r)
{
    double headers = r->cpu - r->writing;
    pdb_info(&r->cat->ctl.log,
             "read %zu headers in %.1f s (%.0f files/s); CPU time: headers "
             "%.2f s (%.0f files/s), catalog writes %.2f s (%.0f rows/s)",
             r->ntodo, r->reading, per(r->ntodo, r->reading), headers,
             per(r->ntodo, headers), r->writing, per(r->ntodo, r->writing));
}

static bool read_todo(struct run *r, struct pdiburn_error **err)
{
    if (r->ntodo == 0)
        return true;
    double start = seconds(CLOCK_MONOTONIC);
    double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    struct reading rd = { r, calloc(2 * BATCH, sizeof(struct pdb_row)) };
    struct pdb_work w = { r->ntodo, BATCH, 0, read_row, write_rows,
                          clear_rows, &rd };
    dcmshim_init(); /* once, before any worker reads */
    bool ok = rd.rows ? pdb_ctl_report(&r->cat->ctl, PDIBURN_STAGE_SCAN, 0,
                                       r->ntodo, NULL, err) &&
                            pdb_work_run(&w, err)
                      : pdb_fail_nomem(err);
    free(rd.rows);
    r->reading = seconds(CLOCK_MONOTONIC) - start;
    r->cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    if (ok)
        log_rates(r);
    return ok;
}

/* ---- the end of a run ---------------------------------------------------- */

static bool write_dirs(struct run *r, struct pdiburn_error **err)
{
    struct pdb_db *db = r->cat->db;
    struct pdb_stmt *st = pdb_db_prepare(
        db, "INSERT INTO dirs(path, mtime) VALUES (?1, ?2)", err);
    bool ok = st && pdb_db_exec(db, "DELETE FROM dirs", err);
    for (size_t i = 0; ok && i < r->walked.ndirs; i++) {
        pdb_stmt_text(st, 1, rel_of(r, r->walked.dirs[i].path));
        pdb_stmt_int(st, 2, r->walked.dirs[i].mtime_ns);
        ok = pdb_stmt_run(st, err);
    }
    pdb_stmt_free(st);
    return ok;
}

static bool finish(struct run *r, struct pdiburn_error **err)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    struct touched none = { 0 };
    bool ok = begin(r, err) && write_dirs(r, err) &&
              pdb_schema_set(r->cat->db, "archive", r->cat->root, err) &&
              pdb_schema_set(r->cat->db, "indexed", when, err);
    return end(r, ok, &none, err);
}

static bool count(struct run *r, struct pdiburn_error **err)
{
    struct pdb_stmt *st = pdb_db_prepare(
        r->cat->db,
        "SELECT (SELECT count(*) FROM files WHERE kind = 0),"
        " (SELECT count(*) FROM files WHERE kind = 1),"
        " (SELECT count(*) FROM files WHERE kind = 2),"
        " (SELECT count(DISTINCT study_uid) FROM studies)",
        err);
    int got = st ? pdb_stmt_step(st, err) : -1;
    if (got == 1) {
        r->sum->instances = (uint64_t) pdb_stmt_col_int(st, 0);
        r->sum->not_dicom = (uint64_t) pdb_stmt_col_int(st, 1);
        r->sum->broken = (uint64_t) pdb_stmt_col_int(st, 2);
        r->sum->studies = (uint64_t) pdb_stmt_col_int(st, 3);
    }
    pdb_stmt_free(st);
    return got == 1;
}

static bool run_index(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_catalog *cat = r->cat;
    if (!open_for_index(cat, err) ||
        !pdb_source_walk(cat->root, &r->walked, &cat->ctl, err))
        return false;
    r->sum->files = r->walked.nfiles;
    r->remove = pdb_db_prepare(
        cat->db, "DELETE FROM files WHERE path = ?1 RETURNING study_uid", err);
    r->insert = r->remove ? pdb_row_insert_stmt(cat->db, err) : NULL;
    return r->insert && diff(r, err) && remove_gone(r, err) &&
           read_todo(r, err) && finish(r, err) && count(r, err);
}

bool pdiburn_catalog_index(struct pdiburn_catalog *cat,
                           struct pdiburn_index_summary *summary,
                           struct pdiburn_error **err)
{
    struct pdiburn_index_summary local;
    struct run r = { .cat = cat, .sum = summary ? summary : &local };
    memset(r.sum, 0, sizeof(*r.sum));
    if (!cat->write || cat->db)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "the catalog was not opened for one index run");
    bool ok = run_index(&r, err);
    if (!ok)
        pdb_error_prefix(err, "indexing '%s': ", cat->root);
    pdb_stmt_free(r.remove);
    pdb_stmt_free(r.insert);
    pdb_file_list_free(&r.walked);
    for (size_t i = 0; i < r.ngone; i++)
        free(r.gone[i]);
    free(r.gone);
    free(r.todo);
    return ok;
}
