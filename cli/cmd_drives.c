/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn drives: the optical drives, and what disc each holds. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "pdiburn/json.h"

static void print_json(const struct pdiburn_drive *d, size_t n)
{
    struct pdb_json j;
    pdb_json_begin(&j, stdout);
    pdb_json_str(&j, "command", "drives");
    pdb_json_bool(&j, "ok", true);
    pdb_json_uint(&j, "exit_status", EXIT_OK);
    pdb_json_array(&j, "drives");
    for (size_t i = 0; i < n; i++) {
        pdb_json_object(&j, NULL);
        pdb_json_str(&j, "address", d[i].address);
        pdb_json_str(&j, "model", d[i].model);
        pdb_json_str(&j, "status", d[i].status);
        pdb_json_str(&j, "medium", d[i].medium);
        pdb_json_uint(&j, "free_bytes", d[i].free_bytes);
        pdb_json_close(&j);
    }
    pdb_json_close(&j);
    pdb_json_end(&j);
}

static void print_text(const struct pdiburn_drive *d, size_t n)
{
    if (n == 0)
        printf("no optical drive found\n");
    for (size_t i = 0; i < n; i++)
        cli_say(stdout, "%s  %s: %s%s%s, %.0f MB free\n", d[i].address,
                d[i].model, d[i].status, d[i].medium[0] ? ", " : "",
                d[i].medium, (double) d[i].free_bytes / 1e6);
}

int cmd_drives(int argc, char **argv, const struct global_opts *g)
{
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c != 'h')
            return EXIT_USAGE;
        printf("usage: pdiburn drives\n\nLists optical drives and the "
               "disc in each.  See 'man pdiburn-drives'.\n");
        return EXIT_OK;
    }
    struct pdiburn_drive *drives = NULL;
    size_t n = 0;
    struct pdiburn_error *err = NULL;
    if (!pdiburn_drives_list(&drives, &n, &err)) {
        cli_say(stderr, "pdiburn drives: error: %s\n",
                pdiburn_error_message(err));
        int status = cli_exit_status(pdiburn_error_code(err));
        pdiburn_error_free(err);
        return status;
    }
    if (g->json)
        print_json(drives, n);
    else
        print_text(drives, n);
    free(drives);
    return EXIT_OK;
}
