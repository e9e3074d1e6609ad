/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Groups scanned instances into studies and series (PS3.3 F.5.2-F.5.3: one
 * STUDY per Study Instance UID, one SERIES per Series Instance UID) and
 * patients, and finds the conflicts that would break that hierarchy.
 * Invariant: nothing is dropped silently: a merged duplicate is a warning,
 * a conflict an error naming the files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "select.h"

static long key_number(const struct pdb_instance *inst, uint32_t tag,
                       bool *present)
{
    long v = 0;
    *present = pdb_instance_int(inst, tag, &v);
    return *present ? v : 0;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a, b);
}

static int cmp_long(long a, long b)
{
    return (a > b) - (a < b);
}

/* Study, series, Instance Number, SOP Instance UID, path. */
static int cmp_instances(const void *pa, const void *pb)
{
    const struct pdb_instance *a = *(struct pdb_instance *const *) pa;
    const struct pdb_instance *b = *(struct pdb_instance *const *) pb;
    int c = cmp_str(a->study_uid, b->study_uid);
    if (!c)
        c = cmp_str(a->series_uid, b->series_uid);
    if (!c)
        c = cmp_long(a->has_number ? a->number : LONG_MAX,
                     b->has_number ? b->number : LONG_MAX);
    if (!c)
        c = cmp_str(a->sop_uid, b->sop_uid);
    return c ? c : cmp_str(a->path, b->path);
}

static struct pdb_series *new_series(struct pdb_study *study,
                                     const struct pdb_instance *first)
{
    if (!pdb_grow(&study->series, study->nseries, sizeof(struct pdb_series *)))
        return NULL;
    struct pdb_series *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    memcpy(s->uid, first->series_uid, sizeof(s->uid));
    s->number = key_number(first, TAG_SERIES_NUMBER, &s->has_number);
    s->study = study;
    study->series[study->nseries++] = s;
    return s;
}

static struct pdb_study *new_study(struct pdb_inventory *cat,
                                   const struct pdb_instance *first)
{
    if (!pdb_grow(&cat->studies, cat->nstudies, sizeof(struct pdb_study *)))
        return NULL;
    struct pdb_study *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    memcpy(s->uid, first->study_uid, sizeof(s->uid));
    pdb_instance_string(first, TAG_STUDY_DATE, s->date, sizeof(s->date));
    pdb_instance_string(first, 0x00080030, s->time, sizeof(s->time));
    cat->studies[cat->nstudies++] = s;
    return s;
}

static bool add_to_series(struct pdb_series *s, struct pdb_instance *inst)
{
    if (!pdb_grow(&s->instances, s->ninstances, sizeof(struct pdb_instance *)))
        return false;
    s->instances[s->ninstances++] = inst;
    inst->series = s;
    return true;
}

static int cmp_series(const void *pa, const void *pb)
{
    const struct pdb_series *a = *(struct pdb_series *const *) pa;
    const struct pdb_series *b = *(struct pdb_series *const *) pb;
    int c = cmp_long(a->has_number ? a->number : LONG_MAX,
                     b->has_number ? b->number : LONG_MAX);
    return c ? c : strcmp(a->uid, b->uid);
}

static void sort_instances(struct pdb_inventory *cat)
{
    for (size_t i = 0; i < cat->ninstances; i++) {
        struct pdb_instance *inst = cat->instances[i];
        inst->number = key_number(inst, TAG_INSTANCE_NUMBER,
                                  &inst->has_number);
    }
    if (cat->ninstances > 1) /* qsort(NULL, 0) is undefined */
        qsort(cat->instances, cat->ninstances, sizeof(*cat->instances),
              cmp_instances);
}

