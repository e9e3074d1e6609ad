/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn verify: check existing media, an image file or a folder, made by
 * us or anyone else; exit 6 when anything differs. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

static int parse(int argc, char **argv, const char **media)
{
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: pdiburn verify MEDIA\n\n"
                   "MEDIA is an ISO image, a ZIP file or a folder (a mounted "
                   "disc or stick).\nSee 'man pdiburn-verify'.\n");
            return EXIT_OK;
        }
        return EXIT_USAGE;
    }
    if (argc - optind != 1) {
        cli_usage_error("verify", "give exactly one media to check");
        return EXIT_USAGE;
    }
    *media = argv[optind];
    return -1;
}

int cmd_verify(int argc, char **argv, const struct global_opts *g)
{
    const char *media = NULL;
    int status = parse(argc, argv, &media);
    if (status >= 0)
        return status;
    struct pdiburn_error *err = NULL;
    struct pdiburn_job *job = pdiburn_job_new(&err);
    struct session *s = cli_session_new("verify", g);
    if (job) {
        cli_session_attach(s, job);
        pdiburn_job_verify(job, media, &err);
    }
    status = cli_session_finish(s, job, err);
    pdiburn_job_free(job);
    return status;
}
