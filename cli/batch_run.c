/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a batch: each job is our own binary run again (fork + execv of
 * /proc/self/exe with the job's argument vector, never a shell), at most
 * -j at once and never two on the same output or drive.  A child is a
 * process of its own: a crash, a leak or a stuck drive stays in its job,
 * and it writes its own audit record.  SIGINT or SIGTERM stops the
 * batch: no job starts, running ones are told to cancel and recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"

#define MAX_ARGS 8 /* ours before the job's */

struct child {
    pid_t pid;
    size_t job;
    double start;
};

struct runner {
    const struct batch_plan *p;
    char self[4096];
    char *tmp;              /* private folder for the children's output */
    struct child *kids;
    size_t nkids;
    bool *started;
    size_t first_failed;    /* job index, njobs when none */
    int first_status;
    bool forwarded;
    struct batch_counts *counts;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    stop_signal = sig;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void child_file(const struct runner *r, const struct batch_job *job,
                       const char *kind, char *out, size_t len)
{
    snprintf(out, len, "%s/%zu.%s", r->tmp, job->index, kind);
}

/* Our handler must not eat a SIGINT meant for the job: back to the
 * default, then let through what arrived since the fork. */
static void default_signals(void)
{
    sigset_t stop;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &stop, NULL);
}

static bool child_io(const struct runner *r, const struct batch_job *job)
{
    char out[4200], err[4200];
    child_file(r, job, "out", out, sizeof(out));
    child_file(r, job, "err", err, sizeof(err));
    int in = open("/dev/null", O_RDONLY);
    int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    return in >= 0 && o >= 0 && e >= 0 && dup2(in, 0) >= 0 &&
           dup2(o, 1) >= 0 && dup2(e, 2) >= 0;
}

/* pdiburn --json --progress=never [-v] [--config F] COMMAND ARGS... */
static const char **child_argv(const struct runner *r,
                               const struct batch_job *job)
{
    size_t n = 0, extra = 0;
    for (char **a = job->args; a && *a; a++)
        extra++;
    const char **all = calloc(MAX_ARGS + extra + 1, sizeof(char *));
    if (!all)
        return NULL;
    all[n++] = r->self;
    all[n++] = "--json";
    all[n++] = "--progress=never";
    if (r->p->verbose)
        all[n++] = "--verbose";
    if (r->p->config) {
        all[n++] = "--config";
        all[n++] = r->p->config;
    }
    all[n++] = job->command;
    for (char **a = job->args; a && *a; a++)
        all[n++] = *a;
    return all;
}

/* In the child: its own session (no terminal to ask on: a prompt fails
 * instead of hanging the batch), output into the runner's files. */
static void exec_child(const struct runner *r, const struct batch_job *job)
{
    default_signals();
    setsid();
    const char **argv = child_io(r, job) ? child_argv(r, job) : NULL;
    if (argv)
        execv(r->self, (char *const *) argv);
    fprintf(stderr, "cannot run '%s': %s\n", r->self, strerror(errno));
    _exit(EXIT_FAILURE_GENERIC);
}

static bool busy(const struct runner *r, const struct batch_job *job)
{
    for (size_t i = 0; i < r->nkids; i++)
        if (strcmp(r->p->jobs[r->kids[i].job].conflict, job->conflict) == 0)
            return true;
    return false;
}

static bool runnable(const struct runner *r, size_t i)
{
    const struct batch_plan *p = r->p;
    return p->in_shard[i] && !p->done[i] && !p->jobs[i].invalid &&
           !r->started[i] && !busy(r, &p->jobs[i]);
}

static void record(struct runner *r, size_t index, struct batch_result *res)
{
    cli_batch_result_line(r->p->results, res);
    if (!r->p->quiet)
        fprintf(stderr, "pdiburn batch: job %s: %s (exit status %d)\n",
                res->id, res->status, res->exit_status);
    bool ok = strcmp(res->status, "failed") != 0;
    if (strcmp(res->status, "ok") == 0)
        r->counts->ok++;
    else if (ok)
        r->counts->skipped++;
    else
        r->counts->failed++;
    if (!ok && index < r->first_failed) {
        r->first_failed = index;
        r->first_status = res->exit_status;
    }
}

/* Starts the first job that may run now; false when there is none. */
static bool start_next(struct runner *r)
{
    for (size_t i = 0; i < r->p->njobs; i++) {
        if (!runnable(r, i))
            continue;
        sigset_t stop, old;
        sigemptyset(&stop);
        sigaddset(&stop, SIGINT);
        sigaddset(&stop, SIGTERM);
        sigprocmask(SIG_BLOCK, &stop, &old);
        pid_t pid = fork();
        if (pid == 0)
            exec_child(r, &r->p->jobs[i]);
        sigprocmask(SIG_SETMASK, &old, NULL);
        r->started[i] = true;
        if (pid < 0) {
            const struct batch_job *job = &r->p->jobs[i];
            struct batch_result res = { .id = job->id,
                                        .command = job->command,
                                        .status = "failed",
                                        .exit_status = EXIT_FAILURE_GENERIC };
            res.message = strdup(strerror(errno));
            record(r, i, &res);
            cli_batch_result_clear(&res);
            return true;
        }
        r->kids[r->nkids++] = (struct child){ pid, i, now() };
        if (!r->p->quiet)
            fprintf(stderr, "pdiburn batch: job %s: started (%s)\n",
                    r->p->jobs[i].id, r->p->jobs[i].command);
        return true;
    }
    return false;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    char *data = NULL;
    size_t len = 0;
    if (f) {
        FILE *mem = open_memstream(&data, &len);
        int c;
        while (mem && (c = fgetc(f)) != EOF)
            fputc(c, mem);
        if (mem)
            fclose(mem);
        fclose(f);
    }
    return data;
}

/* The child's diagnostics, after it ended so that jobs running side by
 * side do not mix their lines; the last one is the job's message when
 * it printed no result. */
static char *replay(const char *text, const char *id)
{
    const char *last = NULL;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        int len = (int) (nl ? nl - p : (long) strlen(p));
        if (len > 0) {
            fprintf(stderr, "pdiburn batch: job %s: %.*s\n", id, len, p);
            last = p;
        }
        p += len + (nl != NULL);
    }
    return last ? strndup(last, strcspn(last, "\n")) : NULL;
}

