/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON writer (RFC 8259) with nested objects and arrays.  Strings
 * are escaped; bytes that are not strictly valid UTF-8 (utf8.c: a Latin-1
 * file name, an overlong form) are written as the Latin-1 character they
 * would be, so the output always decodes and parses.  '<', U+2028 and
 * U+2029 are escaped too: the output may sit inside a <script> on the
 * media, read by browsers older than ECMAScript 2019.
 */
#include <math.h>
#include <stdlib.h>

#include "pdiburn/json.h"
#include "pdiburn/utf8.h"

/* A writer owns its stream: whoever shares one serialises the writers.
 * So the stream's lock, which every stdio call takes, is skipped: tag
 * lists make millions of small writes. */
static void put(struct pdb_json *j, char c)
{
    fputc_unlocked(c, j->out);
}

static void put_text(struct pdb_json *j, const char *s, size_t n)
{
    fwrite_unlocked(s, 1, n, j->out);
}

static void put_str(struct pdb_json *j, const char *s)
{
    fputs_unlocked(s, j->out);
}

static void comma(struct pdb_json *j)
{
    if (j->depth < 0)
        return;
    if (!j->first[j->depth])
        put(j, ',');
    j->first[j->depth] = false;
}

/* How many bytes at p go out as they are: valid UTF-8 that neither JSON
 * nor a <script> needs escaped.  Writing them as one run, not a character
 * at a time, matters: STUDY.JS of a large study is mostly strings. */
static size_t plain_run(const unsigned char *p)
{
    size_t len = 0;
    for (;;) {
        unsigned char c = p[len];
        if (c < 0x80) { /* ASCII, most of it: decided without decoding */
            if (c < 0x20 || c == '"' || c == '\\' || c == '<')
                return len; /* also at the NUL */
            len++;
            continue;
        }
        uint32_t cp = 0;
        int n = pdb_utf8_next((const char *) p + len, &cp);
        if (n == 0 || cp == 0x2028 || cp == 0x2029)
            return len;
        len += (size_t) n;
    }
}

/* The escape of the character at p; how many bytes it took. */
static size_t escape_one(struct pdb_json *j, const unsigned char *p)
{
    char text[8];
    uint32_t cp = 0;
    int n = pdb_utf8_next((const char *) p, &cp);
    if (*p == '"' || *p == '\\')
        snprintf(text, sizeof(text), "\\%c", *p);
    else /* a control character, '<', U+2028/9, or a Latin-1 byte */
        snprintf(text, sizeof(text), "\\u%04x",
                 n == 0 ? *p : (unsigned) cp);
    put_str(j, text);
    return n > 0 ? (size_t) n : 1;
}

static void string(struct pdb_json *j, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    put(j, '"');
    for (;;) {
        size_t run = plain_run(p);
        put_text(j, (const char *) p, run);
        p += run;
        if (!*p)
            break;
        p += escape_one(j, p);
    }
    put(j, '"');
}

static void key(struct pdb_json *j, const char *k)
{
    comma(j);
    if (k) {
        string(j, k);
        put(j, ':');
    }
}

/* Deeper nesting than the stack holds is a bug of the caller; the output
 * then stays flat rather than unbalanced. */
static void open_container(struct pdb_json *j, const char *k, char c)
{
    key(j, k);
    if (j->depth + 1 >= PDB_JSON_DEPTH)
        return;
    put(j, c);
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

void pdb_json_begin_value(struct pdb_json *j, FILE *out)
{
    j->out = out;
    j->depth = -1;
}

void pdb_json_raw(struct pdb_json *j, const char *k, const char *json,
                  size_t len)
{
    key(j, k);
    put_text(j, json, len);
}

void pdb_json_close(struct pdb_json *j)
{
    if (j->depth < 0)
        return;
    put(j, j->closer[j->depth]);
    j->depth--;
}

void pdb_json_end(struct pdb_json *j)
{
    while (j->depth >= 0)
        pdb_json_close(j);
    put(j, '\n');
    fflush(j->out);
}

void pdb_json_str(struct pdb_json *j, const char *k, const char *value)
{
    key(j, k);
    if (value)
        string(j, value);
    else
        put_str(j, "null");
}

/* Decimal digits, as %llu writes them, without printf's parsing. */
static void put_digits(struct pdb_json *j, bool negative, uint64_t value)
{
    char text[24], *p = text + sizeof(text);
    *--p = 0;
    do {
        *--p = (char) ('0' + value % 10);
        value /= 10;
    } while (value);
    if (negative)
        *--p = '-';
    put_str(j, p);
}

void pdb_json_uint(struct pdb_json *j, const char *k, uint64_t value)
{
    key(j, k);
    put_digits(j, false, value);
}

void pdb_json_int(struct pdb_json *j, const char *k, long long value)
{
    key(j, k);
    uint64_t magnitude = value < 0 ? 0 - (uint64_t) value : (uint64_t) value;
    put_digits(j, value < 0, magnitude);
}

/* The shortest form that reads back as the same double: 0.7, not
 * 0.69999999999999996. */
void pdb_json_num(struct pdb_json *j, const char *k, double value)
{
    key(j, k);
    if (value != value || value - value != 0) { /* NaN, infinity */
        put_str(j, "null");
        return;
    }
    /* An integer whose last digit is not 0 is its own shortest form:
     * fewer digits cannot hold it, and %g writes all of them plainly.
     * Slopes, intercepts, orientations and windows mostly are. */
    double whole = value < 0 ? -value : value;
    if (whole < 1e15 && whole == (double) (uint64_t) whole &&
        ((uint64_t) whole % 10 != 0 || whole == 0)) {
        put_digits(j, signbit(value), (uint64_t) whole);
        return;
    }
    char text[32];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof(text), "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    put_str(j, text);
}

void pdb_json_bool(struct pdb_json *j, const char *k, bool value)
{
    key(j, k);
    put_str(j, value ? "true" : "false");
}

void pdb_json_null(struct pdb_json *j, const char *k)
{
    key(j, k);
    put_str(j, "null");
}

void pdb_json_object(struct pdb_json *j, const char *k)
{
    open_container(j, k, '{');
}

void pdb_json_array(struct pdb_json *j, const char *k)
{
    open_container(j, k, '[');
}
