/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn batch JOBS: many exports from a job file (CSV or JSON lines),
 * one JSON result line per job, resumable from its results file, -j jobs
 * at a time, and --shard K/N so that GNU parallel, Slurm array jobs or
 * Kubernetes indexed Jobs can share a file among workers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "cli.h"

struct batch_args {
    const char *jobs, *results;
    unsigned parallel, shard, shards; /* shard is 1-based */
};

enum { OPT_RESULTS = 256, OPT_SHARD };

static int usage(void)
{
    printf("usage: pdiburn [--json] [--config FILE] batch [-j N] "
           "[--shard K/N] [--results FILE] JOBS\n\n"
           "Runs the exports of a job file (CSV or JSON lines), one JSON "
           "result line each.\nSee 'man pdiburn-batch'.\n");
    return EXIT_OK;
}

static bool parse_shard(const char *arg, struct batch_args *a)
{
    char extra;
    return sscanf(arg, "%u/%u%c", &a->shard, &a->shards, &extra) == 2 &&
           a->shards >= 1 && a->shard >= 1 && a->shard <= a->shards;
}

static bool parse_parallel(const char *arg, struct batch_args *a)
{
    char *end = NULL;
    long n = strtol(arg, &end, 10);
    a->parallel = (unsigned) n;
    return end != arg && !*end && n >= 1 && n <= 64;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct batch_args *a)
{
    static const struct option options[] = {
        { "jobs", required_argument, NULL, 'j' },
        { "shard", required_argument, NULL, OPT_SHARD },
        { "results", required_argument, NULL, OPT_RESULTS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "hj:", options, NULL)) != -1) {
        bool ok = c == 'j'           ? parse_parallel(optarg, a)
                  : c == OPT_SHARD   ? parse_shard(optarg, a)
                  : c == OPT_RESULTS ? (a->results = optarg) != NULL
                                     : false;
        if (c == 'h')
            return usage();
        if (!ok) {
            if (c != '?')
                cli_usage_error("batch", "%s '%s': give -j 1 to 64, "
                                "--shard K/N with 1 <= K <= N",
                                c == 'j' ? "-j" : "--shard", optarg);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        cli_usage_error("batch", "give one job file");
        return EXIT_USAGE;
    }
    a->jobs = argv[optind];
    return -1;
}

/* Two jobs with one id would make a results file ambiguous. */
static bool unique_ids(const struct batch_job *jobs, size_t n,
                       const char *file)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            if (strcmp(jobs[i].id, jobs[k].id) == 0) {
                fprintf(stderr, "pdiburn batch: error: %s: jobs %zu and "
                                "%zu have the same id '%s'\n",
                        file, k + 1, i + 1, jobs[i].id);
                return false;
            }
    return true;
}

static bool mark_done(const struct batch_args *a, const struct batch_job *jobs,
                      size_t n, bool *done)
{
    char **ids = NULL, *why = NULL;
    size_t nids = 0;
    if (a->results && !cli_batch_done(a->results, &ids, &nids, &why)) {
        fprintf(stderr, "pdiburn batch: error: %s\n", why ? why : "?");
        free(why);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < nids && !done[i]; k++)
            done[i] = strcmp(jobs[i].id, ids[k]) == 0;
    for (size_t k = 0; k < nids; k++)
        free(ids[k]);
    free(ids);
    return true;
}

static void summary(const struct global_opts *g, const struct batch_counts *c,
                    size_t jobs, int status, double seconds)
{
    if (g->json) {
        printf("{\"command\":\"batch\",\"summary\":true,\"jobs\":%zu,"
               "\"ok\":%zu,\"failed\":%zu,\"skipped\":%zu,"
               "\"exit_status\":%d,\"seconds\":%.3f}\n",
               jobs, c->ok, c->failed, c->skipped, status, seconds);
    } else if (!g->quiet) {
        fprintf(stderr, "pdiburn batch: %zu job(s): %zu ok, %zu failed, "
                        "%zu skipped; exit status %d\n",
                jobs, c->ok, c->failed, c->skipped, status);
    }
}

static int run(const struct global_opts *g, const struct batch_args *a,
               struct batch_job *jobs, size_t n, FILE *results)
{
    bool *in_shard = calloc(n + 1, sizeof(bool));
    bool *done = calloc(n + 1, sizeof(bool));
    struct batch_counts counts = { 0 };
    int status = EXIT_FAILURE_GENERIC;
    size_t mine = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; in_shard && i < n; i++)
        mine += in_shard[i] = i % a->shards == a->shard - 1;
    if (in_shard && done && mark_done(a, jobs, n, done)) {
        struct batch_plan p = { jobs, n, in_shard, done, a->parallel,
                                g->config, g->verbose, g->quiet, results };
        status = cli_batch_run(&p, &counts);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        summary(g, &counts, mine, status,
                (double) (t1.tv_sec - t0.tv_sec) +
                    (double) (t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    free(in_shard);
    free(done);
    return status;
}

static FILE *open_results(const char *path)
{
    if (!path)
        return stdout;
    FILE *f = fopen(path, "a");
    if (!f)
        fprintf(stderr, "pdiburn batch: error: writing '%s': %s\n", path,
                strerror(errno));
    return f;
}

int cmd_batch(int argc, char **argv, const struct global_opts *g)
{
    struct batch_args a = { .parallel = 1, .shard = 1, .shards = 1 };
    int status = parse(argc, argv, &a);
    if (status >= 0)
        return status;
    struct site_config cfg = { 0 };
    bool ok = cli_config_load_all(g->config, "batch", &cfg);
    cli_config_free(&cfg); /* each job reads it again; checked once here */
    struct batch_job *jobs = NULL;
    size_t n = 0;
    char *why = NULL;
    if (ok && !cli_batch_read(a.jobs, &jobs, &n, &why)) {
        fprintf(stderr, "pdiburn batch: error: %s: %s\n", a.jobs,
                why ? why : "out of memory");
        ok = false;
    }
    free(why);
    ok = ok && unique_ids(jobs, n, a.jobs);
    FILE *results = ok ? open_results(a.results) : NULL;
    status = results ? run(g, &a, jobs, n, results)
                     : ok ? EXIT_OUTPUT : EXIT_USAGE;
    if (results && results != stdout)
        fclose(results);
    cli_batch_jobs_free(jobs, n);
    return status;
}
