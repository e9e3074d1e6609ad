/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The studies table: one row per study and patient identity (Patient ID,
 * Issuer, name, birth date, sex) with what find shows (date, modalities,
 * description, counts, size).  A study whose files disagree on the
 * patient has a row per identity, so find shows the conflict.  Made again
 * from the file rows of the studies an index batch touched, in the same
 * transaction, so it never disagrees with them; likewise the words of
 * their names.
 */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "text.h"

/* max() so that a value some files leave empty still shows. */
static const char insert_sql[] =
    "INSERT INTO studies(study_uid, patient_id, issuer, patient_name,"
    " name_key, birth_date, sex, study_date, study_time, accession,"
    " description, desc_key, modalities, series, instances, bytes)"
    " SELECT ?1, patient_id, issuer, patient_name, max(name_key),"
    " birth_date, sex, max(study_date), max(study_time), max(accession),"
    " max(description), max(desc_key),"
    " (SELECT group_concat(m, '\\') FROM (SELECT DISTINCT modality AS m"
    "   FROM files WHERE study_uid = ?1 AND kind = 0 AND modality <> ''"
    "   ORDER BY m)),"
    " count(DISTINCT series_uid), count(*), sum(size)"
    " FROM files WHERE study_uid = ?1 AND kind = 0"
    " GROUP BY patient_id, issuer, patient_name, birth_date, sex";

struct words {
    struct pdb_stmt *insert;
    const char *uid;
    struct pdiburn_error **err;
};

static bool add_word(const char *word, size_t len, void *user)
{
    struct words *w = user;
    char *copy = strndup(word, len);
    if (!copy)
        return pdb_fail_nomem(w->err);
    pdb_stmt_text(w->insert, 1, copy);
    pdb_stmt_text(w->insert, 2, w->uid);
    free(copy);
    return pdb_stmt_run(w->insert, w->err);
}

/* The words of the names of study `uid` (its stmt bound), after its rows
 * were made again. */
static bool refresh_words(struct pdb_stmt *const st[4], const char *uid,
                          struct pdiburn_error **err)
{
    struct words w = { st[3], uid, err };
    pdb_stmt_text(st[2], 1, uid);
    int got;
    bool ok = true;
    while (ok && (got = pdb_stmt_step(st[2], err)) == 1)
        ok = pdb_text_name_words(pdb_stmt_col_text(st[2], 0), add_word, &w);
    pdb_stmt_reset(st[2]);
    return ok && got == 0;
}

bool pdb_studies_refresh(struct pdb_db *db, char **uids, size_t n,
                         struct pdiburn_error **err)
{
    static const char *const sql[4] = {
        "DELETE FROM studies WHERE study_uid = ?1;",
        insert_sql,
        "SELECT DISTINCT name_key FROM studies WHERE study_uid = ?1",
        "INSERT OR IGNORE INTO name_words(word, study_uid) VALUES (?1, ?2)",
    };
    struct pdb_stmt *st[4] = { NULL, NULL, NULL, NULL };
    struct pdb_stmt *del_words = pdb_db_prepare(
        db, "DELETE FROM name_words WHERE study_uid = ?1", err);
    bool ok = del_words != NULL;
    for (int i = 0; ok && i < 4; i++)
        ok = (st[i] = pdb_db_prepare(db, sql[i], err)) != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (!uids[i][0]) /* broken files that did not say */
            continue;
        pdb_stmt_text(st[0], 1, uids[i]);
        pdb_stmt_text(st[1], 1, uids[i]);
        pdb_stmt_text(del_words, 1, uids[i]);
        ok = pdb_stmt_run(st[0], err) && pdb_stmt_run(st[1], err) &&
             pdb_stmt_run(del_words, err) && refresh_words(st, uids[i], err);
    }
    for (int i = 0; i < 4; i++)
        pdb_stmt_free(st[i]);
    pdb_stmt_free(del_words);
    return ok;
}
