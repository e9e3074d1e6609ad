/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Disc robots take work through hot folders: their own software, usually
 * on a Windows PC that shares the folder, picks up each job file, burns
 * the disc and prints its label.  Primera's PTBurn reads ".JRQ" files of
 * Key=Value lines (ImageFile or Data, PrintLabel, Copies ...); Epson's TD
 * Bridge reads ".JDF" files of KEY=VALUE lines (DATA, VOLUME_LABEL,
 * COPIES ...).  The media are made and verified first, the job file comes
 * last and appears under its final name only when whole, so a robot never
 * starts on files still being written.  The job names no patient.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "label.h"
#include "robot.h"
#include "spanning.h"

enum robot_kind { ROBOT_PTBURN, ROBOT_EPSON };

struct robot {
    enum robot_kind kind;
    const char *folder; /* the hot folder, as this machine names it */
};

static bool parse(const char *spec, struct robot *out,
                  struct pdiburn_error **err)
{
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t) (colon - spec) : 0;
    if (colon && colon[1] && n == 6 && strncmp(spec, "ptburn", 6) == 0)
        *out = (struct robot){ ROBOT_PTBURN, colon + 1 };
    else if (colon && colon[1] && n == 5 && strncmp(spec, "epson", 5) == 0)
        *out = (struct robot){ ROBOT_EPSON, colon + 1 };
    else
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--robot '%s': use ptburn:FOLDER or epson:FOLDER",
                        spec);
    return true;
}

bool pdb_robot_check(const char *spec, enum pdiburn_target target,
                     struct pdiburn_error **err)
{
    struct robot robot;
    if (!spec)
        return true;
    if (!parse(spec, &robot, err))
        return false;
    if (target != PDIBURN_TARGET_ISO && target != PDIBURN_TARGET_DIR)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--robot goes with 'iso' (PTBurn) or 'dir'");
    if (robot.kind == ROBOT_EPSON && target != PDIBURN_TARGET_DIR)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "Epson TD Bridge burns folders, not images: use "
                        "'pdiburn dir' with --robot epson:FOLDER");
    struct stat st;
    if (stat(robot.folder, &st) != 0 || !S_ISDIR(st.st_mode) ||
        access(robot.folder, W_OK | X_OK) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "the robot's hot folder '%s' is not a folder we can "
                        "write to",
                        robot.folder);
    return true;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* How the robot's computer names a file we wrote: under --robot-path
 * (its name for our output folder, such as \\server\share or D:\jobs),
 * else by our absolute path, for a robot that mounts it alike. */
static char *robot_name(const struct run *r, const char *local)
{
    const char *prefix = r->job->options[PDIBURN_OPT_ROBOT_PATH];
    if (!prefix)
        return realpath(local, NULL);
    size_t n = strlen(prefix);
    while (n > 0 && (prefix[n - 1] == '\\' || prefix[n - 1] == '/'))
        n--;
    char sep = strchr(prefix, '\\') ? '\\' : '/';
    return pdb_format("%.*s%c%s", (int) n, prefix, sep, base_name(local));
}

static const char *disc_type(const struct run *r)
{
    const char *media = r->job->options[PDIBURN_OPT_MEDIA];
    if (media && strncmp(media, "dvd", 3) == 0)
        return strcmp(media, "dvd-dl") == 0 ? "DVD-DL" : "DVD";
    return media && strcmp(media, "bd") == 0 ? "BD" : "CD";
}

static long burn_speed(const struct run *r)
{
    const char *speed = r->job->options[PDIBURN_OPT_SPEED];
    char *end = NULL;
    long x = speed ? strtol(speed, &end, 10) : 0;
    return speed && end != speed && strcmp(end, "x") == 0 ? x : 0;
}

struct job_files {
    const char *id;      /* also the job file's name */
    char *media, *label; /* as the robot names them; label may be NULL */
    char volume_id[17];
};

/* PTBurn SDK 3, section 2: CRLF lines; a disc that is not blank is
 * rejected rather than appended to. */
static void ptburn_job(struct pdb_buf *b, const struct run *r,
                       const struct job_files *f)
{
    const char *copies = r->job->options[PDIBURN_OPT_COPIES];
    pdb_buf_printf(b, "JobID=%s\r\nClientID=pdiburn\r\n", f->id);
    if (r->job->target == PDIBURN_TARGET_ISO)
        pdb_buf_printf(b, "ImageFile=%s\r\nImageType=MODE_1_2048\r\n",
                       f->media);
    else
        pdb_buf_printf(b, "Data=%s\r\nDataImageType=ISOLEVEL1\r\n"
                          "VolumeName=%s\r\n",
                       f->media, f->volume_id);
    pdb_buf_printf(b, "Copies=%s\r\nCloseDisc=YES\r\nVerifyDisc=YES\r\n"
                      "RejectIfNotBlank=YES\r\nDeleteFiles=NO\r\n",
                   copies ? copies : "1");
    long speed = burn_speed(r);
    if (speed)
        pdb_buf_printf(b, "BurnSpeed=%ld\r\n", speed);
    if (f->label)
        pdb_buf_printf(b, "PrintLabel=%s\r\n", f->label);
}

