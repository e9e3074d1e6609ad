/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn config: the effective site configuration, each setting with
 * where it came from (FILE:LINE, default, environment), as a file that
 * could be read back, as JSON, or one value for a script.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdiburn/json.h"

static void text_setting(const char *name, const struct setting *s)
{
    if (!s->value) {
        printf("# %s (not set)\n", name);
        return;
    }
    int width = printf("%s = %s", name, s->value);
    /* inih takes " ;" as the start of a comment, so this reads back. */
    printf("%*s; %s\n", width < 40 ? 40 - width : 1, "", s->origin);
}

static void print_text(const struct site_config *cfg)
{
    printf("# files read:");
    for (size_t i = 0; i < cfg->nfiles; i++)
        printf(" %s", cfg->files[i]);
    printf("%s\n", cfg->nfiles ? "" : " none");
    for (int k = 0; k < SITE_NKEYS; k++)
        text_setting(cli_config_key_name((enum site_key) k), &cfg->keys[k]);
    for (size_t i = 0; i < cfg->npacs; i++) {
        printf("\n[pacs %s]\n", cfg->pacs[i].name);
        for (int k = 0; k < PACS_NKEYS; k++)
            text_setting(cli_config_pacs_key_name((enum pacs_key) k),
                         &cfg->pacs[i].keys[k]);
    }
}

static void json_setting(struct pdb_json *j, const char *name,
                         const struct setting *s)
{
    pdb_json_object(j, name);
    if (s->value) {
        pdb_json_str(j, "value", s->value);
        pdb_json_str(j, "origin", s->origin);
    } else {
        pdb_json_null(j, "value");
        pdb_json_null(j, "origin");
    }
    pdb_json_close(j);
}

static void print_json(const struct site_config *cfg)
{
    struct pdb_json j;
    pdb_json_begin(&j, stdout);
    pdb_json_str(&j, "command", "config");
    pdb_json_bool(&j, "ok", true);
    pdb_json_uint(&j, "exit_status", EXIT_OK);
    pdb_json_array(&j, "files");
    for (size_t i = 0; i < cfg->nfiles; i++)
        pdb_json_str(&j, NULL, cfg->files[i]);
    pdb_json_close(&j);
    pdb_json_object(&j, "settings");
    for (int k = 0; k < SITE_NKEYS; k++)
        json_setting(&j, cli_config_key_name((enum site_key) k),
                     &cfg->keys[k]);
    pdb_json_close(&j);
    pdb_json_object(&j, "pacs");
    for (size_t i = 0; i < cfg->npacs; i++) {
        pdb_json_object(&j, cfg->pacs[i].name);
        for (int k = 0; k < PACS_NKEYS; k++)
            json_setting(&j, cli_config_pacs_key_name((enum pacs_key) k),
                         &cfg->pacs[i].keys[k]);
        pdb_json_close(&j);
    }
    pdb_json_end(&j);
}

/* `pdiburn config KEY`: the value alone, for scripts; 1 when not set. */
static int print_one(const struct site_config *cfg, const char *key)
{
    for (int k = 0; k < SITE_NKEYS; k++)
        if (strcmp(key, cli_config_key_name((enum site_key) k)) == 0) {
            const char *v = cfg->keys[k].value;
            if (v)
                printf("%s\n", v);
            return v ? EXIT_OK : EXIT_FAILURE_GENERIC;
        }
    cli_usage_error("config", "unknown key '%s'", key);
    return EXIT_USAGE;
}

static int usage(int status)
{
    printf("usage: pdiburn [--config FILE] [--json] config [KEY]\n\n"
           "Shows the effective site configuration and where each setting "
           "came from.\nSee 'man pdiburn-config'.\n");
    return status;
}

int cmd_config(int argc, char **argv, const struct global_opts *g)
{
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1)
        return c == 'h' ? usage(EXIT_OK) : EXIT_USAGE;
    if (argc - optind > 1) {
        cli_usage_error("config", "give at most one key");
        return EXIT_USAGE;
    }
    struct site_config cfg = { 0 };
    if (!cli_config_load_all(g->config, "config", &cfg)) {
        cli_config_free(&cfg);
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    if (optind < argc)
        status = print_one(&cfg, argv[optind]);
    else if (g->json)
        print_json(&cfg);
    else
        print_text(&cfg);
    cli_config_free(&cfg);
    return status;
}
