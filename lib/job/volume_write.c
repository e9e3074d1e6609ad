/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One volume from plan to output: its share of the inventory numbered into
 * File IDs, laid out (DICOMDIR, README.TXT, DICOM files, web content,
 * SHA256.TXT) as an independent File-set with its own File-set UID and a
 * volume label carrying its sequence, written under a temporary name and
 * read back.  Files and folders wait there until every volume is written
 * (run.c puts them in place together); a stick or a disc is complete when
 * its volume is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "burn.h"
#include "run.h"
#include "verify.h"
#include "spanning.h"

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

/* "PDI_YYYYMMDD" says what and when, and nothing about whom; the
 * sequence of a volume is appended, within the 16 characters. */
void pdb_volume_id(const struct run *r, unsigned index, char out[17])
{
    const char *given = r->job->options[PDIBURN_OPT_VOLUME_ID];
    char base[17], suffix[8] = "";
    if (given)
        snprintf(base, sizeof(base), "%s", given);
    else
        snprintf(base, sizeof(base), "PDI_%.4s%.2s%.2s", r->created,
                 r->created + 5, r->created + 8);
    if (r->nvolumes > 1)
        snprintf(suffix, sizeof(suffix), "_%u", index);
    int keep = (int) (16 - strlen(suffix));
    snprintf(out, 17, "%.*s%s", keep, base, suffix);
}

/* A folder or a stick with web content gets its DICOM files written while
 * the pages and viewer are made, and the viewer's chunks and the pages'
 * renderings while the rest is (dir.c): its output is begun before the
 * layout instead of after it. */
struct ahead {
    struct pdb_partial *t;     /* a folder's */
    struct pdb_usb usb;        /* a stick's; zero unless begun */
    struct pdb_dir_writer *w;
};

static bool start_ahead(struct run *r, struct pdb_content *content,
                        size_t from, const char *output, struct ahead *a,
                        struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    const char *root;
    if (job->target == PDIBURN_TARGET_USB) {
        if (!pdb_usb_begin(&a->usb, output, content, &job->ctl.log, err))
            return false;
        root = a->usb.tree;
    } else {
        if (!pdb_outputs_begin(&r->outputs, output, true, &a->t, err))
            return false;
        root = a->t->part;
    }
    if (!pdb_dir_open(root, &job->ctl, &a->w, err))
        return false;
    pdb_dir_write_ahead(a->w, content, from);
    return true;
}

/* The web content's second batch (pdb_web_options.laid_out, called only
 * once start_ahead() has begun the first).  A stick needs room for it
 * first, with the batch before on it. */
static bool write_more_ahead(void *ctx, struct pdb_content *content,
                             size_t from, struct pdiburn_error **err)
{
    struct ahead *a = ctx;
    if (a->usb.mount && (!pdb_dir_wait(a->w, err) ||
                         !pdb_usb_room_for(a->usb.mount, content, from, err)))
        return false;
    pdb_dir_write_ahead(a->w, content, from);
    return true;
}

static bool lay_out(struct run *r, const struct pdb_inventory *view,
                    struct pdb_volume *vol, struct pdb_content *content,
                    const char *output, struct ahead *ahead,
                    struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_web_options web = {
        .mode = r->span.mode,
        .autorun = job->target == PDIBURN_TARGET_ISO ||
                   job->target == PDIBURN_TARGET_DISC,
        .reports = vol->index <= 1 ? job->reports : NULL,
        .nreports = vol->index <= 1 ? job->nreports : 0,
        .bundle_dir = bundle_dir(job),
    };
    const struct pdb_web_options *with = r->span.web ? &web : NULL;
    bool write_ahead = with && (job->target == PDIBURN_TARGET_DIR ||
                                job->target == PDIBURN_TARGET_USB);
    if (write_ahead) {
        web.laid_out = write_more_ahead;
        web.laid_out_ctx = ahead;
    }
    size_t from = 0;
    content->ctl = &job->ctl;
    bool ok = pdb_uid_new(vol->fileset_uid, err) &&
              pdb_layout_dicom(view, vol, with, r->spool.path, content, &from,
                               content->ctl, err);
    if (ok && write_ahead)
        ok = start_ahead(r, content, from, output, ahead, err);
    return ok && pdb_layout_rest(view, vol, with, r->spool.path, content,
                                 content->ctl, err);
}

