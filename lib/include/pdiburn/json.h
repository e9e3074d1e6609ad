/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.h - a small JSON writer (lib/core/json.c): the viewer's index on
 * the media and the tool's --json result.  An internal static library
 * (pdbjson) that both the library and the command-line tool link; never
 * installed, never exported from libpdiburn. */
#ifndef PDB_JSON_H
#define PDB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PDB_JSON_DEPTH 16

struct pdb_json {
    FILE *out;
    int depth;
    bool first[PDB_JSON_DEPTH]; /* no comma before the next value */
    char closer[PDB_JSON_DEPTH]; /* '}' or ']' for each open container */
};

/* Starts the outermost object. */
void pdb_json_begin(struct pdb_json *j, FILE *out);
/* Ends it, and every container still open; adds a newline. */
void pdb_json_end(struct pdb_json *j);
/* Starts a writer of one value of any kind (pass key NULL), made apart,
 * on another thread say, and put into a document with pdb_json_raw(). */
void pdb_json_begin_value(struct pdb_json *j, FILE *out);

/* Members of the current object: `key` names them.  Inside an array pass
 * key NULL. */
void pdb_json_str(struct pdb_json *j, const char *key, const char *value);
void pdb_json_uint(struct pdb_json *j, const char *key, uint64_t value);
void pdb_json_int(struct pdb_json *j, const char *key, long long value);
void pdb_json_num(struct pdb_json *j, const char *key, double value);
void pdb_json_bool(struct pdb_json *j, const char *key, bool value);
void pdb_json_null(struct pdb_json *j, const char *key);
void pdb_json_object(struct pdb_json *j, const char *key);
void pdb_json_array(struct pdb_json *j, const char *key);
void pdb_json_close(struct pdb_json *j); /* the innermost container */
/* A value written already as JSON, `len` bytes of it. */
void pdb_json_raw(struct pdb_json *j, const char *key, const char *json,
                  size_t len);

#endif
