/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The job's audit trail through the public API: who the export is for,
 * and the Export messages (PS3.15 A.5.3.4) of its last run, built from
 * what run.c recorded plus where and by which process it ran.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "job.h"

bool pdiburn_job_set_requestor(struct pdiburn_job *job, const char *user_id,
                               const char *user_name,
                               struct pdiburn_error **err)
{
    if (!user_id || !*user_id)
        return pdb_fail(err, PDIBURN_E_USAGE, "empty requestor");
    char *id = strdup(user_id);
    char *name = user_name ? strdup(user_name) : NULL;
    if (!id || (user_name && !name)) {
        free(id);
        free(name);
        return pdb_fail_nomem(err);
    }
    free(job->requestor);
    free(job->requestor_name);
    job->requestor = id;
    job->requestor_name = name;
    return true;
}

size_t pdiburn_job_audit_count(const struct pdiburn_job *job)
{
    return job->audit.nmedia;
}

unsigned pdiburn_job_audit_outcome(const struct pdiburn_job *job,
                                   size_t index)
{
    return index < job->audit.nmedia ? job->audit.media[index].outcome : 0;
}

/* The login name of the effective user, which is what the system's own
 * logs (auth.log, sudo) name too; the uid when it has none. */
static void login_name(char *out, size_t len)
{
    struct passwd pw, *found = NULL;
    char buf[1024];
    uid_t uid = geteuid();
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found)
        snprintf(out, len, "%s", found->pw_name);
    else
        snprintf(out, len, "uid %lu", (unsigned long) uid);
}

bool pdiburn_job_audit_message(const struct pdiburn_job *job, size_t index,
                               char **xml, struct pdiburn_error **err)
{
    char login[256], host[256] = "localhost";
    login_name(login, sizeof(login));
    if (gethostname(host, sizeof(host)) != 0 || !host[0])
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = 0;
    struct pdb_audit_who who = {
        job->requestor ? job->requestor : login,
        job->requestor ? job->requestor_name : NULL,
        host,
        job->options[PDIBURN_OPT_INSTITUTION],
        (long) getpid(),
    };
    struct pdb_audit_target target = {
        job->target,
        job->options[PDIBURN_OPT_MEDIA],
        job->options[PDIBURN_OPT_PROFILE],
        job->options[PDIBURN_OPT_ROBOT] != NULL,
        job->options[PDIBURN_OPT_PASSPHRASE] != NULL,
    };
    return pdb_audit_message(&job->audit, index, &target, &who, xml, err);
}
