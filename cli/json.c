/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal JSON writer for --json (RFC 8259): one object, string,
 * number, boolean and string-array members.  Strings are escaped; bytes
 * that are not valid UTF-8 (a Latin-1 file name) are written as the
 * Latin-1 character they would be, so the output always parses.
 */
#include "json.h"

static void comma(struct json *j)
{
    if (!j->first)
        fputc(',', j->out);
    j->first = false;
}

/* Length of a valid UTF-8 sequence at s, or 0. */
static int utf8_len(const unsigned char *s)
{
    int n = s[0] >= 0xF0 && s[0] < 0xF5 ? 4
            : s[0] >= 0xE0              ? 3
            : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                                          : 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static void string(struct json *j, const char *s)
{
    fputc('"', j->out);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        int n = *p >= 0x80 ? utf8_len(p) : 1;
        if (*p == '"' || *p == '\\')
            fprintf(j->out, "\\%c", *p);
        else if (*p < 0x20 || n == 0)
            fprintf(j->out, "\\u%04x", *p);
        else {
            fwrite(p, 1, (size_t) n, j->out);
            p += n - 1;
        }
    }
    fputc('"', j->out);
}

static void key(struct json *j, const char *k)
{
    comma(j);
    string(j, k);
    fputc(':', j->out);
}

void json_begin(struct json *j, FILE *out)
{
    j->out = out;
    j->depth = 1;
    j->first = true;
    fputc('{', out);
}

void json_end(struct json *j)
{
    fputs("}\n", j->out);
    fflush(j->out);
}

void json_str(struct json *j, const char *k, const char *value)
{
    key(j, k);
    if (value)
        string(j, value);
    else
        fputs("null", j->out);
}

void json_uint(struct json *j, const char *k, uint64_t value)
{
    key(j, k);
    fprintf(j->out, "%llu", (unsigned long long) value);
}

void json_bool(struct json *j, const char *k, bool value)
{
    key(j, k);
    fputs(value ? "true" : "false", j->out);
}

void json_array_begin(struct json *j, const char *k)
{
    key(j, k);
    fputc('[', j->out);
    j->first = true;
}

void json_array_str(struct json *j, const char *value)
{
    comma(j);
    string(j, value);
}

void json_array_end(struct json *j)
{
    fputc(']', j->out);
    j->first = false;
}
