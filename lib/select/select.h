/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * select.h - the select stage: which studies go on the media.  Instances
 * are grouped into patients, studies and series; the filters mark the
 * studies that match; conflicts (one SOP Instance UID with two contents,
 * one study under two patients, one Patient ID for two people) and
 * unreadable files of the selection are found here and stop the job.
 */
#ifndef PDB_SELECT_H
#define PDB_SELECT_H

#include "model.h"

/* ---- group.c: grouping and conflicts ------------------------------------ */

/* Groups all instances into studies and series, in display order. */
bool pdb_group_build(struct pdb_inventory *cat, struct pdiburn_error **err);

/* For the selected studies: merges byte-identical duplicates (with a
 * warning) and fails on conflicts, listing the files: one SOP Instance UID
 * with different content, one study under two Patient IDs. */
bool pdb_group_check(struct pdb_inventory *cat, struct pdb_log *log,
                     struct pdiburn_error **err);

/* Groups the selected studies by patient; a missing Patient ID is
 * invented from the Study Instance UID (PS3.11 D.3.3).  Fails when one
 * Patient ID stands for two people (patient_identity.c). */
bool pdb_group_patients(struct pdb_inventory *cat, struct pdb_log *log,
                        struct pdiburn_error **err);

/* ---- patient_identity.c -------------------------------------------------- */

/* a and b, of one Patient ID, are of one person: no Issuer of Patient
 * ID, birth date or sex that differ. */
bool pdb_identity_same_person(const struct pdb_instance *a,
                              const struct pdb_instance *b,
                              const struct pdb_log *log,
                              struct pdiburn_error **err);
/* The studies of p (sorted, oldest first) are of one person; sets
 * p->shown and warns when the person's name changed. */
bool pdb_identity_check_patient(struct pdb_patient *p, struct pdb_log *log,
                                struct pdiburn_error **err);

/* ---- select.c ----------------------------------------------------------- */

struct pdb_selection {
    char **study_uids;
    size_t nstudy_uids;
    char **accessions;
    size_t naccessions;
    char **modalities;
    size_t nmodalities;
    char *patient_id;
    char since[9], until[9]; /* YYYYMMDD or "" */
    char *issuer;            /* Issuer of Patient ID, as UTF-8 */
    char *name, *name_key;   /* a name pattern as given, and its key */
    char birth_date[9];      /* YYYYMMDD or "" */
    bool strict;             /* a file tied to nothing is an error too */
};

/* YYYYMMDD or YYYY-MM-DD into YYYYMMDD. */
bool pdb_selection_parse_date(const char *in, char out[9]);
bool pdb_selection_add(struct pdb_selection *sel, enum pdiburn_filter kind,
                       const char *value, struct pdiburn_error **err);
void pdb_selection_free(struct pdb_selection *sel);
/* Marks the studies that match; PDIBURN_E_NOMATCH names the filters when
 * none does.  Broken files that may belong to the selection are errors. */
bool pdb_selection_apply(const struct pdb_selection *sel,
                         struct pdb_inventory *cat, struct pdb_log *log,
                         struct pdiburn_error **err);
char *pdb_selection_describe(const struct pdb_selection *sel,
                             const struct pdb_log *log);

/* ---- select_patient.c --------------------------------------------------- */

/* The patient filters: Issuer of Patient ID, name (DICOM wildcards, any
 * case, accents or character set) and birth date. */
bool pdb_selection_add_patient(struct pdb_selection *sel,
                               enum pdiburn_filter kind, const char *value,
                               struct pdiburn_error **err);
bool pdb_selection_patient_matches(const struct pdb_selection *sel,
                                   const struct pdb_instance *first);
/* A name or birth date without a Patient ID must find one patient:
 * PDIBURN_E_USAGE, rather than a guess, when the selected studies belong
 * to several. */
bool pdb_selection_one_patient(const struct pdb_selection *sel,
                               const struct pdb_inventory *cat,
                               const struct pdb_log *log,
                               struct pdiburn_error **err);
void pdb_selection_describe_patient(const struct pdb_selection *sel,
                                    const struct pdb_log *log,
                                    struct pdb_buf *b);

/* ---- broken.c ------------------------------------------------------------ */

/* Names every broken file; fails on those that may belong to the
 * selection (and, when strict, on those tied to nothing). */
bool pdb_selection_judge_broken(const struct pdb_selection *sel,
                                struct pdb_inventory *cat, struct pdb_log *log,
                                struct pdiburn_error **err);

#endif /* PDB_SELECT_H */
