/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Job files in CSV (RFC 4180: quoted fields may hold commas, quotes and
 * line breaks), read with libcsv, the one file that knows it.  The first
 * row names the fields; each later row is a job, its empty cells left
 * out; a row whose first cell starts with '#' is a comment.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

struct csv_state {
    char **header;
    size_t nheader;
    char **cells;       /* of the row being read */
    size_t ncells;
    unsigned row;
    struct job_fields *jobs;
    size_t njobs;
    bool nomem;
    char *why;
};

static void on_cell(void *data, size_t len, void *user)
{
    struct csv_state *s = user;
    char **grown = realloc(s->cells, (s->ncells + 1) * sizeof(char *));
    char *cell = malloc(len + 1);
    if (!grown || !cell) {
        free(cell);
        if (grown)
            s->cells = grown;
        s->nomem = true;
        return;
    }
    if (len)
        memcpy(cell, data, len);
    cell[len] = 0;
    s->cells = grown;
    s->cells[s->ncells++] = cell;
}

static bool add_field(struct job_fields *job, const char *name, char *value)
{
    struct job_field *grown = realloc(job->f, (job->n + 1) * sizeof(*grown));
    char **values = malloc(sizeof(char *));
    char *copy = strdup(name);
    if (!grown || !values || !copy) {
        free(values);
        free(copy);
        if (grown)
            job->f = grown;
        return false;
    }
    job->f = grown;
    values[0] = value;
    job->f[job->n++] = (struct job_field){ copy, values, 1, false };
    return true;
}

/* The cells of a data row, named by the header; the cells are taken. */
static void take_row(struct csv_state *s)
{
    struct job_fields *grown =
        realloc(s->jobs, (s->njobs + 1) * sizeof(*grown));
    if (!grown) {
        s->nomem = true;
        return;
    }
    s->jobs = grown;
    struct job_fields *job = &s->jobs[s->njobs++];
    *job = (struct job_fields){ .line = s->row };
    for (size_t i = 0; i < s->ncells; i++) {
        bool named = i < s->nheader && s->header[i][0];
        if (!s->cells[i][0] || (!named && !s->why)) {
            if (s->cells[i][0] && asprintf(&s->why, "row %u has a value "
                                           "in column %zu, which the header "
                                           "does not name", s->row, i + 1) < 0)
                s->why = NULL;
            free(s->cells[i]);
        } else if (!add_field(job, s->header[i], s->cells[i])) {
            free(s->cells[i]);
            s->nomem = true;
        }
        s->cells[i] = NULL;
    }
}

static void on_row(int end, void *user)
{
    (void) end;
    struct csv_state *s = user;
    s->row++;
    bool comment = s->ncells && s->cells[0][0] == '#';
    if (s->row == 1) {
        s->header = s->cells;
        s->nheader = s->ncells;
        s->cells = NULL;
    } else if (!comment) {
        take_row(s);
    }
    for (size_t i = 0; i < s->ncells && s->cells; i++)
        free(s->cells[i]);
    free(s->cells);
    s->cells = NULL;
    s->ncells = 0;
}

static void state_free(struct csv_state *s)
{
    for (size_t i = 0; i < s->nheader; i++)
        free(s->header[i]);
    free(s->header);
    for (size_t i = 0; i < s->ncells; i++)
        free(s->cells[i]);
    free(s->cells);
}

static bool parse(struct csv_parser *p, FILE *f, struct csv_state *s)
{
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        if (csv_parse(p, buf, n, on_cell, on_row, s) != n)
            return false;
    return csv_fini(p, on_cell, on_row, s) == 0;
}

bool cli_csv_jobs(FILE *f, struct job_fields **jobs, size_t *n, char **why)
{
    struct csv_parser p;
    struct csv_state s = { 0 };
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        *why = strdup("out of memory");
        return false;
    }
    bool ok = parse(&p, f, &s) && !s.nomem && !s.why;
    if (!ok && !s.why && asprintf(&s.why, "row %u: %s", s.row + 1,
                                  s.nomem ? "out of memory"
                                          : csv_strerror(csv_error(&p))) < 0)
        s.why = NULL;
    csv_free(&p);
    state_free(&s);
    *jobs = s.jobs;
    *n = s.njobs;
    *why = s.why;
    return ok;
}
