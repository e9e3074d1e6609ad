/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fileset.h - File-sets found in a source folder: an outside disc copied
 * to disk, or media pdiburn made (fileset.c). */
#ifndef PDB_FILESET_H
#define PDB_FILESET_H

#include "source.h"

/* A file a DICOMDIR references, and the keys of its parent records. */
struct pdb_fileset_ref {
    char *file_id; /* '/'-separated, upper case */
    char patient_id[PDB_UID_MAX + 1], study_uid[PDB_UID_MAX + 1];
    char series_uid[PDB_UID_MAX + 1], sop_uid[PDB_UID_MAX + 1];
    bool found; /* a file of the walk is it */
};

struct pdb_fileset {
    char *root;                   /* the folder of the DICOMDIR */
    char *dicomdir;               /* its path */
    struct pdb_fileset_ref *refs; /* sorted by file_id */
    size_t nrefs;
};

struct pdb_filesets {
    struct pdb_fileset *sets;
    size_t n;
};

/* Reads every file named DICOMDIR among `files`; one that cannot be read
 * is named in a warning and its folder read file by file. */
bool pdb_filesets_find(const struct pdb_file_list *files,
                       struct pdb_filesets *sets, struct pdb_log *log,
                       struct pdiburn_error **err);
/* The File-set `path` lies in (the innermost), or NULL. */
const struct pdb_fileset *pdb_filesets_holding(const struct pdb_filesets *sets,
                                               const char *path);
/* The reference a File-set has to the file at `path`, or NULL. */
const struct pdb_fileset_ref *pdb_filesets_ref(const struct pdb_filesets *sets,
                                               const char *path);
/* Matches the instances and broken files found under each File-set with
 * its references: a file no record references is read anyway, with a
 * warning; a referenced file that is not there becomes a broken file
 * carrying its records' keys, for the selection to judge. */
bool pdb_filesets_reconcile(struct pdb_filesets *sets,
                            struct pdb_inventory *cat, struct pdb_log *log,
                            struct pdiburn_error **err);
void pdb_filesets_free(struct pdb_filesets *sets);

#endif
