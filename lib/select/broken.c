/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which unusable source files stop the job.  A broken file that can be
 * tied to the selection by any identifier it still shows (Patient ID,
 * Study, Series or SOP Instance UID) would leave a hole in a study on the
 * media: an error naming it.  One of another patient or study is named in
 * a warning.  One that shows no identifier at all (empty, cut inside its
 * meta information) cannot be placed anywhere: a counted warning, or an
 * error with --strict.  Nothing is dropped without a word.
 */
#include <string.h>

#include "select.h"

enum tie {
    TIE_NONE, /* shows no identifier */
    TIE_OUT,  /* of another patient or study */
    TIE_IN,   /* may belong to the selection */
};

static const struct pdb_study *study_by_uid(const struct pdb_inventory *cat,
                                            const char *uid)
{
    for (size_t i = 0; uid[0] && i < cat->nstudies; i++)
        if (strcmp(cat->studies[i]->uid, uid) == 0)
            return cat->studies[i];
    return NULL;
}

/* The study of a usable instance with the broken file's series or SOP
 * Instance UID. */
static const struct pdb_study *study_by_member(const struct pdb_inventory *cat,
                                               const struct pdb_broken *b)
{
    for (size_t i = 0; i < cat->ninstances; i++) {
        const struct pdb_instance *inst = cat->instances[i];
        if ((b->series_uid[0] &&
             strcmp(inst->series_uid, b->series_uid) == 0) ||
            (b->sop_uid[0] && strcmp(inst->sop_uid, b->sop_uid) == 0))
            return inst->series->study;
    }
    return NULL;
}

static bool selected_patient(const struct pdb_inventory *cat, const char *id)
{
    for (size_t i = 0; i < cat->nstudies; i++) {
        const struct pdb_study *st = cat->studies[i];
        if (st->selected &&
            strcmp(st->series[0]->instances[0]->patient_id, id) == 0)
            return true;
    }
    return false;
}

static bool differs(const char *known, const char *wanted)
{
    return wanted && known[0] && strcmp(known, wanted) != 0;
}

static bool listed(char *const *list, size_t n, const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], value) == 0)
            return true;
    return false;
}

/* A file of a study that has no usable instance: would that study match?
 * What the file does not show cannot rule it out. */
static enum tie could_match(const struct pdb_selection *sel,
                            const struct pdb_inventory *cat,
                            const struct pdb_broken *b)
{
    if (b->study_uid[0] && sel->nstudy_uids &&
        !listed(sel->study_uids, sel->nstudy_uids, b->study_uid))
        return TIE_OUT;
    if (differs(b->patient_id, sel->patient_id) ||
        differs(b->issuer, sel->issuer))
        return TIE_OUT;
    /* Studies picked by UID or accession belong to their patients only. */
    bool by_study = sel->nstudy_uids || sel->naccessions;
    if (by_study && !b->study_uid[0] && b->patient_id[0] &&
        !selected_patient(cat, b->patient_id))
        return TIE_OUT;
    return TIE_IN;
}

static enum tie tie_of(const struct pdb_selection *sel,
                       const struct pdb_inventory *cat,
                       const struct pdb_broken *b)
{
    if (!b->patient_id[0] && !b->study_uid[0] && !b->series_uid[0] &&
        !b->sop_uid[0])
        return TIE_NONE;
    const struct pdb_study *st = study_by_uid(cat, b->study_uid);
    if (!st)
        st = study_by_member(cat, b);
    if (st)
        return st->selected ? TIE_IN : TIE_OUT;
    return could_match(sel, cat, b);
}

/* Each file is named; the first that stops the job becomes the error. */
bool pdb_selection_judge_broken(const struct pdb_selection *sel,
                                struct pdb_inventory *cat, struct pdb_log *log,
                                struct pdiburn_error **err)
{
    const struct pdb_broken *stop = NULL;
    for (size_t i = 0; i < cat->nbroken; i++) {
        const struct pdb_broken *b = &cat->broken[i];
        enum tie t = tie_of(sel, cat, b);
        cat->unidentified += t == TIE_NONE;
        bool fatal = t == TIE_IN || (t == TIE_NONE && sel->strict);
        if (fatal && !stop)
            stop = b;
        else if (fatal)
            pdb_log(log, PDIBURN_LOG_ERROR, "'%s': %s", b->path, b->reason);
        else if (t == TIE_NONE)
            pdb_warn(log,
                     "'%s': %s; it shows no patient, study or instance, so "
                     "it is left out (--strict stops on such files)",
                     b->path, b->reason);
        else
            pdb_warn(log, "'%s': %s; not part of the selection, ignored",
                     b->path, b->reason);
    }
    if (!stop)
        return true;
    return pdb_fail(err, PDIBURN_E_DICOM, "'%s': %s%s", stop->path,
                    stop->reason,
                    tie_of(sel, cat, stop) == TIE_NONE
                        ? " (--strict: every file must be usable)"
                        : "");
}
