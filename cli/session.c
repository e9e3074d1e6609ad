/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One run of the library, as the terminal sees it: diagnostics on stderr
 * (or gathered for --json), the progress bar, SIGINT cancelling the job
 * cleanly, and the result as text or one JSON object on stdout.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pdiburn/json.h"
#include "progress.h"

struct session_job {
    struct session *s;
    struct pdiburn_job *job;
};

struct session {
    const char *command;
    const struct global_opts *g;
    struct bar bar;
    char **messages; /* warnings and errors, for --json */
    size_t nmessages;
    char *audit_error; /* the export's record could not be kept */
};

/* Read by the signal handler, so it must be a lock-free atomic. */
_Static_assert(ATOMIC_POINTER_LOCK_FREE == 2, "need lock-free pointers");
static _Atomic(struct pdiburn_job *) active_job;
static _Atomic(struct pdiburn_catalog *) active_catalog;

static void on_sigint(int sig)
{
    (void) sig;
    struct pdiburn_job *job = atomic_load(&active_job);
    struct pdiburn_catalog *cat = atomic_load(&active_catalog);
    if (job)
        pdiburn_job_cancel(job); /* async-signal-safe by contract */
    if (cat)
        pdiburn_catalog_cancel(cat); /* likewise */
}

static void keep_message(struct session *s, const char *msg)
{
    char **grown = realloc(s->messages, (s->nmessages + 1) * sizeof(char *));
    char *copy = strdup(msg);
    if (!grown || !copy) {
        free(copy);
        if (grown)
            s->messages = grown;
        return;
    }
    s->messages = grown;
    s->messages[s->nmessages++] = copy;
}

static void on_log(enum pdiburn_log_level level, const char *msg, void *user)
{
    struct session *s = user;
    bool shown = level == PDIBURN_LOG_ERROR ||
                 (level == PDIBURN_LOG_WARNING && !s->g->quiet) ||
                 s->g->verbose;
    if (s->g->json && level <= PDIBURN_LOG_WARNING)
        keep_message(s, msg);
    if (s->g->json && !s->g->verbose)
        return;
    if (!shown)
        return;
    static const char *const words[] = { "error", "warning", "info", "debug" };
    bar_clear(&s->bar);
    cli_say(stderr, "pdiburn %s: %s: %s\n", s->command, words[level], msg);
}

void cli_session_note(struct session *s, enum pdiburn_log_level level,
                      const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    va_end(ap);
    if (msg && s)
        on_log(level, msg, s);
    else if (msg)
        cli_say(stderr, "pdiburn: %s\n", msg);
    free(msg);
}

void cli_session_audit_failed(struct session *s, const char *why)
{
    if (s && !s->audit_error)
        s->audit_error = strdup(why);
}

static bool on_progress(const struct pdiburn_progress *p, void *user)
{
    bar_update(&((struct session *) user)->bar, p);
    return true;
}

struct session *cli_session_new(const char *command,
                                const struct global_opts *g)
{
    struct session *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->command = command;
    s->g = g;
    bool tty = isatty(STDERR_FILENO);
    s->bar.on = !g->json && !g->quiet && g->progress != PROGRESS_NEVER &&
                (g->progress == PROGRESS_ALWAYS || tty);
    return s;
}

