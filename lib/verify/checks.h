/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* checks.h - what verify.c read from the media, for the checks in
 * checks.c. */
#ifndef PDB_CHECKS_H
#define PDB_CHECKS_H

#include "verify.h"

struct vfile {
    char *path;               /* as the media names it */
    char *key;                /* upper case, no ";1", for look-ups */
    uint64_t size;
    uint8_t sha256[PDB_SHA256_LEN]; /* unless vstate.fast */
    uint64_t xxh;                   /* when vstate.fast */
    bool complete;            /* every byte read and hashed */
    bool dicom;               /* preamble + DICM */
    char sop_class[PDB_UID_MAX + 1], sop_uid[PDB_UID_MAX + 1]; /* meta */
    char ts[PDB_UID_MAX + 1];
    char ds_class[PDB_UID_MAX + 1], ds_uid[PDB_UID_MAX + 1]; /* data set */
    unsigned refs;            /* directory records pointing at it */
};

struct vstate {
    struct vfile *files;
    size_t nfiles;
    uint8_t *dicomdir;        /* whole file, when present */
    size_t dicomdir_len;
    uint8_t *manifest;        /* SHA256.TXT, when present */
    size_t manifest_len;
    struct pdb_log *log;
    struct pdiburn_summary *sum;
    bool fast; /* reading back what was just written: XXH3, not SHA-256 */
};

/* Logs one difference and counts it (the first hundred are logged). */
void pdb_verify_problem(struct vstate *v, const char *fmt, ...)
    PDB_PRINTF(2, 3);
struct vfile *pdb_verify_find(const struct vstate *v, const char *path);
void pdb_verify_key(const char *path, char *out, size_t len);

void pdb_verify_check_dicomdir(struct vstate *v);
void pdb_verify_check_unreferenced(struct vstate *v);
void pdb_verify_check_manifest(struct vstate *v);
void pdb_verify_check_expected(struct vstate *v, const struct pdb_content *c);

#endif
