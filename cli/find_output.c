/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What pdiburn find shows: one line per study (patient, study, counts) in
 * a table, or one JSON document; counts the source did not give are blank
 * in the table and null in JSON.
 */
#include <stdio.h>

#include "find.h"
#include "pdiburn/json.h"

static void json_count(struct pdb_json *j, const char *key, uint64_t n)
{
    if (n)
        pdb_json_uint(j, key, n);
    else
        pdb_json_null(j, key);
}

static void json_match(struct pdb_json *j, const struct pdiburn_match *m)
{
    pdb_json_object(j, NULL);
    pdb_json_str(j, "patient_id", m->patient_id);
    pdb_json_str(j, "issuer", m->issuer);
    pdb_json_str(j, "patient_name", m->patient_name);
    pdb_json_str(j, "birth_date", m->birth_date);
    pdb_json_str(j, "sex", m->sex);
    pdb_json_str(j, "study_uid", m->study_uid);
    pdb_json_str(j, "study_date", m->study_date);
    pdb_json_str(j, "study_time", m->study_time);
    pdb_json_str(j, "accession", m->accession);
    pdb_json_str(j, "description", m->description);
    pdb_json_str(j, "modalities", m->modalities);
    json_count(j, "series", m->series);
    json_count(j, "instances", m->instances);
    json_count(j, "bytes", m->bytes);
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

static void count_cell(char out[24], uint64_t n)
{
    if (n)
        snprintf(out, 24, "%llu", (unsigned long long) n);
    else
        snprintf(out, 24, "-");
}

/* printf pads by bytes; names are UTF-8, so pad by characters. */
static void print_padded(const char *text, int width)
{
    int chars = 0;
    for (const char *p = text; *p; p++)
        chars += ((unsigned char) *p & 0xC0) != 0x80;
    printf("%s%*s ", text, chars < width ? width - chars : 0, "");
}

static void print_table(const struct pdiburn_match *m, size_t n,
                        const struct global_opts *g)
{
    if (n && !g->quiet)
        printf("%-16s %-24s %-8s %-8s %-12s %-8s %6s %9s  %s\n", "PATIENT ID",
               "NAME", "BIRTH", "DATE", "ACCESSION", "MOD", "SERIES",
               "INSTANCES", "STUDY UID / DESCRIPTION");
    for (size_t i = 0; i < n; i++) {
        char series[24], instances[24];
        count_cell(series, m[i].series);
        count_cell(instances, m[i].instances);
        print_padded(m[i].patient_id, 16);
        print_padded(m[i].patient_name, 24);
        printf("%-8s %-8s %-12s %-8s %6s %9s  %s%s%s\n", m[i].birth_date,
               m[i].study_date, m[i].accession, m[i].modalities, series,
               instances, m[i].study_uid, m[i].description[0] ? "  " : "",
               m[i].description);
    }
    if (!g->quiet)
        printf("%zu study/studies\n", n);
}

void cli_find_print(const struct pdiburn_match *m, size_t n,
                    const struct global_opts *g, const char *source,
                    const char *where)
{
    if (!g->json) {
        print_table(m, n, g);
        return;
    }
    struct pdb_json j;
    json_head(&j, true, EXIT_OK, source, where);
    pdb_json_uint(&j, "count", n);
    pdb_json_array(&j, "studies");
    for (size_t i = 0; i < n; i++)
        json_match(&j, &m[i]);
    pdb_json_close(&j);
    pdb_json_end(&j);
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
        fprintf(stderr, "pdiburn find: error: %s\n",
                pdiburn_error_message(err));
    }
    pdiburn_error_free(err);
    return status;
}
