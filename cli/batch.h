/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* batch.h - pdiburn batch: job files read (jobs_csv.c, json_in.c) and
 * checked into command lines (batch_jobs.c), run as child processes
 * (batch_run.c), results written and read back (batch_results.c). */
#ifndef CLI_BATCH_H
#define CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One field of a job as the file gave it: a name and one or more text
 * values (a JSON array gives several; true/false become "true"/"false"). */
struct job_field {
    char *name;
    char **values;
    size_t nvalues;
    bool array;
};

struct job_fields {
    struct job_field *f;
    size_t n;
    unsigned line; /* of the job file (CSV: the row) */
};

/* A job ready to run, or the reason it cannot. */
struct batch_job {
    size_t index;     /* 0-based, in file order, for --shard */
    unsigned line;
    char *id;
    char *command;
    char *output;
    char *conflict;   /* what two running jobs may not share */
    char **args;      /* the command's options and operand, NULL-ended */
    char *invalid;    /* why the job cannot run, or NULL */
};

struct batch_result {
    const char *id, *command;
    const char *status;  /* ok, failed, skipped */
    int exit_status;
    char **outputs;
    size_t noutputs;
    uint64_t patients, studies, series, instances, volumes, bytes, warnings;
    double seconds;
    char *message;
};

/* ---- jobs_csv.c: libcsv, and the only file that knows it --------------- */

/* Rows after the header, as fields named by the header; empty cells are
 * left out.  *why names the row of a malformed file. */
bool cli_csv_jobs(FILE *f, struct job_fields **jobs, size_t *n, char **why);

/* ---- json_in.c: Jansson, and the only file that knows it --------------- */

/* One JSON-lines job: an object of strings, numbers, booleans and arrays
 * of those. */
bool cli_json_job(const char *line, struct job_fields *out, char **why);
/* A child's --json result into *r (outputs, counts, message). */
bool cli_json_child_result(const char *text, struct batch_result *r);
/* A results line: its id when its status is "ok", else NULL (malloc'd). */
char *cli_json_done_id(const char *line);

/* ---- batch_jobs.c ------------------------------------------------------ */

void cli_fields_free(struct job_fields *f);
/* The job file, CSV or JSON lines (by extension, else by content). */
bool cli_batch_read(const char *path, struct batch_job **jobs, size_t *n,
                    char **why);
void cli_batch_jobs_free(struct batch_job *jobs, size_t n);

/* ---- batch_results.c ---------------------------------------------------- */

/* Ids that earlier runs finished ("ok") in the results file. */
bool cli_batch_done(const char *results, char ***ids, size_t *n,
                    char **why);
void cli_batch_result_line(FILE *out, const struct batch_result *r);
void cli_batch_result_clear(struct batch_result *r);

/* ---- batch_run.c ------------------------------------------------------- */

struct batch_plan {
    struct batch_job *jobs;
    size_t njobs;
    const bool *in_shard; /* --shard: this worker's share */
    const bool *done;     /* finished ("ok") by an earlier run */
    unsigned parallel;   /* -j */
    const char *config;  /* --config given to pdiburn */
    bool verbose, quiet;
    FILE *results;
};

struct batch_counts {
    size_t ok, failed, skipped;
};

/* Runs this shard's jobs, a result line for each; returns the batch's
 * exit status: 130 when interrupted, else that of the first job (in file
 * order) that failed, else 0. */
int cli_batch_run(const struct batch_plan *p, struct batch_counts *counts);

#endif
