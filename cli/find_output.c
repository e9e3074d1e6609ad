/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What pdiburn find shows, whatever the source: the studies grouped by
 * patient in a table, or one JSON document; counts the source did not give
 * are "-" in the table and null in JSON.  Identity conflicts a clerk must
 * see before exporting are marked (PS3.3 C.7.1.1: a Patient ID is unique
 * only with its issuer; another birth date or sex is another person).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "pdiburn/json.h"

/* What fits a CD-R of 700 MB once the pages and viewer are added; an
 * estimate (compressed images grow when a CD needs them decompressed):
 * --dry-run plans exactly. */
#define CD_FITS 650000000ull

enum conflict { NONE, OTHER_NAME, OTHER_PERSON };

static int cmp_match(const void *pa, const void *pb)
{
    const struct pdiburn_match *a = pa, *b = pb;
    const char *fa[] = { a->patient_id, a->issuer, a->birth_date, a->sex,
                         a->patient_name, a->study_date, a->study_time,
                         a->study_uid };
    const char *fb[] = { b->patient_id, b->issuer, b->birth_date, b->sex,
                         b->patient_name, b->study_date, b->study_time,
                         b->study_uid };
    for (size_t i = 0; i < sizeof(fa) / sizeof(fa[0]); i++) {
        int c = strcmp(fa[i], fb[i]);
        if (c)
            return c;
    }
    return 0;
}

static bool same_person(const struct pdiburn_match *a,
                        const struct pdiburn_match *b)
{
    return strcmp(a->patient_id, b->patient_id) == 0 &&
           strcmp(a->issuer, b->issuer) == 0 &&
           strcmp(a->birth_date, b->birth_date) == 0 &&
           strcmp(a->sex, b->sex) == 0;
}

static bool same_patient(const struct pdiburn_match *a,
                         const struct pdiburn_match *b)
{
    return same_person(a, b) && strcmp(a->patient_name, b->patient_name) == 0;
}

/* Per match, how its patient conflicts with the others of its Patient ID,
 * and whether its study is filed under more than one patient. */
struct marks {
    enum conflict *conflict;
    bool *split;
    size_t *by_uid; /* match indexes sorted by Study Instance UID */
};

static void mark_ids(const struct pdiburn_match *m, size_t n, struct marks *k)
{
    for (size_t a = 0, b; a < n; a = b) {
        enum conflict c = NONE;
        for (b = a; b < n && strcmp(m[b].patient_id, m[a].patient_id) == 0;
             b++) {
            if (!same_person(&m[a], &m[b]))
                c = OTHER_PERSON;
            else if (c == NONE && !same_patient(&m[a], &m[b]))
                c = OTHER_NAME;
        }
        for (size_t i = a; i < b; i++)
            k->conflict[i] = c;
    }
}

static const struct pdiburn_match *sort_base;

static int cmp_uid(const void *pa, const void *pb)
{
    size_t a = *(const size_t *) pa, b = *(const size_t *) pb;
    int c = strcmp(sort_base[a].study_uid, sort_base[b].study_uid);
    return c ? c : (a > b) - (a < b);
}

static void mark_studies(const struct pdiburn_match *m, size_t n,
                         struct marks *k)
{
    for (size_t i = 0; i < n; i++)
        k->by_uid[i] = i;
    sort_base = m; /* qsort has no context argument */
    if (n > 1)
        qsort(k->by_uid, n, sizeof(size_t), cmp_uid);
    for (size_t a = 0, b; a < n; a = b) {
        const struct pdiburn_match *first = &m[k->by_uid[a]];
        bool split = false;
        for (b = a; b < n && strcmp(m[k->by_uid[b]].study_uid,
                                    first->study_uid) == 0;
             b++)
            split |= !same_patient(first, &m[k->by_uid[b]]);
        for (size_t i = a; i < b; i++)
            k->split[k->by_uid[i]] = split;
    }
}

/* Sorts the matches and marks them; false when out of memory. */
static bool analyse(struct pdiburn_match *m, size_t n, struct marks *k)
{
    if (n > 1) /* qsort(NULL, 0) is undefined */
        qsort(m, n, sizeof(*m), cmp_match);
    k->conflict = calloc(n + 1, sizeof(*k->conflict));
    k->split = calloc(n + 1, sizeof(*k->split));
    k->by_uid = calloc(n + 1, sizeof(*k->by_uid));
    if (!k->conflict || !k->split || !k->by_uid)
        return false;
    mark_ids(m, n, k);
    mark_studies(m, n, k);
    return true;
}

