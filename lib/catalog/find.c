/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn find on the catalog: the studies (one row per study and patient
 * identity) that match a query, patients in Patient ID order, each one's
 * studies by date.  Names match whatever their case, accents or character
 * set; Patient ID and Accession Number exactly or with wildcards.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "query.h"

static const char select_sql[] =
    "SELECT study_uid, patient_id, issuer, patient_name, birth_date, sex,"
    " study_date, study_time, accession, description, modalities, series,"
    " instances, bytes FROM studies WHERE 1";

static const char order_sql[] =
    " ORDER BY patient_id, issuer, birth_date, sex, patient_name,"
    " study_date, study_time, study_uid";

static bool given(const char *s)
{
    return s && *s;
}

static bool where_date(struct pdb_where *w, const char *fmt, const char *in,
                       const char *what, struct pdiburn_error **err)
{
    char date[9];
    if (!pdb_selection_parse_date(in, date))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "%s '%s' is not a date (YYYY-MM-DD or YYYYMMDD)",
                        what, in);
    return pdb_where_sql(w, fmt, date) || pdb_fail_nomem(err);
}

static bool where_modality(struct pdb_where *w, const char *modality,
                           struct pdiburn_error **err)
{
    char upper[17];
    size_t i = 0;
    for (; modality[i] && i < sizeof(upper) - 1; i++)
        upper[i] = (char) toupper((unsigned char) modality[i]);
    upper[i] = 0;
    return pdb_where_sql(w,
                         "instr('\\' || modalities || '\\', '\\' || ? || '\\')",
                         upper) ||
           pdb_fail_nomem(err);
}

static bool where_ids(struct pdb_where *w, const struct pdiburn_query *q)
{
    return (!given(q->patient_id) ||
            pdb_where_exact(w, "patient_id", q->patient_id)) &&
           (!given(q->issuer) || pdb_where_exact(w, "issuer", q->issuer)) &&
           (!given(q->accession) ||
            pdb_where_exact(w, "accession", q->accession)) &&
           (!given(q->patient_name) ||
            pdb_where_name(w, "name_key", q->patient_name)) &&
           (!given(q->description) ||
            pdb_where_text(w, "desc_key", q->description));
}

static bool build_where(struct pdb_where *w, const struct pdiburn_query *q,
                        struct pdiburn_error **err)
{
    if (!where_ids(w, q))
        return pdb_fail_nomem(err);
    return (!given(q->birth_date) ||
            where_date(w, "birth_date = ?", q->birth_date, "birth date",
                       err)) &&
           (!given(q->since) ||
            where_date(w, "study_date <> '' AND study_date >= ?", q->since,
                       "--since", err)) &&
           (!given(q->until) ||
            where_date(w, "study_date <> '' AND study_date <= ?", q->until,
                       "--until", err)) &&
           (!given(q->modality) || where_modality(w, q->modality, err));
}

#define COPY(field, col) \
    snprintf(m->field, sizeof(m->field), "%s", pdb_stmt_col_text(st, col))

static void take_match(struct pdb_stmt *st, struct pdiburn_match *m)
{
    memset(m, 0, sizeof(*m));
    COPY(study_uid, 0);
    COPY(patient_id, 1);
    COPY(issuer, 2);
    COPY(patient_name, 3);
    COPY(birth_date, 4);
    COPY(sex, 5);
    COPY(study_date, 6);
    COPY(study_time, 7);
    COPY(accession, 8);
    COPY(description, 9);
    COPY(modalities, 10);
    m->series = (unsigned) pdb_stmt_col_int(st, 11);
    m->instances = (uint64_t) pdb_stmt_col_int(st, 12);
    m->bytes = (uint64_t) pdb_stmt_col_int(st, 13);
}

static bool collect(struct pdb_stmt *st, struct pdiburn_match **out,
                    size_t *count, struct pdiburn_error **err)
{
    int got;
    while ((got = pdb_stmt_step(st, err)) == 1) {
        if (!pdb_grow(out, *count, sizeof(**out)))
            return pdb_fail_nomem(err);
        take_match(st, &(*out)[(*count)++]);
    }
    return got == 0;
}

static bool run_query(struct pdiburn_catalog *cat, struct pdb_where *w,
                      struct pdiburn_match **out, size_t *count,
                      struct pdiburn_error **err)
{
    char *sql = pdb_format("%s%.*s%s", select_sql, (int) w->sql.len,
                           w->sql.data ? (const char *) w->sql.data : "",
                           order_sql);
    if (!sql)
        return pdb_fail_nomem(err);
    struct pdb_stmt *st = pdb_db_prepare(cat->db, sql, err);
    free(sql);
    bool ok = st && pdb_where_bind(w, st) && collect(st, out, count, err);
    pdb_stmt_free(st);
    return ok;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
    return (double) (b->tv_sec - a->tv_sec) * 1e3 +
           (double) (b->tv_nsec - a->tv_nsec) / 1e6;
}

bool pdiburn_catalog_find(struct pdiburn_catalog *cat,
                          const struct pdiburn_query *q,
                          struct pdiburn_match **matches, size_t *count,
                          struct pdiburn_error **err)
{
    struct pdb_where w = { 0 };
    struct timespec t0, t1, c0, c1;
    *matches = NULL;
    *count = 0;
    if (!cat->db)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "the catalog was opened for an index run");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    bool ok = pdb_query_functions(cat->db, err) && build_where(&w, q, err) &&
              run_query(cat, &w, matches, count, err);
    pdb_where_free(&w);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    pdb_info(&cat->ctl.log, "the query took %.1f ms (%.1f ms of CPU)",
             ms_between(&t0, &t1), ms_between(&c0, &c1));
    if (!ok) {
        free(*matches);
        *matches = NULL;
        *count = 0;
    }
    return ok;
}
