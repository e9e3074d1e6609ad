/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which studies go on the media.  Whole studies only: a study matches when
 * every kind of filter given matches (Study Instance UID, Accession Number,
 * Patient ID and its issuer, Study Date range, a modality among its
 * series), so reports and key images travel with their images.  Broken
 * files are judged by broken.c once the studies are chosen.
 */
#include <stdlib.h>
#include <string.h>

#include "select.h"

static bool add_value(char ***list, size_t *n, const char *value,
                      struct pdiburn_error **err)
{
    char *copy = strdup(value);
    if (!copy || !pdb_grow(list, *n, sizeof(char *))) {
        free(copy);
        return pdb_fail_nomem(err);
    }
    (*list)[(*n)++] = copy;
    return true;
}

bool pdb_selection_parse_date(const char *in, char out[9])
{
    size_t j = 0;
    for (size_t i = 0; in[i]; i++) {
        if (in[i] == '-' && (i == 4 || i == 7))
            continue;
        if (in[i] < '0' || in[i] > '9' || j == 8)
            return false;
        out[j++] = in[i];
    }
    out[j] = 0;
    return j == 8;
}

bool pdb_selection_add(struct pdb_selection *sel, enum pdiburn_filter kind,
                       const char *value, struct pdiburn_error **err)
{
    switch (kind) {
    case PDIBURN_FILTER_STUDY_UID:
        if (!pdb_uid_valid(value))
            return pdb_fail(err, PDIBURN_E_USAGE, "'%s' is not a UID", value);
        return add_value(&sel->study_uids, &sel->nstudy_uids, value, err);
    case PDIBURN_FILTER_ACCESSION:
        return add_value(&sel->accessions, &sel->naccessions, value, err);
    case PDIBURN_FILTER_MODALITY:
        return add_value(&sel->modalities, &sel->nmodalities, value, err);
    case PDIBURN_FILTER_PATIENT_ID:
        free(sel->patient_id);
        sel->patient_id = strdup(value);
        return sel->patient_id ? true : pdb_fail_nomem(err);
    case PDIBURN_FILTER_ISSUER:
    case PDIBURN_FILTER_NAME:
    case PDIBURN_FILTER_BIRTH_DATE:
        return pdb_selection_add_patient(sel, kind, value, err);
    case PDIBURN_FILTER_SINCE:
    case PDIBURN_FILTER_UNTIL: {
        char *date = kind == PDIBURN_FILTER_SINCE ? sel->since : sel->until;
        if (!pdb_selection_parse_date(value, date))
            return pdb_fail(err, PDIBURN_E_USAGE,
                            "'%s' is not a date (YYYY-MM-DD or YYYYMMDD)",
                            value);
        return true;
    }
    }
    return pdb_fail(err, PDIBURN_E_USAGE, "unknown filter");
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void pdb_selection_free(struct pdb_selection *sel)
{
    free_list(sel->study_uids, sel->nstudy_uids);
    free_list(sel->accessions, sel->naccessions);
    free_list(sel->modalities, sel->nmodalities);
    free(sel->patient_id);
    free(sel->issuer);
    free(sel->name);
    free(sel->name_key);
    memset(sel, 0, sizeof(*sel));
}

static bool in_list(char *const *list, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], value) == 0)
            return true;
    return false;
}

static bool has_modality(const struct pdb_selection *sel,
                         const struct pdb_study *study)
{
    for (size_t i = 0; i < study->nseries; i++) {
        char modality[17];
        pdb_instance_string(study->series[i]->instances[0], TAG_MODALITY,
                            modality, sizeof(modality));
        if (in_list(sel->modalities, sel->nmodalities, modality))
            return true;
    }
    return false;
}

static bool date_matches(const struct pdb_selection *sel,
                         const struct pdb_study *study)
{
    if (!sel->since[0] && !sel->until[0])
        return true;
    if (!study->date[0]) /* a range says nothing about undated studies */
        return false;
    return (!sel->since[0] || strcmp(study->date, sel->since) >= 0) &&
           (!sel->until[0] || strcmp(study->date, sel->until) <= 0);
}

static bool ids_match(const struct pdb_selection *sel,
                      const struct pdb_study *study)
{
    const struct pdb_instance *first = study->series[0]->instances[0];
    char accession[17];
    pdb_instance_string(first, TAG_ACCESSION, accession, sizeof(accession));
    if (sel->nstudy_uids &&
        !in_list(sel->study_uids, sel->nstudy_uids, study->uid))
        return false;
    if (sel->naccessions &&
        !in_list(sel->accessions, sel->naccessions, accession))
        return false;
    return (!sel->patient_id ||
            strcmp(sel->patient_id, first->patient_id) == 0) &&
           pdb_selection_patient_matches(sel, first);
}

static bool study_matches(const struct pdb_selection *sel,
                          const struct pdb_study *study)
{
    return ids_match(sel, study) && date_matches(sel, study) &&
           (!sel->nmodalities || has_modality(sel, study));
}

bool pdb_selection_apply(const struct pdb_selection *sel,
                         struct pdb_inventory *cat, struct pdb_log *log,
                         struct pdiburn_error **err)
{
    size_t matched = 0;
    for (size_t i = 0; i < cat->nstudies; i++) {
        cat->studies[i]->selected = study_matches(sel, cat->studies[i]);
        matched += cat->studies[i]->selected;
    }
    if (!pdb_selection_judge_broken(sel, cat, log, err) ||
        (matched && !pdb_selection_one_patient(sel, cat, log, err)))
        return false;
    if (matched == 0) {
        char *what = pdb_selection_describe(sel, log);
        pdb_fail(err, PDIBURN_E_NOMATCH,
                 "no study matches %s among %zu studies in %zu DICOM files",
                 what ? what : "the selection", cat->nstudies,
                 cat->ninstances);
        free(what);
        return false;
    }
    return true;
}

static void describe_list(struct pdb_buf *b, const char *what,
                          char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pdb_buf_printf(b, "%s%s %s", b->len ? ", " : "", what, list[i]);
}

/* "study 1.2.3, patient ID 42, date from 20240101".  The patient ID is
 * hidden unless the log may show patient data: it may come from a job
 * file, and the message from a batch lands in cron's mail and logs. */
char *pdb_selection_describe(const struct pdb_selection *sel,
                             const struct pdb_log *log)
{
    struct pdb_buf b = { 0 };
    describe_list(&b, "study", sel->study_uids, sel->nstudy_uids);
    describe_list(&b, "accession", sel->accessions, sel->naccessions);
    describe_list(&b, "modality", sel->modalities, sel->nmodalities);
    if (sel->patient_id)
        pdb_buf_printf(&b, "%spatient ID %s", b.len ? ", " : "",
                       pdb_log_phi(log, sel->patient_id));
    pdb_selection_describe_patient(sel, log, &b);
    if (sel->since[0])
        pdb_buf_printf(&b, "%sstudy date from %s", b.len ? ", " : "",
                       sel->since);
    if (sel->until[0])
        pdb_buf_printf(&b, "%sstudy date until %s", b.len ? ", " : "",
                       sel->until);
    if (!b.len)
        pdb_buf_add_str(&b, "any study");
    return (char *) pdb_buf_steal(&b, NULL);
}
