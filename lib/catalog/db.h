/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* db.h - SQLite behind a small C interface (db.c, the only file that
 * includes sqlite3.h), for the catalog's files. */
#ifndef PDB_DB_H
#define PDB_DB_H

#include "core.h"

struct pdb_db;
struct pdb_stmt;

/* Opens `path` in WAL mode with a busy timeout.  `write`: read-write,
 * creating the file (mode 0600) when `create`; else read-only.  Errors
 * of a read-write database are PDIBURN_E_MEDIA (the catalog is the
 * output), of a read-only one PDIBURN_E_IO. */
struct pdb_db *pdb_db_open(const char *path, bool write, bool create,
                           struct pdiburn_error **err);
void pdb_db_close(struct pdb_db *db);
bool pdb_db_exec(struct pdb_db *db, const char *sql,
                 struct pdiburn_error **err);
/* PRAGMA user_version. */
bool pdb_db_user_version(struct pdb_db *db, int *version,
                         struct pdiburn_error **err);

struct pdb_stmt *pdb_db_prepare(struct pdb_db *db, const char *sql,
                                struct pdiburn_error **err);
void pdb_stmt_free(struct pdb_stmt *st);
void pdb_stmt_reset(struct pdb_stmt *st);
/* Parameters count from 1, as in SQL's ?1.  NULL text binds NULL. */
void pdb_stmt_text(struct pdb_stmt *st, int i, const char *value);
void pdb_stmt_int(struct pdb_stmt *st, int i, int64_t value);
void pdb_stmt_blob(struct pdb_stmt *st, int i, const void *data, size_t len);
/* 1: a row; 0: done; -1: failed (err set). */
int pdb_stmt_step(struct pdb_stmt *st, struct pdiburn_error **err);
/* Steps a statement that returns no rows, then resets it and clears its
 * parameters. */
bool pdb_stmt_run(struct pdb_stmt *st, struct pdiburn_error **err);
/* Columns count from 0; text is "" for NULL, borrowed until the next
 * step. */
const char *pdb_stmt_col_text(struct pdb_stmt *st, int i);
int64_t pdb_stmt_col_int(struct pdb_stmt *st, int i);
const void *pdb_stmt_col_blob(struct pdb_stmt *st, int i, size_t *len);

/* A deterministic SQL function of two text arguments that is true or
 * false, e.g. a wildcard match; NULL arguments are false. */
typedef bool (*pdb_db_match_fn)(const char *a, const char *b);
bool pdb_db_add_match(struct pdb_db *db, const char *name, pdb_db_match_fn fn,
                      struct pdiburn_error **err);

#endif
