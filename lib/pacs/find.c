/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding studies on a PACS: Study Root C-FIND at STUDY level (PS3.4
 * C.6.2.1) with the attributes `pdiburn find` shows, for a user's query or
 * for an export's selection.  Matching is the PACS's (wildcards, ranges,
 * UID lists, PS3.4 C.2.2.2); ModalitiesInStudy is checked again here,
 * because it is an optional key a PACS may ignore.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pacs.h"

enum {
    K_PATIENT_ID, K_ISSUER, K_NAME, K_BIRTH, K_SEX, K_STUDY_UID, K_DATE,
    K_TIME, K_ACCESSION, K_DESCRIPTION, K_MODALITIES, K_NSERIES,
    K_NINSTANCES, K_COUNT
};

static const uint32_t study_tags[K_COUNT] = {
    [K_PATIENT_ID] = 0x00100020u,  [K_ISSUER] = 0x00100021u,
    [K_NAME] = 0x00100010u,        [K_BIRTH] = 0x00100030u,
    [K_SEX] = 0x00100040u,         [K_STUDY_UID] = 0x0020000Du,
    [K_DATE] = 0x00080020u,        [K_TIME] = 0x00080030u,
    [K_ACCESSION] = 0x00080050u,   [K_DESCRIPTION] = 0x00081030u,
    [K_MODALITIES] = 0x00080061u,  [K_NSERIES] = 0x00201206u,
    [K_NINSTANCES] = 0x00201208u,
};

struct found {
    struct pdiburn_match *list;
    size_t n;
    const char *modality; /* asked for, or NULL */
    bool nomem;
};

static bool has_value(const char *values, const char *want)
{
    size_t len = strlen(want);
    for (const char *p = values; p && *p;) {
        const char *end = strchr(p, '\\');
        size_t n = end ? (size_t) (end - p) : strlen(p);
        if (n == len && strncmp(p, want, len) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static uint64_t number(const char *text)
{
    return strtoull(text, NULL, 10);
}

static void fill(struct pdiburn_match *m, const char *const *v)
{
    memset(m, 0, sizeof(*m));
    snprintf(m->patient_id, sizeof(m->patient_id), "%s", v[K_PATIENT_ID]);
    snprintf(m->issuer, sizeof(m->issuer), "%s", v[K_ISSUER]);
    snprintf(m->patient_name, sizeof(m->patient_name), "%s", v[K_NAME]);
    snprintf(m->birth_date, sizeof(m->birth_date), "%s", v[K_BIRTH]);
    snprintf(m->sex, sizeof(m->sex), "%s", v[K_SEX]);
    snprintf(m->study_uid, sizeof(m->study_uid), "%s", v[K_STUDY_UID]);
    snprintf(m->study_date, sizeof(m->study_date), "%s", v[K_DATE]);
    snprintf(m->study_time, sizeof(m->study_time), "%s", v[K_TIME]);
    snprintf(m->accession, sizeof(m->accession), "%s", v[K_ACCESSION]);
    snprintf(m->description, sizeof(m->description), "%s",
             v[K_DESCRIPTION]);
    snprintf(m->modalities, sizeof(m->modalities), "%s", v[K_MODALITIES]);
    m->series = (unsigned) number(v[K_NSERIES]);
    m->instances = number(v[K_NINSTANCES]);
}

static bool known(const struct found *f, const char *uid)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->list[i].study_uid, uid) == 0)
            return true;
    return false;
}

static bool on_match(void *user, const char *const *v)
{
    struct found *f = user;
    if (!v[K_STUDY_UID][0] || known(f, v[K_STUDY_UID]))
        return true;
    if (f->modality && v[K_MODALITIES][0] &&
        !has_value(v[K_MODALITIES], f->modality))
        return true;
    if (!pdb_grow(&f->list, f->n, sizeof(*f->list))) {
        f->nomem = true;
        return false;
    }
    fill(&f->list[f->n++], v);
    return true;
}

static bool run_find(const struct pdb_pacs *p, const char *const *values,
                     struct found *f, struct pdiburn_error **err)
{
    struct dcmshim_key keys[K_COUNT];
    struct dcmshim_peer peer;
    char msg[512];
    for (size_t i = 0; i < K_COUNT; i++)
        keys[i] = (struct dcmshim_key){ study_tags[i],
                                        values[i] ? values[i] : "" };
    pdb_pacs_peer(p, &peer);
    enum dcmshim_status st =
        dcmshim_find(&peer, "STUDY", keys, K_COUNT, on_match, f, msg,
                     sizeof(msg));
    if (f->nomem)
        return pdb_fail_nomem(err);
    return st == DCMSHIM_OK || pdb_pacs_fail(p, st, msg, err);
}

