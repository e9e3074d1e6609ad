/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text for the terminal.  Messages carry file names and DICOM values,
 * which may hold anything: a newline would forge a line ("error: ..."),
 * an escape sequence would drive the terminal.  Control characters, C1
 * controls, bidirectional overrides and bytes that are not UTF-8 are
 * written as \n, \x1b, \u202e; valid UTF-8 stays as it is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdiburn/utf8.h"

/* Code points that move or hide text on a terminal: C1 controls, and
 * the bidirectional embeddings, overrides and isolates. */
static bool hidden(uint32_t c)
{
    return (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

static void put_one(FILE *out, const char *p, int n, uint32_t c)
{
    if (n == 0)
        fprintf(out, "\\x%02x", (unsigned char) *p);
    else if (c == '\n')
        fputs("\\n", out);
    else if (c == '\r')
        fputs("\\r", out);
    else if (c == '\t')
        fputs("\\t", out);
    else if (c < 0x20 || c == 0x7F)
        fprintf(out, "\\x%02x", (unsigned) c);
    else if (hidden(c))
        fprintf(out, "\\u%04x", (unsigned) c);
    else
        fwrite(p, 1, (size_t) n, out);
}

void cli_put_escaped(FILE *out, const char *s)
{
    for (const char *p = s; *p;) {
        uint32_t c = 0;
        int n = pdb_utf8_next(p, &c);
        put_one(out, p, n, c);
        p += n > 0 ? n : 1;
    }
}

char *cli_escaped(const char *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    cli_put_escaped(f, s);
    fclose(f);
    return text;
}

void cli_say(FILE *out, const char *fmt, ...)
{
    va_list ap;
    char *text = NULL;
    va_start(ap, fmt);
    int len = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    /* The line's own end stays a line end. */
    bool line = len > 0 && text[len - 1] == '\n';
    if (line)
        text[len - 1] = 0;
    cli_put_escaped(out, text);
    if (line)
        fputc('\n', out);
    free(text);
}
