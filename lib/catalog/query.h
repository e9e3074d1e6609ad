/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* query.h - WHERE clauses from search values (query.c). */
#ifndef PDB_QUERY_H
#define PDB_QUERY_H

#include "catalog.h"

#define PDB_WHERE_MAX 1000

/* SQL after "WHERE 1" and the values of its parameters ?1, ?2 ... */
struct pdb_where {
    struct pdb_buf sql;
    char *values[PDB_WHERE_MAX];
    size_t nvalues;
};

/* pdb_name() and pdb_wild() for the clauses below. */
bool pdb_query_functions(struct pdb_db *db, struct pdiburn_error **err);

/* column = value, or a wildcard match when the value has * or ?. */
bool pdb_where_exact(struct pdb_where *w, const char *column,
                     const char *value);
/* A person name pattern against a name key column. */
bool pdb_where_name(struct pdb_where *w, const char *column,
                    const char *utf8_pattern);
/* Free text against a folded key column: anywhere, or with wildcards. */
bool pdb_where_text(struct pdb_where *w, const char *column,
                    const char *utf8_pattern);
/* Any clause; each ? in `fmt` is this one value. */
bool pdb_where_sql(struct pdb_where *w, const char *fmt, const char *value);
/* column = one of the values (none: no clause). */
bool pdb_where_any(struct pdb_where *w, const char *column,
                   char *const *values, size_t n);
bool pdb_where_bind(const struct pdb_where *w, struct pdb_stmt *st);
void pdb_where_free(struct pdb_where *w);

#endif
