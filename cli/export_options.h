/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* export_options.h - the options of the commands that make media, and
 * which command each applies to (export_options.c). */
#ifndef EXPORT_OPTIONS_H
#define EXPORT_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "cli.h"
#include "pacs_options.h"

/* The commands, as bits of an option's `commands`. */
enum {
    CMD_ISO = 1u << 0,
    CMD_DIR = 1u << 1,
    CMD_ZIP = 1u << 2,
    CMD_USB = 1u << 3,
    CMD_BURN = 1u << 4,
};

enum {
    OPT_FROM = 256, OPT_STUDY, OPT_ACCESSION, OPT_PATIENT_ID, OPT_SINCE,
    OPT_UNTIL, OPT_MODALITY, OPT_VOLUME_ID, OPT_INSTITUTION, OPT_CONTACT,
    OPT_SKIP_UNSUPPORTED, OPT_NO_VERIFY, OPT_SPOOL, OPT_VIEWER, OPT_REPORT,
    OPT_NO_WEB, OPT_ENCRYPT, OPT_PASSPHRASE_FILE, OPT_MEDIA, OPT_MAX_SIZE,
    OPT_DRY_RUN, OPT_REPLACE, OPT_PROFILE, OPT_DRIVE, OPT_SPEED,
    OPT_NO_EJECT, OPT_LABEL, OPT_COPY_TYPE, OPT_PAPER, OPT_ROBOT,
    OPT_ROBOT_PATH, OPT_COPIES, OPT_ADDRESS, OPT_ARCHIVE, OPT_CATALOG,
    OPT_ISSUER, OPT_NAME, OPT_BIRTH_DATE, OPT_STRICT,
};

/* getopt_long's table: every option of every such command, and --help. */
const struct option *export_getopt_table(void);
/* True when option `id` means something to `command`; else says so. */
bool export_option_applies(int id, unsigned command);
const char *export_command_name(unsigned command);
/* "iso" -> CMD_ISO ...; 0 for anything else. */
unsigned export_command_bit(const char *name);

/* An option by its long name, for job files (batch_jobs.c). */
struct export_option_info {
    int id;
    bool takes_value;   /* else a switch */
    bool repeatable;    /* may be given more than once */
    unsigned commands;  /* CMD_* it applies to */
};
bool export_option_lookup(const char *name, struct export_option_info *out);
void export_usage(unsigned command);

#endif
