/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * catalog.h - the archive catalog's insides, shared by the files of
 * lib/catalog/: the open catalog, its schema, its rows, the index run,
 * finding studies and the export source.
 */
#ifndef PDB_CATALOG_H
#define PDB_CATALOG_H

#include "db.h"
#include "select.h"
#include "source.h"

/* Bumped whenever what the scanner keeps of a file changes: a catalog of
 * another version is read again from scratch (schema.c). */
#define PDB_CATALOG_VERSION 1

/* The kinds of file rows. */
enum pdb_row_kind { PDB_ROW_INSTANCE = 0, PDB_ROW_NOT_DICOM = 1,
                    PDB_ROW_BROKEN = 2 };

struct pdiburn_catalog {
    char *root;   /* the archive folder, absolute and resolved */
    char *path;   /* the catalog file */
    bool custom_path; /* given, not the archive's default */
    struct pdb_db *db;
    bool write;
    int lock_fd;  /* index runs hold an exclusive flock on it */
    struct pdb_ctl ctl;
};

/* catalog.c */
/* The default catalog of an archive folder; malloc'd. */
char *pdb_catalog_default_path(const char *archive);
/* Opens the catalog for reading: the archive's own unless `catalog`;
 * `archive` may be NULL when `catalog` is given (then it is the folder
 * the catalog was made for). */
struct pdiburn_catalog *pdb_catalog_open_read(const char *archive,
                                              const char *catalog,
                                              struct pdiburn_error **err);
/* Is an index run holding the catalog's lock right now? */
bool pdb_catalog_index_running(const struct pdiburn_catalog *cat);
/* "run 'pdiburn index ROOT'" with --catalog when not the default. */
char *pdb_catalog_hint(const struct pdiburn_catalog *cat);

/* schema.c */
/* Makes the tables of an empty (or other version's) catalog when
 * writing; when reading, fails unless the catalog is of this version. */
bool pdb_schema_prepare(struct pdb_db *db, bool write, bool *rebuilt,
                        struct pdiburn_error **err);
bool pdb_schema_get(struct pdb_db *db, const char *key, char **value,
                    struct pdiburn_error **err);
bool pdb_schema_set(struct pdb_db *db, const char *key, const char *value,
                    struct pdiburn_error **err);

/* What search needs of an instance, as UTF-8 text (rows.c). */
struct pdb_row_text {
    char issuer[260], name[800], name_key[800], birth_date[9], sex[17];
    char study_date[9], study_time[17], accession[17];
    char description[260], desc_key[260], modality[17];
};

/* One file as the catalog holds it: what reading its header gave. */
struct pdb_row {
    const char *rel;        /* path under the archive folder */
    struct pdb_read read;
    struct pdb_row_text text;
};

/* rows.c */
bool pdb_row_derive(struct pdb_row *row, struct pdiburn_error **err);
/* INSERT OR REPLACE of a file row. */
struct pdb_stmt *pdb_row_insert_stmt(struct pdb_db *db,
                                     struct pdiburn_error **err);
bool pdb_row_insert(struct pdb_stmt *st, const struct pdb_row *row,
                    struct pdiburn_error **err);
/* The columns pdb_row_load() reads, for SELECT ... FROM files. */
#define PDB_ROW_COLUMNS                                                     \
    "path, size, kind, reason, study_uid, ts, sop_class, sop_uid, "        \
    "series_uid, patient_id, part10, header_len, px_kind, px_vr, "         \
    "px_element, px_value, px_length, px_end, keys, mtime, ino"
/* An instance row as the folder scanner would have made it, its path
 * under `root`. */
struct pdb_instance *pdb_row_load(struct pdb_stmt *st, const char *root);

/* studies.c: the per-study summary find searches, made again for the
 * studies given from their file rows. */
bool pdb_studies_refresh(struct pdb_db *db, char **uids, size_t n,
                         struct pdiburn_error **err);

#endif
