/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* text.h - attribute values as text people read (text.c). */
#ifndef PDB_TEXT_H
#define PDB_TEXT_H

#include "model.h"

/* The value of `tag` as UTF-8, converted from the instance's Specific
 * Character Set; "" when absent.  Returns a malloc'd string, NULL when out
 * of memory. */
char *pdb_text_utf8(const struct pdb_instance *inst, uint32_t tag);
/* A person name for a page: "Family, Given" per component group, the
 * ideographic and phonetic groups in parentheses (PS3.5 6.2.1). */
char *pdb_text_person(const char *utf8_pn);
/* YYYYMMDD as YYYY-MM-DD; other text as it is. */
void pdb_text_date(const char *da, char *out, size_t len);

#endif
