/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* checks.h - what verify.c read from the media, for the checks of
 * lib/verify/ (checks.c, records.c, pixel_check.c, profiles.c,
 * name_trees.c), and how they report (findings.c). */
#ifndef PDB_CHECKS_H
#define PDB_CHECKS_H

#include "verify.h"

/* Values of a file's data set that its directory records must agree with
 * (file_head.c keeps them, records.c compares). */
enum pdb_head_key {
    PDB_HK_CHARSET,
    PDB_HK_STUDY_DATE,
    PDB_HK_STUDY_TIME,
    PDB_HK_ACCESSION,
    PDB_HK_MODALITY,
    PDB_HK_PATIENT_NAME,
    PDB_HK_PATIENT_ID,
    PDB_HK_BIRTH_DATE,
    PDB_HK_SEX,
    PDB_HK_STUDY_UID,
    PDB_HK_SERIES_UID,
    PDB_HK_STUDY_ID,
    PDB_HK_SERIES_NUMBER,
    PDB_HK_INSTANCE_NUMBER,
    PDB_HK_COUNT
};
extern const uint32_t pdb_head_key_tags[PDB_HK_COUNT];

struct vfile {
    char *path;               /* as the media names it */
    char *key;                /* upper case, no ";1", for look-ups */
    uint64_t size;
    uint8_t sha256[PDB_SHA256_LEN]; /* unless vstate.fast */
    uint64_t xxh;                   /* when vstate.fast */
    bool complete;            /* every byte read and hashed */
    bool too_large;           /* to keep whole (DICOMDIR, SHA256.TXT) */
    bool dicom;               /* preamble + DICM */
    /* Values are interned (vstate.strings): thousands of files repeat
     * them.  UIDs are "" when absent, keys NULL. */
    const char *sop_class, *sop_uid, *ts; /* meta */
    const char *ds_class, *ds_uid;         /* data set */
    const char *keys[PDB_HK_COUNT]; /* raw values without padding */
    unsigned refs;            /* directory records pointing at it */
};

enum pdb_media_kind { PDB_MEDIA_FOLDER, PDB_MEDIA_ISO, PDB_MEDIA_ZIP };

struct vstate {
    struct vfile *files;
    size_t nfiles;
    struct pdb_intern *strings; /* the values of files[] */
    uint8_t *dicomdir;        /* whole file, when present */
    size_t dicomdir_len;
    bool dicomdir_parsed;     /* its records could be read */
    uint8_t *manifest;        /* SHA256.TXT, when present */
    size_t manifest_len;
    struct pdb_log *log;
    struct pdiburn_summary *sum;
    struct pdb_findings *findings; /* may be NULL */
    bool fast; /* reading back what was just written: XXH3, not SHA-256 */
    const char *path;         /* the media as given */
    enum pdb_media_kind kind;
    uint64_t media_size;      /* image file, or a folder's file system */
    unsigned long fs_type;    /* a folder's file system (statfs) */
    const char *profile;      /* what the media claims, or NULL */
    uint64_t notes;           /* notes reported */
};

/* findings.c: one problem (fails the media) or note, with its stable code
 * and the file it is about ("" for the media); the first hundred are
 * logged, the first thousand kept. */
void pdb_verify_problem(struct vstate *v, const char *code, const char *file,
                        const char *fmt, ...) PDB_PRINTF(4, 5);
void pdb_verify_note(struct vstate *v, const char *code, const char *file,
                     const char *fmt, ...) PDB_PRINTF(4, 5);

struct vfile *pdb_verify_find(const struct vstate *v, const char *path);
void pdb_verify_key(const char *path, char *out, size_t len);

/* checks.c */
void pdb_verify_check_dicomdir(struct vstate *v);
void pdb_verify_check_unreferenced(struct vstate *v);
void pdb_verify_check_manifest(struct vstate *v);
void pdb_verify_check_expected(struct vstate *v, const struct pdb_content *c);

/* records.c: a record with a file, and the records above it (PATIENT,
 * STUDY, SERIES, in that order, NULL when missing), against the file. */
void pdb_verify_check_record_file(struct vstate *v,
                                  const struct pdb_dir_record *leaf,
                                  const struct pdb_dir_record *const *above,
                                  size_t nabove, const struct vfile *f);
/* Any in-use record: Type 1 keys, characters without a character set. */
void pdb_verify_check_record(struct vstate *v, const struct pdb_dir_record *r);

/* profiles.c: the transfer syntaxes of the DICOM files against the
 * general-purpose application profiles of the medium (PS3.11). */
void pdb_verify_check_profiles(struct vstate *v);

/* name_trees.c: every File ID found in the ISO 9660, Joliet and Rock
 * Ridge trees of an image, as each tree's readers look it up. */
void pdb_verify_check_name_trees(struct vstate *v);

#endif