static bool write_content(struct run *r, struct pdb_content *content,
                          const struct pdb_volume *vol, struct pdb_partial *t,
                          struct pdb_dir_writer *ahead,
                          struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    switch (job->target) {
    case PDIBURN_TARGET_DIR:
        return ahead ? pdb_dir_finish(ahead, content, err)
                     : pdb_dir_write(content, t->part, &job->ctl, err);
    case PDIBURN_TARGET_ISO:
        return pdb_iso_write(content, vol->fileset_id, t->fd, &job->ctl, err);
    case PDIBURN_TARGET_ZIP:
        return pdb_zip_write(content, t->fd,
                             job->options[PDIBURN_OPT_PASSPHRASE], &job->ctl,
                             err);
    case PDIBURN_TARGET_USB:
    case PDIBURN_TARGET_DISC: break; /* write_to_usb(), write_to_disc() */
    }
    return pdb_fail(err, PDIBURN_E_INTERNAL, "unknown target");
}

/* The profile written, which the media claims: as asked, else what
 * run.c plans for the target; a ZIP is STD-GEN-ZIP-MAIL whatever it holds. */
static const char *written_profile(const struct pdiburn_job *job)
{
    if (job->target == PDIBURN_TARGET_ZIP)
        return "STD-GEN-ZIP-MAIL";
    if (job->options[PDIBURN_OPT_PROFILE])
        return job->options[PDIBURN_OPT_PROFILE];
    return job->target == PDIBURN_TARGET_USB ? "STD-GEN-USB-JPEG"
                                             : "STD-GEN-CD";
}

/* Reads the output back and checks it as `pdiburn verify` would, and
 * against what was written, which is all written by now: the spool goes
 * meanwhile. */
static bool verify_written(struct pdiburn_job *job, const char *path,
                           const char *secret, struct pdb_content *c,
                           struct pdiburn_error **err)
{
    pdb_content_drop_spool(c);
    struct pdiburn_summary seen = { 0 };
    struct pdb_verify_args a = { .path = path, .passphrase = secret,
                                 .profile = written_profile(job),
                                 .expected = c, .findings = &job->findings };
    bool ok = pdb_verify_media(&a, &job->ctl, &seen, err);
    job->summary.problems += seen.problems;
    return ok;
}

/* DICOM has no ZIP encryption, so the recipient needs telling how to open
 * one; it cannot sit inside the ZIP unencrypted (libarchive encrypts every
 * entry), so it goes beside it: NAME.zip -> NAME-README-FIRST.TXT, put in
 * place with the ZIP. */
static bool write_readme_first(struct run *r, const char *zip,
                               struct pdiburn_error **err)
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
    struct pdb_partial *t = NULL;
    bool ok = name ? pdb_outputs_begin(&r->outputs, name, false, &t, err)
                   : pdb_fail_nomem(err);
    if (ok && !pdb_fs_write_all(t->fd, text, sizeof(text) - 1))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing '%s': %s", name,
                      strerror(errno));
    ok = ok && pdb_partial_finish(t, err);
    free(name);
    return ok;
}

/* The rest of a stick's media after what was written ahead, if the room
 * left holds it. */
static bool finish_usb_ahead(struct pdb_dir_writer *w, const struct pdb_usb *u,
                             struct pdb_content *content,
                             struct pdiburn_error **err)
{
    return pdb_dir_wait(w, err) &&
           pdb_usb_room_for(u->mount, content, 0, err) &&
           pdb_dir_finish(w, content, err);
}

/* Written into a hidden folder on the stick, read back past the page
 * cache, then moved into place; pdb_volume_write() removes what is left of
 * the hidden folder. */
