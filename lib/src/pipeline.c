/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Runs a job: scan the sources, select, check, plan, lay out the volume,
 * write it under a temporary name, verify it, put it in place.  Invariant:
 * whatever happens, the private spool is removed and no partial output is
 * left under any name.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "job.h"
#include "out.h"
#include "plan.h"
#include "verify.h"
#include "web.h"

struct run {
    struct pdiburn_job *job;
    struct pdb_catalog catalog;
    struct pdb_plan plan;
    char *spool;
    struct pdb_volume volume;
    struct pdb_content content;
    struct pdb_target target;
};

static bool prepare(struct pdiburn_job *job, struct pdiburn_error **err)
{
    if (!job->target_path)
        return pdb_fail(err, PDIBURN_E_USAGE, "no output given");
    if (job->nsources == 0)
        return pdb_fail(err, PDIBURN_E_USAGE, "no source given");
    return pdb_target_check(job->target_path,
                            job->target == PDIBURN_TARGET_DIR, err);
}

static bool collect(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    for (size_t i = 0; i < job->nsources; i++)
        if (!pdb_source_scan(&r->catalog, job->sources[i], &job->ctl, err))
            return false;
    if (r->catalog.not_dicom)
        pdb_info(&job->ctl.log, "%llu file(s) in the source are not DICOM",
                 (unsigned long long) r->catalog.not_dicom);
    return pdb_catalog_group(&r->catalog, err) &&
           pdb_selection_apply(&job->selection, &r->catalog, &job->ctl.log,
                               err) &&
           pdb_catalog_check(&r->catalog, &job->ctl.log, err) &&
           pdb_catalog_patients(&r->catalog, err);
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

static bool plan(struct run *r, struct pdiburn_error **err)
{
    r->spool = pdb_private_dir(spool_parent(r->job), "pdiburn-spool-", err);
    if (!r->spool)
        return false;
    r->plan.spool_dir = r->spool;
    return pdb_plan_volume(&r->catalog, r->job->flags, &r->plan, &r->job->ctl,
                           err);
}

static void default_volume_id(char out[17], const char *created)
{
    /* "PDI_YYYYMMDD": says what and when, and nothing about whom. */
    snprintf(out, 17, "PDI_%.4s%.2s%.2s", created, created + 5, created + 8);
}

/* CD-R, 80 minutes: 360,000 sectors of 2,048 bytes. */
#define CD_CAPACITY (360000ull * 2048)

/* The viewer's files: where the caller says, else where `meson install`
 * put them, else the source tree (a build that was never installed). */
static const char *bundle_dir(const struct pdiburn_job *job)
{
    const char *dir = job->options[PDIBURN_OPT_VIEWER_DIR];
    if (!dir)
        dir = getenv("PDIBURN_VIEWER_DIR");
    if (dir && *dir)
        return dir;
    return access(PDB_VIEWER_INSTALL_DIR "/FILES.txt", R_OK) == 0
               ? PDB_VIEWER_INSTALL_DIR
               : PDB_VIEWER_SOURCE_DIR;
}

static enum pdb_viewer_mode viewer_mode(const struct pdiburn_job *job)
{
    const char *v = job->options[PDIBURN_OPT_VIEWER];
    return !v || strcmp(v, "auto") == 0 || strcmp(v, "full") == 0
               ? PDB_VIEWER_FULL
           : strcmp(v, "lite") == 0 ? PDB_VIEWER_LITE
                                    : PDB_VIEWER_NONE;
}

static bool viewer_automatic(const struct pdiburn_job *job)
{
    const char *v = job->options[PDIBURN_OPT_VIEWER];
    return !v || strcmp(v, "auto") == 0;
}

static bool lay_out_with(struct run *r, enum pdb_viewer_mode mode,
                         struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_web_options web = {
        .mode = mode,
        .autorun = job->target == PDIBURN_TARGET_ISO,
        .reports = job->reports,
        .nreports = job->nreports,
        .bundle_dir = bundle_dir(job),
    };
    pdb_content_free(&r->content);
    r->content.ctl = &job->ctl;
    r->volume.patients = r->volume.studies = 0;
    r->volume.series = r->volume.instances = 0;
    bool dicom_only = job->flags & PDIBURN_FLAG_NO_WEB;
    return pdb_layout_volume(&r->catalog, &r->volume, dicom_only ? NULL : &web,
                             r->spool, &r->content, &job->ctl, err);
}

/* What the lossless payload will take: measured on CT, about 0.43 of the
 * raw pixel bytes after base64; 0.5 errs on the safe side. */
static uint64_t payload_estimate(const struct pdb_catalog *cat)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < cat->ninstances; i++) {
        const struct pdb_instance *inst = cat->instances[i];
        uint16_t rows = 0, cols = 0, samples = 1, bits = 16;
        long frames = 1;
        if (!inst->series->study->selected || !pdb_web_is_image(inst))
            continue;
        pdb_inst_u16(inst, TAG_ROWS, &rows);
        pdb_inst_u16(inst, TAG_COLUMNS, &cols);
        pdb_inst_u16(inst, TAG_SAMPLES_PER_PIXEL, &samples);
        pdb_inst_u16(inst, TAG_BITS_ALLOCATED, &bits);
        pdb_inst_int(inst, TAG_NUMBER_OF_FRAMES, &frames);
        bytes += (uint64_t) rows * cols * samples * (bits > 8 ? 2 : 1) *
                 (uint64_t) (frames > 0 ? frames : 1) / 2;
    }
    return bytes;
}

