/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-job control block: the log callback (with the warning count and
 * the rule that patient data stays out of logs unless allowed), throttled
 * progress, and the cancel flag that a signal handler may set.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#include "core.h"

/* Lock-free atomics are the only objects a signal handler may touch. */
_Static_assert(ATOMIC_BOOL_LOCK_FREE == 2, "need lock-free atomic_bool");

void pdb_log(struct pdb_log *log, enum pdiburn_log_level level,
             const char *fmt, ...)
{
    if (level == PDIBURN_LOG_WARNING)
        log->warnings++;
    if (!log->fn)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = pdb_vformat(fmt, ap);
    va_end(ap);
    log->fn(level, msg ? msg : "(out of memory formatting a message)",
            log->user);
    free(msg);
}

const char *pdb_log_phi(const struct pdb_log *log, const char *value)
{
    return log->phi_allowed ? value : "(hidden; --verbose shows it)";
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

bool pdb_ctl_cancelled(struct pdb_ctl *ctl)
{
    return atomic_load(&ctl->cancelled);
}

bool pdb_ctl_report(struct pdb_ctl *ctl, enum pdiburn_stage stage,
                    uint64_t done, uint64_t total, const char *item,
                    struct pdiburn_error **err)
{
    struct pdiburn_progress p = { stage, done, total, item, 0 };
    return pdb_ctl_report_progress(ctl, &p, err);
}

bool pdb_ctl_report_progress(struct pdb_ctl *ctl,
                             const struct pdiburn_progress *p,
                             struct pdiburn_error **err)
{
    enum pdiburn_stage stage = p->stage;
    uint64_t done = p->done, total = p->total;
    if (!pdb_ctl_go_on(ctl, err))
        return false;
    if (!ctl->progress)
        return true;
    uint64_t now = now_ms();
    bool due = stage != ctl->last_stage || now - ctl->last_report_ms >= 100 ||
               (total && done == total);
    if (!due)
        return true;
    ctl->last_report_ms = now;
    ctl->last_stage = stage;
    if (!ctl->progress(p, ctl->progress_user)) {
        atomic_store(&ctl->cancelled, true);
        return pdb_fail(err, PDIBURN_E_CANCELLED, "cancelled");
    }
    return true;
}

bool pdb_ctl_go_on(struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    return !pdb_ctl_cancelled(ctl) ||
           pdb_fail(err, PDIBURN_E_CANCELLED, "cancelled");
}
