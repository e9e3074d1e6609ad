/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public job object: what the caller set (sources, filters, target,
 * options, callbacks), the cancel flag, and the summary of what was done.
 * Running it is run.c's business.
 */
#include <errno.h>
#include <math.h> /* isfinite */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "spanning.h"
#include "transfer_syntax.h"
#include "dicom.h"
#include "select.h"

#define REPORT_MAX (256u << 20) /* as lib/web/reports.c reads them */

struct pdiburn_job *pdiburn_job_new(struct pdiburn_error **err)
{
    struct pdiburn_job *job = calloc(1, sizeof(*job));
    if (!job) {
        pdb_fail_nomem(err);
        return NULL;
    }
    atomic_init(&job->ctl.cancelled, false);
    job->flags = PDIBURN_FLAG_VERIFY;
    return job;
}

void pdiburn_job_free(struct pdiburn_job *job)
{
    if (!job)
        return;
    for (size_t i = 0; i < job->nsources; i++)
        free(job->sources[i]);
    free(job->sources);
    free(job->pacs);
    free(job->archive);
    free(job->catalog);
    pdb_selection_free(&job->selection);
    char *secret = job->options[PDIBURN_OPT_PASSPHRASE];
    if (secret) /* not left in freed memory */
        explicit_bzero(secret, strlen(secret));
    for (int i = 0; i < PDB_NOPTIONS; i++)
        free(job->options[i]);
    for (size_t i = 0; i < job->nreports; i++)
        free(job->reports[i]);
    free(job->reports);
    free(job->target_path);
    free(job->output);
    pdb_job_clear_volumes(job);
    pdb_audit_clear(&job->audit);
    free(job->requestor);
    free(job->requestor_name);
    pdb_findings_clear(&job->findings);
    free(job);
}

void pdb_job_clear_volumes(struct pdiburn_job *job)
{
    for (size_t i = 0; i < job->nvolumes; i++) {
        free((char *) job->volumes[i].output);
        free((char *) job->volumes[i].contents);
    }
    free(job->volumes);
    job->volumes = NULL;
    job->nvolumes = 0;
}

size_t pdiburn_job_volume_count(const struct pdiburn_job *job)
{
    return job->nvolumes;
}

const struct pdiburn_volume *pdiburn_job_volume(const struct pdiburn_job *job,
                                                size_t index)
{
    return index < job->nvolumes ? &job->volumes[index] : NULL;
}

void pdiburn_job_set_log(struct pdiburn_job *job, pdiburn_log_fn fn,
                         void *user)
{
    job->ctl.log.fn = fn;
    job->ctl.log.user = user;
}

void pdiburn_job_set_phi_in_log(struct pdiburn_job *job, bool allowed)
{
    job->ctl.log.phi_allowed = allowed;
}

void pdiburn_job_set_progress(struct pdiburn_job *job, pdiburn_progress_fn fn,
                              void *user)
{
    job->ctl.progress = fn;
    job->ctl.progress_user = user;
}

bool pdiburn_job_add_source(struct pdiburn_job *job, const char *folder,
                            struct pdiburn_error **err)
{
    if (!folder || !*folder)
        return pdb_fail(err, PDIBURN_E_USAGE, "empty source folder name");
    if (job->from_archive)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "a job reads folders or the archive, not both");
    char *copy = strdup(folder);
    if (!copy || !pdb_grow(&job->sources, job->nsources, sizeof(char *))) {
        free(copy);
        return pdb_fail_nomem(err);
    }
    job->sources[job->nsources++] = copy;
    return true;
}

bool pdiburn_job_add_pacs(struct pdiburn_job *job,
                          const struct pdiburn_pacs_node *node,
                          const struct pdiburn_pacs_settings *s,
                          struct pdiburn_error **err)
{
    struct pdb_pacs *p = malloc(sizeof(*p));
    if (!p)
        return pdb_fail_nomem(err);
    if (!pdb_pacs_init(p, node, s, err)) {
        free(p);
        return false;
    }
    free(job->pacs);
    job->pacs = p;
    return true;
}

static bool copy_or_null(const char *in, char **out)
{
    *out = in && *in ? strdup(in) : NULL;
    return !(in && *in) || *out;
}

bool pdiburn_job_set_archive(struct pdiburn_job *job, const char *archive,
                             const char *catalog, struct pdiburn_error **err)
{
    if ((!archive || !*archive) && (!catalog || !*catalog))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "no archive folder or catalog given");
    if (job->nsources)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "a job reads folders or the archive, not both");
    char *a = NULL, *c = NULL;
    if (!copy_or_null(archive, &a) || !copy_or_null(catalog, &c)) {
        free(a);
        return pdb_fail_nomem(err);
    }
    free(job->archive);
    free(job->catalog);
    job->archive = a;
    job->catalog = c;
    job->from_archive = true;
    return true;
}