static uint64_t dicom_bytes(const struct pdb_catalog *cat)
{
    uint64_t bytes = 0;
    for (size_t i = 0; i < cat->ninstances; i++)
        if (cat->instances[i]->series->study->selected)
            bytes += cat->instances[i]->size;
    return bytes;
}

/* The viewer asked for; for a CD in auto mode, previews when the estimate
 * says the lossless payload cannot fit, which spares encoding it. */
static enum pdb_viewer_mode first_choice(struct run *r)
{
    struct pdiburn_job *job = r->job;
    bool cd = job->target == PDIBURN_TARGET_ISO;
    if (!cd || !viewer_automatic(job) ||
        dicom_bytes(&r->catalog) + payload_estimate(&r->catalog) <=
            CD_CAPACITY)
        return viewer_mode(job);
    pdb_warn(&job->ctl.log,
             "the lossless viewer would not fit on a CD with these images; "
             "the viewer gets 8-bit previews instead (lite)");
    return PDB_VIEWER_LITE;
}

/* The lossless viewer when it fits the CD, else 8-bit previews. */
static bool lay_out_volume(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    bool cd = job->target == PDIBURN_TARGET_ISO;
    bool web = !(job->flags & PDIBURN_FLAG_NO_WEB);
    enum pdb_viewer_mode mode = first_choice(r);
    if (!lay_out_with(r, mode, err))
        return false;
    bool too_big = cd && r->content.bytes > CD_CAPACITY;
    if (too_big && web && viewer_automatic(job) && mode == PDB_VIEWER_FULL) {
        pdb_warn(&job->ctl.log,
                 "with the lossless viewer the media needs %.0f MB, more than "
                 "a CD holds; the viewer gets 8-bit previews instead (lite)",
                 (double) r->content.bytes / 1e6);
        if (!lay_out_with(r, PDB_VIEWER_LITE, err))
            return false;
        too_big = r->content.bytes > CD_CAPACITY;
    }
    if (too_big)
        pdb_warn(&job->ctl.log,
                 "the image needs %.0f MB: more than a CD-R holds (%.0f MB)",
                 (double) r->content.bytes / 1e6, (double) CD_CAPACITY / 1e6);
    return true;
}

static bool lay_out(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_volume *v = &r->volume;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(v->created, sizeof(v->created), "%Y-%m-%d", &tm);
    if (job->options[PDIBURN_OPT_VOLUME_ID])
        snprintf(v->fileset_id, sizeof(v->fileset_id), "%s",
                 job->options[PDIBURN_OPT_VOLUME_ID]);
    else
        default_volume_id(v->fileset_id, v->created);
    v->institution = job->options[PDIBURN_OPT_INSTITUTION];
    v->contact = job->options[PDIBURN_OPT_CONTACT];
    return pdb_uid_new(v->fileset_uid, err) && lay_out_volume(r, err);
}

/* DICOM has no ZIP encryption, so the recipient needs telling how to open
 * one; it cannot sit inside the ZIP unencrypted (libarchive encrypts every
 * entry), so it goes beside it: NAME.zip -> NAME-README-FIRST.TXT. */