bool pdb_group_build(struct pdb_inventory *cat, struct pdiburn_error **err)
{
    sort_instances(cat);
    struct pdb_study *study = NULL;
    struct pdb_series *series = NULL;
    for (size_t i = 0; i < cat->ninstances; i++) {
        struct pdb_instance *inst = cat->instances[i];
        if (!study || strcmp(study->uid, inst->study_uid) != 0) {
            study = new_study(cat, inst);
            series = NULL;
        }
        if (study && (!series || strcmp(series->uid, inst->series_uid) != 0))
            series = new_series(study, inst);
        if (!study || !series || !add_to_series(series, inst))
            return pdb_fail_nomem(err);
    }
    for (size_t i = 0; i < cat->nstudies; i++)
        qsort(cat->studies[i]->series, cat->studies[i]->nseries,
              sizeof(struct pdb_series *), cmp_series);
    return true;
}

/* ---- conflicts ---------------------------------------------------------- */

static bool same_content(const char *a, const char *b, bool *same)
{
    int fa = pdb_fs_open_deep(a, O_RDONLY);
    int fb = pdb_fs_open_deep(b, O_RDONLY);
    bool ok = fa >= 0 && fb >= 0;
    *same = true;
    uint8_t ba[65536], bb[65536];
    for (uint64_t off = 0; ok && *same;) {
        size_t na = 0, nb = 0;
        ok = pdb_fs_read_at(fa, ba, sizeof(ba), off, &na) &&
             pdb_fs_read_at(fb, bb, sizeof(bb), off, &nb);
        *same = ok && na == nb && memcmp(ba, bb, na) == 0;
        if (na < sizeof(ba))
            break;
        off += na;
    }
    if (fa >= 0)
        close(fa);
    if (fb >= 0)
        close(fb);
    return ok;
}

static int cmp_by_sop(const void *pa, const void *pb)
{
    const struct pdb_instance *a = *(struct pdb_instance *const *) pa;
    const struct pdb_instance *b = *(struct pdb_instance *const *) pb;
    int c = strcmp(a->sop_uid, b->sop_uid);
    return c ? c : strcmp(a->path, b->path);
}

static bool check_duplicate(struct pdb_instance *keep,
                            struct pdb_instance *dup, struct pdb_log *log,
                            struct pdiburn_error **err)
{
    bool same = false;
    if (keep->size == dup->size && !same_content(keep->path, dup->path, &same))
        return pdb_fail(err, PDIBURN_E_IO, "comparing '%s' and '%s': %s",
                        keep->path, dup->path, strerror(errno));
    if (!same)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "SOP Instance UID %s is used by two different "
                        "files: '%s' and '%s'",
                        keep->sop_uid, keep->path, dup->path);
    pdb_warn(log, "'%s' is a copy of '%s'; it goes on the media once",
             dup->path, keep->path);
    dup->dropped = true;
    return true;
}

static bool is_selected(const struct pdb_instance *inst)
{
    return inst->series->study->selected;
}

static bool check_duplicates(struct pdb_inventory *cat, struct pdb_log *log,
                             struct pdiburn_error **err)
{
    struct pdb_instance **sorted =
        malloc((cat->ninstances + 1) * sizeof(*sorted));
    if (!sorted)
        return pdb_fail_nomem(err);
    size_t n = 0;
    for (size_t i = 0; i < cat->ninstances; i++)
        if (is_selected(cat->instances[i]))
            sorted[n++] = cat->instances[i];
    qsort(sorted, n, sizeof(*sorted), cmp_by_sop);
    bool ok = true;
    for (size_t i = 1; ok && i < n; i++) {
        size_t first = i - 1;
        while (first > 0 && sorted[first]->dropped)
            first--;
        if (strcmp(sorted[first]->sop_uid, sorted[i]->sop_uid) == 0)
            ok = check_duplicate(sorted[first], sorted[i], log, err);
    }
    free(sorted);
    return ok;
}

/* Removes dropped duplicates from their series. */
static void compact_series(struct pdb_series *s)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->ninstances; i++)
        if (!s->instances[i]->dropped)
            s->instances[kept++] = s->instances[i];
    s->ninstances = kept;
}

