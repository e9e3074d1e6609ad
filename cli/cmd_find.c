/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn find: the studies that match a query, with their patients, from
 * a PACS (--pacs, find_pacs.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "find.h"

enum {
    OPT_PATIENT_ID = 256, OPT_NAME, OPT_BIRTH_DATE, OPT_ISSUER,
    OPT_ACCESSION, OPT_SINCE, OPT_UNTIL, OPT_MODALITY, OPT_DESCRIPTION,
};

static void usage(void)
{
    printf("usage: pdiburn find --pacs NODE [FILTERS] [OPTIONS]\n\n"
           "Source:\n"
           "  --pacs NODE            a PACS: AET@HOST:PORT\n"
           "  --aet AET              our AE title (default PDIBURN)\n"
           "  --connect-timeout S, --acse-timeout S, --dimse-timeout S\n"
           "                         seconds (default 30 each)\n"
           "Filters (studies that match all of them):\n"
           "  --patient-id ID        Patient ID\n"
           "  --issuer ISSUER        Issuer of Patient ID\n"
           "  --name NAME            Patient's Name, * and ? as wildcards\n"
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

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct cli_pacs *p,
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
        else if (c == '?' || !cli_pacs_option(p, c, optarg, "find"))
            return EXIT_USAGE;
    }
    if (optind < argc) {
        cli_usage_error("find", "'%s' is not an option", argv[optind]);
        return EXIT_USAGE;
    }
    return -1;
}

int cmd_find(int argc, char **argv, const struct global_opts *g)
{
    struct cli_pacs p = { 0 };
    struct pdiburn_query q = { 0 };
    int status = parse(argc, argv, &p, &q);
    if (status >= 0)
        return status;
    if (!p.node)
        p.node = getenv("PDIBURN_PACS");
    if (!p.node || !*p.node) {
        cli_usage_error("find", "no source given: --pacs NODE");
        return EXIT_USAGE;
    }
    return cli_find_pacs(&p, &q, g);
}