static bool isdigit_first(const char *s)
{
    return *s >= '0' && *s <= '9';
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* YYYY-MM-DD or YYYYMMDD, digits where digits go. */
static bool date_shape(const char *v)
{
    size_t len = strlen(v);
    bool dashed = len == 10 && v[4] == '-' && v[7] == '-';
    if (len != 8 && !dashed)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!(dashed && (i == 4 || i == 7)) && (v[i] < '0' || v[i] > '9'))
            return false;
    return true;
}

/* Naming a day of the calendar: 2024-13-45 is a typing error to point
 * out, not a range that matches no study. */
static bool date_valid(const char *v)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31 };
    if (!date_shape(v))
        return false;
    bool dashed = v[4] == '-';
    int y = atoi(v) / (dashed ? 1 : 10000);
    int m = dashed ? atoi(v + 5) : atoi(v) / 100 % 100;
    int d = dashed ? atoi(v + 8) : atoi(v) % 100;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 &&
           d <= days[m - 1] + (m == 2 && leap(y));
}

bool pdiburn_job_add_filter(struct pdiburn_job *job, enum pdiburn_filter kind,
                            const char *value, struct pdiburn_error **err)
{
    if (!value || !*value)
        return pdb_fail(err, PDIBURN_E_USAGE, "an empty filter value");
    bool date = kind == PDIBURN_FILTER_SINCE || kind == PDIBURN_FILTER_UNTIL;
    if (date && !date_valid(value))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "'%s' is not a date (YYYY-MM-DD or YYYYMMDD)", value);
    return pdb_selection_add(&job->selection, kind, value, err);
}

/* A report is a readable plain file of at most REPORT_MAX bytes: not a
 * device (/dev/zero would make an empty report), not a folder. */
static bool report_valid(const char *path, struct pdiburn_error **err)
{
    struct stat st;
    if (stat(path, &st) != 0 || access(path, R_OK) != 0)
        return pdb_fail(err, PDIBURN_E_USAGE, "report '%s': %s", path,
                        strerror(errno));
    if (!S_ISREG(st.st_mode))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "report '%s' is not a plain file", path);
    if (st.st_size == 0 || (uint64_t) st.st_size > REPORT_MAX)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "report '%s' is %s", path,
                        st.st_size ? "larger than 256 MB" : "empty");
    return true;
}

bool pdiburn_job_add_report(struct pdiburn_job *job, const char *path,
                            struct pdiburn_error **err)
{
    if (!path || !*path)
        return pdb_fail(err, PDIBURN_E_USAGE, "empty report file name");
    if (!report_valid(path, err))
        return false;
    char *copy = strdup(path);
    if (!copy || !pdb_grow(&job->reports, job->nreports, sizeof(char *))) {
        free(copy);
        return pdb_fail_nomem(err);
    }
    job->reports[job->nreports++] = copy;
    return true;
}

bool pdiburn_job_set_target(struct pdiburn_job *job,
                            enum pdiburn_target kind, const char *path,
                            struct pdiburn_error **err)
{
    if (kind != PDIBURN_TARGET_DIR && kind != PDIBURN_TARGET_ISO &&
        kind != PDIBURN_TARGET_ZIP && kind != PDIBURN_TARGET_USB &&
        kind != PDIBURN_TARGET_DISC)
        return pdb_fail(err, PDIBURN_E_USAGE, "unknown target kind");
    if ((!path || !*path) && kind != PDIBURN_TARGET_DISC)
        return pdb_fail(err, PDIBURN_E_USAGE, "empty output name");
    if (!path)
        path = ""; /* a disc target without a drive: the first one found */
    char *copy = strdup(path);
    if (!copy)
        return pdb_fail_nomem(err);
    free(job->target_path);
    job->target_path = copy;
    job->target = kind;
    return true;
}

static bool check_viewer(const char *value, struct pdiburn_error **err)
{
    static const char *const viewers[] = { "auto", "full", "lite", "none" };
    for (size_t i = 0; i < sizeof(viewers) / sizeof(viewers[0]); i++)
        if (strcmp(value, viewers[i]) == 0)
            return true;
    return pdb_fail(err, PDIBURN_E_USAGE,
                    "viewer '%s': use auto, full, lite or none", value);
}

/* Digits only: strtoull() would take "-5" as 2^64-5 and turn an
 * overflow into ULLONG_MAX. */
static bool check_size(const char *value, struct pdiburn_error **err)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(value, &end, 10);
    if (strspn(value, "0123456789") != strlen(value) || !*value || *end ||
        errno == ERANGE || n < (1u << 20) || n > (1ull << 60))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--max-size '%s': give bytes, from 1 MiB to 1 EiB",
                        value);
    return true;
}

/* usb-SIZE in bytes, K, M, G or T: at least a megabyte, at most a
 * petabyte, checked before spanning.c turns it into a byte count. */
static bool usb_size_valid(const char *size)
{
    char *end = NULL;
    double n = strtod(size, &end);
    const char *units = "KMGT";
    const char *u = *end && !end[1] ? strchr(units, *end) : NULL;
    double scale = *end && !u ? 0 : 1;
    for (const char *p = units; u && p <= u; p++)
        scale *= 1000;
    return end != size && isdigit_first(size) && isfinite(n) &&
           n * scale >= 1e6 && n * scale <= 1e15;
}