static void marks_free(struct marks *k)
{
    free(k->conflict);
    free(k->split);
    free(k->by_uid);
}

/* The first match of each split study, in UID order. */
static bool first_split(const struct pdiburn_match *m, const struct marks *k,
                        size_t i)
{
    size_t at = k->by_uid[i];
    return k->split[at] && (i == 0 || strcmp(m[k->by_uid[i - 1]].study_uid,
                                             m[at].study_uid) != 0);
}

/* ---- the table ------------------------------------------------------------ */

/* Columns of a terminal: East Asian wide characters take two. */
static size_t cols_of(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                   (cp >= 0xAC00 && cp <= 0xD7A3) ||
                   (cp >= 0xF900 && cp <= 0xFAFF) ||
                   (cp >= 0xFF00 && cp <= 0xFF60)
               ? 2
               : 1;
}

static unsigned decode(const unsigned char *p, size_t len)
{
    if (len == 1)
        return *p;
    if (len == 2)
        return (unsigned) (*p & 0x1F) << 6 | (p[1] & 0x3F);
    if (len == 3)
        return (unsigned) (*p & 0x0F) << 12 | (unsigned) (p[1] & 0x3F) << 6 |
               (p[2] & 0x3F);
    return 0x10000;
}

/* `text` cut or padded to `width` columns: printf pads by bytes.  What an
 * archive or a PACS holds is escaped first, like all text from outside. */
static void pad(const char *raw, size_t width)
{
    char *text = cli_escaped(raw);
    const unsigned char *p = (const unsigned char *) (text ? text : "");
    size_t used = 0;
    while (*p) {
        size_t len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        if (strnlen((const char *) p, len) < len)
            break;
        unsigned cp = decode(p, len);
        if (used + cols_of(cp) > width)
            break;
        fwrite(p, 1, len, stdout);
        used += cols_of(cp);
        p += len;
    }
    printf("%*s", (int) (width - used), "");
    free(text);
}

static void date(const char *da)
{
    if (strlen(da) == 8)
        cli_say(stdout, "%.4s-%.2s-%.2s", da, da + 4, da + 6);
    else
        cli_say(stdout, "%-10s", da[0] ? da : "no date");
}

static void count(uint64_t n, int width)
{
    if (n)
        printf(" %*llu", width, (unsigned long long) n);
    else
        printf(" %*s", width, "-");
}

static void size(const struct pdiburn_match *m)
{
    double mb = (double) m->bytes / 1e6;
    const char *cd = m->bytes <= CD_FITS ? "yes" : "no ";
    if (!m->bytes)
        printf(" %10s  %s", "-", "-  ");
    else if (mb < 1)
        printf(" %7.0f kB  %s", mb * 1000, cd);
    else if (mb < 1000)
        printf(" %7.1f MB  %s", mb, cd);
    else
        printf(" %7.1f GB  %s", mb / 1000, cd);
}

static void patient_line(const struct pdiburn_match *m, enum conflict c)
{
    cli_say(stdout, "%s Patient %s", c == OTHER_PERSON ? "!" : c ? "~" : " ",
            m->patient_id[0] ? m->patient_id : "(no ID)");
    if (m->issuer[0])
        cli_say(stdout, " (issuer %s)", m->issuer);
    cli_say(stdout, "  %s",
            m->patient_name[0] ? m->patient_name : "(no name)");
    if (m->birth_date[0]) {
        printf("  born ");
        date(m->birth_date);
    }
    cli_say(stdout, "%s%s\n", m->sex[0] ? "  " : "", m->sex);
    printf("    %-10s  %-12s %-28s %6s %9s %10s  CD   %s\n", "Date",
           "Modality", "Description", "Series", "Instances", "Size",
           "Study Instance UID");
}

static void study_line(const struct pdiburn_match *m, bool split)
{
    printf("  %s ", split ? "!" : " ");
    date(m->study_date);
    printf("  ");
    pad(m->modalities, 12);
    printf(" ");
    pad(m->description[0] ? m->description : "-", 28);
    count(m->series, 6);
    count(m->instances, 9);
    size(m);
    cli_say(stdout, "  %s\n", m->study_uid);
}

