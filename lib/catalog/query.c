/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WHERE clauses from search values, shared by find (on the studies table)
 * and the export source (on the files table): exact values, DICOM
 * wildcards (PS3.4 C.2.2.2.4) through SQL functions over the folded keys
 * of text_fold.c, dates normalised to YYYYMMDD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "text.h"

static bool name_match(const char *pattern, const char *key)
{
    return pdb_text_name_match(pattern, key);
}

static bool wildcard(const char *pattern, const char *text)
{
    return pdb_text_wildcard(pattern, text);
}

bool pdb_query_functions(struct pdb_db *db, struct pdiburn_error **err)
{
    return pdb_db_add_match(db, "pdb_name", name_match, err) &&
           pdb_db_add_match(db, "pdb_wild", wildcard, err);
}

static bool keep(struct pdb_where *w, char *value)
{
    if (!value)
        return false;
    if (w->nvalues == PDB_WHERE_MAX) {
        free(value);
        return false;
    }
    w->values[w->nvalues++] = value;
    return true;
}

/* " AND <clause>" with ? as the parameter's number. */
static bool clause(struct pdb_where *w, const char *fmt, char *value)
{
    if (!keep(w, value))
        return false;
    int n = (int) w->nvalues;
    pdb_buf_add_str(&w->sql, " AND ");
    for (const char *p = fmt; *p; p++) {
        if (*p == '?')
            pdb_buf_printf(&w->sql, "?%d", n);
        else
            pdb_buf_add(&w->sql, p, 1);
    }
    return !w->sql.failed;
}

static bool has_wildcard(const char *s)
{
    return strpbrk(s, "*?") != NULL;
}

bool pdb_where_exact(struct pdb_where *w, const char *column,
                     const char *value)
{
    char fmt[96];
    if (has_wildcard(value))
        snprintf(fmt, sizeof(fmt), "pdb_wild(?, %s)", column);
    else
        snprintf(fmt, sizeof(fmt), "%s = ?", column);
    return clause(w, fmt, strdup(value));
}

/* The studies with a word of the range [lo, hi): hi is lo with its last
 * byte one higher (UTF-8 has no 0xFF byte to overflow). */
static bool word_range(struct pdb_where *w, const char *key, size_t len)
{
    char *lo = strndup(key, len), *hi = strndup(key, len);
    if (!lo || !hi || !keep(w, lo)) {
        free(lo);
        free(hi);
        return false;
    }
    hi[len - 1] = (char) (hi[len - 1] + 1);
    if (!keep(w, hi))
        return false;
    pdb_buf_printf(&w->sql,
                   " AND study_uid IN (SELECT study_uid FROM name_words"
                   " WHERE word >= ?%zu AND word < ?%zu)",
                   w->nvalues - 1, w->nvalues);
    return !w->sql.failed;
}

/* With a prefix, the words narrow the studies down; without, the
 * distinct names are matched on the narrow index of the names, not row
 * by row. */
bool pdb_where_name(struct pdb_where *w, const char *column,
                    const char *utf8_pattern)
{
    char fmt[160], *key = pdb_text_name_key(utf8_pattern);
    size_t prefix = key ? pdb_text_name_prefix(key) : 0;
    if (prefix && !word_range(w, key, prefix)) {
        free(key);
        return false;
    }
    if (prefix)
        snprintf(fmt, sizeof(fmt), "pdb_name(?, %s)", column);
    else
        snprintf(fmt, sizeof(fmt),
                 "%s IN (SELECT name_key FROM (SELECT DISTINCT name_key"
                 " FROM studies) WHERE pdb_name(?, name_key))",
                 column);
    return clause(w, fmt, key);
}

/* Free text: a value without wildcards matches anywhere in it. */
bool pdb_where_text(struct pdb_where *w, const char *column,
                    const char *utf8_pattern)
{
    char fmt[96], *folded = pdb_text_fold(utf8_pattern);
    char *pattern = folded && !has_wildcard(folded)
                        ? pdb_format("*%s*", folded)
                        : folded;
    if (pattern != folded)
        free(folded);
    snprintf(fmt, sizeof(fmt), "pdb_wild(?, %s)", column);
    return clause(w, fmt, pattern);
}

bool pdb_where_sql(struct pdb_where *w, const char *fmt, const char *value)
{
    return clause(w, fmt, strdup(value));
}

bool pdb_where_any(struct pdb_where *w, const char *column,
                   char *const *values, size_t n)
{
    if (n == 0)
        return true;
    if (w->nvalues + n > PDB_WHERE_MAX)
        return false;
    pdb_buf_add_str(&w->sql, " AND (");
    for (size_t i = 0; i < n; i++) {
        if (!keep(w, strdup(values[i])))
            return false;
        pdb_buf_printf(&w->sql, "%s%s = ?%zu", i ? " OR " : "", column,
                       w->nvalues);
    }
    pdb_buf_add_str(&w->sql, ")");
    return !w->sql.failed;
}

bool pdb_where_bind(const struct pdb_where *w, struct pdb_stmt *st)
{
    for (size_t i = 0; i < w->nvalues; i++)
        pdb_stmt_text(st, (int) i + 1, w->values[i]);
    return true;
}

void pdb_where_free(struct pdb_where *w)
{
    for (size_t i = 0; i < w->nvalues; i++)
        free(w->values[i]);
    pdb_buf_free(&w->sql);
    memset(w, 0, sizeof(*w));
}