static bool check_media(const char *value, struct pdiburn_error **err)
{
    uint64_t bytes = 0;
    if (strncmp(value, "usb-", 4) == 0 && !usb_size_valid(value + 4))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--media '%s': give the stick's size, from 1M to "
                        "1000T, e.g. usb-8G",
                        value);
    return pdb_span_capacity(value, &bytes, err);
}

static const char *const copy_types[] = { "patient", "physician", "legal",
                                          NULL };
static const char *const papers[] = { "a4", "letter", NULL };

static bool check_word(const char *value, const char *const *words,
                       struct pdiburn_error **err)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(value, words[i]) == 0)
            return true;
    return pdb_fail(err, PDIBURN_E_USAGE, "'%s': use %s or %s%s%s", value,
                    words[0], words[1], words[2] ? " or " : "",
                    words[2] ? words[2] : "");
}

static bool check_copies(const char *value, struct pdiburn_error **err)
{
    char *end = NULL;
    long n = strtol(value, &end, 10);
    if (end == value || *end || n < 1 || n > 1000)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "--copies '%s': give a number from 1 to 1000", value);
    return true;
}

static bool check_option(enum pdiburn_option opt, const char *value,
                         struct pdiburn_error **err)
{
    switch (opt) {
    case PDIBURN_OPT_VOLUME_ID:
        return pdb_fileset_id_valid(value) ||
               pdb_fail(err, PDIBURN_E_USAGE,
                        "volume ID '%s': use at most 16 of A-Z, 0-9 and _ "
                        "(DICOM PS3.10 8.5)",
                        value);
    case PDIBURN_OPT_VIEWER: return check_viewer(value, err);
    case PDIBURN_OPT_MAX_SIZE: return check_size(value, err);
    case PDIBURN_OPT_VERIFY_PROFILE:
        return pdb_profile_known(value) ||
               pdb_fail(err, PDIBURN_E_USAGE,
                        "profile '%s': not a general-purpose application "
                        "profile verify knows (see pdiburn-verify(1))",
                        value);
    case PDIBURN_OPT_PROFILE:
        return pdb_ts_profile_parse(value, NULL) ||
               pdb_fail(err, PDIBURN_E_USAGE,
                        "profile '%s': use STD-GEN-CD, STD-GEN-DVD-JPEG or "
                        "STD-GEN-USB-JPEG",
                        value);
    case PDIBURN_OPT_INSTITUTION:
    case PDIBURN_OPT_ADDRESS:
    case PDIBURN_OPT_CONTACT:
    case PDIBURN_OPT_SPOOL_DIR:
    case PDIBURN_OPT_VIEWER_DIR:
    case PDIBURN_OPT_PASSPHRASE:
    case PDIBURN_OPT_SPEED:
    case PDIBURN_OPT_LABEL:
    case PDIBURN_OPT_ROBOT: /* checked with the target, when run */
    case PDIBURN_OPT_ROBOT_PATH: return true;
    case PDIBURN_OPT_MEDIA: return check_media(value, err);
    case PDIBURN_OPT_COPIES: return check_copies(value, err);
    case PDIBURN_OPT_COPY_TYPE: return check_word(value, copy_types, err);
    case PDIBURN_OPT_PAPER: return check_word(value, papers, err);
    }
    return pdb_fail(err, PDIBURN_E_USAGE, "unknown option");
}

bool pdiburn_job_set_option(struct pdiburn_job *job, enum pdiburn_option opt,
                            const char *value, struct pdiburn_error **err)
{
    if ((unsigned) opt >= PDB_NOPTIONS)
        return pdb_fail(err, PDIBURN_E_USAGE, "unknown option %d", (int) opt);
    if (value && !check_option(opt, value, err))
        return false;
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return pdb_fail_nomem(err);
    if (job->options[opt] && opt == PDIBURN_OPT_PASSPHRASE)
        explicit_bzero(job->options[opt], strlen(job->options[opt]));
    free(job->options[opt]);
    job->options[opt] = copy;
    return true;
}

void pdiburn_job_set_medium_prompt(struct pdiburn_job *job,
                                   pdiburn_medium_fn fn, void *user)
{
    job->medium_prompt = fn;
    job->medium_user = user;
}

void pdiburn_job_set_flags(struct pdiburn_job *job, unsigned flags)
{
    job->flags |= flags;
}

void pdiburn_job_clear_flags(struct pdiburn_job *job, unsigned flags)
{
    job->flags &= ~flags;
}

void pdiburn_job_cancel(struct pdiburn_job *job)
{
    atomic_store(&job->ctl.cancelled, true);
}

const struct pdiburn_summary *pdiburn_job_summary(const struct pdiburn_job *job)
{
    return &job->summary;
}

const char *pdiburn_job_output(const struct pdiburn_job *job)
{
    return job->output;
}
