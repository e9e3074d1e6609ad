/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What verify reports: each problem or note with a stable code (listed in
 * pdiburn-verify(1)), the file it is about and a message naming the rule.
 * Problems are logged as errors and counted, notes as warnings; both are
 * kept for the caller (the --json result), the first thousand of them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

#define LOGGED_MAX 100
#define KEPT_MAX   1000

void pdb_findings_clear(struct pdb_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free((char *) f->items[i].code);
        free((char *) f->items[i].file);
        free((char *) f->items[i].message);
    }
    free(f->items);
    f->items = NULL;
    f->n = 0;
}

static void keep(struct pdb_findings *found, const char *code, const char *file,
                 const char *msg, bool problem)
{
    if (!found || found->n >= KEPT_MAX ||
        !pdb_grow(&found->items, found->n, sizeof(*found->items)))
        return;
    struct pdiburn_finding *f = &found->items[found->n];
    f->code = strdup(code);
    f->file = strdup(file);
    f->message = strdup(msg);
    f->problem = problem;
    if (f->code && f->file && f->message) {
        found->n++;
        return;
    }
    free((char *) f->code);
    free((char *) f->file);
    free((char *) f->message);
}

static void report(struct vstate *v, bool problem, const char *code,
                   const char *file, const char *fmt, va_list ap)
{
    uint64_t seen = problem ? v->sum->problems++ : v->notes++;
    char *text = pdb_vformat(fmt, ap);
    char *msg = text && *file ? pdb_format("%s: %s", file, text) : NULL;
    const char *say = msg ? msg : text ? text : "out of memory";
    if (seen < LOGGED_MAX)
        pdb_log(v->log, problem ? PDIBURN_LOG_ERROR : PDIBURN_LOG_WARNING,
                "%s [%s]", say, code);
    keep(v->findings, code, file, say, problem);
    free(msg);
    free(text);
}

void pdb_verify_problem(struct vstate *v, const char *code, const char *file,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, true, code, file, fmt, ap);
    va_end(ap);
}

void pdb_verify_note(struct vstate *v, const char *code, const char *file,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(v, false, code, file, fmt, ap);
    va_end(ap);
}
