/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What each medium of an export disclosed, taken from the inventory while
 * it is still there: every patient (ID and name) and every study (UID,
 * accession, SOP classes with instance counts), for the PS3.15 A.5.3.4
 * Export message.  Names are converted to UTF-8 from the instances'
 * Specific Character Set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "text.h"

static void study_free(struct pdb_audit_study *s)
{
    free(s->description);
    free(s->sops);
}

static void patient_free(struct pdb_audit_patient *p)
{
    for (size_t i = 0; i < p->nstudies; i++)
        study_free(&p->studies[i]);
    free(p->studies);
    free(p->name);
}

static void medium_free(struct pdb_audit_medium *m)
{
    for (size_t i = 0; i < m->npatients; i++)
        patient_free(&m->patients[i]);
    free(m->patients);
    free(m->outcome_text);
    free(m->output);
}

void pdb_audit_clear(struct pdb_audit *a)
{
    for (size_t i = 0; i < a->nmedia; i++)
        medium_free(&a->media[i]);
    free(a->media);
    a->media = NULL;
    a->nmedia = 0;
}

static bool count_sop(struct pdb_audit_study *s, const char *sop_class)
{
    for (size_t i = 0; i < s->nsops; i++)
        if (strcmp(s->sops[i].uid, sop_class) == 0) {
            s->sops[i].count++;
            return true;
        }
    if (!pdb_grow(&s->sops, s->nsops, sizeof(*s->sops)))
        return false;
    struct pdb_audit_sop *sop = &s->sops[s->nsops++];
    memset(sop, 0, sizeof(*sop));
    snprintf(sop->uid, sizeof(sop->uid), "%s", sop_class);
    sop->count = 1;
    return true;
}

static const struct pdb_instance *first_instance(const struct pdb_study *st)
{
    for (size_t i = 0; i < st->nseries; i++)
        if (st->series[i]->ninstances)
            return st->series[i]->instances[0];
    return NULL;
}

static bool take_study(struct pdb_audit_study *out, const struct pdb_study *st)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->uid, sizeof(out->uid), "%s", st->uid);
    const struct pdb_instance *first = first_instance(st);
    out->description = first ? pdb_text_utf8(first, TAG_STUDY_DESCRIPTION)
                             : strdup("");
    if (first)
        pdb_instance_string(first, TAG_ACCESSION, out->accession,
                            sizeof(out->accession));
    bool ok = out->description != NULL;
    for (size_t i = 0; ok && i < st->nseries; i++)
        for (size_t j = 0; ok && j < st->series[i]->ninstances; j++) {
            const struct pdb_instance *inst = st->series[i]->instances[j];
            ok = !pdb_instance_on_media(inst) ||
                 count_sop(out, inst->sop_class);
        }
    return ok;
}

static bool take_patient(struct pdb_audit_patient *out,
                         const struct pdb_patient *p)
{
    memset(out, 0, sizeof(*out));
    snprintf(out->id, sizeof(out->id), "%s", p->id);
    const struct pdb_instance *first =
        p->nstudies ? first_instance(p->studies[0]) : NULL;
    out->name = first ? pdb_text_utf8(first, TAG_PATIENT_NAME) : strdup("");
    out->studies = calloc(p->nstudies ? p->nstudies : 1,
                          sizeof(*out->studies));
    if (!out->name || !out->studies)
        return false;
    for (size_t i = 0; i < p->nstudies; i++) {
        if (!take_study(&out->studies[i], p->studies[i]))
            return false;
        out->nstudies++;
    }
    return true;
}

bool pdb_audit_add_medium(struct pdb_audit *a, const struct pdb_inventory *view,
                          const char *fileset_uid, const char *label,
                          const char *output, struct pdiburn_error **err)
{
    if (!pdb_grow(&a->media, a->nmedia, sizeof(*a->media)))
        return pdb_fail_nomem(err);
    struct pdb_audit_medium *m = &a->media[a->nmedia++];
    memset(m, 0, sizeof(*m));
    snprintf(m->fileset_uid, sizeof(m->fileset_uid), "%s",
             fileset_uid ? fileset_uid : "");
    snprintf(m->label, sizeof(m->label), "%s", label ? label : "");
    m->output = strdup(output ? output : "");
    size_t n = view ? view->npatients : 0;
    m->patients = calloc(n ? n : 1, sizeof(*m->patients));
    bool ok = m->output && m->patients;
    for (size_t i = 0; ok && i < n; i++) {
        ok = take_patient(&m->patients[i], view->patients[i]);
        m->npatients++;
    }
    return ok || pdb_fail_nomem(err);
}

unsigned pdb_audit_outcome(enum pdiburn_code code)
{
    switch (code) {
    case PDIBURN_OK: return 0;
    case PDIBURN_E_CANCELLED: return 4;
    case PDIBURN_E_NOMEM:
    case PDIBURN_E_INTERNAL: return 12;
    case PDIBURN_E_USAGE:
    case PDIBURN_E_IO:
    case PDIBURN_E_DICOM:
    case PDIBURN_E_NOMATCH:
    case PDIBURN_E_PACS:
    case PDIBURN_E_MEDIA:
    case PDIBURN_E_CAPACITY:
    case PDIBURN_E_VERIFY: return 8;
    }
    return 8;
}

void pdb_audit_now(char *out, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char zone[8];
    strftime(zone, sizeof(zone), "%z", &tm); /* +0200 */
    size_t n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
    /* xsd:dateTime wants the offset as +02:00. */
    snprintf(out + n, len - n, "%.3s:%.2s", zone, zone + 3);
}

void pdb_audit_written(struct pdb_audit *a)
{
    if (a->nmedia)
        a->media[a->nmedia - 1].written = true;
}

bool pdb_audit_finish(struct pdb_audit *a, const struct pdiburn_error *why,
                      struct pdiburn_error **err)
{
    char when[40];
    pdb_audit_now(when, sizeof(when));
    bool all_written = true;
    for (size_t i = 0; i < a->nmedia; i++)
        all_written = all_written && a->media[i].written;
    for (size_t i = 0; i < a->nmedia; i++) {
        struct pdb_audit_medium *m = &a->media[i];
        memcpy(m->when, when, sizeof(m->when));
        bool failed = why && (!m->written ||
                              (all_written && i + 1 == a->nmedia));
        m->outcome = failed ? pdb_audit_outcome(pdiburn_error_code(why)) : 0;
        if (failed && !(m->outcome_text = strdup(pdiburn_error_message(why))))
            return pdb_fail_nomem(err);
    }
    return true;
}
