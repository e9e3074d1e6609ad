/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* verify.h - checking media (verify.c, dicomdir_reader.c). */
#ifndef PDB_VERIFY_H
#define PDB_VERIFY_H

#include "content.h"
#include "dicom.h"

/* Checks the media at `path` (folder or image), ours or not: DICOMDIR,
 * references both ways, File IDs, SHA256.TXT.  With `expected`, every
 * file of that content must also be there with the digest it was written
 * with.  Problems are logged as errors and counted in sum->problems; any
 * problem fails with PDIBURN_E_VERIFY. */
bool pdb_verify_media(const char *path, const char *passphrase,
                      const struct pdb_content *expected,
                      struct pdb_ctl *ctl, struct pdiburn_summary *sum,
                      struct pdiburn_error **err);

/* ---- dicomdir_reader.c: a DICOMDIR as read back ------------------------- */

struct pdb_dir_record {
    uint32_t offset;          /* of its item in the file */
    uint32_t next, lower;     /* offsets, 0 = none */
    bool in_use;
    char type[17];
    char file_id[PDB_FILEID_MAX + 8]; /* '/'-separated, "" when none */
    char sop_class[PDB_UID_MAX + 1], sop_uid[PDB_UID_MAX + 1];
    char ts[PDB_UID_MAX + 1];
    bool reached;             /* walked to from the root */
};

struct pdb_dicomdir {
    char fileset_id[17];
    uint32_t first_root;
    struct pdb_dir_record *records;
    size_t nrecords;
};

/* Parses a DICOMDIR file held in memory (Explicit VR LE, PS3.3 F.3). */
bool pdb_dicomdir_parse(const uint8_t *data, size_t len,
                        struct pdb_dicomdir *dir, struct pdiburn_error **err);
void pdb_dicomdir_free(struct pdb_dicomdir *dir);
struct pdb_dir_record *pdb_dicomdir_at(const struct pdb_dicomdir *dir,
                                       uint32_t offset);

#endif