/* No SA_RESTART: a wait for the catalog's lock ends on Ctrl-C. */
static void catch_signals(void)
{
    struct sigaction sa = { 0 };
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

void cli_session_attach(struct session *s, struct pdiburn_job *job)
{
    pdiburn_job_set_log(job, on_log, s);
    pdiburn_job_set_phi_in_log(job, s->g->verbose);
    pdiburn_job_set_progress(job, on_progress, s);
    atomic_store(&active_job, job);
    catch_signals();
}

void cli_session_attach_catalog(struct session *s,
                                struct pdiburn_catalog *cat)
{
    pdiburn_catalog_set_log(cat, on_log, s);
    pdiburn_catalog_set_progress(cat, on_progress, s);
    atomic_store(&active_catalog, cat);
    catch_signals();
}

/* The next line of a volume's contents: its length, and *p moved past it;
 * -1 at the end. */
static int next_line(const char **p, const char **line)
{
    if (!*p || !**p)
        return -1;
    const char *nl = strchr(*p, '\n');
    int len = (int) (nl ? nl - *p : (long) strlen(*p));
    *line = *p;
    *p += len + (nl != NULL);
    return len;
}

static void json_summary(struct pdb_json *j, const struct pdiburn_summary *sum)
{
    pdb_json_uint(j, "patients", sum->patients);
    pdb_json_uint(j, "studies", sum->studies);
    pdb_json_uint(j, "series", sum->series);
    pdb_json_uint(j, "instances", sum->instances);
    pdb_json_uint(j, "copied", sum->copied);
    pdb_json_uint(j, "reencoded", sum->reencoded);
    pdb_json_uint(j, "skipped", sum->skipped);
    pdb_json_uint(j, "files", sum->files);
    pdb_json_uint(j, "bytes", sum->bytes);
    pdb_json_uint(j, "warnings", sum->warnings);
    pdb_json_uint(j, "problems", sum->problems);
    pdb_json_uint(j, "volumes", sum->volumes);
    pdb_json_uint(j, "unidentified", sum->unidentified);
}

/* Instances/s and MB/s of a retrieve from a PACS. */
static void rates(const struct pdiburn_summary *sum, double *per_s,
                  double *mb_s)
{
    double s = (double) sum->retrieve_ms / 1e3;
    *per_s = s > 0 ? (double) sum->retrieved / s : 0;
    *mb_s = s > 0 ? (double) sum->retrieved_bytes / 1e6 / s : 0;
}

static void json_retrieve(struct pdb_json *j, const struct pdiburn_summary *sum)
{
    double per_s, mb_s;
    if (!sum->retrieve_ms && !sum->retrieved)
        return;
    rates(sum, &per_s, &mb_s);
    pdb_json_object(j, "retrieve");
    pdb_json_uint(j, "instances", sum->retrieved);
    pdb_json_uint(j, "bytes", sum->retrieved_bytes);
    pdb_json_num(j, "seconds", (double) sum->retrieve_ms / 1e3);
    pdb_json_num(j, "instances_per_second", per_s);
    pdb_json_num(j, "mb_per_second", mb_s);
    pdb_json_close(j);
}

static void json_volumes(struct pdb_json *j, const struct pdiburn_job *job)
{
    pdb_json_array(j, "volume_list");
    for (size_t i = 0; i < pdiburn_job_volume_count(job); i++) {
        const struct pdiburn_volume *v = pdiburn_job_volume(job, i);
        pdb_json_object(j, NULL);
        pdb_json_str(j, "output", v->output);
        pdb_json_uint(j, "bytes", v->bytes);
        pdb_json_uint(j, "studies", v->studies);
        pdb_json_uint(j, "series", v->series);
        pdb_json_uint(j, "instances", v->instances);
        pdb_json_array(j, "contents");
        const char *p = v->contents, *line;
        for (int len; (len = next_line(&p, &line)) >= 0;) {
            char *copy = strndup(line, (size_t) len);
            pdb_json_str(j, NULL, copy ? copy : "");
            free(copy);
        }
        pdb_json_close(j);
        pdb_json_close(j);
    }
    pdb_json_close(j);
}

/* One JSON document: the outcome, the command's own members, messages. */
static void report_json(struct session *s, const struct pdiburn_error *err,
                        int status, cli_result_fn result, void *user)
{
    struct pdb_json j;
    pdb_json_begin(&j, stdout);
    pdb_json_str(&j, "command", s->command);
    pdb_json_bool(&j, "ok", status == EXIT_OK);
    pdb_json_uint(&j, "exit_status", (uint64_t) status);
    if (err) {
        pdb_json_str(&j, "error", pdiburn_code_name(pdiburn_error_code(err)));
        pdb_json_str(&j, "message", pdiburn_error_message(err));
    } else if (s->audit_error) {
        pdb_json_str(&j, "error", "E_AUDIT");
        pdb_json_str(&j, "message", s->audit_error);
    }
    if (result)
        result(&j, err, user);
    pdb_json_array(&j, "messages");
    for (size_t i = 0; i < s->nmessages; i++)
        pdb_json_str(&j, NULL, s->messages[i]);
    pdb_json_close(&j);
    pdb_json_end(&j);
}

/* What verification found, each with its stable code. */
static void json_findings(struct pdb_json *j, const struct pdiburn_job *job)
{
    pdb_json_array(j, "findings");
    for (size_t i = 0; i < pdiburn_job_finding_count(job); i++) {
        const struct pdiburn_finding *f = pdiburn_job_finding(job, i);
        pdb_json_object(j, NULL);
        pdb_json_str(j, "code", f->code);
        pdb_json_str(j, "severity", f->problem ? "problem" : "note");
        pdb_json_str(j, "file", f->file);
        pdb_json_str(j, "message", f->message);
        pdb_json_close(j);
    }
    pdb_json_close(j);
}

static void job_json(struct pdb_json *j, struct pdiburn_job *job)
{
    pdb_json_str(j, "output", job ? pdiburn_job_output(job) : NULL);
    if (job) {
        json_summary(j, pdiburn_job_summary(job));
        json_retrieve(j, pdiburn_job_summary(job));
        json_volumes(j, job);
        json_findings(j, job);
    }
}

/* The volumes, as --dry-run shows them and a spanned run reports them. */
static void report_volumes(const struct pdiburn_job *job, bool planned)
{
    size_t n = pdiburn_job_volume_count(job);
    for (size_t i = 0; i < n; i++) {
        const struct pdiburn_volume *v = pdiburn_job_volume(job, i);
        cli_say(stdout, "volume %zu of %zu: %s, %.1f MB%s\n", i + 1, n,
                v->output, (double) v->bytes / 1e6,
                planned ? " (estimated)" : "");
        const char *p = v->contents, *line;
        for (int len; (len = next_line(&p, &line)) >= 0;)
            cli_say(stdout, "  %.*s\n", len, line);
    }
}

static void report_retrieve(const struct pdiburn_summary *sum)
{
    double per_s, mb_s;
    if (!sum->retrieved)
        return;
    rates(sum, &per_s, &mb_s);
    printf("retrieved %llu instance(s), %.1f MB in %.1f s: %.0f instances/s, "
           "%.1f MB/s\n",
           (unsigned long long) sum->retrieved,
           (double) sum->retrieved_bytes / 1e6,
           (double) sum->retrieve_ms / 1e3, per_s, mb_s);
}

static void report_text(struct session *s, struct pdiburn_job *job)
{
    if (!job)
        return;
    /* A dry run's plan is what was asked for, --quiet or not. */
    bool planned = !pdiburn_job_output(job) &&
                   pdiburn_job_volume_count(job) > 0;
    if (planned || (!s->g->quiet && pdiburn_job_volume_count(job) > 1))
        report_volumes(job, planned);
    if (planned || s->g->quiet)
        return;
    const struct pdiburn_summary *sum = pdiburn_job_summary(job);
    const char *out = pdiburn_job_output(job);
    report_retrieve(sum);
    cli_say(stdout,
            "%s%s%llu patient(s), %llu study/studies, %llu series, "
            "%llu instance(s); %llu files, %.1f MB; %llu warning(s)\n",
            out ? out : "", out ? ": " : "",
            (unsigned long long) sum->patients,
            (unsigned long long) sum->studies,
            (unsigned long long) sum->series,
            (unsigned long long) sum->instances,
            (unsigned long long) sum->files, (double) sum->bytes / 1e6,
            (unsigned long long) sum->warnings);
}

static void job_result(struct pdb_json *j, const struct pdiburn_error *err,
                       void *user)
{
    struct session_job *sj = user;
    if (j)
        job_json(j, sj->job);
    else if (!err)
        report_text(sj->s, sj->job);
}

static void session_free(struct session *s)
{
    for (size_t i = 0; i < s->nmessages; i++)
        free(s->messages[i]);
    free(s->messages);
    free(s->audit_error);
    free(s);
}

static void report_errors(const struct session *s,
                          const struct pdiburn_error *err)
{
    if (s->audit_error)
        cli_say(stderr, "pdiburn %s: error: the export could not be "
                        "recorded in the audit log: %s\n",
                s->command, s->audit_error);
    if (err)
        cli_say(stderr, "pdiburn %s: error: %s\n", s->command,
                pdiburn_error_message(err));
}

int cli_session_end(struct session *s, struct pdiburn_error *err,
                    cli_result_fn result, void *user)
{
    atomic_store(&active_job, NULL);
    atomic_store(&active_catalog, NULL);
    int status = err ? cli_exit_status(pdiburn_error_code(err))
                 : s && s->audit_error ? EXIT_OUTPUT
                                       : EXIT_OK;
    if (!s) { /* out of memory before anything began */
        if (err)
            cli_say(stderr, "pdiburn: error: %s\n", pdiburn_error_message(err));
        pdiburn_error_free(err);
        return err ? status : EXIT_FAILURE_GENERIC;
    }
    bar_clear(&s->bar);
    if (s->g->json)
        report_json(s, err, status, result, user);
    else
        report_errors(s, err);
    if (!s->g->json && result)
        result(NULL, err, user);
    pdiburn_error_free(err);
    session_free(s);
    return status;
}

int cli_session_finish(struct session *s, struct pdiburn_job *job,
                       struct pdiburn_error *err)
{
    struct session_job sj = { s, job };
    return cli_session_end(s, err, job_result, &sj);
}

/* On the terminal when there is one, else a line on standard input (a
 * disc robot's script, or a test, answers there). */
bool cli_ask_for_disc(unsigned index, unsigned count, void *session)
{
    struct session *s = session;
    char line[64];
    bar_clear(&s->bar);
    fprintf(stderr, "pdiburn %s: put a blank disc in the drive for disc %u "
                    "of %u, then press Enter (Ctrl-C stops)\n",
            s->command, index, count);
    FILE *tty = fopen("/dev/tty", "r");
    bool answered = fgets(line, sizeof(line), tty ? tty : stdin) != NULL;
    if (tty)
        fclose(tty);
    return answered;
}
