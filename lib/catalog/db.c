/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SQLite, wrapped: the only file that includes sqlite3.h and maps its
 * result codes.  Every database is in WAL mode (readers see the last
 * committed transaction while a writer works, and a killed writer leaves
 * the last commit intact) with a busy timeout instead of SQLITE_BUSY.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"

/* Long enough for a checkpoint or another writer's batch to finish. */
#define BUSY_TIMEOUT_MS 60000

struct pdb_db {
    sqlite3 *handle;
    bool write;
};

struct pdb_stmt {
    sqlite3_stmt *handle;
    struct pdb_db *db;
};

static enum pdiburn_code code_of(const struct pdb_db *db, int rc)
{
    switch (rc & 0xFF) {
    case SQLITE_NOMEM: return PDIBURN_E_NOMEM;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_CONSTRAINT:
    case SQLITE_ERROR: return PDIBURN_E_INTERNAL;
    case SQLITE_INTERRUPT: return PDIBURN_E_CANCELLED;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return PDIBURN_E_IO;
    default: return db && db->write ? PDIBURN_E_MEDIA : PDIBURN_E_IO;
    }
}

static bool fail(struct pdb_db *db, int rc, const char *what,
                 struct pdiburn_error **err)
{
    const char *msg = db ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc);
    return pdb_fail(err, code_of(db, rc), "catalog: %s: %s", what, msg);
}

/* SQLite creates a new database with the process umask; the catalog holds
 * patient data, so it is made 0600 first.  Its -wal and -shm files take
 * the mode of the database. */
static bool create_private(const char *path, struct pdiburn_error **err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    if (fd >= 0 || errno == EEXIST)
        return true;
    return pdb_fail(err, PDIBURN_E_MEDIA, "catalog '%s': %s", path,
                    strerror(errno));
}

static bool configure(struct pdb_db *db, struct pdiburn_error **err)
{
    sqlite3_busy_timeout(db->handle, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->handle, 1);
    if (!db->write)
        return true;
    /* NORMAL in WAL mode: a power cut may lose the last commits, never
     * the consistency of the file. */
    return pdb_db_exec(db, "PRAGMA journal_mode=WAL", err) &&
           pdb_db_exec(db, "PRAGMA synchronous=NORMAL", err);
}

struct pdb_db *pdb_db_open(const char *path, bool write, bool create,
                           struct pdiburn_error **err)
{
    if (write && create && !create_private(path, err))
        return NULL;
    struct pdb_db *db = calloc(1, sizeof(*db));
    if (!db) {
        pdb_fail_nomem(err);
        return NULL;
    }
    db->write = write;
    int flags = (write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
                SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &db->handle, flags, NULL);
    if (rc != SQLITE_OK) {
        pdb_fail(err, code_of(db, rc), "catalog '%s': %s", path,
                 db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc));
        pdb_db_close(db);
        return NULL;
    }
    if (!configure(db, err)) {
        pdb_error_prefix(err, "'%s': ", path);
        pdb_db_close(db);
        return NULL;
    }
    return db;
}

void pdb_db_close(struct pdb_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->handle); /* every statement is finalized by then */
    free(db);
}

bool pdb_db_exec(struct pdb_db *db, const char *sql,
                 struct pdiburn_error **err)
{
    int rc = sqlite3_exec(db->handle, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK || fail(db, rc, sql, err);
}

bool pdb_db_user_version(struct pdb_db *db, int *version,
                         struct pdiburn_error **err)
{
    struct pdb_stmt *st = pdb_db_prepare(db, "PRAGMA user_version", err);
    int got = st ? pdb_stmt_step(st, err) : -1;
    if (got == 1)
        *version = (int) pdb_stmt_col_int(st, 0);
    pdb_stmt_free(st);
    return got == 1;
}

struct pdb_stmt *pdb_db_prepare(struct pdb_db *db, const char *sql,
                                struct pdiburn_error **err)
{
    struct pdb_stmt *st = calloc(1, sizeof(*st));
    if (!st) {
        pdb_fail_nomem(err);
        return NULL;
    }
    st->db = db;
    int rc = sqlite3_prepare_v2(db->handle, sql, -1, &st->handle, NULL);
    if (rc != SQLITE_OK) {
        fail(db, rc, "preparing a query", err);
        pdb_stmt_free(st);
        return NULL;
    }
    return st;
}

void pdb_stmt_free(struct pdb_stmt *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->handle);
    free(st);
}

void pdb_stmt_reset(struct pdb_stmt *st)
{
    sqlite3_reset(st->handle);
    sqlite3_clear_bindings(st->handle);
}

void pdb_stmt_text(struct pdb_stmt *st, int i, const char *value)
{
    if (value)
        sqlite3_bind_text(st->handle, i, value, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->handle, i);
}

void pdb_stmt_int(struct pdb_stmt *st, int i, int64_t value)
{
    sqlite3_bind_int64(st->handle, i, value);
}

void pdb_stmt_blob(struct pdb_stmt *st, int i, const void *data, size_t len)
{
    if (data)
        sqlite3_bind_blob64(st->handle, i, data, len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st->handle, i);
}

int pdb_stmt_step(struct pdb_stmt *st, struct pdiburn_error **err)
{
    int rc = sqlite3_step(st->handle);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    fail(st->db, rc, "query", err);
    return -1;
}

bool pdb_stmt_run(struct pdb_stmt *st, struct pdiburn_error **err)
{
    int got = pdb_stmt_step(st, err);
    pdb_stmt_reset(st);
    return got == 0 ||
           (got == 1 && pdb_fail(err, PDIBURN_E_INTERNAL,
                                 "catalog: a statement returned rows"));
}

const char *pdb_stmt_col_text(struct pdb_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st->handle, i);
    return t ? (const char *) t : "";
}

int64_t pdb_stmt_col_int(struct pdb_stmt *st, int i)
{
    return sqlite3_column_int64(st->handle, i);
}

const void *pdb_stmt_col_blob(struct pdb_stmt *st, int i, size_t *len)
{
    const void *data = sqlite3_column_blob(st->handle, i);
    *len = (size_t) sqlite3_column_bytes(st->handle, i);
    return data;
}

struct match {
    pdb_db_match_fn fn;
};

static void call_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const struct match *m = sqlite3_user_data(ctx);
    const unsigned char *a = sqlite3_value_text(argv[0]);
    const unsigned char *b = argc > 1 ? sqlite3_value_text(argv[1]) : NULL;
    sqlite3_result_int(ctx,
                       a && b && m->fn((const char *) a, (const char *) b));
}

bool pdb_db_add_match(struct pdb_db *db, const char *name, pdb_db_match_fn fn,
                      struct pdiburn_error **err)
{
    struct match *m = malloc(sizeof(*m));
    if (!m)
        return pdb_fail_nomem(err);
    m->fn = fn;
    /* SQLite frees `m` (xDestroy) even when the call fails. */
    int rc = sqlite3_create_function_v2(db->handle, name, 2,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, m,
                                        call_match, NULL, NULL, free);
    return rc == SQLITE_OK || fail(db, rc, name, err);
}
