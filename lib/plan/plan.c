/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The plan for STD-GEN-CD (PS3.11 D): the File ID of every instance
 * (DICOM/PTnnnnnn/STnnnnnn/SEnnnnnn/IMnnnnnn, PS3.10 8.2) and what happens
 * to it: copied byte for byte when already a Part 10 Explicit VR Little
 * Endian file; re-encoded on the fly when only its header needs it;
 * re-encoded or decompressed into the private spool otherwise; left out
 * and listed when that is impossible and the user allowed it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "dirrecord.h"
#include "plan.h"
#include "transcode.h"
#include "transfer_syntax.h"
#include "dicom.h"

/* Series and instances without a number get the next ones after the
 * largest in use, so the invented numbers never collide. */
static void number_missing(struct pdb_study *study)
{
    long max = 0;
    for (size_t i = 0; i < study->nseries; i++)
        if (study->series[i]->has_number && study->series[i]->number > max)
            max = study->series[i]->number;
    for (size_t i = 0; i < study->nseries; i++) {
        struct pdb_series *s = study->series[i];
        if (!s->has_number)
            s->number = ++max;
        long imax = 0;
        for (size_t j = 0; j < s->ninstances; j++)
            if (s->instances[j]->has_number && s->instances[j]->number > imax)
                imax = s->instances[j]->number;
        for (size_t j = 0; j < s->ninstances; j++)
            if (!s->instances[j]->has_number)
                s->instances[j]->number = ++imax;
    }
}

static enum pdb_action choose_action(const struct pdb_instance *inst,
                                     enum pdb_profile profile)
{
    enum pdb_ts_kind kind = pdb_ts_kind(inst->ts);
    bool explicit_le = strcmp(inst->ts, PDB_TS_EXPLICIT_LE) == 0;
    bool kept = profile == PDB_PROFILE_JPEG && pdb_ts_jpeg_profile(inst->ts);
    if (kind == PDB_TS_UNSUPPORTED)
        return PDB_ACTION_SKIP;
    if ((explicit_le || kept) && inst->part10)
        return PDB_ACTION_COPY;
    if (kind != PDB_TS_NATIVE)
        return PDB_ACTION_TRANSCODE;
    /* Splicing keeps the source's pixel bytes; anything after them, or
     * pixel data not found where expected, takes the full re-encoding. */
    bool whole_header = inst->pixels.kind == PDB_PIXELS_NONE;
    bool pixels_last = inst->pixels.kind == PDB_PIXELS_NATIVE &&
                       inst->pixels.end == inst->size;
    return whole_header || pixels_last ? PDB_ACTION_SPLICE
                                       : PDB_ACTION_TRANSCODE;
}

static bool unsupported(struct pdb_instance *inst, unsigned flags,
                        struct pdb_plan *plan, struct pdb_log *log,
                        struct pdiburn_error **err)
{
    if (!(flags & PDIBURN_FLAG_SKIP_UNSUPPORTED))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "'%s': transfer syntax %s cannot go on the media "
                        "(STD-GEN profiles take uncompressed Explicit VR "
                        "Little Endian, or JPEG on DVD and USB); "
                        "--skip-unsupported leaves such instances out",
                        inst->path, inst->ts);
    pdb_warn(log, "'%s' (SOP Instance %s, transfer syntax %s) left out: "
             "it cannot go on the media",
             inst->path, inst->sop_uid, inst->ts);
    plan->skipped++;
    return true;
}

/* A required key missing from the source would make its directory record
 * non-conformant: the user hears it now, naming the file, not from verify
 * after the media is written. */
static bool incomplete(struct pdb_instance *inst, uint32_t tag,
                       unsigned flags, struct pdb_plan *plan,
                       struct pdb_log *log, struct pdiburn_error **err)
{
    const struct pdb_key *k = pdb_key_find(tag);
    const char *name = k ? k->name : "a key";
    const char *type = pdb_records_type_of(inst->sop_class);
    inst->action = PDB_ACTION_SKIP;
    if (!(flags & PDIBURN_FLAG_SKIP_UNSUPPORTED))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "'%s': %s (%04X,%04X) is missing or empty, and its "
                        "%s directory record requires it (PS3.3 F.5); "
                        "--skip-unsupported leaves such instances out",
                        inst->path, name, tag >> 16, tag & 0xFFFF, type);
    pdb_warn(log, "'%s' (SOP Instance %s) left out: %s (%04X,%04X), "
             "required in its %s directory record, is missing or empty",
             inst->path, inst->sop_uid, name, tag >> 16, tag & 0xFFFF, type);
    plan->skipped++;
    return true;
}