/* YYYY-MM-DD or YYYYMMDD into YYYYMMDD; "" stays "". */
static bool dicom_date(const char *in, char out[9])
{
    size_t j = 0;
    out[0] = 0;
    for (size_t i = 0; in && in[i]; i++) {
        if (in[i] == '-' && (i == 4 || i == 7))
            continue;
        if (in[i] < '0' || in[i] > '9' || j == 8)
            return false;
        out[j++] = in[i];
    }
    out[j] = 0;
    return j == 0 || j == 8;
}

/* PS3.4 C.2.2.2.5: "since-", "-until" or "since-until". */
static void date_range(const char *since, const char *until, char out[18])
{
    out[0] = 0;
    if (*since || *until)
        snprintf(out, 18, "%s-%s", since, until);
}

static bool query_values(const struct pdiburn_query *q, const char **v,
                         char range[18], char birth[9],
                         struct pdiburn_error **err)
{
    char since[9], until[9];
    if (!dicom_date(q->since, since) || !dicom_date(q->until, until) ||
        !dicom_date(q->birth_date, birth))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "dates are YYYY-MM-DD or YYYYMMDD");
    date_range(since, until, range);
    v[K_PATIENT_ID] = q->patient_id;
    v[K_ISSUER] = q->issuer;
    v[K_NAME] = q->patient_name;
    v[K_BIRTH] = birth;
    v[K_DATE] = range;
    v[K_ACCESSION] = q->accession;
    v[K_MODALITIES] = q->modality;
    v[K_DESCRIPTION] = q->description;
    return true;
}

bool pdiburn_pacs_find(const struct pdiburn_pacs_node *node,
                       const struct pdiburn_pacs_settings *s,
                       const struct pdiburn_query *query,
                       struct pdiburn_match **matches, size_t *count,
                       struct pdiburn_error **err)
{
    struct pdb_pacs p;
    const char *values[K_COUNT] = { 0 };
    char range[18], birth[9];
    struct found f = { 0 };
    *matches = NULL;
    *count = 0;
    if (!pdb_pacs_init(&p, node, s, err) ||
        !query_values(query, values, range, birth, err))
        return false;
    f.modality = query->modality && *query->modality ? query->modality : NULL;
    if (!run_find(&p, values, &f, err)) {
        free(f.list);
        return false;
    }
    *matches = f.list;
    *count = f.n;
    return true;
}

/* PS3.4 C.2.2.2.2: several UIDs in one value, backslash-separated. */
static char *uid_list(const struct pdb_selection *sel)
{
    struct pdb_buf b = { 0 };
    for (size_t i = 0; i < sel->nstudy_uids; i++) {
        if (i)
            pdb_buf_add(&b, "\\", 1);
        pdb_buf_add_str(&b, sel->study_uids[i]);
    }
    pdb_buf_add(&b, "", 1);
    return (char *) pdb_buf_steal(&b, NULL);
}

static bool find_one(const struct pdb_pacs *p, const struct pdb_selection *sel,
                     const char *uids, const char *accession,
                     const char *modality, struct found *f,
                     struct pdiburn_error **err)
{
    const char *values[K_COUNT] = { 0 };
    char range[18];
    date_range(sel->since, sel->until, range);
    values[K_STUDY_UID] = uids;
    values[K_PATIENT_ID] = sel->patient_id;
    values[K_DATE] = range;
    values[K_ACCESSION] = accession;
    values[K_MODALITIES] = modality;
    f->modality = modality;
    return run_find(p, values, f, err);
}

static bool to_studies(const struct found *f, struct pdb_pacs_study **studies,
                       size_t *count, struct pdiburn_error **err)
{
    *studies = calloc(f->n ? f->n : 1, sizeof(**studies));
    if (!*studies)
        return pdb_fail_nomem(err);
    for (size_t i = 0; i < f->n; i++) {
        snprintf((*studies)[i].uid, sizeof((*studies)[i].uid), "%s",
                 f->list[i].study_uid);
        (*studies)[i].instances = f->list[i].instances;
    }
    *count = f->n;
    return true;
}

bool pdb_pacs_find_selection(const struct pdb_pacs *p,
                             const struct pdb_selection *sel,
                             struct pdb_pacs_study **studies, size_t *count,
                             struct pdiburn_error **err)
{
    /* Accession Number and Modality take one value per C-FIND. */
    size_t na = sel->naccessions ? sel->naccessions : 1;
    size_t nm = sel->nmodalities ? sel->nmodalities : 1;
    struct found f = { 0 };
    char *uids = uid_list(sel);
    bool ok = uids != NULL || pdb_fail_nomem(err);
    for (size_t a = 0; ok && a < na; a++)
        for (size_t m = 0; ok && m < nm; m++)
            ok = find_one(p, sel, uids,
                          sel->naccessions ? sel->accessions[a] : NULL,
                          sel->nmodalities ? sel->modalities[m] : NULL, &f,
                          err);
    ok = ok && to_studies(&f, studies, count, err);
    free(uids);
    free(f.list);
    return ok;
}
