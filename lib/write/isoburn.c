/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libisofs, libburn and libisoburn started once per process.  They print
 * their messages to stderr unless told otherwise, and a library must not;
 * so what is worth a note (progress ticks are not) is queued and drained
 * into the job's log (failures as warnings, the rest for --verbose)
 * instead of being lost.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libisofs/libisofs.h>
#include <libburn/libburn.h>
#include <libisoburn/libisoburn.h>

#include "isoburn.h"

static pthread_once_t iso_once = PTHREAD_ONCE_INIT;
static int iso_result;
static pthread_once_t burn_once = PTHREAD_ONCE_INIT;
static int burn_result;
static char burn_message[1024];

static void start_iso(void)
{
    iso_result = iso_init();
    iso_set_msgs_severities("NOTE", "NEVER", "pdiburn");
}

/* isoburn_initialize() starts libisofs and libburn too.  No signal
 * handler is installed behind the application's back. */
static void start_burn(void)
{
    burn_result = isoburn_initialize(burn_message, 0);
    burn_msgs_set_severities("NOTE", "NEVER", "pdiburn");
    iso_set_msgs_severities("NOTE", "NEVER", "pdiburn");
}

bool pdb_isoburn_start_iso(struct pdiburn_error **err)
{
    pthread_once(&iso_once, start_iso);
    return iso_result >= 0 ||
           pdb_fail(err, PDIBURN_E_MEDIA, "starting libisofs: %s",
                    iso_error_to_msg(iso_result));
}

bool pdb_isoburn_start_burn(struct pdiburn_error **err)
{
    pthread_once(&burn_once, start_burn);
    return burn_result > 0 ||
           pdb_fail(err, PDIBURN_E_MEDIA, "starting libburn: %s", burn_message);
}

/* FAILURE and worse are what the libraries count as errors. */
static bool is_failure(const char *severity)
{
    static const char *const worse[] = { "FAILURE", "FATAL", "ABORT" };
    for (size_t i = 0; i < sizeof(worse) / sizeof(worse[0]); i++)
        if (strcmp(severity, worse[i]) == 0)
            return true;
    return false;
}

static void log_message(struct pdb_log *log, const char *lib,
                        const char *severity, const char *msg)
{
    pdb_log(log, is_failure(severity) ? PDIBURN_LOG_WARNING : PDIBURN_LOG_DEBUG,
            "%s: %s: %s", lib, severity, msg);
}

void pdb_isoburn_drain(struct pdb_log *log)
{
    char msg[4096], severity[80];
    int code = 0, imgid = 0, os_errno = 0;
    while (iso_obtain_msgs("ALL", &code, &imgid, msg, severity) > 0)
        log_message(log, "libisofs", severity, msg);
    if (burn_result <= 0)
        return; /* libburn was never started */
    while (burn_msgs_obtain("ALL", &code, msg, &os_errno, severity) > 0)
        log_message(log, "libburn", severity, msg);
}

void pdb_isoburn_last_failure(char *out, size_t len)
{
    int code = 0, os_errno = 0;
    char msg[BURN_MSGS_MESSAGE_LEN], severity[80];
    snprintf(out, len, "the drive reported an error");
    while (burn_msgs_obtain("FAILURE", &code, msg, &os_errno, severity) > 0)
        snprintf(out, len, "%s", msg);
}
