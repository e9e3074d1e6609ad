/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One export's audit trail (PS3.15 A.5.3.4): the local log opened before
 * the export starts, so that nothing is exported that could not be
 * recorded; the job's messages appended and fsync'd after it; then the
 * collector, whose failure is a warning since the spool keeps them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"

struct audit_trail {
    int fd;
    const struct site_config *cfg;
};

struct audit_trail *cli_audit_open(const struct site_config *cfg,
                                   const char *command)
{
    struct audit_trail *t = calloc(1, sizeof(*t));
    char *why = NULL;
    const char *log = cli_config_get(cfg, KEY_AUDIT_LOG);
    if (t && (t->fd = cli_audit_log_open(log, &why)) >= 0) {
        t->cfg = cfg;
        return t;
    }
    fprintf(stderr, "pdiburn %s: error: %s; nothing was exported, since "
                    "the export could not be recorded (audit_log in the "
                    "configuration)\n",
            command, why ? why : "out of memory");
    free(why);
    free(t);
    return NULL;
}

static void to_collector(const struct site_config *cfg,
                         const struct pdiburn_job *job, struct session *s)
{
    struct syslog_target t;
    char spool[4096], *why = NULL;
    if (!cli_syslog_target(cfg, &t, spool, sizeof(spool)))
        return;
    char *xml = NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < pdiburn_job_audit_count(job); i++) {
        ok = pdiburn_job_audit_message(job, i, &xml, NULL) &&
             cli_syslog_spool(&t, xml, pdiburn_job_audit_outcome(job, i),
                              &why);
        free(xml);
        xml = NULL;
    }
    size_t sent = 0, left = 0;
    if (ok && cli_syslog_flush(&t, &sent, &left, &why))
        return;
    cli_session_note(s, PDIBURN_LOG_WARNING,
                     "audit collector %s:%s (%s): %s; %zu message(s) wait "
                     "in %s for the next run",
                     t.host, t.port, t.transport, why ? why : "out of memory",
                     left, spool);
    free(why);
}

static bool append_one(struct audit_trail *t, const struct pdiburn_job *job,
                       size_t index, char **why)
{
    struct pdiburn_error *err = NULL;
    char *xml = NULL;
    bool ok = pdiburn_job_audit_message(job, index, &xml, &err);
    if (ok)
        ok = cli_audit_log_append(t->fd, xml, why);
    else
        *why = strdup(pdiburn_error_message(err));
    pdiburn_error_free(err);
    free(xml);
    return ok;
}

bool cli_audit_record(struct audit_trail *t, const struct pdiburn_job *job,
                      struct session *s)
{
    char *why = NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < pdiburn_job_audit_count(job); i++)
        ok = append_one(t, job, i, &why);
    if (!ok)
        cli_session_audit_failed(s, why ? why : "out of memory");
    free(why);
    to_collector(t->cfg, job, s);
    return ok;
}

void cli_audit_close(struct audit_trail *t)
{
    if (!t)
        return;
    close(t->fd);
    free(t);
}
