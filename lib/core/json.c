/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON writer (RFC 8259) with nested objects and arrays.  Strings
 * are escaped; bytes that are not valid UTF-8 (a Latin-1 file name) are
 * written as the Latin-1 character they would be, so the output always
 * parses.  '<' is escaped too: the output may sit inside a
 * <script> on the media.
 */
#include <stdlib.h>

#include "pdiburn/json.h"

static void comma(struct pdb_json *j)
{
    if (j->depth < 0)
        return;
    if (!j->first[j->depth])
        fputc(',', j->out);
    j->first[j->depth] = false;
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] >= 0xF0 && s[0] < 0xF5   ? 4
            : s[0] >= 0xE0                ? 3
            : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                                          : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static void string(struct pdb_json *j, const char *s)
{
    fputc('"', j->out);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        int n = *p >= 0x80 ? utf8_len(p) : 1;
        if (*p == '"' || *p == '\\')
            fprintf(j->out, "\\%c", *p);
        else if (*p < 0x20 || n == 0 || *p == '<')
            fprintf(j->out, "\\u%04x", *p);
        else {
            fwrite(p, 1, (size_t) n, j->out);
            p += n - 1;
        }
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
