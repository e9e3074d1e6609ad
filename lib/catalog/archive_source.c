/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The archive as the source of an export: the studies that may match the
 * selection come from the catalog, each instance exactly as the folder
 * scanner would have made it, in one read transaction (one consistent
 * snapshot however an index run goes on meanwhile), then checked against
 * the files themselves (fresh.c) before anything is written.
 */
#include <stdlib.h>
#include <string.h>

#include "archive_source.h"
#include "dcmshim.h"
#include "fresh.h"
#include "query.h"

struct collect {
    struct pdiburn_catalog *cat;
    const char *base; /* the archive folder as given, or as catalogued */
    struct pdb_inventory *inv;
    struct pdb_fresh fresh;
};

static bool where_patient(struct pdb_where *w, const struct pdb_selection *s)
{
    return (!s->patient_id ||
            pdb_where_sql(w, "patient_id = ?", s->patient_id)) &&
           (!s->issuer || pdb_where_sql(w, "issuer = ?", s->issuer)) &&
           (!s->name || pdb_where_name(w, "name_key", s->name)) &&
           (!s->birth_date[0] ||
            pdb_where_sql(w, "birth_date = ?", s->birth_date));
}

/* Per-file conditions: a study whose first instance matches has a file
 * that does, so this finds every study the selection can take. */
static bool build_where(struct pdb_where *w, const struct pdb_selection *s)
{
    return pdb_where_any(w, "study_uid", s->study_uids, s->nstudy_uids) &&
           pdb_where_any(w, "accession", s->accessions, s->naccessions) &&
           pdb_where_any(w, "modality", s->modalities, s->nmodalities) &&
           (!s->since[0] || pdb_where_sql(w, "study_date >= ?", s->since)) &&
           (!s->until[0] ||
            pdb_where_sql(w, "study_date <> '' AND study_date <= ?",
                          s->until)) &&
           where_patient(w, s);
}

static bool add_uid(char ***uids, size_t *n, const char *uid)
{
    char *copy = strdup(uid);
    if (!copy || !pdb_grow(uids, *n, sizeof(char *))) {
        free(copy);
        return false;
    }
    (*uids)[(*n)++] = copy;
    return true;
}

static bool candidates(struct collect *c, const struct pdb_selection *sel,
                       char ***uids, size_t *n, struct pdiburn_error **err)
{
    struct pdb_where w = { 0 };
    if (!build_where(&w, sel)) {
        pdb_where_free(&w);
        return pdb_fail(err, PDIBURN_E_USAGE, "too many filter values");
    }
    char *sql = pdb_format("SELECT DISTINCT study_uid FROM files WHERE "
                           "kind = 0%.*s ORDER BY study_uid",
                           (int) w.sql.len,
                           w.sql.data ? (const char *) w.sql.data : "");
    struct pdb_stmt *st = sql ? pdb_db_prepare(c->cat->db, sql, err) : NULL;
    bool ok = st && pdb_where_bind(&w, st);
    int got = 0;
    while (ok && (got = pdb_stmt_step(st, err)) == 1)
        ok = add_uid(uids, n, pdb_stmt_col_text(st, 0)) ||
             pdb_fail_nomem(err);
    if (!sql)
        ok = pdb_fail_nomem(err);
    free(sql);
    pdb_stmt_free(st);
    pdb_where_free(&w);
    return ok && got == 0;
}

static bool load_broken(struct collect *c, struct pdb_stmt *st)
{
    char *path = pdb_fs_path_join(c->base, pdb_stmt_col_text(st, 0));
    bool ok = path && pdb_inventory_add_broken(c->inv, path,
                                               pdb_stmt_col_text(st, 3),
                                               pdb_stmt_col_text(st, 4));
    free(path);
    return ok;
}

static bool load_row(struct collect *c, struct pdb_stmt *st)
{
    if (!pdb_fresh_expect(&c->fresh, pdb_stmt_col_text(st, 0),
                          (uint64_t) pdb_stmt_col_int(st, 1),
                          pdb_stmt_col_int(st, 19),
                          (uint64_t) pdb_stmt_col_int(st, 20)))
        return false;
    if (pdb_stmt_col_int(st, 2) == PDB_ROW_BROKEN)
        return load_broken(c, st);
    struct pdb_instance *inst = pdb_row_load(st, c->base);
    if (inst && pdb_inventory_add(c->inv, inst))
        return true;
    pdb_instance_free(inst);
    return false;
}

static bool load_rows(struct collect *c, struct pdb_stmt *st,
                      struct pdiburn_error **err)
{
    int got;
    bool ok = true;
    while (ok && (got = pdb_stmt_step(st, err)) == 1)
        ok = load_row(c, st) || pdb_fail_nomem(err);
    pdb_stmt_reset(st);
    return ok && got == 0;
}

/* The files of each candidate study, and the broken files that did not
 * say which study they belong to: like a folder scan, they stop the
 * export, as they might be part of it. */
static bool load(struct collect *c, char **uids, size_t n,
                 struct pdiburn_error **err)
{
    struct pdb_stmt *st = pdb_db_prepare(
        c->cat->db,
        "SELECT " PDB_ROW_COLUMNS " FROM files WHERE study_uid = ?1"
        " AND kind <> 1 ORDER BY path",
        err);
    bool ok = st != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        pdb_stmt_text(st, 1, uids[i]);
        ok = load_rows(c, st, err) && pdb_ctl_go_on(c->fresh.ctl, err);
    }
    if (ok) {
        pdb_stmt_text(st, 1, "");
        ok = load_rows(c, st, err);
    }
    pdb_stmt_free(st);
    return ok;
}

static bool no_match(const struct collect *c, const struct pdb_selection *sel,
                     struct pdiburn_error **err)
{
    char *what = pdb_selection_describe(sel, &c->fresh.ctl->log);
    pdb_fail(err, PDIBURN_E_NOMATCH, "no study in the catalog of '%s' matches %s",
             c->base, what ? what : "the selection");
    free(what);
    return false;
}

static bool collect_in(struct collect *c, const struct pdb_selection *sel,
                       struct pdiburn_error **err)
{
    char **uids = NULL;
    size_t n = 0;
    bool ok = pdb_query_functions(c->cat->db, err) &&
              pdb_db_exec(c->cat->db, "BEGIN", err) &&
              candidates(c, sel, &uids, &n, err) &&
              (n || no_match(c, sel, err)) && load(c, uids, n, err) &&
              pdb_fresh_check(&c->fresh, err);
    pdb_db_exec(c->cat->db, ok ? "COMMIT" : "ROLLBACK", NULL);
    for (size_t i = 0; i < n; i++)
        free(uids[i]);
    free(uids);
    return ok;
}

bool pdb_archive_collect(const char *archive, const char *catalog,
                         const struct pdb_selection *sel,
                         struct pdb_inventory *inv, struct pdb_ctl *ctl,
                         struct pdiburn_error **err)
{
    struct pdiburn_catalog *cat = pdb_catalog_open_read(archive, catalog, err);
    if (!cat)
        return false;
    dcmshim_init(); /* as the folder scanner does: later stages decode */
    struct collect c = { cat, archive ? archive : cat->root, inv,
                         { .cat = cat, .ctl = ctl } };
    c.fresh.base = c.base;
    bool ok = collect_in(&c, sel, err);
    pdb_fresh_free(&c.fresh);
    pdiburn_catalog_close(cat);
    return ok;
}