static bool check_patient_ids(const struct pdb_study *study,
                              struct pdb_log *log, struct pdiburn_error **err)
{
    const struct pdb_instance *first = study->series[0]->instances[0];
    for (size_t i = 0; i < study->nseries; i++) {
        for (size_t j = 0; j < study->series[i]->ninstances; j++) {
            const struct pdb_instance *inst = study->series[i]->instances[j];
            if (strcmp(inst->patient_id, first->patient_id) == 0) {
                if (!pdb_identity_same_person(first, inst, log, err))
                    return false;
                continue;
            }
            return pdb_fail(err, PDIBURN_E_DICOM,
                            "study %s is filed under two Patient IDs "
                            "(%s in '%s', %s in '%s'); fix the archive "
                            "before exporting it",
                            study->uid, pdb_log_phi(log, first->patient_id),
                            first->path, pdb_log_phi(log, inst->patient_id),
                            inst->path);
        }
    }
    return true;
}

bool pdb_group_check(struct pdb_inventory *cat, struct pdb_log *log,
                     struct pdiburn_error **err)
{
    if (!check_duplicates(cat, log, err))
        return false;
    for (size_t i = 0; i < cat->nstudies; i++) {
        struct pdb_study *study = cat->studies[i];
        if (!study->selected)
            continue;
        for (size_t j = 0; j < study->nseries; j++)
            compact_series(study->series[j]);
        if (!check_patient_ids(study, log, err))
            return false;
    }
    return true;
}

/* ---- patients ----------------------------------------------------------- */

static const char *study_patient_id(const struct pdb_study *study)
{
    return study->series[0]->instances[0]->patient_id;
}

static struct pdb_patient *find_patient(struct pdb_inventory *cat,
                                        const char *id)
{
    for (size_t i = 0; i < cat->npatients; i++)
        if (strcmp(cat->patients[i]->id, id) == 0)
            return cat->patients[i];
    return NULL;
}

static struct pdb_patient *add_patient(struct pdb_inventory *cat,
                                       const char *id)
{
    if (!pdb_grow(&cat->patients, cat->npatients, sizeof(struct pdb_patient *)))
        return NULL;
    struct pdb_patient *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    snprintf(p->id, sizeof(p->id), "%s", id);
    cat->patients[cat->npatients++] = p;
    return p;
}

static int cmp_studies(const void *pa, const void *pb)
{
    const struct pdb_study *a = *(struct pdb_study *const *) pa;
    const struct pdb_study *b = *(struct pdb_study *const *) pb;
    int c = strcmp(a->date, b->date);
    if (!c)
        c = strcmp(a->time, b->time);
    return c ? c : strcmp(a->uid, b->uid);
}

static int cmp_patients(const void *pa, const void *pb)
{
    const struct pdb_patient *a = *(struct pdb_patient *const *) pa;
    const struct pdb_patient *b = *(struct pdb_patient *const *) pb;
    return strcmp(a->id, b->id);
}

bool pdb_group_patients(struct pdb_inventory *cat, struct pdb_log *log,
                        struct pdiburn_error **err)
{
    for (size_t i = 0; i < cat->nstudies; i++) {
        struct pdb_study *study = cat->studies[i];
        if (!study->selected)
            continue;
        const char *id = study_patient_id(study);
        bool invented = !id[0];
        if (invented) /* the DICOMDIR record warns when it uses it */
            id = study->uid;
        struct pdb_patient *p = find_patient(cat, id);
        if (!p)
            p = add_patient(cat, id);
        if (!p || !pdb_grow(&p->studies, p->nstudies, sizeof(*p->studies)))
            return pdb_fail_nomem(err);
        p->invented = invented;
        p->studies[p->nstudies++] = study;
        study->patient = p;
    }
    if (cat->npatients > 1)
        qsort(cat->patients, cat->npatients, sizeof(*cat->patients),
              cmp_patients);
    for (size_t i = 0; i < cat->npatients; i++) {
        qsort(cat->patients[i]->studies, cat->patients[i]->nstudies,
              sizeof(struct pdb_study *), cmp_studies);
        if (!pdb_identity_check_patient(cat->patients[i], log, err))
            return false;
    }
    return true;
}
