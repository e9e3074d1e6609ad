/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a job: scan the sources, select, check, plan every instance, split
 * the selection into volumes that fit the medium, then write each volume
 * (volume_write.c) and put the files and folders in place together, with
 * one writer per output (a lock beside each).  Invariant: whatever
 * happens, the private spool is removed and no partial output is left
 * under any name; a job's output files appear all together or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "archive_source.h"
#include "burn.h"
#include "label.h"
#include "run.h"
#include "robot.h"
#include "source.h"
#include "select.h"
#include "spanning.h"

/* CD-R, 80 minutes: what `iso` fits its images to unless told otherwise. */
#define CD_CAPACITY (360000ull * 2048)

/* `burn` without a drive takes the first one with a disc in it. */
static bool pick_drive(struct pdiburn_job *job, struct pdiburn_error **err)
{
    char address[4096];
    if (*job->target_path)
        return true;
    if (!pdb_burn_default_drive(address, sizeof(address), err))
        return false;
    char *copy = strdup(address);
    if (!copy)
        return pdb_fail_nomem(err);
    free(job->target_path);
    job->target_path = copy;
    return true;
}

static bool robot_options_fit(const struct pdiburn_job *job,
                              struct pdiburn_error **err)
{
    const char *robot = job->options[PDIBURN_OPT_ROBOT];
    if (!robot && (job->options[PDIBURN_OPT_COPIES] ||
                   job->options[PDIBURN_OPT_ROBOT_PATH]))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--copies and --robot-path go with --robot");
    return pdb_robot_check(job, err);
}

static bool prepare(struct pdiburn_job *job, struct pdiburn_error **err)
{
    if (!job->target_path)
        return pdb_fail(err, PDIBURN_E_USAGE, "no output given");
    if (job->nsources == 0 && !job->pacs && !job->from_archive)
        return pdb_fail(err, PDIBURN_E_USAGE, "no source given");
    if (!robot_options_fit(job, err))
        return false;
    if (job->target == PDIBURN_TARGET_USB)
        return pdb_usb_check(job->target_path,
                             job->flags & PDIBURN_FLAG_REPLACE, err);
    if (job->target == PDIBURN_TARGET_DISC)
        return pick_drive(job, err);
    return pdb_partial_check(job->target_path,
                             job->target == PDIBURN_TARGET_DIR, err);
}

static const char *spool_parent(const struct pdiburn_job *job)
{
    const char *dir = job->options[PDIBURN_OPT_SPOOL_DIR];
    if (!dir)
        dir = getenv("TMPDIR");
    /* /var/tmp rather than /tmp: decompressed studies can be large and
     * /tmp is often a small memory file system. */
    return dir && *dir ? dir : "/var/tmp";
}

static bool make_spool(struct run *r, struct pdiburn_error **err)
{
    return r->spool.path || pdb_spool_open(&r->spool, spool_parent(r->job),
                                           &r->job->ctl.log, err);
}

/* The PACS's studies go into the spool, complete, before anything else. */
static bool retrieve(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    if (!job->pacs)
        return true;
    if (!make_spool(r, err))
        return false;
    return pdb_pacs_collect(job->pacs, &job->selection, r->spool.path,
                            &r->inventory, &job->ctl, &r->retrieved, err);
}

static enum pdb_viewer_mode requested_mode(const struct pdiburn_job *job)
{
    const char *v = job->options[PDIBURN_OPT_VIEWER];
    return !v || strcmp(v, "auto") == 0 || strcmp(v, "full") == 0
               ? PDB_VIEWER_FULL
           : strcmp(v, "lite") == 0 ? PDB_VIEWER_LITE
                                    : PDB_VIEWER_NONE;
}

/* The scan keeps what it makes of each header (the re-encoding, and the
 * viewer's tag list when there will be a viewer) in the spool; a spool
 * that cannot be made now is reported by plan(), which needs it. */
static bool keep_scanned_headers(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdiburn_error *why = NULL;
    if (!make_spool(r, &why)) {
        pdiburn_error_free(why);
        return true;
    }
    if (!pdb_scanned_headers_open(&r->inventory, r->spool.path))
        return pdb_fail_nomem(err);
    r->inventory.scan_tag_lists = r->inventory.scanned &&
                                  !(job->flags & PDIBURN_FLAG_NO_WEB) &&
                                  requested_mode(job) != PDB_VIEWER_NONE;
    return true;
}

