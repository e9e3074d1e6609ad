/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The jobs of a job file, each checked against the options of its
 * command (export_options.c says which option each command takes) and
 * turned into that command's argument vector: field `patient_id` is
 * --patient-id, a switch is given as true or false, a repeatable option
 * takes several values separated by ';' or as a JSON array.  A job that
 * does not check out is that job's failure (exit status 2), not the
 * batch's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "export_options.h"

struct argv_buf {
    char **v;
    size_t n;
    bool nomem;
};

static void push(struct argv_buf *a, const char *s)
{
    char **grown = realloc(a->v, (a->n + 2) * sizeof(char *));
    char *copy = strdup(s);
    if (!grown || !copy) {
        free(copy);
        if (grown)
            a->v = grown;
        a->nomem = true;
        return;
    }
    a->v = grown;
    a->v[a->n++] = copy;
    a->v[a->n] = NULL;
}

static const char *value_of(const struct job_fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->f[i].name, name) == 0)
            return f->f[i].nvalues == 1 ? f->f[i].values[0] : NULL;
    return NULL;
}

static int switch_value(const char *v)
{
    static const char *const yes[] = { "true", "yes", "1", NULL };
    static const char *const no[] = { "false", "no", "0", NULL };
    for (size_t i = 0; yes[i]; i++) {
        if (strcmp(v, yes[i]) == 0)
            return 1;
        if (strcmp(v, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* One value of an option: ';' separates the values of a repeatable one. */
static void push_values(struct argv_buf *a, const char *opt,
                        const char *value, bool split)
{
    char *copy = strdup(value), *save = NULL;
    if (!copy) {
        a->nomem = true;
        return;
    }
    for (char *v = split ? strtok_r(copy, ";", &save) : copy; v;
         v = split ? strtok_r(NULL, ";", &save) : NULL) {
        push(a, opt);
        push(a, v);
    }
    free(copy);
}

static char *problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *problem(const char *fmt, ...)
{
    va_list ap;
    char *why = NULL;
    va_start(ap, fmt);
    if (vasprintf(&why, fmt, ap) < 0)
        why = NULL;
    va_end(ap);
    return why ? why : strdup("out of memory");
}

/* The option a field names, and whether this command takes it. */
static char *option_of(const struct job_field *f, unsigned command,
                       char *opt, size_t len, struct export_option_info *o)
{
    snprintf(opt, len, "--%s", f->name);
    for (char *p = opt; *p; p++)
        *p = *p == '_' ? '-' : *p;
    if (!export_option_lookup(opt + 2, o) || strcmp(f->name, "drive") == 0)
        return problem("field '%s' is not an option of pdiburn %s", f->name,
                       export_command_name(command));
    if (!(o->commands & command))
        return problem("field '%s': %s is not an option of pdiburn %s",
                       f->name, opt, export_command_name(command));
    if (f->nvalues > 1 && !o->repeatable)
        return problem("field '%s' takes one value", f->name);
    return NULL;
}

/* NULL when the field went into the arguments, else why not. */
static char *take_field(struct argv_buf *a, const struct job_field *f,
                        unsigned command)
{
    struct export_option_info o;
    char opt[128];
    char *why = option_of(f, command, opt, sizeof(opt), &o);
    for (size_t i = 0; !why && i < f->nvalues; i++) {
        int on = o.takes_value ? 1 : switch_value(f->values[i]);
        if (on < 0)
            return problem("field '%s': give true or false", f->name);
        if (!o.takes_value && on)
            push(a, opt);
        else if (o.takes_value && f->values[i][0])
            push_values(a, opt, f->values[i], o.repeatable);
    }
    return why;
}

static bool reserved(const char *name)
{
    return strcmp(name, "id") == 0 || strcmp(name, "command") == 0 ||
           strcmp(name, "output") == 0;
}

/* Nobody is there to type a passphrase or confirm a disc. */
static char *unattended(const struct job_fields *f)
{
    const char *enc = value_of(f, "encrypt");
    if (enc && switch_value(enc) == 1 && !value_of(f, "passphrase_file"))
        return strdup("a batch job cannot ask for a passphrase: give "
                      "passphrase_file");
    return NULL;
}

static char *build(struct batch_job *job, const struct job_fields *f,
                   unsigned command)
{
    struct argv_buf a = { 0 };
    char *why = unattended(f);
    for (size_t i = 0; !why && i < f->n; i++)
        if (!reserved(f->f[i].name))
            why = take_field(&a, &f->f[i], command);
    if (!why && command == CMD_BURN && job->output[0]) {
        push(&a, "--drive");
        push(&a, job->output);
    } else if (!why && command != CMD_BURN) {
        push(&a, "--"); /* an output that starts with '-' is no option */
        push(&a, job->output);
    }
    if (!why && a.nomem)
        why = strdup("out of memory");
    job->args = a.v;
    return why;
}

static char *conflict_key(const char *output)
{
    char *dir = strdup(output), *real = NULL, *key = NULL;
    char *slash = dir ? strrchr(dir, '/') : NULL;
    const char *base = slash ? slash + 1 : output;
    if (slash)
        *slash = 0;
    real = realpath(slash ? (dir[0] ? dir : "/") : ".", NULL);
    if (real && asprintf(&key, "%s/%s", real, base) < 0)
        key = NULL;
    free(real);
    free(dir);
    return key ? key : strdup(output);
}

static char *check(struct batch_job *job, const struct job_fields *f)
{
    const char *command = value_of(f, "command");
    const char *output = value_of(f, "output");
    char default_id[24];
    snprintf(default_id, sizeof(default_id), "%zu", job->index + 1);
    job->id = strdup(value_of(f, "id") ? value_of(f, "id") : default_id);
    job->command = strdup(command ? command : "");
    job->output = strdup(output ? output : "");
    job->conflict = conflict_key(job->output);
    if (!job->id || !job->command || !job->output || !job->conflict)
        return strdup("out of memory");
    unsigned bit = export_command_bit(job->command);
    if (!bit)
        return strdup("field 'command': give iso, dir, zip, usb or burn");
    if (!output && bit != CMD_BURN)
        return strdup("field 'output' is missing");
    return build(job, f, bit);
}

void cli_fields_free(struct job_fields *f)
{
    for (size_t i = 0; i < f->n; i++) {
        for (size_t k = 0; k < f->f[i].nvalues; k++)
            free(f->f[i].values[k]);
        free(f->f[i].values);
        free(f->f[i].name);
    }
    free(f->f);
}

static bool json_lines(FILE *f, struct job_fields **jobs, size_t *n,
                       char **why)
{
    char *line = NULL;
    size_t cap = 0;
    unsigned number = 0;
    bool ok = true;
    *jobs = NULL;
    *n = 0;
    for (ssize_t len; ok && (len = getline(&line, &cap, f)) > 0;) {
        number++;
        if (strspn(line, " \t\r\n") == (size_t) len)
            continue;
        struct job_fields *grown = realloc(*jobs, (*n + 1) * sizeof(*grown));
        ok = grown != NULL;
        if (ok) {
            *jobs = grown;
            grown[*n] = (struct job_fields){ .line = number };
            ok = cli_json_job(line, &grown[(*n)++], why);
        }
        if (!ok && asprintf(why, "line %u: %s", number,
                            *why ? *why : "out of memory") < 0)
            *why = NULL;
    }
    free(line);
    return ok;
}

/* .csv is CSV, .jsonl/.ndjson/.json JSON lines; else a first '{' says
 * JSON lines. */
static bool is_json(const char *path, FILE *f)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcmp(dot, ".csv") == 0)
        return false;
    if (dot && (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".ndjson") == 0 ||
                strcmp(dot, ".json") == 0))
        return true;
    int c;
    while ((c = fgetc(f)) == ' ' || c == '\t' || c == '\r' || c == '\n')
        ;
    if (c != EOF)
        ungetc(c, f);
    return c == '{';
}

static bool read_fields(const char *path, struct job_fields **fields,
                        size_t *n, char **why)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (asprintf(why, "%s", strerror(errno)) < 0)
            *why = NULL;
        return false;
    }
    bool ok = is_json(path, f) ? json_lines(f, fields, n, why)
                               : cli_csv_jobs(f, fields, n, why);
    fclose(f);
    return ok;
}

bool cli_batch_read(const char *path, struct batch_job **jobs, size_t *n,
                    char **why)
{
    struct job_fields *fields = NULL;
    size_t nfields = 0;
    bool ok = read_fields(path, &fields, &nfields, why);
    *jobs = ok ? calloc(nfields + 1, sizeof(**jobs)) : NULL;
    *n = 0;
    for (size_t i = 0; *jobs && i < nfields; i++) {
        struct batch_job *job = &(*jobs)[(*n)++];
        job->index = i;
        job->line = fields[i].line;
        job->invalid = check(job, &fields[i]);
    }
    for (size_t i = 0; i < nfields; i++)
        cli_fields_free(&fields[i]);
    free(fields);
    if (ok && !*jobs && asprintf(why, "out of memory") < 0)
        *why = NULL;
    return ok && *jobs;
}

void cli_batch_jobs_free(struct batch_job *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(jobs[i].id);
        free(jobs[i].command);
        free(jobs[i].output);
        free(jobs[i].conflict);
        free(jobs[i].invalid);
        for (char **a = jobs[i].args; a && *a; a++)
            free(*a);
        free(jobs[i].args);
    }
    free(jobs);
}
