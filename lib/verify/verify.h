/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* verify.h - checking media (verify.c and the checks of lib/verify/). */
#ifndef PDB_VERIFY_H
#define PDB_VERIFY_H

#include "content.h"
#include "dicom.h"

/* What verify found, kept for the caller (findings.c). */
struct pdb_findings {
    struct pdiburn_finding *items; /* strings owned */
    size_t n;
};
void pdb_findings_clear(struct pdb_findings *f);

struct pdb_verify_args {
    const char *path;       /* folder, ISO 9660 image or ZIP file */
    const char *passphrase; /* opens an encrypted ZIP; may be NULL */
    const char *profile;    /* the application profile the media claims;
                               NULL: judged by the medium */
    /* With `expected`, every file of that content must also be there with
     * the digest it was written with. */
    const struct pdb_content *expected;
    struct pdb_findings *findings; /* added to; may be NULL */
};

/* Checks the media, ours or not: DICOMDIR, references both ways, File
 * IDs, records against files, pixel data, transfer syntaxes against the
 * profiles, ISO 9660 name trees, SHA256.TXT.  Problems are logged as
 * errors and counted in sum->problems; any problem fails with
 * PDIBURN_E_VERIFY.  Notes are logged as warnings. */
bool pdb_verify_media(const struct pdb_verify_args *a, struct pdb_ctl *ctl,
                      struct pdiburn_summary *sum, struct pdiburn_error **err);

/* Is `name` an application profile verify knows (profiles.c)? */
bool pdb_profile_known(const char *name);

/* ---- dicomdir_reader.c: a DICOMDIR as read back ------------------------- */

struct pdb_dir_record {
    uint32_t offset;          /* of its item in the file */
    uint32_t next, lower;     /* offsets, 0 = none */
    bool in_use;
    char type[17];
    char file_id[PDB_FILEID_MAX + 8]; /* '/'-separated, "" when none */
    char sop_class[PDB_UID_MAX + 1], sop_uid[PDB_UID_MAX + 1];
    char ts[PDB_UID_MAX + 1];
    const uint8_t *body;      /* its elements, inside the parsed file */
    size_t body_len;
    bool reached;             /* walked to from the root */
};

struct pdb_dicomdir {
    char fileset_id[17];
    uint32_t first_root, last_root;
    uint32_t root_chain_end;  /* the record (0004,1202) should name */
    uint16_t consistency;
    struct pdb_dir_record *records;
    size_t nrecords;
    size_t len;               /* of the file */
};

/* Parses a DICOMDIR file held in memory (Explicit VR LE, PS3.3 F.3),
 * strictly: any damage fails it (PDIBURN_E_VERIFY, with the offset).  The
 * records point into `data`, which must outlive `dir`. */
bool pdb_dicomdir_parse(const uint8_t *data, size_t len,
                        struct pdb_dicomdir *dir, struct pdiburn_error **err);
void pdb_dicomdir_free(struct pdb_dicomdir *dir);
struct pdb_dir_record *pdb_dicomdir_at(const struct pdb_dicomdir *dir,
                                       uint32_t offset);

#endif