static bool collect(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    job->selection.strict = job->flags & PDIBURN_FLAG_STRICT;
    if (!retrieve(r, err) ||
        (job->from_archive &&
         !pdb_archive_collect(job->archive, job->catalog, &job->selection,
                              &r->inventory, &job->ctl, err)))
        return false;
    if (job->nsources && !keep_scanned_headers(r, err))
        return false;
    for (size_t i = 0; i < job->nsources; i++)
        if (!pdb_source_scan(&r->inventory, job->sources[i], &job->ctl, err))
            return false;
    if (r->inventory.not_dicom)
        pdb_info(&job->ctl.log, "%llu file(s) in the source are not DICOM",
                 (unsigned long long) r->inventory.not_dicom);
    return pdb_group_build(&r->inventory, err) &&
           pdb_selection_apply(&job->selection, &r->inventory, &job->ctl.log,
                               err) &&
           pdb_group_check(&r->inventory, &job->ctl.log, err) &&
           pdb_group_patients(&r->inventory, &job->ctl.log, err);
}

/* USB sticks take the JPEG profile unless told; the rest STD-GEN-CD, which
 * every reader reads. */
static enum pdb_profile profile_of(const struct pdiburn_job *job)
{
    enum pdb_profile p = job->target == PDIBURN_TARGET_USB ? PDB_PROFILE_JPEG
                                                           : PDB_PROFILE_CD;
    if (job->options[PDIBURN_OPT_PROFILE])
        pdb_ts_profile_parse(job->options[PDIBURN_OPT_PROFILE], &p);
    return p;
}

static bool plan(struct run *r, struct pdiburn_error **err)
{
    if (!make_spool(r, err))
        return false;
    r->plan.spool_dir = r->spool.path;
    r->plan.profile = profile_of(r->job);
    if (pdb_plan_instances(&r->inventory, r->job->flags, &r->plan,
                           &r->job->ctl, err))
        return true;
    /* A full or failing spool is no fault of the source (exit 5). */
    if (pdiburn_error_code(*err) == PDIBURN_E_MEDIA)
        pdb_error_prefix(err, "the spool '%s' (--spool): ", r->spool.path);
    return false;
}

/* --max-size wins over --media; `iso` makes CD images unless told. */
static bool capacity(const struct pdiburn_job *job, uint64_t *bytes,
                     struct pdiburn_error **err)
{
    const char *max = job->options[PDIBURN_OPT_MAX_SIZE];
    const char *media = job->options[PDIBURN_OPT_MEDIA];
    *bytes = 0;
    if (max)
        *bytes = strtoull(max, NULL, 10);
    else if (media)
        return pdb_span_capacity(media, bytes, err);
    else if (job->target == PDIBURN_TARGET_ISO)
        *bytes = CD_CAPACITY;
    else if (job->target == PDIBURN_TARGET_DISC && !strstr(job->target_path,
                                                           "%u"))
        return pdb_burn_capacity(job->target_path, bytes, err);
    return true;
}

static bool automatic(const struct pdiburn_job *job)
{
    const char *v = job->options[PDIBURN_OPT_VIEWER];
    return !v || strcmp(v, "auto") == 0;
}

/* "Full when it fits, else lite": the lossless viewer unless it would
 * take more media than the 8-bit previews. */
static bool span(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    r->span.web = !(job->flags & PDIBURN_FLAG_NO_WEB);
    r->span.mode = r->span.web ? requested_mode(job) : PDB_VIEWER_NONE;
    if (!capacity(job, &r->span.capacity, err) ||
        !pdb_span_plan(&r->inventory, &r->span, &r->nvolumes, err))
        return false;
    if (!r->span.web || !automatic(job) || !r->span.capacity)
        return true;
    struct pdb_span lite = r->span;
    unsigned with_lite = 0;
    lite.mode = PDB_VIEWER_LITE;
    if (!pdb_span_plan(&r->inventory, &lite, &with_lite, err))
        return false;
    if (with_lite < r->nvolumes) {
        pdb_warn(&job->ctl.log,
                 "the lossless viewer would need %u media instead of %u; "
                 "the viewer gets 8-bit previews (lite)",
                 r->nvolumes, with_lite);
        r->span = lite;
        r->nvolumes = with_lite;
        return true;
    }
    /* Back to the lossless plan the run goes on with. */
    return pdb_span_plan(&r->inventory, &r->span, &r->nvolumes, err);
}

