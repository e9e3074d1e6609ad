/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* record_rules.h - what PS3.3 Annex F asks of directory records, as tables
 * (record_rules.c). */
#ifndef PDB_RECORD_RULES_H
#define PDB_RECORD_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* The record type of a SOP Class (F.4); NULL for image classes and any
 * class the table does not know. */
const char *pdb_record_type_of_class(const char *sop_class);
/* A record type the table gives some non-image class. */
bool pdb_record_type_is_specific(const char *type);
/* The Type 1 keys of a record type (F.5), zero-terminated; NULL when the
 * table has none. */
const uint32_t *pdb_record_type1_keys(const char *type);
/* "Patient ID", for messages. */
const char *pdb_record_key_name(uint32_t tag);

#endif
