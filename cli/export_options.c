/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options of the commands that make media (iso, dir, zip, usb, burn):
 * one table of name, help and the commands each means something to, from
 * which getopt's table, the usage text and the per-command check are made.
 * An option given to a command it does not apply to is a usage error.
 */
#include <stdio.h>
#include <string.h>

#include "export_options.h"

#define ALL (CMD_ISO | CMD_DIR | CMD_ZIP | CMD_USB | CMD_BURN)
#define ROBOT_CMDS (CMD_ISO | CMD_DIR)

struct export_option {
    const char *name;
    const char *arg; /* NULL: a switch */
    int id;
    unsigned commands;
    const char *help;
};

static const struct export_option table[] = {
    { "from", "DIR", OPT_FROM, ALL, "a folder of DICOM files (repeatable)" },
    { "pacs", "NODE", OPT_PACS, ALL, "a PACS: AET@HOST:PORT (C-FIND, C-GET)" },
    { "aet", "AET", OPT_AET, ALL, "our AE title for the PACS (PDIBURN)" },
    { "retrieve", "HOW", OPT_RETRIEVE, ALL, "get (default) or move" },
    { "move-port", "PORT", OPT_MOVE_PORT, ALL,
      "where we listen for a C-MOVE's instances" },
    { "connect-timeout", "S", OPT_CONNECT_TIMEOUT, ALL,
      "seconds to connect to the PACS (30)" },
    { "acse-timeout", "S", OPT_ACSE_TIMEOUT, ALL,
      "seconds for the association (30)" },
    { "dimse-timeout", "S", OPT_DIMSE_TIMEOUT, ALL,
      "seconds to wait for each message (30)" },
    { "archive", "DIR", OPT_ARCHIVE, ALL,
      "the archive, through its catalog (default $PDIBURN_ARCHIVE)" },
    { "catalog", "FILE", OPT_CATALOG, ALL,
      "the archive's catalog (default DIR/.pdiburn-catalog.sqlite)" },
    { "study", "UID", OPT_STUDY, ALL, "Study Instance UID (repeatable)" },
    { "accession", "N", OPT_ACCESSION, ALL, "Accession Number (repeatable)" },
    { "patient-id", "ID", OPT_PATIENT_ID, ALL, "Patient ID" },
    { "issuer", "ISSUER", OPT_ISSUER, ALL,
      "Issuer of Patient ID (patients sharing an ID)" },
    { "name", "PN", OPT_NAME, ALL,
      "Patient's Name ('DOE^JANE', * and ?, any case)" },
    { "birth-date", "DATE", OPT_BIRTH_DATE, ALL,
      "Patient's Birth Date (YYYY-MM-DD)" },
    { "since", "DATE", OPT_SINCE, ALL, "study date from (YYYY-MM-DD)" },
    { "until", "DATE", OPT_UNTIL, ALL, "study date until (YYYY-MM-DD)" },
    { "modality", "M", OPT_MODALITY, ALL,
      "studies with a series of modality M" },
    { "volume-id", "ID", OPT_VOLUME_ID, ALL,
      "File-set ID and volume label (A-Z 0-9 _)" },
    { "media", "M", OPT_MEDIA, ALL,
      "cd, dvd, dvd-dl, bd, usb-SIZE: split to fit (iso: cd)" },
    { "max-size", "BYTES", OPT_MAX_SIZE, ALL,
      "split into volumes of at most BYTES" },
    { "dry-run", NULL, OPT_DRY_RUN, ALL, "print the volumes, write nothing" },
    { "profile", "P", OPT_PROFILE, ALL,
      "STD-GEN-CD, STD-GEN-DVD-JPEG, STD-GEN-USB-JPEG" },
    { "replace", NULL, OPT_REPLACE, CMD_USB,
      "replace media already on the stick" },
    { "drive", "DEV", OPT_DRIVE, CMD_BURN, "the drive (/dev/sr0, stdio:FILE)" },
    { "speed", "S", OPT_SPEED, CMD_BURN | ROBOT_CMDS,
      "burning speed: 8x, max, or kB/s" },
    { "no-eject", NULL, OPT_NO_EJECT, CMD_BURN,
      "leave the disc in the drive" },
    { "label", "FILE.pdf", OPT_LABEL, ALL, "disc labels and cover letters" },
    { "copy-type", "T", OPT_COPY_TYPE, ALL,
      "patient, physician or legal (label)" },
    { "paper", "P", OPT_PAPER, ALL, "a4 or letter (label)" },
    { "robot", "KIND:FOLDER", OPT_ROBOT, ROBOT_CMDS,
      "a job for a disc robot (ptburn, epson)" },
    { "robot-path", "PATH", OPT_ROBOT_PATH, ROBOT_CMDS,
      "the robot computer's name for the output's folder" },
    { "copies", "N", OPT_COPIES, ROBOT_CMDS,
      "discs the robot makes of each volume" },
    { "institution", "TEXT", OPT_INSTITUTION, ALL,
      "institution named in README.TXT" },
    { "address", "TEXT", OPT_ADDRESS, ALL, "its postal address" },
    { "contact", "TEXT", OPT_CONTACT, ALL, "how to reach it" },
    { "skip-unsupported", NULL, OPT_SKIP_UNSUPPORTED, ALL,
      "leave out, and list, what cannot go on the media" },
    { "strict", NULL, OPT_STRICT, ALL,
      "stop on any unreadable DICOM file, even one tied to nothing" },
    { "viewer", "MODE", OPT_VIEWER, ALL,
      "auto, full (lossless), lite (8-bit previews), none" },
    { "report", "FILE", OPT_REPORT, ALL,
      "a report (PDF, text, HL7 CDA) to add (repeatable)" },
    { "no-web", NULL, OPT_NO_WEB, ALL,
      "DICOM only: no pages, viewer or reports" },
    { "no-verify", NULL, OPT_NO_VERIFY, ALL, "do not read the output back" },
    { "spool", "DIR", OPT_SPOOL, ALL,
      "where re-encoded files wait (private)" },
    { "encrypt", NULL, OPT_ENCRYPT, CMD_ZIP,
      "AES-256; passphrase asked on the terminal" },
    { "passphrase-file", "F", OPT_PASSPHRASE_FILE, CMD_ZIP,
      "encrypt with the passphrase in F" },
};