/* NAME.iso -> NAME_2.iso, a folder OUT -> OUT_2; one volume keeps NAME.
 * A drive is the same drive for every disc, unless its address has a %u
 * (pseudo-drives writing a file per disc). */
static char *volume_output(const struct pdiburn_job *job, unsigned index,
                           unsigned count)
{
    const char *path = job->target_path;
    const char *mark = strstr(path, "%u");
    if (job->target == PDIBURN_TARGET_DISC) /* no printf on user text */
        return mark ? pdb_format("%.*s%u%s", (int) (mark - path), path, index,
                                 mark + 2)
                    : strdup(path);
    if (count == 1)
        return strdup(path);
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash) || dot == path)
        return pdb_format("%s_%u", path, index);
    return pdb_format("%.*s_%u%s", (int) (dot - path), path, index, dot);
}

static bool describe_all(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    job->volumes = calloc(r->nvolumes, sizeof(*job->volumes));
    if (!job->volumes)
        return pdb_fail_nomem(err);
    job->nvolumes = r->nvolumes;
    for (unsigned v = 1; v <= r->nvolumes; v++) {
        struct pdb_inventory view;
        struct pdiburn_volume *out = &job->volumes[v - 1];
        out->output = volume_output(job, v, r->nvolumes);
        bool ok =
            out->output && pdb_inventory_share(&r->inventory, v, &view, err);
        ok = ok && pdb_volume_describe(&view, &r->span, out, err);
        if (ok)
            pdb_inventory_free(&view);
        if (!ok)
            return *err ? false : pdb_fail_nomem(err);
    }
    return true;
}

/* The disc the user put in for volume `index`: blank and big enough, or
 * a warning saying why not, so that the user can try another. */
static bool disc_ready(struct run *r, unsigned index)
{
    struct pdiburn_job *job = r->job;
    struct pdiburn_error *why = NULL;
    uint64_t room = 0, need = job->volumes[index - 1].bytes;
    bool ok = pdb_burn_capacity(job->target_path, &room, &why);
    if (ok && room > 0 && room < need)
        pdb_warn(&job->ctl.log,
                 "the disc holds %.0f MB, disc %u needs about %.0f MB",
                 (double) room / 1e6, index, (double) need / 1e6);
    else if (!ok)
        pdb_warn(&job->ctl.log, "%s", pdiburn_error_message(why));
    pdiburn_error_free(why);
    return ok && (room == 0 || room >= need);
}

/* Disc 2 and on: the user puts in a blank disc when asked, and is asked
 * again while the disc will not do; Ctrl-C or end of input stops. */
static bool next_disc(struct run *r, unsigned index,
                      struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    if (job->target != PDIBURN_TARGET_DISC || index == 1 ||
        strstr(job->target_path, "%u"))
        return true;
    if (!job->medium_prompt)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "disc %u of %u needs a new disc, and there is no one "
                        "to ask for it",
                        index, r->nvolumes);
    do {
        if (!job->medium_prompt(index, r->nvolumes, job->medium_user))
            return pdb_fail(err, PDIBURN_E_CANCELLED,
                            "cancelled before disc %u", index);
    } while (!disc_ready(r, index));
    return true;
}

static bool lock_one(struct run *r, const char *final, bool stick,
                     struct pdiburn_error **err)
{
    struct pdb_lock *l = &r->locks[r->nlocks];
    char *path = stick ? pdb_fs_path_join(final, ".pdiburn.lock") : NULL;
    bool ok = stick ? path && pdb_lock_take(l, path, final, err)
                    : pdb_lock_output(l, final, &r->job->ctl.log, err);
    if (stick && !path)
        pdb_fail_nomem(err);
    r->nlocks += ok;
    free(path);
    return ok;
}

/* One writer per output: each volume's file or folder and the label (a
 * stick is locked inside; a drive libburn holds for itself). */
