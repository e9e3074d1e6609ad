/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One volume's share of the inventory, for media that span several discs:
 * each volume is a complete, independent File-set (PS3.11 D.2.1.1 Note)
 * with its own PATIENT, STUDY and SERIES records for what it holds.  The
 * view copies the hierarchy and shares the instances, so everything that
 * lays out a volume works on a view as on a whole inventory.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "spanning.h"

static bool on_volume(const struct pdb_instance *inst, unsigned volume)
{
    return pdb_instance_on_media(inst) && inst->volume == volume;
}

/* Where the rest of a series split over volumes is: spanning fills the
 * volumes in series order, so this volume holds one run of it. */
static void series_part(const struct pdb_series *s, unsigned volume,
                        struct pdb_series *copy)
{
    size_t total = 0, before = 0;
    unsigned prev = 0, next = 0;
    for (size_t i = 0; i < s->ninstances; i++) {
        const struct pdb_instance *inst = s->instances[i];
        if (!pdb_instance_on_media(inst))
            continue;
        total++;
        if (inst->volume < volume) {
            before++;
            prev = inst->volume > prev ? inst->volume : prev;
        } else if (inst->volume > volume &&
                   (!next || inst->volume < next)) {
            next = inst->volume;
        }
    }
    if (!copy->ninstances || copy->ninstances == total)
        return;
    copy->part.first = before + 1;
    copy->part.last = before + copy->ninstances;
    copy->part.total = total;
    copy->part.prev_volume = prev;
    copy->part.next_volume = next;
}

static struct pdb_series *series_view(const struct pdb_series *s,
                                      unsigned volume, struct pdb_study *st,
                                      struct pdb_inventory *view)
{
    struct pdb_series *copy = calloc(1, sizeof(*copy));
    if (!copy)
        return NULL;
    memcpy(copy->uid, s->uid, sizeof(copy->uid));
    copy->number = s->number;
    copy->has_number = s->has_number;
    copy->study = st;
    for (size_t i = 0; i < s->ninstances; i++) {
        struct pdb_instance *inst = s->instances[i];
        if (!on_volume(inst, volume))
            continue;
        if (!pdb_grow(&copy->instances, copy->ninstances, sizeof(inst)) ||
            !pdb_grow(&view->instances, view->ninstances, sizeof(inst))) {
            free(copy->instances);
            free(copy);
            return NULL;
        }
        copy->instances[copy->ninstances++] = inst;
        view->instances[view->ninstances++] = inst;
    }
    series_part(s, volume, copy);
    return copy;
}

static bool add_series(struct pdb_study *st, struct pdb_series *s)
{
    if (!s->ninstances) {
        free(s->instances);
        free(s);
        return true;
    }
    if (!pdb_grow(&st->series, st->nseries, sizeof(s)))
        return false;
    st->series[st->nseries++] = s;
    return true;
}

static struct pdb_study *study_view(const struct pdb_study *st, unsigned volume,
                                    struct pdb_patient *p,
                                    struct pdb_inventory *view)
{
    struct pdb_study *copy = calloc(1, sizeof(*copy));
    if (!copy)
        return NULL;
    memcpy(copy->uid, st->uid, sizeof(copy->uid));
    memcpy(copy->date, st->date, sizeof(copy->date));
    memcpy(copy->time, st->time, sizeof(copy->time));
    copy->patient = p;
    copy->selected = true;
    /* Owned by the view's study list at once, so a failure frees it. */
    if (!pdb_grow(&view->studies, view->nstudies, sizeof(copy))) {
        free(copy);
        return NULL;
    }
    view->studies[view->nstudies++] = copy;
    for (size_t i = 0; i < st->nseries; i++) {
        struct pdb_series *s = series_view(st->series[i], volume, copy, view);
        if (!s || !add_series(copy, s))
            return NULL;
    }
    return copy;
}

static bool patient_view(const struct pdb_patient *p, unsigned volume,
                         struct pdb_inventory *view)
{
    struct pdb_patient *copy = calloc(1, sizeof(*copy));
    if (!copy || !pdb_grow(&view->patients, view->npatients, sizeof(copy))) {
        free(copy);
        return false;
    }
    memcpy(copy->id, p->id, sizeof(copy->id));
    copy->invented = p->invented;
    copy->shown = p->shown;
    view->patients[view->npatients++] = copy;
    for (size_t i = 0; i < p->nstudies; i++) {
        struct pdb_study *st = study_view(p->studies[i], volume, copy, view);
        if (!st)
            return false;
        if (st->nseries && !pdb_grow(&copy->studies, copy->nstudies,
                                     sizeof(st)))
            return false;
        if (st->nseries)
            copy->studies[copy->nstudies++] = st;
    }
    if (copy->nstudies == 0) /* nothing of this patient on this volume */
        view->npatients--;
    if (copy->nstudies == 0) {
        free(copy->studies);
        free(copy);
    }
    return true;
}

bool pdb_inventory_share(const struct pdb_inventory *cat, unsigned volume,
                         struct pdb_inventory *view, struct pdiburn_error **err)
{
    memset(view, 0, sizeof(*view));
    view->is_view = true;
    view->scanned = cat->scanned;
    for (size_t i = 0; i < cat->npatients; i++)
        if (!patient_view(cat->patients[i], volume, view)) {
            pdb_inventory_free(view);
            return pdb_fail_nomem(err);
        }
    return true;
}
