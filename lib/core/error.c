/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The error object behind `struct pdiburn_error **err`: a coarse code and a
 * message that gains context as it travels up.  Running out of memory while
 * reporting must not lose the error, so that case yields a static object
 * pdiburn_error_free() knows not to free.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct pdiburn_error {
    enum pdiburn_code code;
    char *message;
};

static struct pdiburn_error oom_error = { PDIBURN_E_NOMEM,
                                          (char *) "out of memory" };

char *pdb_vformat(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t) n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t) n + 1, fmt, again);
    va_end(again);
    return s;
}

char *pdb_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pdb_vformat(fmt, ap);
    va_end(ap);
    return s;
}

bool pdb_fail(struct pdiburn_error **err, enum pdiburn_code code,
              const char *fmt, ...)
{
    if (!err)
        return false;
    assert(*err == NULL && "error set twice");

    struct pdiburn_error *e = malloc(sizeof(*e));
    va_list ap;
    va_start(ap, fmt);
    char *msg = e ? pdb_vformat(fmt, ap) : NULL;
    va_end(ap);
    if (!msg) {
        free(e);
        *err = &oom_error;
        return false;
    }
    e->code = code;
    e->message = msg;
    *err = e;
    return false;
}

bool pdb_fail_nomem(struct pdiburn_error **err)
{
    if (err)
        *err = &oom_error;
    return false;
}

void pdb_error_prefix(struct pdiburn_error **err, const char *fmt, ...)
{
    if (!err || !*err || *err == &oom_error)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *prefix = pdb_vformat(fmt, ap);
    va_end(ap);
    char *joined = prefix ? pdb_format("%s%s", prefix, (*err)->message) : NULL;
    free(prefix);
    if (joined) {
        free((*err)->message);
        (*err)->message = joined;
    }
}

enum pdiburn_code pdiburn_error_code(const struct pdiburn_error *err)
{
    return err ? err->code : PDIBURN_OK;
}

const char *pdiburn_error_message(const struct pdiburn_error *err)
{
    return err ? err->message : "";
}

void pdiburn_error_free(struct pdiburn_error *err)
{
    if (!err || err == &oom_error)
        return;
    free(err->message);
    free(err);
}

const char *pdiburn_code_name(enum pdiburn_code code)
{
    switch (code) {
    case PDIBURN_OK: return "OK";
    case PDIBURN_E_NOMEM: return "E_NOMEM";
    case PDIBURN_E_USAGE: return "E_USAGE";
    case PDIBURN_E_IO: return "E_IO";
    case PDIBURN_E_DICOM: return "E_DICOM";
    case PDIBURN_E_NOMATCH: return "E_NOMATCH";
    case PDIBURN_E_PACS: return "E_PACS";
    case PDIBURN_E_MEDIA: return "E_MEDIA";
    case PDIBURN_E_CAPACITY: return "E_CAPACITY";
    case PDIBURN_E_VERIFY: return "E_VERIFY";
    case PDIBURN_E_CANCELLED: return "E_CANCELLED";
    case PDIBURN_E_INTERNAL: return "E_INTERNAL";
    }
    return "E_INTERNAL";
}

const char *pdiburn_version(void)
{
    return PDIBURN_VERSION;
}
