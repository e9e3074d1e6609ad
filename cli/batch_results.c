/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The results of a batch: one JSON line per job, written as each job
 * ends and flushed at once (a crash loses no finished job), and read
 * back by the next run, which skips the jobs an earlier one finished.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "pdiburn/json.h"

void cli_batch_result_line(FILE *out, const struct batch_result *r)
{
    struct pdb_json j;
    pdb_json_begin(&j, out);
    pdb_json_str(&j, "id", r->id);
    pdb_json_str(&j, "command", r->command);
    pdb_json_str(&j, "status", r->status);
    pdb_json_uint(&j, "exit_status", (uint64_t) r->exit_status);
    pdb_json_array(&j, "outputs");
    for (size_t i = 0; i < r->noutputs; i++)
        pdb_json_str(&j, NULL, r->outputs[i]);
    pdb_json_close(&j);
    pdb_json_uint(&j, "patients", r->patients);
    pdb_json_uint(&j, "studies", r->studies);
    pdb_json_uint(&j, "series", r->series);
    pdb_json_uint(&j, "instances", r->instances);
    pdb_json_uint(&j, "volumes", r->volumes);
    pdb_json_uint(&j, "bytes", r->bytes);
    pdb_json_uint(&j, "warnings", r->warnings);
    pdb_json_num(&j, "seconds", r->seconds);
    pdb_json_str(&j, "message", r->message ? r->message : "");
    pdb_json_end(&j);
    fflush(out);
    if (out != stdout)
        fsync(fileno(out));
}

void cli_batch_result_clear(struct batch_result *r)
{
    for (size_t i = 0; i < r->noutputs; i++)
        free(r->outputs[i]);
    free(r->outputs);
    free(r->message);
    memset(r, 0, sizeof(*r));
}

static bool add_id(char ***ids, size_t *n, char *id)
{
    char **grown = realloc(*ids, (*n + 1) * sizeof(char *));
    if (!grown) {
        free(id);
        return false;
    }
    *ids = grown;
    grown[(*n)++] = id;
    return true;
}

bool cli_batch_done(const char *results, char ***ids, size_t *n, char **why)
{
    *ids = NULL;
    *n = 0;
    FILE *f = fopen(results, "r");
    if (!f && errno == ENOENT)
        return true; /* the first run */
    if (!f) {
        if (asprintf(why, "reading '%s': %s", results, strerror(errno)) < 0)
            *why = NULL;
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    bool ok = true;
    while (ok && getline(&line, &cap, f) > 0) {
        char *id = cli_json_done_id(line);
        ok = !id || add_id(ids, n, id);
    }
    free(line);
    fclose(f);
    if (!ok && asprintf(why, "out of memory") < 0)
        *why = NULL;
    return ok;
}
