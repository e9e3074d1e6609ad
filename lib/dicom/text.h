/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* text.h - attribute values as text people read (text.c). */
#ifndef PDB_TEXT_H
#define PDB_TEXT_H

#include "model.h"

/* The value of `tag` as UTF-8, converted from the instance's Specific
 * Character Set; "" when absent.  Returns a malloc'd string, NULL when out
 * of memory. */
char *pdb_text_utf8(const struct pdb_instance *inst, uint32_t tag);
/* A value in `charset` (the Specific Character Set's text, "" for the
 * default) as UTF-8, malloc'd; NULL when it cannot be decoded. */
char *pdb_text_decode(const char *charset, const uint8_t *value, size_t len);
/* A person name for a page: "Family, Given" per component group, the
 * ideographic and phonetic groups in parentheses (PS3.5 6.2.1). */
char *pdb_text_person(const char *utf8_pn);
/* YYYYMMDD as YYYY-MM-DD; other text as it is. */
void pdb_text_date(const char *da, char *out, size_t len);

/* ---- text_fold.c: search keys and DICOM wildcards ------------------------ */

/* UTF-8 text case-folded, accents stripped; malloc'd, NULL when out of
 * memory. */
char *pdb_text_fold(const char *utf8);
/* A person name's key: folded, empty trailing components and component
 * groups dropped ("Müller^Jürgen^^^" -> "muller^jurgen"). */
char *pdb_text_name_key(const char *utf8_pn);
/* '*' matches any run of characters, '?' one character. */
bool pdb_text_wildcard(const char *pattern, const char *text);
/* A name key against a pattern key: a pattern of one word matches any
 * word of any component (family or given name, "berg" in "van der
 * berg^anna", "muller" in "muller-wohlfahrt"); with a space or '-', a
 * whole component; with '^', a whole component group; with '=', the
 * whole name. */
bool pdb_text_name_match(const char *pattern_key, const char *name_key);
/* How many bytes every word-matching name must start a word with: the
 * pattern key up to its first wildcard or separator (0: none). */
size_t pdb_text_name_prefix(const char *pattern_key);
/* Calls fn for each word of a name key (split at spaces, '-', '^', '='),
 * not NUL-terminated; stops when fn returns false. */
bool pdb_text_name_words(const char *name_key,
                         bool (*fn)(const char *word, size_t len, void *user),
                         void *user);

#endif
