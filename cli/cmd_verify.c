/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn verify: check existing media, an image file or a folder, made by
 * us or anyone else; exit 6 when anything differs. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

struct verify_args {
    const char *media;
    const char *passphrase_file;
    const char *profile;
};

static int parse(int argc, char **argv, struct verify_args *a)
{
    static const struct option options[] = {
        { "passphrase-file", required_argument, NULL, 'p' },
        { "profile", required_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'p' || c == 'P') {
            *(c == 'p' ? &a->passphrase_file : &a->profile) = optarg;
            continue;
        }
        if (c == 'h') {
            printf("usage: pdiburn verify [--passphrase-file F] [--profile P] "
                   "MEDIA\n\n"
                   "MEDIA is an ISO image, a ZIP file or a folder (a mounted "
                   "disc or stick);\nF holds the passphrase of an encrypted "
                   "ZIP file; P is the application\nprofile the media "
                   "claims (e.g. STD-GEN-DVD-JPEG).\n"
                   "See 'man pdiburn-verify'.\n");
            return EXIT_OK;
        }
        return EXIT_USAGE;
    }
    if (argc - optind != 1) {
        cli_usage_error("verify", "give exactly one media to check");
        return EXIT_USAGE;
    }
    a->media = argv[optind];
    return -1;
}

static bool set_passphrase(struct pdiburn_job *job, const char *file,
                           struct pdiburn_error **err)
{
    return !file ||
           cli_job_passphrase(job, cli_passphrase_to_open(file, "verify"), err);
}

static bool set_profile(struct pdiburn_job *job, const char *profile)
{
    struct pdiburn_error *err = NULL;
    if (!profile ||
        pdiburn_job_set_option(job, PDIBURN_OPT_VERIFY_PROFILE, profile, &err))
        return true;
    cli_usage_error("verify", "%s", pdiburn_error_message(err));
    pdiburn_error_free(err);
    return false;
}

int cmd_verify(int argc, char **argv, const struct global_opts *g)
{
    struct verify_args a = { 0 };
    int status = parse(argc, argv, &a);
    if (status >= 0)
        return status;
    struct pdiburn_error *err = NULL;
    struct pdiburn_job *job = pdiburn_job_new(&err);
    if (job && ((!set_passphrase(job, a.passphrase_file, &err) && !err) ||
                !set_profile(job, a.profile))) {
        pdiburn_job_free(job);
        return EXIT_USAGE;
    }
    struct session *s = cli_session_new("verify", g);
    if (job && !err) {
        cli_session_attach(s, job);
        pdiburn_job_verify(job, a.media, &err);
    }
    status = cli_session_finish(s, job, err);
    pdiburn_job_free(job);
    return status;
}
