/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn audit: the exports the local audit log records (PS3.15
 * A.5.3.4 messages, one per line), when, by whom, of which patients, onto
 * what media and with what outcome; filtered by date or patient.  With
 * --send, also what the spool holds goes to the syslog collector.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "pdiburn/json.h"

struct listing {
    char since[11];         /* YYYY-MM-DD, "" for all */
    const char *patient_id; /* NULL for all */
    bool json;
    struct pdb_json j;
    size_t shown, unreadable;
};

static bool matches(const struct listing *l,
                    const struct pdiburn_audit_entry *e)
{
    if (l->since[0] && strncmp(e->when, l->since, 10) < 0)
        return false;
    for (size_t i = 0; l->patient_id && i < e->npatients; i++)
        if (strcmp(e->patients[i].id, l->patient_id) == 0)
            return true;
    return !l->patient_id;
}

static const char *outcome_word(unsigned outcome)
{
    return outcome == 0 ? "ok" : outcome == 4 ? "cancelled" : "failed";
}

static void show_json(struct listing *l, const struct pdiburn_audit_entry *e)
{
    struct pdb_json *j = &l->j;
    pdb_json_object(j, NULL);
    pdb_json_str(j, "when", e->when);
    pdb_json_str(j, "user", e->user);
    pdb_json_uint(j, "outcome", e->outcome);
    pdb_json_str(j, "result", outcome_word(e->outcome));
    pdb_json_str(j, "message", e->outcome_text);
    pdb_json_str(j, "media_type", e->media_type);
    pdb_json_str(j, "media", e->media);
    pdb_json_str(j, "fileset_uid", e->fileset_uid);
    pdb_json_uint(j, "studies", e->studies);
    pdb_json_uint(j, "instances", e->instances);
    pdb_json_array(j, "patients");
    for (size_t i = 0; i < e->npatients; i++) {
        pdb_json_object(j, NULL);
        pdb_json_str(j, "id", e->patients[i].id);
        pdb_json_str(j, "name", e->patients[i].name);
        pdb_json_close(j);
    }
    pdb_json_close(j);
    pdb_json_close(j);
}

static void show_text(const struct pdiburn_audit_entry *e)
{
    printf("%-25.25s %-12.12s %-9s %-18.18s %3llu %5llu  %s\n", e->when,
           e->user, outcome_word(e->outcome), e->media_type,
           (unsigned long long) e->studies,
           (unsigned long long) e->instances, e->media);
    for (size_t i = 0; i < e->npatients; i++)
        printf("%25s patient %s  %s\n", "", e->patients[i].id,
               e->patients[i].name);
}

static void on_line(const char *line, size_t len, void *user)
{
    struct listing *l = user;
    struct pdiburn_audit_entry e;
    if (!pdiburn_audit_entry_parse(line, len, &e, NULL)) {
        l->unreadable++;
        return;
    }
    if (matches(l, &e)) {
        l->shown++;
        if (l->json)
            show_json(l, &e);
        else
            show_text(&e);
    }
    pdiburn_audit_entry_clear(&e);
}

static int list(struct listing *l, const char *log)
{
    char *why = NULL;
    if (l->json) {
        pdb_json_begin(&l->j, stdout);
        pdb_json_str(&l->j, "command", "audit");
        pdb_json_str(&l->j, "log", log);
        pdb_json_array(&l->j, "exports");
    } else {
        printf("%-25s %-12s %-9s %-18s %3s %5s  %s\n", "WHEN", "USER",
               "OUTCOME", "MEDIA", "STU", "INST", "WRITTEN TO");
    }
    bool ok = cli_audit_log_each(log, on_line, l, &why);
    if (l->json) {
        pdb_json_close(&l->j);
        pdb_json_bool(&l->j, "ok", ok);
        pdb_json_uint(&l->j, "exit_status", ok ? EXIT_OK : EXIT_INPUT);
        pdb_json_uint(&l->j, "unreadable_lines", l->unreadable);
        pdb_json_end(&l->j);
    }
    if (!ok)
        fprintf(stderr, "pdiburn audit: error: %s\n", why ? why : "?");
    else if (l->unreadable)
        fprintf(stderr, "pdiburn audit: warning: %zu line(s) of '%s' are "
                        "not Export messages\n",
                l->unreadable, log);
    free(why);
    return ok ? EXIT_OK : EXIT_INPUT;
}

/* --send: the spool to the collector now (from cron, say), not only with
 * the next export. */
static int send_spool(const struct site_config *cfg, bool quiet)
{
    struct syslog_target t;
    char spool[4096], *why = NULL;
    size_t sent = 0, left = 0;
    if (!cli_syslog_target(cfg, &t, spool, sizeof(spool))) {
        fprintf(stderr, "pdiburn audit: error: no audit_syslog_host is "
                        "configured\n");
        return EXIT_USAGE;
    }
    bool ok = cli_syslog_flush(&t, &sent, &left, &why);
    if (!ok)
        fprintf(stderr, "pdiburn audit: error: %s:%s: %s; %zu message(s) "
                        "wait in %s\n",
                t.host, t.port, why ? why : "?", left, spool);
    else if (!quiet)
        fprintf(stderr, "pdiburn audit: %zu message(s) sent to %s:%s\n",
                sent, t.host, t.port);
    free(why);
    return ok ? EXIT_OK : EXIT_OUTPUT;
}

static bool parse_date(const char *arg, char out[11])
{
    unsigned y, m, d;
    char extra;
    if (sscanf(arg, "%4u-%2u-%2u%c", &y, &m, &d, &extra) != 3 &&
        sscanf(arg, "%4u%2u%2u%c", &y, &m, &d, &extra) != 3)
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    snprintf(out, 11, "%04u-%02u-%02u", y, m, d);
    return true;
}

enum { OPT_SINCE = 256, OPT_PATIENT_ID, OPT_SEND };

static int usage(void)
{
    printf("usage: pdiburn [--json] audit [--since DATE] [--patient-id ID] "
           "[--send]\n\nLists the exports in the local audit log.  See "
           "'man pdiburn-audit'.\n");
    return EXIT_OK;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct listing *l, bool *send)
{
    static const struct option options[] = {
        { "since", required_argument, NULL, OPT_SINCE },
        { "patient-id", required_argument, NULL, OPT_PATIENT_ID },
        { "send", no_argument, NULL, OPT_SEND },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h')
            return usage();
        if (c == OPT_SINCE && !parse_date(optarg, l->since)) {
            cli_usage_error("audit", "--since '%s': give YYYY-MM-DD", optarg);
            return EXIT_USAGE;
        }
        if (c == OPT_PATIENT_ID)
            l->patient_id = optarg;
        *send = *send || c == OPT_SEND;
        if (c == '?')
            return EXIT_USAGE;
    }
    if (optind < argc) {
        cli_usage_error("audit", "unexpected '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    return -1;
}

int cmd_audit(int argc, char **argv, const struct global_opts *g)
{
    struct listing l = { .json = g->json };
    bool send = false;
    int status = parse(argc, argv, &l, &send);
    if (status >= 0)
        return status;
    struct site_config cfg = { 0 };
    if (!cli_config_load_all(g->config, "audit", &cfg)) {
        cli_config_free(&cfg);
        return EXIT_USAGE;
    }
    status = send ? send_spool(&cfg, g->quiet) : EXIT_OK;
    if (status == EXIT_OK)
        status = list(&l, cli_config_get(&cfg, KEY_AUDIT_LOG));
    cli_config_free(&cfg);
    return status;
}
