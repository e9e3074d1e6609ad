/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one mapping from library error codes to exit statuses, and usage
 * errors in the tool's voice.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_exit_status(enum pdiburn_code code)
{
    switch (code) {
    case PDIBURN_OK: return EXIT_OK;
    case PDIBURN_E_USAGE: return EXIT_USAGE;
    case PDIBURN_E_IO:
    case PDIBURN_E_DICOM:
    case PDIBURN_E_NOMATCH: return EXIT_INPUT;
    case PDIBURN_E_PACS: return EXIT_PACS;
    case PDIBURN_E_MEDIA:
    case PDIBURN_E_CAPACITY: return EXIT_OUTPUT;
    case PDIBURN_E_VERIFY: return EXIT_VERIFY;
    case PDIBURN_E_CANCELLED: return EXIT_CANCELLED;
    case PDIBURN_E_NOMEM:
    case PDIBURN_E_INTERNAL: return EXIT_FAILURE_GENERIC;
    }
    return EXIT_FAILURE_GENERIC; /* no default: -Wswitch-enum sees new codes */
}

void cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    /* The message may quote what was typed: escaped like the rest. */
    cli_say(stderr, "pdiburn%s%s: %s\n", command ? " " : "",
            command ? command : "", msg ? msg : fmt);
    fprintf(stderr, "Try 'pdiburn %s%s--help'.\n", command ? command : "",
            command ? " " : "");
    free(msg);
}
