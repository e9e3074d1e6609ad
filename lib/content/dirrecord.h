/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dirrecord.h - directory records (dirrecord.c) and the DICOMDIR file
 * that holds them (dicomdir.c). */
#ifndef PDB_DIRRECORD_H
#define PDB_DIRRECORD_H

#include "model.h"
#include "transfer_syntax.h"

/* One directory record: its body from (0004,1430) on, Explicit VR LE; the
 * offset elements before it are filled in when the file is laid out. */
struct pdb_record {
    struct pdb_buf body;
    struct pdb_record *child, *last_child, *next;
    uint32_t offset; /* of the item, from the first byte of the file */
    uint32_t size;   /* of the whole item */
};

/* The record tree of the selected, planned instances: PATIENT, STUDY,
 * SERIES and one leaf per file (PS3.3 F.4), keys per PS3.3 F.5 and
 * PS3.11 D.3.3, missing Type 1 keys invented with a warning. */
bool pdb_records_build(const struct pdb_inventory *cat,
                       enum pdb_profile profile, struct pdb_log *log,
                       struct pdb_record **roots, struct pdiburn_error **err);
void pdb_records_free(struct pdb_record *roots);

/* Record type for a SOP Class (PS3.3 F.4, Table F.4-1). */
const char *pdb_records_type_of(const char *sop_class);

/* The first Type 1 key of the instance's leaf record (PS3.3 F.5) that the
 * instance lacks or leaves empty and no creator may supply, 0 when none:
 * such a record would be non-conformant, and verify rejects it. */
uint32_t pdb_records_unsupplied_key(const struct pdb_instance *inst,
                                    enum pdb_profile profile);

/* The DICOMDIR file: meta information, Basic Directory IOD (PS3.3 F.3)
 * with these records, offsets counted from byte 0 (PS3.10 8.6). */
bool pdb_dicomdir_encode(struct pdb_record *roots, const char *fileset_id,
                         const char *fileset_uid, uint8_t **out, size_t *len,
                         struct pdiburn_error **err);

#endif
