/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Disc robots take work through hot folders: their own software, usually
 * on a Windows PC that shares the folder, picks up each job file, burns
 * the disc and prints its label.  Primera's PTBurn reads ".JRQ" files of
 * Key=Value lines (ImageFile or Data, PrintLabel, Copies ...); Epson's TD
 * Bridge reads ".JDF" files of KEY=VALUE lines (DATA, VOLUME_LABEL,
 * COPIES ...).  The media are made and verified first, the job file comes
 * last and appears under its final name only when whole, so a robot never
 * starts on files still being written.  Job names are random and never
 * replace a job of another run or machine sharing the folder.  Every line
 * is written by pdb_robot_line(), which refuses control characters in
 * values.  The job names no patient.
 */
#include <ctype.h>
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

static bool check_target(const struct robot *robot,
                         enum pdiburn_target target,
                         struct pdiburn_error **err)
{
    if (target != PDIBURN_TARGET_ISO && target != PDIBURN_TARGET_DIR)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--robot goes with 'iso' (PTBurn) or 'dir'");
    if (robot->kind == ROBOT_EPSON && target != PDIBURN_TARGET_DIR)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "Epson TD Bridge burns folders, not images: use "
                        "'pdiburn dir' with --robot epson:FOLDER");
    struct stat st;
    if (stat(robot->folder, &st) != 0 || !S_ISDIR(st.st_mode) ||
        access(robot->folder, W_OK | X_OK) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "the robot's hot folder '%s' is not a folder we can "
                        "write to",
                        robot->folder);
    return true;
}

bool pdb_robot_line(struct pdb_buf *b, const char *key, const char *value,
                    struct pdiburn_error **err)
{
    /* A C string ends at its NUL; CR, LF and the other controls would end
     * the line early and start a key of the value's choosing. */
    for (const unsigned char *p = (const unsigned char *) value; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return pdb_fail(err, PDIBURN_E_USAGE,
                            "the robot job's %s would hold a control "
                            "character (a line break in a folder name?): "
                            "'%s'",
                            key, value);
    return pdb_buf_printf(b, "%s=%s\r\n", key, value) ||
           pdb_fail_nomem(err);
}

static char *robot_name(const struct pdiburn_job *job, const char *local);

/* Before any work: the names the jobs will hold, as the robot's computer
 * sees them, make good lines (a folder name with a line break does not). */
static bool check_names(const struct pdiburn_job *job,
                        struct pdiburn_error **err)
{
    char *name = robot_name(job, job->target_path);
    struct pdb_buf b = { 0 };
    bool ok = name ? pdb_robot_line(&b, "Data", name, err)
                   : pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s",
                              job->target_path, strerror(errno));
    pdb_buf_free(&b);
    free(name);
    return ok;
}

bool pdb_robot_check(const struct pdiburn_job *job,
                     struct pdiburn_error **err)
{
    const char *spec = job->options[PDIBURN_OPT_ROBOT];
    struct robot robot;
    if (!spec)
        return true;
    return parse(spec, &robot, err) &&
           check_target(&robot, job->target, err) && check_names(job, err);
}

/* Under --robot-path, with the separator that path uses. */
static char *under_robot_path(const char *prefix, const char *local)
{
    size_t n = strlen(prefix);
    while (n > 0 && (prefix[n - 1] == '\\' || prefix[n - 1] == '/'))
        n--;
    char sep = strchr(prefix, '\\') ? '\\' : '/';
    return pdb_format("%.*s%c%s", (int) n, prefix, sep,
                      pdb_fs_basename(local));
}

/* How the robot's computer names a file we write: under --robot-path
 * (its name for our output folder, such as \\server\share or D:\jobs),
 * else by our absolute path, for a robot that mounts it alike.  The file
 * need not exist yet: its folder does.  NULL with errno set. */
static char *robot_name(const struct pdiburn_job *job, const char *local)
{
    const char *prefix = job->options[PDIBURN_OPT_ROBOT_PATH];
    if (prefix)
        return under_robot_path(prefix, local);
    char *folder = pdb_fs_dirname(local);
    char *real = folder ? realpath(folder, NULL) : NULL;
    char *name = real ? pdb_format("%s%s%s", real,
                                   strcmp(real, "/") == 0 ? "" : "/",
                                   pdb_fs_basename(local))
                      : NULL;
    int e = errno;
    free(folder);
    free(real);
    errno = e;
    return name;
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
    char id[40];         /* also the job file's name */
    char *media, *label; /* as the robot names them; label may be NULL */
    char volume_id[17];
};

/* PTBurn SDK 3, section 2: CRLF lines; a disc that is not blank is
 * rejected rather than appended to. */
static bool ptburn_job(struct pdb_buf *b, const struct run *r,
                       const struct job_files *f, struct pdiburn_error **err)
{
    const char *copies = r->job->options[PDIBURN_OPT_COPIES];
    bool iso = r->job->target == PDIBURN_TARGET_ISO;
    char speed[24] = "";
    if (burn_speed(r))
        snprintf(speed, sizeof(speed), "%ld", burn_speed(r));
    const struct {
        const char *key, *value;
    } lines[] = {
        { "JobID", f->id },
        { "ClientID", "pdiburn" },
        { iso ? "ImageFile" : "Data", f->media },
        { iso ? "ImageType" : "DataImageType",
          iso ? "MODE_1_2048" : "ISOLEVEL1" },
        { iso ? NULL : "VolumeName", f->volume_id },
        { "Copies", copies ? copies : "1" },
        { "CloseDisc", "YES" },
        { "VerifyDisc", "YES" },
        { "RejectIfNotBlank", "YES" },
        { "DeleteFiles", "NO" },
        { speed[0] ? "BurnSpeed" : NULL, speed },
        { f->label ? "PrintLabel" : NULL, f->label },
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof(lines) / sizeof(lines[0]); i++)
        ok = !lines[i].key ||
             pdb_robot_line(b, lines[i].key, lines[i].value, err);
    return ok;
}

