/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn: the command table, the global options, and dispatch to one
 * cmd_<name>.c per command.
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct command {
    const char *name;
    const char *summary; /* one line for `pdiburn --help` */
    cli_handler run;
};

static const struct command commands[] = {
    { "find", "list the studies that match, in the archive or on a PACS",
      cmd_find },
    { "index", "build or refresh the catalog of the local archive",
      cmd_index },
    { "iso", "write a CD image (ISO 9660, STD-GEN-CD) and verify it", cmd_iso },
    { "dir", "lay the media out in a folder and verify it", cmd_dir },
    { "zip", "write a ZIP file (STD-GEN-ZIP-MAIL), optionally encrypted",
      cmd_zip },
    { "usb", "copy onto a mounted USB stick and verify it", cmd_usb },
    { "burn", "burn onto discs in an optical drive and verify them",
      cmd_burn },
    { "drives", "list optical drives and the discs in them", cmd_drives },
    { "echo", "check that a PACS answers (C-ECHO)", cmd_echo },
    { "verify", "check media: an image or a folder, ours or not", cmd_verify },
    { "batch", "run many exports from a job file (CSV, JSON lines)",
      cmd_batch },
    { "audit", "list the exports the audit log records", cmd_audit },
    { "config", "show the site configuration and where each setting came "
                "from", cmd_config },
};

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: pdiburn [--json] [-q] [-v] [--progress=WHEN] "
            "[--config FILE] COMMAND [ARGS]\n\n"
            "Patient media from DICOM studies: DICOMDIR, CD images, checks.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'pdiburn COMMAND --help' and 'man pdiburn-COMMAND' say "
                 "more.\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

enum { OPT_JSON = 256, OPT_PROGRESS, OPT_CONFIG };

static bool parse_progress(const char *when, enum progress_mode *mode)
{
    static const char *const names[] = { "auto", "always", "never" };
    for (int i = 0; i < 3; i++)
        if (strcmp(when, names[i]) == 0) {
            *mode = (enum progress_mode) i;
            return true;
        }
    return false;
}

/* Returns -1 when parsing went fine, else the exit status. */
static int parse_globals(int argc, char **argv, struct global_opts *g)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, OPT_JSON },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "progress", required_argument, NULL, OPT_PROGRESS },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    /* '+': stop at the first non-option, the command name. */
    while ((c = getopt_long(argc, argv, "+qvhV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: g->json = true; break;
        case 'q': g->quiet = true; break;
        case 'v': g->verbose = true; break;
        case OPT_CONFIG: g->config = optarg; break;
        case OPT_PROGRESS:
            if (!parse_progress(optarg, &g->progress)) {
                cli_usage_error(NULL, "--progress takes auto, always or never");
                return EXIT_USAGE;
            }
            break;
        case 'h': print_help(stdout); return EXIT_OK;
        case 'V': printf("pdiburn %s\n", pdiburn_version()); return EXIT_OK;
        default: return EXIT_USAGE; /* getopt said why */
        }
    }
    return -1;
}

/* File names in media made elsewhere (a ZIP's entries) are converted to
 * UTF-8 by libarchive through the locale's character set: without one
 * ("C"), names that are not ASCII cannot be converted.  Only LC_CTYPE:
 * numbers in --json stay "0.7" whatever the user's locale. */
static void set_locale(void)
{
    const char *set = setlocale(LC_CTYPE, "");
    if (!set || strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
}

int main(int argc, char **argv)
{
    struct global_opts g = { 0 };
    set_locale();
    /* Past a file size limit (ulimit -f), write() then fails with EFBIG,
     * an output error (exit 5) that cleans up, instead of SIGXFSZ
     * killing the run and leaving partial files. */
    signal(SIGXFSZ, SIG_IGN);
    int status = parse_globals(argc, argv, &g);
    if (status >= 0)
        return status;
    if (optind >= argc) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    const struct command *cmd = find_command(argv[optind]);
    if (!cmd) {
        cli_usage_error(NULL, "unknown command '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    char **sub_argv = argv + optind;
    int sub_argc = argc - optind;
    optind = 0; /* glibc: fully re-initialise getopt for the command */
    return cmd->run(sub_argc, sub_argv, &g);
}
