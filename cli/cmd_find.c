/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn find: the studies that match a query, with their patients, from
 * the catalog of the local archive (--archive, find_archive.c) or a PACS
 * (--pacs, find_pacs.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "find.h"

enum {
    OPT_PATIENT_ID = 256, OPT_NAME, OPT_BIRTH_DATE, OPT_ISSUER,
    OPT_ACCESSION, OPT_SINCE, OPT_UNTIL, OPT_MODALITY, OPT_DESCRIPTION,
    OPT_ARCHIVE, OPT_CATALOG,
};

struct find_source {
    struct cli_pacs pacs;
    const char *archive, *catalog;
};

static void usage(void)
{
    printf("usage: pdiburn find --archive DIR|--pacs NODE [FILTERS] "
           "[OPTIONS]\n\n"
           "Source:\n"
           "  --archive DIR          the local archive, through its catalog\n"
           "                         (default $PDIBURN_ARCHIVE)\n"
           "  --catalog FILE         its catalog (default $PDIBURN_CATALOG,\n"
           "                         or DIR/.pdiburn-catalog.sqlite)\n"
           "  --pacs NODE            a PACS: AET@HOST:PORT\n"
           "  --aet AET              our AE title (default PDIBURN)\n"
           "  --connect-timeout S, --acse-timeout S, --dimse-timeout S\n"
           "                         seconds (default 30 each)\n"
           "Filters (studies that match all of them):\n"
           "  --patient-id ID        Patient ID\n"
           "  --issuer ISSUER        Issuer of Patient ID\n"
           "  --name NAME            Patient's Name, * and ? as wildcards;\n"
           "                         the archive: any case, accents, charset\n"
           "  --birth-date DATE      Patient's Birth Date (YYYY-MM-DD)\n"
           "  --accession N          Accession Number\n"
           "  --since DATE, --until DATE   study date range\n"
           "  --modality M           studies with a series of modality M\n"
           "  --description TEXT     Study Description, wildcards allowed\n"
           "\nSee 'man pdiburn-find'.\n");
}

static const char **slot(struct pdiburn_query *q, int c)
{
    switch (c) {
    case OPT_PATIENT_ID: return &q->patient_id;
    case OPT_NAME: return &q->patient_name;
    case OPT_BIRTH_DATE: return &q->birth_date;
    case OPT_ISSUER: return &q->issuer;
    case OPT_ACCESSION: return &q->accession;
    case OPT_SINCE: return &q->since;
    case OPT_UNTIL: return &q->until;
    case OPT_MODALITY: return &q->modality;
    case OPT_DESCRIPTION: return &q->description;
    default: return NULL;
    }
}

static const struct option options[] = {
    { "archive", required_argument, NULL, OPT_ARCHIVE },
    { "catalog", required_argument, NULL, OPT_CATALOG },
    { "pacs", required_argument, NULL, OPT_PACS },
    { "aet", required_argument, NULL, OPT_AET },
    { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
    { "acse-timeout", required_argument, NULL, OPT_ACSE_TIMEOUT },
    { "dimse-timeout", required_argument, NULL, OPT_DIMSE_TIMEOUT },
    { "patient-id", required_argument, NULL, OPT_PATIENT_ID },
    { "name", required_argument, NULL, OPT_NAME },
    { "birth-date", required_argument, NULL, OPT_BIRTH_DATE },
    { "issuer", required_argument, NULL, OPT_ISSUER },
    { "accession", required_argument, NULL, OPT_ACCESSION },
    { "since", required_argument, NULL, OPT_SINCE },
    { "until", required_argument, NULL, OPT_UNTIL },
    { "modality", required_argument, NULL, OPT_MODALITY },
    { "description", required_argument, NULL, OPT_DESCRIPTION },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static bool take_source(struct find_source *src, int c)
{
    if (c == OPT_ARCHIVE)
        src->archive = optarg;
    else if (c == OPT_CATALOG)
        src->catalog = optarg;
    else
        return c != '?' && cli_pacs_option(&src->pacs, c, optarg, "find");
    return true;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct find_source *src,
                 struct pdiburn_query *q)
{
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        const char **value = slot(q, c);
        if (c == 'h') {
            usage();
            return EXIT_OK;
        }
        if (value)
            *value = optarg;
        else if (!take_source(src, c))
            return EXIT_USAGE;
    }
    if (optind < argc) {
        cli_usage_error("find", "'%s' is not an option", argv[optind]);
        return EXIT_USAGE;
    }
    return -1;
}

static bool given(const char *s)
{
    return s && *s;
}

/* The archive of the site configuration (or of PDIBURN_ARCHIVE,
 * PDIBURN_CATALOG) when the command line names no source. */
static int site_archive(struct find_source *src, const struct global_opts *g,
                        struct site_config *cfg, const struct pdiburn_query *q)
{
    if (!cli_config_load_all(g->config, "find", cfg))
        return EXIT_USAGE;
    src->archive = cli_config_get(cfg, KEY_ARCHIVE);
    src->catalog = cli_config_get(cfg, KEY_CATALOG);
    if (given(src->archive) || given(src->catalog))
        return cli_find_archive(src->archive, src->catalog, q, g);
    return -1;
}

/* --pacs, --archive or --catalog; else the site's archive, else the PACS
 * of PDIBURN_PACS. */
int cmd_find(int argc, char **argv, const struct global_opts *g)
{
    struct find_source src = { 0 };
    struct pdiburn_query q = { 0 };
    int status = parse(argc, argv, &src, &q);
    if (status >= 0)
        return status;
    bool archive = given(src.archive) || given(src.catalog);
    if (archive && src.pacs.node) {
        cli_usage_error("find", "give --archive or --pacs, not both");
        return EXIT_USAGE;
    }
    if (archive)
        return cli_find_archive(src.archive, src.catalog, &q, g);
    if (!src.pacs.node) {
        struct site_config cfg = { 0 };
        status = site_archive(&src, g, &cfg, &q);
        cli_config_free(&cfg);
        if (status >= 0)
            return status;
    }
    if (!src.pacs.node)
        src.pacs.node = getenv("PDIBURN_PACS");
    if (!given(src.pacs.node)) {
        cli_usage_error("find", "no source given: --archive DIR or --pacs "
                                "NODE");
        return EXIT_USAGE;
    }
    return cli_find_pacs(&src.pacs, &q, g);
}
