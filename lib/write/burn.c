/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Optical drives through libburn, with libisoburn's view of the medium
 * (it sees an ISO image already on a pseudo-drive as written).  The only
 * file that knows libburn's drive API: it returns 1 for success and <= 0
 * for failure and keeps its messages in a queue we never let it print.
 * Pseudo-drives "stdio:PATH" write a file through the same code, which is
 * how the tests burn without hardware.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libisofs/libisofs.h>
#include <libburn/libburn.h>
#include <libisoburn/libisoburn.h>

#include "burn.h"
#include "isoburn.h"

static const char *status_name(enum burn_disc_status st)
{
    switch (st) {
    case BURN_DISC_BLANK: return "blank";
    case BURN_DISC_APPENDABLE: return "appendable (not blank)";
    case BURN_DISC_FULL: return "closed (full)";
    case BURN_DISC_EMPTY: return "no disc";
    case BURN_DISC_UNREADY:
    case BURN_DISC_UNGRABBED:
    case BURN_DISC_UNSUITABLE: return "not usable";
    }
    return "unknown";
}

static bool grab(const char *address, struct burn_drive_info **info,
                 struct pdiburn_error **err)
{
    char adr[BURN_DRIVE_ADR_LEN];
    snprintf(adr, sizeof(adr), "%s", address);
    if (isoburn_drive_scan_and_grab(info, adr, 1) > 0)
        return true;
    char msg[BURN_MSGS_MESSAGE_LEN];
    pdb_isoburn_last_failure(msg, sizeof(msg));
    return pdb_fail(err, PDIBURN_E_MEDIA, "no drive '%s': %s", address, msg);
}

/* Refuses, before anything is written, what a clerk would regret. */
static bool check_medium(struct burn_drive *d, uint64_t need,
                         struct pdiburn_error **err)
{
    enum burn_disc_status st = isoburn_disc_get_status(d);
    if (st == BURN_DISC_EMPTY)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "there is no disc in the drive: insert a blank "
                        "CD-R or DVD-R");
    if (st != BURN_DISC_BLANK)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "the disc in the drive is %s: insert a blank one",
                        status_name(st));
    struct burn_write_opts *o = burn_write_opts_new(d);
    off_t room = o ? isoburn_disc_available_space(d, o) : 0;
    if (o)
        burn_write_opts_free(o);
    if (room > 0 && (uint64_t) room < need)
        return pdb_fail(err, PDIBURN_E_CAPACITY,
                        "the disc holds %.0f MB, the media needs %.0f MB: "
                        "use a bigger disc, or --media to split",
                        (double) room / 1e6, (double) need / 1e6);
    return true;
}

static struct burn_disc *one_track_disc(struct burn_source *src)
{
    struct burn_disc *disc = burn_disc_create();
    struct burn_session *session = burn_session_create();
    struct burn_track *track = burn_track_create();
    burn_track_define_data(track, 0, 0, 1, BURN_MODE1);
    burn_track_set_source(track, src);
    burn_session_add_track(session, track, BURN_POS_END);
    burn_disc_add_session(disc, session, BURN_POS_END);
    burn_track_free(track);     /* the session holds its reference */
    burn_session_free(session); /* the disc holds its reference */
    return disc;
}

static struct burn_write_opts *options(struct burn_drive *d,
                                       struct burn_disc *disc,
                                       struct pdiburn_error **err)
{
    struct burn_write_opts *o = burn_write_opts_new(d);
    char reasons[BURN_REASONS_LEN];
    burn_write_opts_set_perform_opc(o, 0);
    burn_write_opts_set_multi(o, 0); /* close the disc (PS3.12 P.3.1.1.1) */
    burn_write_opts_set_underrun_proof(o, 1);
    if (burn_write_opts_auto_write_type(o, disc, reasons, 0) ==
        BURN_WRITE_NONE) {
        burn_write_opts_free(o);
        pdb_fail(err, PDIBURN_E_MEDIA, "the disc cannot be written: %s",
                 reasons);
        return NULL;
    }
    return o;
}