static bool lock_outputs(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    const char *label = job->options[PDIBURN_OPT_LABEL];
    bool files = job->target != PDIBURN_TARGET_USB &&
                 job->target != PDIBURN_TARGET_DISC;
    r->locks = calloc(r->nvolumes + 2, sizeof(*r->locks));
    if (!r->locks)
        return pdb_fail_nomem(err);
    if (job->target == PDIBURN_TARGET_USB &&
        !lock_one(r, job->target_path, true, err))
        return false;
    for (unsigned v = 0; files && v < r->nvolumes; v++)
        if (!lock_one(r, job->volumes[v].output, false, err))
            return false;
    return !label || lock_one(r, label, false, err);
}

static bool write_all(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    if (job->target == PDIBURN_TARGET_USB && r->nvolumes > 1)
        return pdb_fail(err, PDIBURN_E_CAPACITY,
                        "the selection needs %u sticks of this size; make "
                        "one at a time with --study, or use a bigger stick",
                        r->nvolumes);
    bool files = job->target != PDIBURN_TARGET_USB &&
                 job->target != PDIBURN_TARGET_DISC;
    for (unsigned v = 1; files && v <= r->nvolumes; v++) {
        struct pdiburn_volume *out = &job->volumes[v - 1];
        if (!pdb_partial_check(out->output, job->target == PDIBURN_TARGET_DIR,
                               err))
            return false;
    }
    if (!lock_outputs(r, err))
        return false;
    for (unsigned v = 1; v <= r->nvolumes; v++)
        if (!next_disc(r, v, err) ||
            !pdb_volume_write(r, v, job->volumes[v - 1].output,
                              &job->volumes[v - 1], err))
            return false;
    return true;
}

/* Every volume written and verified, the label made: now all of them
 * take their final names.  The last moment a cancel can take effect. */
static bool place_all(struct run *r, struct pdiburn_error **err)
{
    if (!pdb_ctl_go_on(&r->job->ctl, err) ||
        !pdb_outputs_commit(&r->outputs, err))
        return false;
    struct pdb_audit *audit = &r->job->audit;
    if (r->job->target == PDIBURN_TARGET_USB ||
        r->job->target == PDIBURN_TARGET_DISC)
        return true;
    r->done = r->nvolumes;
    for (size_t i = 0; i < audit->nmedia; i++) /* in place: exported */
        audit->media[i].written = true;
    return true;
}

static const char *copy_type_title(const char *type)
{
    return !type || strcmp(type, "patient") == 0 ? "Patient"
           : strcmp(type, "physician") == 0      ? "Physician"
                                                 : "Legal";
}

void pdb_run_label(const struct run *r, struct pdb_label *label)
{
    const struct pdiburn_job *job = r->job;
    *label = (struct pdb_label){
        job->options[PDIBURN_OPT_INSTITUTION],
        job->options[PDIBURN_OPT_ADDRESS],
        job->options[PDIBURN_OPT_CONTACT], r->created,
        copy_type_title(job->options[PDIBURN_OPT_COPY_TYPE]),
        job->options[PDIBURN_OPT_PAPER], r->span.web
    };
}

/* --label: a disc label and a cover letter per volume, in one PDF, put
 * in place with the volumes. */
static bool write_label(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    const char *path = job->options[PDIBURN_OPT_LABEL];
    if (!path)
        return true;
    struct pdb_label label;
    pdb_run_label(r, &label);
    struct pdb_inventory *views = calloc(r->nvolumes, sizeof(*views));
    const struct pdb_inventory **list = calloc(r->nvolumes, sizeof(*list));
    bool ok = views && list;
    unsigned made = 0;
    for (; ok && made < r->nvolumes; made++) {
        ok = pdb_inventory_share(&r->inventory, made + 1, &views[made], err);
        list[made] = &views[made];
    }
    struct pdb_partial *t = NULL;
    if (!views || !list)
        ok = pdb_fail_nomem(err);
    else if (ok)
        ok = pdb_outputs_begin(&r->outputs, path, false, &t, err) &&
             pdb_label_write(&label, list, r->nvolumes, t->fd, path, err) &&
             pdb_partial_finish(t, err);
    for (unsigned v = 0; views && v < made; v++)
        pdb_inventory_free(&views[v]);
    free(views);
    free(list);
    return ok;
}


static uint64_t count_series(const struct pdb_series *se,
                             struct pdiburn_summary *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < se->ninstances; i++)
        n += pdb_instance_on_media(se->instances[i]);
    s->instances += n;
    s->series += n > 0;
    return n;
}

