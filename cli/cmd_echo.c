/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn echo: C-ECHO (PS3.7 9.1.5) to a PACS, saying what failed when
 * it does: name resolution, connection, association, timeout. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "pacs_options.h"
#include "pdiburn/json.h"

static void usage(void)
{
    printf("usage: pdiburn echo [OPTIONS] NODE\n\n"
           "Checks that the PACS NODE (AET@HOST:PORT) answers a C-ECHO.\n"
           "  --aet AET              our AE title (default PDIBURN)\n"
           "  --connect-timeout S    seconds to connect (default 30)\n"
           "  --acse-timeout S       seconds for the association (default "
           "30)\n"
           "  --dimse-timeout S      seconds for the answer (default 30)\n"
           "NODE defaults to $PDIBURN_PACS.  See 'man pdiburn-echo'.\n");
}

static void report(const struct global_opts *g, const char *node,
                   const struct pdiburn_error *err, int status, double ms)
{
    if (!g->json) {
        if (err)
            cli_say(stderr, "pdiburn echo: error: %s\n",
                    pdiburn_error_message(err));
        else if (!g->quiet)
            cli_say(stdout, "%s: C-ECHO answered in %.0f ms\n", node, ms);
        return;
    }
    struct pdb_json j;
    pdb_json_begin(&j, stdout);
    pdb_json_str(&j, "command", "echo");
    pdb_json_bool(&j, "ok", err == NULL);
    pdb_json_uint(&j, "exit_status", (uint64_t) status);
    pdb_json_str(&j, "node", node);
    if (err) {
        pdb_json_str(&j, "error", pdiburn_code_name(pdiburn_error_code(err)));
        pdb_json_str(&j, "message", pdiburn_error_message(err));
    } else {
        pdb_json_uint(&j, "ms", (uint64_t) ms);
    }
    pdb_json_end(&j);
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct cli_pacs *p)
{
    static const struct option options[] = {
        { "aet", required_argument, NULL, OPT_AET },
        { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
        { "acse-timeout", required_argument, NULL, OPT_ACSE_TIMEOUT },
        { "dimse-timeout", required_argument, NULL, OPT_DIMSE_TIMEOUT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            usage();
            return EXIT_OK;
        }
        if (c == '?' || !cli_pacs_option(p, c, optarg, "echo"))
            return EXIT_USAGE;
    }
    p->node = optind < argc ? argv[optind] : getenv("PDIBURN_PACS");
    if (argc - optind > 1 || !p->node || !*p->node) {
        cli_usage_error("echo", argc - optind > 1 ? "give one node"
                                                  : "no node given");
        return EXIT_USAGE;
    }
    return -1;
}

static int echo(const struct pdiburn_pacs_node *node, const struct cli_pacs *p,
                const struct global_opts *g)
{
    struct timespec t0, t1;
    struct pdiburn_error *err = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pdiburn_pacs_echo(node, &p->settings, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double) (t1.tv_sec - t0.tv_sec) * 1e3 +
                (double) (t1.tv_nsec - t0.tv_nsec) / 1e6;
    int status = err ? cli_exit_status(pdiburn_error_code(err)) : EXIT_OK;
    report(g, node->name, err, status, ms);
    pdiburn_error_free(err);
    return status;
}

int cmd_echo(int argc, char **argv, const struct global_opts *g)
{
    struct cli_pacs p = { 0 };
    struct pdiburn_pacs_node node;
    int status = parse(argc, argv, &p);
    if (status >= 0)
        return status;
    /* The configuration outlives the echo: a named node's settings point
     * into it. */
    struct site_config cfg = { 0 };
    status = EXIT_USAGE;
    if (cli_config_load_all(g->config, "echo", &cfg) &&
        cli_pacs_node(&p, &cfg, &node, "echo"))
        status = echo(&node, &p, g);
    cli_config_free(&cfg);
    return status;
}