/* TD Bridge: upper-case keys; DATA copies the folder's contents to the
 * root of the disc, in ISO 9660 with the names we made. */
static void epson_job(struct pdb_buf *b, const struct run *r,
                      const struct job_files *f)
{
    const char *copies = r->job->options[PDIBURN_OPT_COPIES];
    pdb_buf_printf(b, "JOB_ID=%s\r\nCOPIES=%s\r\nDISC_TYPE=%s\r\n"
                      "FORMAT=ISO9660L2\r\nDATA=%s\r\nVOLUME_LABEL=%s\r\n",
                   f->id, copies ? copies : "1", disc_type(r), f->media,
                   f->volume_id);
}

/* PTBurn prints JPEG files: the disc label of the --label PDF as one. */
static bool write_label_jpeg(const struct run *r, unsigned index,
                             const char *path, struct pdiburn_error **err)
{
    struct pdb_label label;
    struct pdb_inventory view;
    pdb_run_label(r, &label);
    if (!pdb_inventory_share(&r->inventory, index, &view, err))
        return *err ? false : pdb_fail_nomem(err);
    uint8_t *jpeg = NULL;
    size_t len = 0;
    bool ok = pdb_label_disc_jpeg(&label, &view, index, r->nvolumes, &jpeg,
                                  &len, err) &&
              pdb_partial_write_file(path, jpeg, len, err);
    free(jpeg);
    pdb_inventory_free(&view);
    return ok;
}

static char *label_path(const char *output)
{
    const char *dot = strrchr(base_name(output), '.');
    int stem = (int) (dot ? dot - output : (long) strlen(output));
    return pdb_format("%.*s-LABEL.JPG", stem, output);
}

/* PTBurn prints the label; the job names it as the robot sees it. */
static bool add_label(const struct run *r, unsigned index, const char *output,
                      struct job_files *f, struct pdiburn_error **err)
{
    char *local = label_path(output);
    bool ok = local && write_label_jpeg(r, index, local, err) &&
              (f->label = robot_name(r, local)) != NULL;
    free(local);
    return ok || *err ? ok : pdb_fail_nomem(err);
}

static bool write_job(const struct robot *robot, const struct run *r,
                      const struct job_files *f, struct pdiburn_error **err)
{
    struct pdb_buf b = { 0 };
    if (robot->kind == ROBOT_PTBURN)
        ptburn_job(&b, r, f);
    else
        epson_job(&b, r, f);
    char *path = pdb_format("%s/%s.%s", robot->folder, f->id,
                            robot->kind == ROBOT_PTBURN ? "JRQ" : "JDF");
    bool ok = path && !b.failed
                  ? pdb_partial_write_file(path, b.data, b.len, err)
                  : pdb_fail_nomem(err);
    if (ok)
        pdb_info(&r->job->ctl.log, "disc robot job '%s'", path);
    pdb_buf_free(&b);
    free(path);
    return ok;
}

static bool submit_volume(const struct run *r, const struct robot *robot,
                          const char *id, unsigned index,
                          struct pdiburn_error **err)
{
    const char *output = r->job->volumes[index - 1].output;
    struct job_files f = { .id = id, .media = robot_name(r, output) };
    pdb_volume_id(r, index, f.volume_id);
    bool ok = f.media ? true
                      : pdb_fail(err, PDIBURN_E_MEDIA, "naming '%s' for the "
                                 "robot: %s", output, strerror(errno));
    if (ok && robot->kind == ROBOT_PTBURN)
        ok = add_label(r, index, output, &f, err);
    ok = ok && write_job(robot, r, &f, err);
    free(f.label);
    free(f.media);
    return ok;
}

bool pdb_robot_submit(const struct run *r, struct pdiburn_error **err)
{
    const char *spec = r->job->options[PDIBURN_OPT_ROBOT];
    struct robot robot;
    if (!spec)
        return true;
    if (!parse(spec, &robot, err))
        return false;
    /* Unique across runs and machines sharing the folder, at most the 32
     * characters PTBurn shows, of the characters TD Bridge allows. */
    char stamp[16], id[40];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    for (unsigned v = 1; v <= r->nvolumes; v++) {
        snprintf(id, sizeof(id), "PDB%s_%ld_%u", stamp, (long) getpid(), v);
        if (!submit_volume(r, &robot, id, v, err))
            return false;
    }
    return true;
}