static bool write_to_usb(struct run *r, struct pdb_content *content,
                         const char *mount, struct ahead *ahead,
                         struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_usb *u = &ahead->usb;
    bool ok;
    if (ahead->w)
        ok = finish_usb_ahead(ahead->w, u, content, err);
    else
        ok = pdb_usb_begin(u, mount, content, &job->ctl.log, err) &&
             pdb_dir_write(content, u->tree, &job->ctl, err);
    if (ok && (job->flags & PDIBURN_FLAG_VERIFY))
        ok = verify_written(job, u->tree, NULL, content, err);
    /* The last moment a cancel can take effect: then the media is there. */
    return ok && pdb_ctl_go_on(&job->ctl, err) && pdb_usb_commit(u, err);
}

/* "8x" for the medium at hand, "max", or kB/s. */
static unsigned speed_of(const struct pdiburn_job *job)
{
    const char *v = job->options[PDIBURN_OPT_SPEED];
    const char *media = job->options[PDIBURN_OPT_MEDIA];
    if (!v || strcmp(v, "max") == 0)
        return 0;
    char *end = NULL;
    double n = strtod(v, &end);
    if (end && *end != 'x')
        return (unsigned) n;
    double one = !media || strcmp(media, "cd") == 0 ? 176.4   /* CD 1x */
                 : strcmp(media, "bd") == 0         ? 4495.5  /* BD 1x */
                                                    : 1385.0; /* DVD 1x */
    return (unsigned) (n * one);
}

/* Burnt, then read back from the disc itself before it is ejected. */
static bool write_to_disc(struct run *r, struct pdb_content *content,
                          const struct pdb_volume *vol, const char *drive,
                          struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_burn_options opts = { drive, speed_of(job) };
    char back[4096];
    bool ok = pdb_burn(content, vol->fileset_id, &opts, &job->ctl, err);
    if (ok && (job->flags & PDIBURN_FLAG_VERIFY)) {
        ok = pdb_burn_readback_path(drive, back, sizeof(back))
                 ? verify_written(job, back, NULL, content, err)
                 : pdb_fail(err, PDIBURN_E_VERIFY,
                            "cannot read the disc in '%s' back", drive);
    }
    if (!(job->flags & PDIBURN_FLAG_NO_EJECT))
        pdb_burn_eject(drive);
    return ok;
}

/* Files and folders: written under a partial name, verified there, and
 * left for run.c to put in place with the other volumes. */
static bool write_partial(struct run *r, struct pdb_content *content,
                          const struct pdb_volume *vol, const char *output,
                          struct ahead *ahead, struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    const char *secret = job->options[PDIBURN_OPT_PASSPHRASE];
    struct pdb_partial *t = ahead->t;
    bool ok = t || pdb_outputs_begin(&r->outputs, output,
                                     job->target == PDIBURN_TARGET_DIR, &t,
                                     err);
    if (ok && !write_content(r, content, vol, t, ahead->w, err)) {
        if (job->target != PDIBURN_TARGET_DIR) /* dir.c names the file */
            pdb_error_prefix(err, "'%s': ", output);
        ok = false;
    }
    if (ok && (job->flags & PDIBURN_FLAG_VERIFY))
        ok = verify_written(job, t->part, secret, content, err);
    ok = ok && pdb_partial_finish(t, err);
    if (ok && secret)
        ok = write_readme_first(r, output, err);
    return ok;
}

static bool write_and_verify(struct run *r, struct pdb_content *content,
                             const struct pdb_volume *vol, const char *output,
                             struct ahead *ahead, struct pdiburn_error **err)
{
    bool ok;
    if (r->job->target == PDIBURN_TARGET_USB)
        ok = write_to_usb(r, content, output, ahead, err);
    else if (r->job->target == PDIBURN_TARGET_DISC)
        ok = write_to_disc(r, content, vol, output, err);
    else
        return write_partial(r, content, vol, output, ahead, err);
    r->done += ok; /* a stick or disc is there, whatever comes next */
    return ok;
}