/* TD Bridge: upper-case keys; DATA copies the folder's contents to the
 * root of the disc, in ISO 9660 with the names we made. */
static bool epson_job(struct pdb_buf *b, const struct run *r,
                      const struct job_files *f, struct pdiburn_error **err)
{
    const char *copies = r->job->options[PDIBURN_OPT_COPIES];
    return pdb_robot_line(b, "JOB_ID", f->id, err) &&
           pdb_robot_line(b, "COPIES", copies ? copies : "1", err) &&
           pdb_robot_line(b, "DISC_TYPE", disc_type(r), err) &&
           pdb_robot_line(b, "FORMAT", "ISO9660L2", err) &&
           pdb_robot_line(b, "DATA", f->media, err) &&
           pdb_robot_line(b, "VOLUME_LABEL", f->volume_id, err);
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
    const char *dot = strrchr(pdb_fs_basename(output), '.');
    int stem = (int) (dot ? dot - output : (long) strlen(output));
    return pdb_format("%.*s-LABEL.JPG", stem, output);
}

/* PTBurn prints the label; the job names it as the robot sees it. */
static bool add_label(const struct run *r, unsigned index, const char *output,
                      struct job_files *f, struct pdiburn_error **err)
{
    char *local = label_path(output);
    bool ok = local && write_label_jpeg(r, index, local, err) &&
              (f->label = robot_name(r->job, local)) != NULL;
    free(local);
    return ok || *err ? ok : pdb_fail_nomem(err);
}

/* "PDB" + the time + 9 random characters + the volume: unique across
 * runs, machines and containers sharing the folder (a pid is not), at
 * most the 32 characters PTBurn shows, of the characters TD Bridge
 * allows. */
void pdb_robot_job_id(unsigned volume, char out[40])
{
    char stamp[16], random[10];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
    pdb_fs_random_name(random, 9);
    for (int i = 0; i < 9; i++) /* one case: Windows shares ignore it */
        random[i] = (char) toupper((unsigned char) random[i]);
    random[9] = 0;
    snprintf(out, 40, "PDB%s_%s_%u", stamp, random, volume);
}

/* Written whole under a partial name, then given a name no job in the
 * folder has; *taken when a run elsewhere has the name already. */
static bool place_job(const char *path, const struct pdb_buf *b, bool *taken,
                      struct pdiburn_error **err)
{
    struct pdb_partial t;
    bool ok = pdb_partial_begin(&t, path, false, err);
    if (ok && !pdb_fs_write_all(t.fd, b->data, b->len))
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing '%s': %s", path,
                      strerror(errno));
    ok = ok && pdb_partial_finish(&t, err) &&
         pdb_partial_place(&t, false, taken, err);
    pdb_partial_abort(&t);
    return ok;
}

/* A job under a new name; a name taken means another name. */
static bool try_job(const struct robot *robot, const struct run *r,
                    struct job_files *f, unsigned volume, bool *taken,
                    struct pdiburn_error **err)
{
    struct pdb_buf b = { 0 };
    char *path = NULL;
    pdb_robot_job_id(volume, f->id);
    bool ok = robot->kind == ROBOT_PTBURN ? ptburn_job(&b, r, f, err)
                                         : epson_job(&b, r, f, err);
    if (ok)
        path = pdb_format("%s/%s.%s", robot->folder, f->id,
                          robot->kind == ROBOT_PTBURN ? "JRQ" : "JDF");
    ok = ok && (path ? place_job(path, &b, taken, err) : pdb_fail_nomem(err));
    free(path);
    pdb_buf_free(&b);
    return ok;
}

static bool write_job(const struct robot *robot, const struct run *r,
                      struct job_files *f, unsigned volume,
                      struct pdiburn_error **err)
{
    bool ok = false, taken = true;
    for (int tries = 0; !ok && taken && tries < 10; tries++) {
        taken = false;
        ok = try_job(robot, r, f, volume, &taken, err);
    }
    if (ok)
        pdb_info(&r->job->ctl.log, "disc robot job %s in '%s'", f->id,
                 robot->folder);
    return ok || !taken ? ok
                        : pdb_fail(err, PDIBURN_E_MEDIA,
                                   "no free job name in '%s'", robot->folder);
}

static bool submit_volume(const struct run *r, const struct robot *robot,
                          unsigned index, struct pdiburn_error **err)
{
    const char *output = r->job->volumes[index - 1].output;
    struct job_files f = { .media = robot_name(r->job, output) };
    pdb_volume_id(r, index, f.volume_id);
    bool ok = f.media ? true
                      : pdb_fail(err, PDIBURN_E_MEDIA, "naming '%s' for the "
                                 "robot: %s", output, strerror(errno));
    if (ok && robot->kind == ROBOT_PTBURN)
        ok = add_label(r, index, output, &f, err);
    ok = ok && write_job(robot, r, &f, index, err);
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
    for (unsigned v = 1; v <= r->nvolumes; v++)
        if (!submit_volume(r, &robot, v, err))
            return false;
    return true;
}