#define NOPTIONS (sizeof(table) / sizeof(table[0]))

static const struct option help_option = { "help", no_argument, NULL, 'h' };

const struct option *export_getopt_table(void)
{
    /* Every option, whatever the command, so that a misplaced one can be
     * named as such instead of getopt's "unrecognized option". */
    static struct option opts[NOPTIONS + 2];
    for (size_t i = 0; i < NOPTIONS; i++)
        opts[i] = (struct option) { table[i].name,
                                    table[i].arg ? required_argument
                                                 : no_argument,
                                    NULL, table[i].id };
    opts[NOPTIONS] = help_option;
    return opts;
}

static const struct export_option *find(int id)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (table[i].id == id)
            return &table[i];
    return NULL;
}

static void name_commands(unsigned commands, char *out, size_t len)
{
    static const char *const names[] = { "iso", "dir", "zip", "usb", "burn" };
    out[0] = '\0';
    for (unsigned i = 0; i < 5; i++)
        if (commands & (1u << i))
            snprintf(out + strlen(out), len - strlen(out), "%s%s",
                     out[0] ? ", " : "", names[i]);
}

bool export_option_applies(int id, unsigned command)
{
    const struct export_option *o = find(id);
    if (!o || (o->commands & command))
        return true;
    char which[40];
    name_commands(o->commands, which, sizeof(which));
    cli_usage_error(export_command_name(command),
                    "--%s is not an option of this command (only of %s)",
                    o->name, which);
    return false;
}

/* The options whose values add up rather than replace each other. */
static bool repeatable(int id)
{
    static const int ids[] = { OPT_FROM, OPT_STUDY, OPT_ACCESSION,
                               OPT_MODALITY, OPT_REPORT };
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
        if (ids[i] == id)
            return true;
    return false;
}

bool export_option_lookup(const char *name, struct export_option_info *out)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(table[i].name, name) == 0) {
            *out = (struct export_option_info){ table[i].id,
                                                table[i].arg != NULL,
                                                repeatable(table[i].id),
                                                table[i].commands };
            return true;
        }
    return false;
}

unsigned export_command_bit(const char *name)
{
    static const char *const names[] = { "iso", "dir", "zip", "usb", "burn" };
    for (unsigned i = 0; i < 5; i++)
        if (strcmp(name, names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *export_command_name(unsigned command)
{
    switch (command) {
    case CMD_ISO: return "iso";
    case CMD_DIR: return "dir";
    case CMD_ZIP: return "zip";
    case CMD_USB: return "usb";
    default: return "burn";
    }
}

static void print_option(const struct export_option *o)
{
    char left[40];
    snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
    printf("  %-21s%s\n", left, o->help);
}

void export_usage(unsigned command)
{
    const char *name = export_command_name(command);
    const char *operand = command == CMD_USB    ? " MOUNTPOINT"
                          : command == CMD_BURN ? ""
                                                : " OUTPUT";
    printf("usage: pdiburn %s --from DIR|--archive DIR|--pacs NODE [FILTERS] "
           "[OPTIONS]%s\n\n"
           "Source and filters (studies that match all of them):\n",
           name, operand);
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (table[i].id == OPT_VOLUME_ID)
            printf("Options:\n");
        if (table[i].commands & command)
            print_option(&table[i]);
    }
    printf("\nSee 'man pdiburn-%s'.\n", name);
}
