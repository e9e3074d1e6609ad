/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON writer (RFC 8259) with nested objects and arrays.  Strings
 * are escaped; bytes that are not strictly valid UTF-8 (utf8.c: a Latin-1
 * file name, an overlong form) are written as the Latin-1 character they
 * would be, so the output always decodes and parses.  '<', U+2028 and
 * U+2029 are escaped too: the output may sit inside a <script> on the
 * media, read by browsers older than ECMAScript 2019.
 */
#include <stdlib.h>

#include "pdiburn/json.h"
#include "pdiburn/utf8.h"

static void comma(struct pdb_json *j)
{
    if (j->depth < 0)
        return;
    if (!j->first[j->depth])
        fputc(',', j->out);
    j->first[j->depth] = false;
}

static void string(struct pdb_json *j, const char *s)
{
    fputc('"', j->out);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        uint32_t cp = 0;
        int n = pdb_utf8_next((const char *) p, &cp);
        if (*p == '"' || *p == '\\')
            fprintf(j->out, "\\%c", *p);
        else if (n == 0)
            fprintf(j->out, "\\u%04x", *p);
        else if (cp < 0x20 || cp == '<' || cp == 0x2028 || cp == 0x2029)
            fprintf(j->out, "\\u%04x", (unsigned) cp);
        else
            fwrite(p, 1, (size_t) n, j->out);
        p += n > 1 ? n - 1 : 0;
    }
    fputc('"', j->out);
}

static void key(struct pdb_json *j, const char *k)
{
    comma(j);
    if (k) {
        string(j, k);
        fputc(':', j->out);
    }
}

/* Deeper nesting than the stack holds is a bug of the caller; the output
 * then stays flat rather than unbalanced. */
static void open_container(struct pdb_json *j, const char *k, char c)
{
    key(j, k);
    if (j->depth + 1 >= PDB_JSON_DEPTH)
        return;
    fputc(c, j->out);
    j->depth++;
    j->first[j->depth] = true;
    j->closer[j->depth] = c == '{' ? '}' : ']';
}

void pdb_json_begin(struct pdb_json *j, FILE *out)
{
    j->out = out;
    j->depth = -1;
    open_container(j, NULL, '{');
}

void pdb_json_close(struct pdb_json *j)
{
    if (j->depth < 0)
        return;
    fputc(j->closer[j->depth], j->out);
    j->depth--;
}

void pdb_json_end(struct pdb_json *j)
{
    while (j->depth >= 0)
        pdb_json_close(j);
    fputc('\n', j->out);
    fflush(j->out);
}

void pdb_json_str(struct pdb_json *j, const char *k, const char *value)
{
    key(j, k);
    if (value)
        string(j, value);
    else
        fputs("null", j->out);
}

void pdb_json_uint(struct pdb_json *j, const char *k, uint64_t value)
{
    key(j, k);
    fprintf(j->out, "%llu", (unsigned long long) value);
}

void pdb_json_int(struct pdb_json *j, const char *k, long long value)
{
    key(j, k);
    fprintf(j->out, "%lld", value);
}

/* The shortest form that reads back as the same double: 0.7, not
 * 0.69999999999999996. */
void pdb_json_num(struct pdb_json *j, const char *k, double value)
{
    key(j, k);
    if (value != value || value - value != 0) { /* NaN, infinity */
        fputs("null", j->out);
        return;
    }
    char text[32];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof(text), "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    fputs(text, j->out);
}

void pdb_json_bool(struct pdb_json *j, const char *k, bool value)
{
    key(j, k);
    fputs(value ? "true" : "false", j->out);
}

void pdb_json_null(struct pdb_json *j, const char *k)
{
    key(j, k);
    fputs("null", j->out);
}

void pdb_json_object(struct pdb_json *j, const char *k)
{
    open_container(j, k, '{');
}

void pdb_json_array(struct pdb_json *j, const char *k)
{
    open_container(j, k, '[');
}