static bool write_readme_first(const char *zip, struct pdiburn_error **err)
{
    static const char text[] =
        "README FIRST\r\n\r\n"
        "The ZIP file next to this one holds medical images and reports,\r\n"
        "encrypted with AES-256.  You need the passphrase, which reaches you\r\n"
        "separately, and a program that opens AES-encrypted ZIP files:\r\n"
        "  Windows:  7-Zip (7-zip.org); the built-in 'Extract All' cannot.\r\n"
        "  macOS:    Keka or The Unarchiver; or '7z x FILE.zip' in Terminal.\r\n"
        "  Linux:    7z x FILE.zip (p7zip), or bsdtar -xf FILE.zip.\r\n\r\n"
        "Extract all files, then open INDEX.HTM in a web browser to see the\r\n"
        "images, or give the folder to a DICOM viewer (it reads DICOMDIR).\r\n";
    size_t n = strlen(zip);
    size_t stem = n > 4 && strcasecmp(zip + n - 4, ".zip") == 0 ? n - 4 : n;
    char *name = pdb_format("%.*s-README-FIRST.TXT", (int) stem, zip);
    if (!name)
        return pdb_fail_nomem(err);
    struct pdb_target t;
    bool ok = pdb_target_begin(&t, name, false, err);
    if (ok && !pdb_write_all(t.fd, text, sizeof(text) - 1))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing '%s': %s", name,
                      strerror(errno));
    ok = ok && pdb_target_commit(&t, err);
    pdb_target_abort(&t);
    free(name);
    return ok;
}

static bool write_content(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    switch (job->target) {
    case PDIBURN_TARGET_DIR:
        return pdb_write_tree(&r->content, r->target.part, &job->ctl, err);
    case PDIBURN_TARGET_ISO:
        return pdb_write_iso(&r->content, r->volume.fileset_id, r->target.fd,
                             &job->ctl, err);
    case PDIBURN_TARGET_ZIP:
        return pdb_write_zip(&r->content, r->target.fd,
                             job->options[PDIBURN_OPT_PASSPHRASE], &job->ctl,
                             err);
    }
    return pdb_fail(err, PDIBURN_E_INTERNAL, "unknown target");
}

static bool write_output(struct run *r, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    bool is_dir = job->target == PDIBURN_TARGET_DIR;
    const char *secret = job->options[PDIBURN_OPT_PASSPHRASE];
    if (!pdb_target_begin(&r->target, job->target_path, is_dir, err))
        return false;
    bool ok = write_content(r, err);
    if (ok && (job->flags & PDIBURN_FLAG_VERIFY)) {
        struct pdiburn_summary seen = { 0 };
        ok = pdb_verify_media(r->target.part, secret, &r->content, &job->ctl,
                              &seen, err);
        job->summary.problems = seen.problems;
    }
    if (ok && secret)
        ok = write_readme_first(job->target_path, err);
    return ok && pdb_target_commit(&r->target, err);
}

static void summarize(struct run *r)
{
    struct pdiburn_summary *s = &r->job->summary;
    s->patients = r->volume.patients;
    s->studies = r->volume.studies;
    s->series = r->volume.series;
    s->instances = r->volume.instances;
    s->copied = r->plan.copied;
    s->reencoded = r->plan.reencoded;
    s->skipped = r->plan.skipped;
    s->files = r->content.nnodes;
    s->bytes = r->content.bytes;
}

static void finish(struct run *r)
{
    pdb_target_abort(&r->target);
    pdb_content_free(&r->content);
    pdb_catalog_free(&r->catalog);
    if (r->spool)
        pdb_remove_tree(r->spool);
    free(r->spool);
    r->job->summary.warnings = r->job->ctl.log.warnings;
}

bool pdiburn_job_run(struct pdiburn_job *job, struct pdiburn_error **err)
{
    struct run r = { .job = job };
    r.target.fd = -1;
    memset(&job->summary, 0, sizeof(job->summary));
    job->ctl.log.warnings = 0;
    bool ok = prepare(job, err) && collect(&r, err) && plan(&r, err) &&
              lay_out(&r, err);
    if (ok)
        summarize(&r);
    ok = ok && write_output(&r, err);
    if (ok) {
        free(job->output);
        job->output = strdup(job->target_path);
    }
    finish(&r);
    return ok;
}