static bool transcode(struct pdb_instance *inst, struct pdb_plan *plan,
                      struct pdiburn_error **err)
{
    char name[32];
    snprintf(name, sizeof(name), "%08llu",
             (unsigned long long) ++plan->spooled);
    inst->spool = pdb_fs_path_join(plan->spool_dir, name);
    if (!inst->spool)
        return pdb_fail_nomem(err);
    if (!pdb_transcode(inst, inst->spool, &inst->spool_size, err)) {
        pdb_error_prefix(err, "'%s': re-encoding: ", inst->path);
        return false;
    }
    return true;
}

static bool plan_instance(struct pdb_instance *inst, unsigned flags,
                          struct pdb_plan *plan, struct pdb_ctl *ctl,
                          struct pdiburn_error **err)
{
    if (inst->dropped)
        return true;
    inst->action = choose_action(inst, plan->profile);
    if (inst->action == PDB_ACTION_SKIP)
        return unsupported(inst, flags, plan, &ctl->log, err);
    uint32_t missing = pdb_records_unsupplied_key(inst, plan->profile);
    if (missing)
        return incomplete(inst, missing, flags, plan, &ctl->log, err);
    if (inst->action == PDB_ACTION_COPY)
        plan->copied++;
    else
        plan->reencoded++;
    bool ok = inst->action != PDB_ACTION_TRANSCODE ||
              (pdb_ctl_report(ctl, PDIBURN_STAGE_PLAN, plan->reencoded,
                              plan->to_reencode, inst->path, err) &&
               transcode(inst, plan, err));
    if (ok)
        inst->out_size = pdb_content_instance_size(inst);
    return ok;
}

static bool plan_study(struct pdb_study *st, unsigned flags,
                       struct pdb_plan *plan, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    number_missing(st);
    for (size_t i = 0; i < st->nseries; i++)
        for (size_t j = 0; j < st->series[i]->ninstances; j++)
            if (!plan_instance(st->series[i]->instances[j], flags, plan, ctl,
                               err))
                return false;
    return true;
}

/* How many instances will pass through the spool, for progress. */
static uint64_t count_reencoding(const struct pdb_inventory *cat,
                                 enum pdb_profile profile)
{
    uint64_t n = 0;
    for (size_t i = 0; i < cat->ninstances; i++) {
        const struct pdb_instance *inst = cat->instances[i];
        if (inst->series->study->selected && !inst->dropped &&
            choose_action(inst, profile) != PDB_ACTION_SKIP &&
            choose_action(inst, profile) != PDB_ACTION_COPY)
            n++;
    }
    return n;
}

bool pdb_plan_instances(struct pdb_inventory *cat, unsigned flags,
                        struct pdb_plan *plan, struct pdb_ctl *ctl,
                        struct pdiburn_error **err)
{
    plan->to_reencode = count_reencoding(cat, plan->profile);
    for (size_t p = 0; p < cat->npatients; p++)
        for (size_t s = 0; s < cat->patients[p]->nstudies; s++)
            if (!plan_study(cat->patients[p]->studies[s], flags, plan, ctl,
                            err))
                return false;
    if (plan->copied + plan->reencoded == 0)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "nothing left to put on the media: every selected "
                        "instance was left out");
    return pdb_ctl_report(ctl, PDIBURN_STAGE_PLAN, plan->to_reencode,
                          plan->to_reencode, NULL, err);
}

/* PS3.10 8.2: DICOM/PTnnnnnn/STnnnnnn/SEnnnnnn/IMnnnnnn, numbered anew on
 * each volume. */
bool pdb_plan_file_ids(struct pdb_inventory *view, struct pdiburn_error **err)
{
    for (size_t p = 0; p < view->npatients; p++) {
        struct pdb_patient *pat = view->patients[p];
        for (size_t s = 0; s < pat->nstudies; s++) {
            struct pdb_study *st = pat->studies[s];
            for (size_t e = 0; e < st->nseries; e++) {
                struct pdb_series *se = st->series[e];
                for (size_t i = 0; i < se->ninstances; i++) {
                    char pt[9], stc[9], sec[9], im[9];
                    if (!pdb_fileid_component(pt, "PT", (unsigned) p + 1, err) ||
                        !pdb_fileid_component(stc, "ST", (unsigned) s + 1, err) ||
                        !pdb_fileid_component(sec, "SE", (unsigned) e + 1, err) ||
                        !pdb_fileid_component(im, "IM", (unsigned) i + 1, err))
                        return false;
                    snprintf(se->instances[i]->file_id, PDB_FILEID_MAX,
                             "DICOM/%s/%s/%s/%s", pt, stc, sec, im);
                }
            }
        }
    }
    return true;
}