static void conflict_lines(const struct pdiburn_match *m, size_t n,
                           const struct marks *k)
{
    for (size_t i = 0; i < n; i++) {
        bool first_of_id = i == 0 || strcmp(m[i - 1].patient_id,
                                            m[i].patient_id) != 0;
        if (k->conflict[i] && first_of_id)
            cli_say(stdout, "%s Patient ID %s %s\n",
                   k->conflict[i] == OTHER_PERSON ? "!" : "~",
                   m[i].patient_id,
                   k->conflict[i] == OTHER_PERSON
                       ? "stands for more than one person here (issuer, "
                         "birth date or sex differ): an export by this ID "
                         "stops until the archive is corrected"
                       : "has files with another patient name");
    }
    for (size_t i = 0; i < n; i++)
        if (first_split(m, k, i))
            cli_say(stdout, "! study %s is filed under more than one patient\n",
                   m[k->by_uid[i]].study_uid);
}

static void print_table(const struct pdiburn_match *m, size_t n,
                        const struct marks *k, const struct global_opts *g)
{
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || !same_patient(&m[i - 1], &m[i]))
            patient_line(&m[i], k->conflict[i]);
        study_line(&m[i], k->split[i]);
    }
    conflict_lines(m, n, k);
    if (!g->quiet)
        printf("%zu study/studies\n", n);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_count(struct pdb_json *j, const char *key, uint64_t n)
{
    if (n)
        pdb_json_uint(j, key, n);
    else
        pdb_json_null(j, key);
}

static void json_match(struct pdb_json *j, const struct pdiburn_match *m,
                       enum conflict c, bool split)
{
    static const char *const conflicts[] = { NULL, "other_name",
                                             "other_person" };
    pdb_json_object(j, NULL);
    pdb_json_str(j, "patient_id", m->patient_id);
    pdb_json_str(j, "issuer", m->issuer);
    pdb_json_str(j, "patient_name", m->patient_name);
    pdb_json_str(j, "birth_date", m->birth_date);
    pdb_json_str(j, "sex", m->sex);
    pdb_json_str(j, "conflict", conflicts[c]);
    pdb_json_str(j, "study_uid", m->study_uid);
    pdb_json_bool(j, "split_study", split);
    pdb_json_str(j, "study_date", m->study_date);
    pdb_json_str(j, "study_time", m->study_time);
    pdb_json_str(j, "accession", m->accession);
    pdb_json_str(j, "description", m->description);
    pdb_json_str(j, "modalities", m->modalities);
    json_count(j, "series", m->series);
    json_count(j, "instances", m->instances);
    json_count(j, "bytes", m->bytes);
    if (m->bytes)
        pdb_json_bool(j, "fits_cd", m->bytes <= CD_FITS);
    else
        pdb_json_null(j, "fits_cd");
    pdb_json_close(j);
}

static void json_head(struct pdb_json *j, bool ok, int status,
                      const char *source, const char *where)
{
    pdb_json_begin(j, stdout);
    pdb_json_str(j, "command", "find");
    pdb_json_bool(j, "ok", ok);
    pdb_json_uint(j, "exit_status", (uint64_t) status);
    pdb_json_str(j, "source", source);
    pdb_json_str(j, "where", where);
}

void cli_find_print(struct pdiburn_match *m, size_t n,
                    const struct global_opts *g, const char *source,
                    const char *where)
{
    struct marks k = { 0 };
    if (!analyse(m, n, &k)) {
        marks_free(&k);
        fprintf(stderr, "pdiburn find: error: out of memory\n");
        return;
    }
    if (!g->json) {
        print_table(m, n, &k, g);
        marks_free(&k);
        return;
    }
    struct pdb_json j;
    json_head(&j, true, EXIT_OK, source, where);
    pdb_json_uint(&j, "count", n);
    pdb_json_array(&j, "studies");
    for (size_t i = 0; i < n; i++)
        json_match(&j, &m[i], k.conflict[i], k.split[i]);
    pdb_json_close(&j);
    pdb_json_end(&j);
    marks_free(&k);
}

int cli_find_fail(struct pdiburn_error *err, const struct global_opts *g,
                  const char *source, const char *where)
{
    int status = cli_exit_status(pdiburn_error_code(err));
    if (g->json) {
        struct pdb_json j;
        json_head(&j, false, status, source, where);
        pdb_json_str(&j, "error", pdiburn_code_name(pdiburn_error_code(err)));
        pdb_json_str(&j, "message", pdiburn_error_message(err));
        pdb_json_end(&j);
    } else {
        cli_say(stderr, "pdiburn find: error: %s\n",
                pdiburn_error_message(err));
    }
    pdiburn_error_free(err);
    return status;
}