static void add_up(struct pdiburn_summary *s, const struct pdb_content *content)
{
    s->files += content->nnodes;
    s->bytes += content->bytes;
}

/* A stick or a disc is the medium now; files are once all of them are in
 * place (run.c). */
static void audit_in_place(struct pdiburn_job *job)
{
    if (job->target == PDIBURN_TARGET_USB ||
        job->target == PDIBURN_TARGET_DISC)
        pdb_audit_written(&job->audit);
}

bool pdb_volume_write(struct run *r, unsigned index, const char *output,
                      struct pdiburn_volume *done,
                      struct pdiburn_error **err)
{
    struct pdiburn_job *job = r->job;
    struct pdb_inventory view;
    struct pdb_content content = { 0 };
    struct pdb_volume vol = { .institution = job->options[PDIBURN_OPT_INSTITUTION],
                              .address = job->options[PDIBURN_OPT_ADDRESS],
                              .contact = job->options[PDIBURN_OPT_CONTACT],
                              .index = index, .count = r->nvolumes };
    memcpy(vol.created, r->created, sizeof(vol.created));
    vol.profile = r->plan.profile;
    pdb_volume_id(r, index, vol.fileset_id);
    if (!pdb_inventory_share(&r->inventory, index, &view, err))
        return false;
    struct ahead ahead = { 0 };
    bool ok = pdb_plan_file_ids(&view, err) &&
              lay_out(r, &view, &vol, &content, output, &ahead, err);
    /* Recorded before writing ends: an attempt that fails is audited
     * too. */
    if (!pdb_audit_add_medium(&job->audit, &view, vol.fileset_uid,
                              vol.fileset_id, output, ok ? err : NULL))
        ok = false;
    uint64_t needs = ok ? pdb_span_media_bytes(&content) : 0;
    if (ok && r->span.capacity && needs > r->span.capacity)
        ok = pdb_fail(err, PDIBURN_E_CAPACITY,
                      "volume %u needs %.0f MB, more than the medium holds "
                      "(%.0f MB)",
                      index, (double) needs / 1e6,
                      (double) r->span.capacity / 1e6);
    ok = ok && write_and_verify(r, &content, &vol, output, &ahead, err);
    pdb_dir_close(ahead.w); /* its thread stopped before the stick's */
    pdb_usb_end(&ahead.usb); /* hidden folder is removed */
    if (ok) {
        add_up(&job->summary, &content);
        done->bytes = content.bytes;
        audit_in_place(job);
    }
    pdb_content_free(&content);
    pdb_inventory_free(&view);
    return ok;
}

static void describe_study(struct pdb_buf *b, const struct pdb_study *st,
                           const struct pdb_span *span,
                           struct pdiburn_volume *out)
{
    uint64_t instances = 0, bytes = 0;
    for (size_t i = 0; i < st->nseries; i++)
        for (size_t j = 0; j < st->series[i]->ninstances; j++) {
            instances++;
            bytes += pdb_span_cost(st->series[i]->instances[j], span);
        }
    out->studies++;
    out->series += st->nseries;
    out->instances += instances;
    out->bytes += bytes;
    pdb_buf_printf(b, "study %s (%s): %zu series, %llu instances, %.1f MB\n",
                   st->uid, st->date[0] ? st->date : "no date", st->nseries,
                   (unsigned long long) instances, (double) bytes / 1e6);
}

bool pdb_volume_describe(const struct pdb_inventory *view,
                         const struct pdb_span *span,
                         struct pdiburn_volume *out, struct pdiburn_error **err)
{
    struct pdb_buf b = { 0 };
    pdb_buf_add_str(&b, "");
    for (size_t p = 0; p < view->npatients; p++)
        for (size_t s = 0; s < view->patients[p]->nstudies; s++)
            describe_study(&b, view->patients[p]->studies[s], span, out);
    out->contents = (char *) pdb_buf_steal(&b, NULL);
    return out->contents ? true : pdb_fail_nomem(err);
}
