/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn index: build or bring up to date the catalog of the local
 * archive, so that find and exports need not read every header; with
 * --problems, list the files of the archive that are not usable. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "config.h"
#include "pdiburn/json.h"

struct index_args {
    const char *archive, *catalog;
    bool problems;
};

enum { OPT_CATALOG = 256, OPT_PROBLEMS };

static int usage(void)
{
    printf("usage: pdiburn index [--catalog FILE] [--problems] [ARCHIVE]\n\n"
           "Builds or refreshes the catalog of the archive folder ARCHIVE\n"
           "(default: the site configuration's archive, or $PDIBURN_ARCHIVE):\n"
           "only new, changed and deleted files are read.  The catalog is\n"
           "ARCHIVE/.pdiburn-catalog.sqlite unless --catalog FILE (or the\n"
           "configuration's catalog, or $PDIBURN_CATALOG) names another.\n"
           "  --catalog FILE  the catalog file\n"
           "  --problems      list the files that are not usable DICOM\n"
           "See 'man pdiburn-index'.\n");
    return EXIT_OK;
}

static int parse(int argc, char **argv, struct index_args *a)
{
    static const struct option options[] = {
        { "catalog", required_argument, NULL, OPT_CATALOG },
        { "problems", no_argument, NULL, OPT_PROBLEMS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == OPT_CATALOG)
            a->catalog = optarg;
        else if (c == OPT_PROBLEMS)
            a->problems = true;
        else
            return c == 'h' ? usage() : EXIT_USAGE;
    }
    if (argc - optind > 1) {
        cli_usage_error("index", "give one archive folder");
        return EXIT_USAGE;
    }
    a->archive = optind < argc ? argv[optind] : NULL;
    return -1;
}

/* What the command line leaves out, from the site configuration (and
 * PDIBURN_ARCHIVE, PDIBURN_CATALOG). */
static int site_defaults(struct index_args *a, const struct global_opts *g,
                         struct site_config *cfg)
{
    if (!cli_config_load_all(g->config, "index", cfg))
        return EXIT_USAGE;
    if (!a->archive)
        a->archive = cli_config_get(cfg, KEY_ARCHIVE);
    if (!a->catalog)
        a->catalog = cli_config_get(cfg, KEY_CATALOG);
    if ((!a->archive || !*a->archive) && !(a->problems && a->catalog)) {
        cli_usage_error("index", "no archive folder given (nor in the site "
                                 "configuration, nor PDIBURN_ARCHIVE)");
        return EXIT_USAGE;
    }
    return -1;
}

/* ---- index ---------------------------------------------------------------- */

struct index_result {
    const struct global_opts *g;
    const char *archive;
    struct pdiburn_index_summary sum;
};

static void index_result(struct pdb_json *j, const struct pdiburn_error *err,
                         void *user)
{
    const struct index_result *r = user;
    const struct pdiburn_index_summary *s = &r->sum;
    if (err || (!j && r->g->quiet))
        return;
    if (!j) {
        cli_say(stdout, "%s: %llu files: %llu added, %llu changed, %llu "
                        "removed; %llu instances in %llu studies",
                r->archive, (unsigned long long) s->files,
                (unsigned long long) s->added,
                (unsigned long long) s->changed,
                (unsigned long long) s->removed,
                (unsigned long long) s->instances,
                (unsigned long long) s->studies);
        if (s->not_dicom || s->broken)
            printf("; %llu not DICOM, %llu unusable ('pdiburn index "
                   "--problems' lists them)",
                   (unsigned long long) s->not_dicom,
                   (unsigned long long) s->broken);
        printf("\n");
        return;
    }
    const struct {
        const char *key;
        uint64_t value;
    } fields[] = { { "files", s->files },         { "added", s->added },
                   { "changed", s->changed },     { "removed", s->removed },
                   { "instances", s->instances }, { "studies", s->studies },
                   { "not_dicom", s->not_dicom }, { "broken", s->broken } };
    pdb_json_str(j, "archive", r->archive);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        pdb_json_uint(j, fields[i].key, fields[i].value);
}

static int run_index(const struct index_args *a, const struct global_opts *g)
{
    struct pdiburn_error *err = NULL;
    struct index_result r = { g, a->archive, { 0 } };
    struct session *s = cli_session_new("index", g);
    struct pdiburn_catalog *cat =
        pdiburn_catalog_open(a->archive, a->catalog, true, &err);
    if (cat && s) {
        cli_session_attach_catalog(s, cat);
        pdiburn_catalog_index(cat, &r.sum, &err);
    }
    int status = cli_session_end(s, err, index_result, &r);
    pdiburn_catalog_close(cat);
    return status;
}

/* ---- problems ------------------------------------------------------------- */

static void print_problem(const char *path, const char *reason, bool broken,
                          void *user)
{
    struct pdb_json *j = user;
    if (!j) {
        cli_say(stdout, "%s: %s\n", path, reason);
        return;
    }
    pdb_json_object(j, NULL);
    pdb_json_str(j, "path", path);
    pdb_json_str(j, "reason", reason);
    pdb_json_bool(j, "dicom", broken);
    pdb_json_close(j);
}

struct problems {
    struct pdiburn_catalog *cat;
    struct pdiburn_error *err;
};

static void problems_result(struct pdb_json *j,
                            const struct pdiburn_error *err, void *user)
{
    struct problems *p = user;
    if (err || !p->cat)
        return;
    if (j)
        pdb_json_array(j, "problems");
    pdiburn_catalog_problems(p->cat, print_problem, j, &p->err);
    if (j)
        pdb_json_close(j);
}

static int run_problems(const struct index_args *a,
                        const struct global_opts *g)
{
    struct pdiburn_error *err = NULL;
    struct problems p = { pdiburn_catalog_open(a->archive, a->catalog, false,
                                               &err),
                          NULL };
    int status = cli_session_end(cli_session_new("index", g), err,
                                 problems_result, &p);
    pdiburn_catalog_close(p.cat);
    if (p.err) { /* the listing broke off: say so, whatever was printed */
        cli_say(stderr, "pdiburn index: error: %s\n",
                pdiburn_error_message(p.err));
        status = cli_exit_status(pdiburn_error_code(p.err));
        pdiburn_error_free(p.err);
    }
    return status;
}

int cmd_index(int argc, char **argv, const struct global_opts *g)
{
    struct index_args a = { 0 };
    struct site_config cfg = { 0 };
    int status = parse(argc, argv, &a);
    if (status < 0)
        status = site_defaults(&a, g, &cfg);
    if (status < 0)
        status = a.problems ? run_problems(&a, g) : run_index(&a, g);
    cli_config_free(&cfg);
    return status;
}