static int exit_status_of(int wstatus)
{
    if (WIFEXITED(wstatus))
        return WEXITSTATUS(wstatus);
    /* Killed: by our SIGINT it was interrupted; otherwise it crashed. */
    int sig = WTERMSIG(wstatus);
    return sig == SIGINT || sig == SIGTERM ? EXIT_CANCELLED
                                           : EXIT_FAILURE_GENERIC;
}

static void finish_child(struct runner *r, const struct child *c,
                         int wstatus)
{
    const struct batch_job *job = &r->p->jobs[c->job];
    char path[4200];
    struct batch_result res = { .id = job->id, .command = job->command };
    res.exit_status = exit_status_of(wstatus);
    res.status = res.exit_status == 0 ? "ok" : "failed";
    res.seconds = now() - c->start;
    child_file(r, job, "out", path, sizeof(path));
    char *out = slurp(path);
    bool parsed = out && cli_json_child_result(out, &res);
    child_file(r, job, "err", path, sizeof(path));
    char *err = slurp(path);
    char *last = replay(err, job->id);
    if (!parsed || (!res.message && res.exit_status))
        res.message = last ? last : strdup("ended without a result");
    else
        free(last);
    if (WIFSIGNALED(wstatus) && !res.message)
        res.message = strdup(strsignal(WTERMSIG(wstatus)));
    record(r, c->job, &res);
    cli_batch_result_clear(&res);
    free(out);
    free(err);
}

static void forward_stop(struct runner *r)
{
    if (r->forwarded)
        return;
    r->forwarded = true;
    for (size_t i = 0; i < r->nkids; i++)
        kill(r->kids[i].pid, SIGINT); /* each cancels cleanly: exit 130 */
}

static void reap_one(struct runner *r)
{
    int wstatus = 0;
    if (stop_signal)
        forward_stop(r);
    pid_t pid = waitpid(-1, &wstatus, 0);
    if (stop_signal)
        forward_stop(r);
    if (pid < 0)
        return; /* EINTR: the loop looks again */
    for (size_t i = 0; i < r->nkids; i++)
        if (r->kids[i].pid == pid) {
            struct child c = r->kids[i];
            r->kids[i] = r->kids[--r->nkids];
            finish_child(r, &c, wstatus);
            return;
        }
}

/* Jobs that do not run: done before (skipped) or not valid (failed, 2). */
static void record_static(struct runner *r)
{
    for (size_t i = 0; i < r->p->njobs; i++) {
        const struct batch_job *job = &r->p->jobs[i];
        if (!r->p->in_shard[i] || (!r->p->done[i] && !job->invalid))
            continue;
        struct batch_result res = { .id = job->id, .command = job->command };
        res.status = r->p->done[i] ? "skipped" : "failed";
        res.exit_status = r->p->done[i] ? EXIT_OK : EXIT_USAGE;
        res.message =
            strdup(r->p->done[i] ? "done by an earlier run" : job->invalid);
        record(r, i, &res);
        cli_batch_result_clear(&res);
    }
}

static void catch_stop(void)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: waitpid returns */
    sigaction(SIGTERM, &sa, NULL);
}

static bool set_up(struct runner *r)
{
    ssize_t n = readlink("/proc/self/exe", r->self, sizeof(r->self) - 1);
    const char *parent = getenv("TMPDIR");
    if (n <= 0 || asprintf(&r->tmp, "%s/pdiburn-batch-XXXXXX",
                           parent && *parent ? parent : "/tmp") < 0) {
        r->tmp = NULL;
        return false;
    }
    r->self[n] = 0;
    r->kids = calloc(r->p->parallel, sizeof(*r->kids));
    r->started = calloc(r->p->njobs + 1, sizeof(bool));
    return r->kids && r->started && mkdtemp(r->tmp);
}

static void clean_up(struct runner *r)
{
    for (size_t i = 0; r->tmp && r->started && i < r->p->njobs; i++) {
        char path[4200];
        child_file(r, &r->p->jobs[i], "out", path, sizeof(path));
        unlink(path);
        child_file(r, &r->p->jobs[i], "err", path, sizeof(path));
        unlink(path);
    }
    if (r->tmp)
        rmdir(r->tmp);
    free(r->tmp);
    free(r->kids);
    free(r->started);
}

int cli_batch_run(const struct batch_plan *p, struct batch_counts *counts)
{
    struct runner r = { .p = p, .first_failed = p->njobs, .counts = counts };
    if (!set_up(&r)) {
        fprintf(stderr, "pdiburn batch: error: cannot make a private "
                        "folder in $TMPDIR or /tmp: %s\n",
                strerror(errno));
        clean_up(&r);
        return EXIT_OUTPUT;
    }
    catch_stop();
    record_static(&r);
    for (;;) {
        while (!stop_signal && r.nkids < p->parallel && start_next(&r))
            ;
        if (r.nkids == 0)
            break;
        reap_one(&r);
    }
    clean_up(&r);
    if (stop_signal)
        return EXIT_CANCELLED;
    return r.first_failed < p->njobs ? r.first_status : EXIT_OK;
}
