/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tables of the catalog and their version.  `files` holds one row per
 * file of the archive with everything the scanner keeps of it (so an
 * export needs no header), `studies` one row per study and patient
 * identity for find, `name_words` the words of their names (to find a
 * name by a prefix without reading every study), `dirs` each folder's
 * time for the freshness check, `meta` the archive folder and the
 * version of the scanner's keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"

static const char create_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE files("
    " path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,"
    " mtime INTEGER NOT NULL, ino INTEGER NOT NULL, kind INTEGER NOT NULL,"
    " reason TEXT, study_uid TEXT NOT NULL DEFAULT '', ts TEXT,"
    " sop_class TEXT, sop_uid TEXT, series_uid TEXT, patient_id TEXT,"
    " part10 INTEGER, header_len INTEGER, px_kind INTEGER, px_vr TEXT,"
    " px_element INTEGER, px_value INTEGER, px_length INTEGER,"
    " px_end INTEGER, keys BLOB,"
    " issuer TEXT, patient_name TEXT, name_key TEXT, birth_date TEXT,"
    " sex TEXT, study_date TEXT, study_time TEXT, accession TEXT,"
    " description TEXT, desc_key TEXT, modality TEXT);"
    /* The index run's comparison reads this, not the wide rows. */
    "CREATE INDEX files_state ON files(path, size, mtime, ino, kind);"
    "CREATE INDEX files_study ON files(study_uid);"
    "CREATE INDEX files_patient ON files(patient_id);"
    "CREATE INDEX files_accession ON files(accession);"
    "CREATE TABLE studies("
    " study_uid TEXT NOT NULL, patient_id TEXT, issuer TEXT,"
    " patient_name TEXT, name_key TEXT, birth_date TEXT, sex TEXT,"
    " study_date TEXT, study_time TEXT, accession TEXT, description TEXT,"
    " desc_key TEXT, modalities TEXT, series INTEGER, instances INTEGER,"
    " bytes INTEGER);"
    "CREATE INDEX studies_uid ON studies(study_uid);"
    "CREATE INDEX studies_patient ON studies(patient_id);"
    "CREATE INDEX studies_accession ON studies(accession);"
    "CREATE INDEX studies_date ON studies(study_date);"
    "CREATE INDEX studies_name ON studies(name_key);"
    "CREATE TABLE name_words(word TEXT NOT NULL, study_uid TEXT NOT NULL,"
    " PRIMARY KEY(word, study_uid)) WITHOUT ROWID;"
    "CREATE INDEX name_words_study ON name_words(study_uid);"
    "CREATE TABLE dirs(path TEXT PRIMARY KEY, mtime INTEGER NOT NULL)"
    " WITHOUT ROWID;";

static const char drop_sql[] = "DROP TABLE IF EXISTS meta;"
                               "DROP TABLE IF EXISTS files;"
                               "DROP TABLE IF EXISTS studies;"
                               "DROP TABLE IF EXISTS name_words;"
                               "DROP TABLE IF EXISTS dirs;";

/* The scanner's keys (tags and VRs) and the catalog version: a catalog
 * made with other keys would give exports an inventory that differs
 * from a fresh scan. */
static void fingerprint(char out[32])
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < pdb_nkeys; i++) {
        uint8_t bytes[6] = { (uint8_t) pdb_keys[i].tag,
                             (uint8_t) (pdb_keys[i].tag >> 8),
                             (uint8_t) (pdb_keys[i].tag >> 16),
                             (uint8_t) (pdb_keys[i].tag >> 24),
                             (uint8_t) pdb_keys[i].vr[0],
                             (uint8_t) pdb_keys[i].vr[1] };
        for (size_t j = 0; j < sizeof(bytes); j++)
            h = (h ^ bytes[j]) * 1099511628211ull;
    }
    snprintf(out, 32, "%d-%016llx", PDB_CATALOG_VERSION,
             (unsigned long long) h);
}

bool pdb_schema_get(struct pdb_db *db, const char *key, char **value,
                    struct pdiburn_error **err)
{
    struct pdb_stmt *st =
        pdb_db_prepare(db, "SELECT value FROM meta WHERE key = ?1", err);
    if (!st)
        return false;
    pdb_stmt_text(st, 1, key);
    int got = pdb_stmt_step(st, err);
    *value = got == 1 ? strdup(pdb_stmt_col_text(st, 0)) : NULL;
    pdb_stmt_free(st);
    if (got == 1 && !*value)
        return pdb_fail_nomem(err);
    return got >= 0;
}

bool pdb_schema_set(struct pdb_db *db, const char *key, const char *value,
                    struct pdiburn_error **err)
{
    struct pdb_stmt *st = pdb_db_prepare(
        db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", err);
    if (!st)
        return false;
    pdb_stmt_text(st, 1, key);
    pdb_stmt_text(st, 2, value);
    bool ok = pdb_stmt_run(st, err);
    pdb_stmt_free(st);
    return ok;
}

static bool current(struct pdb_db *db, bool *is_current, bool *empty,
                    struct pdiburn_error **err)
{
    int version = 0;
    char want[32], *keys = NULL;
    if (!pdb_db_user_version(db, &version, err))
        return false;
    *empty = version == 0;
    *is_current = false;
    if (version != PDB_CATALOG_VERSION)
        return true;
    if (!pdb_schema_get(db, "keys", &keys, err))
        return false;
    fingerprint(want);
    *is_current = keys && strcmp(keys, want) == 0;
    free(keys);
    return true;
}

static bool create(struct pdb_db *db, struct pdiburn_error **err)
{
    char keys[32], sql[64];
    fingerprint(keys);
    snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", PDB_CATALOG_VERSION);
    return pdb_db_exec(db, "BEGIN IMMEDIATE", err) &&
           pdb_db_exec(db, drop_sql, err) &&
           pdb_db_exec(db, create_sql, err) &&
           pdb_schema_set(db, "keys", keys, err) &&
           pdb_db_exec(db, sql, err) && pdb_db_exec(db, "COMMIT", err);
}

bool pdb_schema_prepare(struct pdb_db *db, bool write, bool *rebuilt,
                        struct pdiburn_error **err)
{
    bool is_current = false, empty = false;
    *rebuilt = false;
    if (!current(db, &is_current, &empty, err))
        return false;
    if (is_current)
        return true;
    if (!write)
        return pdb_fail(err, PDIBURN_E_IO,
                        empty ? "no archive has been indexed into it yet"
                              : "it was made by another version of "
                                "pdiburn");
    *rebuilt = !empty;
    if (create(db, err))
        return true;
    pdb_db_exec(db, "ROLLBACK", NULL);
    return false;
}