/* What the media hold together, however many volumes they span. */
static void count_selection(const struct pdb_inventory *cat,
                            struct pdiburn_summary *s)
{
    for (size_t p = 0; p < cat->npatients; p++) {
        uint64_t in_patient = 0;
        for (size_t t = 0; t < cat->patients[p]->nstudies; t++) {
            const struct pdb_study *st = cat->patients[p]->studies[t];
            uint64_t in_study = 0;
            for (size_t i = 0; i < st->nseries; i++)
                in_study += count_series(st->series[i], s);
            s->studies += in_study > 0;
            in_patient += in_study;
        }
        s->patients += in_patient > 0;
    }
}

static void summarize(struct run *r)
{
    struct pdiburn_summary *s = &r->job->summary;
    count_selection(&r->inventory, s);
    s->copied = r->plan.copied;
    s->reencoded = r->plan.reencoded;
    s->skipped = r->plan.skipped;
    s->volumes = r->nvolumes;
    s->retrieved = r->retrieved.instances;
    s->retrieved_bytes = r->retrieved.bytes;
    s->retrieve_ms = r->retrieved.ms;
    s->unidentified = r->inventory.unidentified;
    r->job->summary.warnings = r->job->ctl.log.warnings;
}

/* After a failure only what exists is listed: discs burnt and a stick
 * written before it, no files (they appear all together or not at all). */
static void keep_existing_volumes(struct run *r)
{
    struct pdiburn_job *job = r->job;
    for (size_t i = r->done; i < job->nvolumes; i++) {
        free((char *) job->volumes[i].output);
        free((char *) job->volumes[i].contents);
    }
    if (r->done < job->nvolumes)
        job->nvolumes = r->done;
    job->summary.volumes = job->nvolumes;
}

/* A failure before the first medium: the selection it was to hold is what
 * the attempt touched. */
static void audit_end(struct run *r, bool dry, struct pdiburn_error *why)
{
    struct pdiburn_job *job = r->job;
    if (dry)
        return;
    if (why && job->audit.nmedia == 0)
        pdb_audit_add_medium(&job->audit, &r->inventory, NULL, NULL,
                             job->target_path, NULL);
    pdb_audit_finish(&job->audit, why, NULL);
}

/* The volumes written, then put in place with the label, then handed to
 * a disc robot. */
static bool make(struct run *r, struct pdiburn_error **err)
{
    return write_all(r, err) && write_label(r, err) && place_all(r, err) &&
           pdb_robot_submit(r, err);
}

static bool run_stages(struct run *r, bool dry, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    return prepare(job, err) && collect(r, err) && plan(r, err) &&
           span(r, err) && describe_all(r, err) && (dry || make(r, err));
}

static void finish(struct run *r, bool planned_only)
{
    summarize(r);
    if (!planned_only)
        keep_existing_volumes(r);
    pdb_outputs_abort(&r->outputs);
    for (size_t i = 0; i < r->nlocks; i++)
        pdb_lock_release(&r->locks[i]);
    free(r->locks);
    pdb_inventory_free(&r->inventory);
    pdb_spool_close(&r->spool);
}

/* Forgets the last run's results; today's date for the labels. */
static void start(struct run *r)
{
    struct pdiburn_job *job = r->job;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(r->created, sizeof(r->created), "%Y-%m-%d", &tm);
    memset(&job->summary, 0, sizeof(job->summary));
    job->ctl.log.warnings = 0;
    pdb_job_clear_volumes(job);
    pdb_audit_clear(&job->audit);
    pdb_findings_clear(&job->findings);
    free(job->output);
    job->output = NULL;
}

bool pdiburn_job_run(struct pdiburn_job *job, struct pdiburn_error **err)
{
    struct run r = { .job = job, .spool.lock_fd = -1 };
    start(&r);
    bool dry = job->flags & PDIBURN_FLAG_DRY_RUN;
    struct pdiburn_error *why = NULL;
    bool ok = run_stages(&r, dry, &why);
    if (ok && !dry)
        job->output = strdup(job->volumes[0].output);
    audit_end(&r, dry, why);
    finish(&r, dry && ok);
    if (err)
        *err = why;
    else
        pdiburn_error_free(why);
    return ok;
}
