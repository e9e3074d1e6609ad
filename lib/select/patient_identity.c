/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Whether the studies under one Patient ID are of one person, so that a
 * PATIENT record (PS3.3 F.5.1) never mixes two people.  The same ID with
 * another Issuer of Patient ID, birth date or sex is another person: an
 * error naming both, which --issuer or --study resolves.  A value missing
 * on one side says nothing.  Another name with all else equal is the same
 * person renamed (marriage, a corrected spelling): a warning, and the
 * record shows the most recent study's.  Every source's inventory passes
 * here, so the rule holds whatever the studies came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"

struct identity {
    const struct pdb_instance *inst;
    char issuer[PDB_UID_MAX + 1];
    char birth[17];
    char sex[17];
};

static void identity_of(const struct pdb_instance *inst, struct identity *id)
{
    id->inst = inst;
    pdb_instance_string(inst, TAG_ISSUER, id->issuer, sizeof(id->issuer));
    pdb_instance_string(inst, TAG_BIRTH_DATE, id->birth, sizeof(id->birth));
    pdb_instance_string(inst, TAG_PATIENT_SEX, id->sex, sizeof(id->sex));
}

static bool clash(const char *a, const char *b)
{
    return a[0] && b[0] && strcmp(a, b) != 0;
}

/* "issuer, birth date" - what tells the two apart; "" when nothing. */
static void differences(const struct identity *a, const struct identity *b,
                        char *out, size_t len)
{
    out[0] = 0;
    if (clash(a->issuer, b->issuer))
        snprintf(out + strlen(out), len - strlen(out), "Issuer of Patient ID");
    if (clash(a->birth, b->birth))
        snprintf(out + strlen(out), len - strlen(out), "%sbirth date",
                 out[0] ? ", " : "");
    if (clash(a->sex, b->sex))
        snprintf(out + strlen(out), len - strlen(out), "%ssex",
                 out[0] ? ", " : "");
}

/* The issuer is an organisation's name, shown always: --issuer needs it.
 * Birth date and sex are the patient's, shown with --verbose only. */
static char *describe(const struct pdb_log *log, const struct identity *id,
                      const char *path)
{
    return pdb_format("issuer '%s', born %s, sex %s ('%s')", id->issuer,
                      pdb_log_phi(log, id->birth[0] ? id->birth : "?"),
                      pdb_log_phi(log, id->sex[0] ? id->sex : "?"), path);
}

static bool same_person(const struct identity *a, const struct identity *b,
                        const struct pdb_log *log, struct pdiburn_error **err)
{
    char what[80];
    differences(a, b, what, sizeof(what));
    if (!what[0])
        return true;
    char *da = describe(log, a, a->inst->path);
    char *db = describe(log, b, b->inst->path);
    pdb_fail(err, PDIBURN_E_DICOM,
             "Patient ID %s belongs to two different patients (their %s "
             "differ): %s and %s; a PATIENT record must not mix them: "
             "choose one with --issuer or --study",
             pdb_log_phi(log, a->inst->patient_id), what, da ? da : "?",
             db ? db : "?");
    free(da);
    free(db);
    return false;
}

bool pdb_identity_same_person(const struct pdb_instance *a,
                              const struct pdb_instance *b,
                              const struct pdb_log *log,
                              struct pdiburn_error **err)
{
    struct identity ia, ib;
    identity_of(a, &ia);
    identity_of(b, &ib);
    return same_person(&ia, &ib, log, err);
}

static const struct pdb_instance *first_of(const struct pdb_study *st)
{
    return st->series[0]->instances[0];
}

/* Has study s's patient name been seen in an earlier study? */
static bool name_seen(const struct pdb_patient *p, size_t s, const char *name)
{
    for (size_t i = 0; i < s; i++) {
        char other[400] = "";
        pdb_instance_string(first_of(p->studies[i]), TAG_PATIENT_NAME, other,
                            sizeof(other));
        if (strcmp(other, name) == 0)
            return true;
    }
    return false;
}

/* Every name of the patient's studies, oldest first, said once each. */
static void warn_names(const struct pdb_patient *p, struct pdb_log *log)
{
    struct pdb_buf list = { 0 };
    unsigned names = 0;
    for (size_t s = 0; s < p->nstudies; s++) {
        char name[400] = "";
        const struct pdb_instance *inst = first_of(p->studies[s]);
        pdb_instance_string(inst, TAG_PATIENT_NAME, name, sizeof(name));
        if (name_seen(p, s, name))
            continue;
        names++;
        pdb_buf_printf(&list, "%s'%s' in '%s'", list.len ? ", " : "",
                       pdb_log_phi(log, name), inst->path);
    }
    if (names > 1 && !list.failed)
        pdb_warn(log,
                 "Patient ID %s appears under %u names (%s); the same "
                 "issuer, birth date and sex make them one patient, shown "
                 "under the most recent study's name",
                 pdb_log_phi(log, p->id), names, (const char *) list.data);
    pdb_buf_free(&list);
}

static bool one_person(const struct pdb_patient *p, struct pdb_log *log,
                       struct pdiburn_error **err)
{
    struct identity *ids = calloc(p->nstudies, sizeof(*ids));
    if (!ids)
        return pdb_fail_nomem(err);
    for (size_t i = 0; i < p->nstudies; i++)
        identity_of(first_of(p->studies[i]), &ids[i]);
    bool ok = true;
    for (size_t i = 0; ok && i < p->nstudies; i++)
        for (size_t j = i + 1; ok && j < p->nstudies; j++)
            ok = same_person(&ids[i], &ids[j], log, err);
    free(ids);
    return ok;
}

bool pdb_identity_check_patient(struct pdb_patient *p, struct pdb_log *log,
                                struct pdiburn_error **err)
{
    if (!one_person(p, log, err))
        return false;
    p->shown = first_of(p->studies[p->nstudies - 1]);
    warn_names(p, log);
    return true;
}