static void pause_a_little(void)
{
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

/* Polls until the drive is idle: progress, and SIGINT through libburn. */
static bool watch(struct burn_drive *d, struct pdb_iso *iso,
                  struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct burn_progress p;
    bool cancelled = false;
    while (burn_drive_get_status(d, NULL) == BURN_DRIVE_SPAWNING)
        pause_a_little();
    while (burn_drive_get_status(d, &p) != BURN_DRIVE_IDLE) {
        uint64_t done = (uint64_t) p.sector * 2048;
        uint64_t total = (uint64_t) p.sectors * 2048;
        if (!cancelled && (pdb_iso_failed(iso) ||
                           !pdb_ctl_report(ctl, PDIBURN_STAGE_WRITE, done,
                                           total, NULL, err))) {
            burn_drive_cancel(d);
            cancelled = true;
        }
        pause_a_little();
    }
    return !cancelled;
}

static bool write_disc(struct burn_drive *d, struct pdb_iso *iso,
                       unsigned speed_kb, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    struct burn_disc *disc = one_track_disc(pdb_iso_source(iso));
    struct burn_write_opts *o = options(d, disc, err);
    bool ok = o != NULL;
    if (ok) {
        burn_drive_set_speed(d, 0, (int) speed_kb);
        burn_disc_write(o, disc);
        ok = watch(d, iso, ctl, err);
    }
    if (ok && !burn_drive_wrote_well(d)) {
        char msg[BURN_MSGS_MESSAGE_LEN];
        pdb_isoburn_last_failure(msg, sizeof(msg));
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing the disc: %s", msg);
    }
    if (o)
        burn_write_opts_free(o);
    burn_disc_free(disc);
    return ok;
}

bool pdb_burn(struct pdb_content *content, const char *volume_id,
              const struct pdb_burn_options *opts, struct pdb_ctl *ctl,
              struct pdiburn_error **err)
{
    struct burn_drive_info *info = NULL;
    struct pdb_iso *iso = NULL;
    if (!pdb_isoburn_start_burn(err) || !grab(opts->drive, &info, err))
        return false;
    struct burn_drive *d = info[0].drive;
    bool ok = pdb_iso_open(content, volume_id, &iso, err) &&
              check_medium(d, pdb_iso_size(iso), err) &&
              write_disc(d, iso, opts->speed_kb, ctl, err);
    ok = pdb_iso_close(iso, ok, err) && ok;
    pdb_isoburn_drain(&ctl->log);
    /* The disc is read back before it leaves the drive. */
    isoburn_drive_release(d, 0);
    burn_drive_info_free(info);
    return ok;
}

bool pdb_burn_eject(const char *address)
{
    struct burn_drive_info *info = NULL;
    char adr[BURN_DRIVE_ADR_LEN];
    snprintf(adr, sizeof(adr), "%s", address);
    if (!pdb_isoburn_start_burn(NULL) ||
        isoburn_drive_scan_and_grab(&info, adr, 0) <= 0)
        return false;
    isoburn_drive_release(info[0].drive, 1);
    burn_drive_info_free(info);
    return true;
}

/* ---- pdiburn drives ----------------------------------------------------- */

static void describe(struct burn_drive_info *di, struct pdiburn_drive *out)
{
    struct burn_drive *d = di->drive;
    int profile = 0;
    char name[80] = "";
    burn_drive_get_adr(di, out->address);
    snprintf(out->model, sizeof(out->model), "%s %s", di->vendor, di->product);
    enum burn_disc_status st = isoburn_disc_get_status(d);
    snprintf(out->status, sizeof(out->status), "%s", status_name(st));
    if (burn_disc_get_profile(d, &profile, name) > 0)
        snprintf(out->medium, sizeof(out->medium), "%s", name);
    struct burn_write_opts *o = burn_write_opts_new(d);
    off_t room = o && st == BURN_DISC_BLANK ? isoburn_disc_available_space(d, o)
                                            : 0;
    if (o)
        burn_write_opts_free(o);
    out->free_bytes = room > 0 ? (uint64_t) room : 0;
}

bool pdiburn_drives_list(struct pdiburn_drive **drives, size_t *count,
                         struct pdiburn_error **err)
{
    struct burn_drive_info *info = NULL;
    unsigned int n = 0;
    *drives = NULL;
    *count = 0;
    if (!pdb_isoburn_start_burn(err))
        return false;
    while (!burn_drive_scan(&info, &n))
        pause_a_little();
    *drives = calloc(n ? n : 1, sizeof(**drives));
    if (!*drives) {
        burn_drive_info_free(info);
        return pdb_fail_nomem(err);
    }
    for (unsigned int i = 0; i < n; i++) {
        if (burn_drive_grab(info[i].drive, 1) <= 0)
            continue;
        describe(&info[i], &(*drives)[(*count)++]);
        burn_drive_release(info[i].drive, 0);
    }
    burn_drive_info_free(info);
    return true;
}

bool pdb_burn_capacity(const char *address, uint64_t *bytes,
                       struct pdiburn_error **err)
{
    struct burn_drive_info *info = NULL;
    if (!pdb_isoburn_start_burn(err) || !grab(address, &info, err))
        return false;
    struct burn_drive *d = info[0].drive;
    bool ok = check_medium(d, 0, err);
    struct burn_write_opts *o = ok ? burn_write_opts_new(d) : NULL;
    off_t room = o ? isoburn_disc_available_space(d, o) : 0;
    if (o) /* libburn's free functions do not take NULL */
        burn_write_opts_free(o);
    isoburn_drive_release(d, 0);
    burn_drive_info_free(info);
    *bytes = room > 0 ? (uint64_t) room : 0;
    return ok;
}

bool pdb_burn_default_drive(char *address, size_t len,
                            struct pdiburn_error **err)
{
    struct pdiburn_drive *drives = NULL;
    size_t n = 0;
    if (!pdiburn_drives_list(&drives, &n, err))
        return false;
    bool found = n > 0;
    if (found)
        snprintf(address, len, "%s", drives[0].address);
    free(drives);
    return found || pdb_fail(err, PDIBURN_E_MEDIA,
                             "no optical drive found: connect one, or give "
                             "--drive");
}

/* A stdio pseudo-drive is the file it names; a real drive reads back
 * through its device node. */
bool pdb_burn_readback_path(const char *address, char *out, size_t len)
{
    if (strncmp(address, "stdio:", 6) == 0) {
        snprintf(out, len, "%s", address + 6);
        return true;
    }
    snprintf(out, len, "%s", address);
    return access(out, R_OK) == 0;
}
