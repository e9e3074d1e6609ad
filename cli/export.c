/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options every command that makes media shares: the source, the
 * filters that select studies, media options; then one run of a job.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "export_options.h"

struct export_args {
    const char *output;
    const char *archive, *catalog;
    bool has_from;
    const char *volume_id, *institution, *address, *contact, *spool, *viewer;
    const char *passphrase_file, *media, *max_size, *profile, *speed;
    const char *label, *copy_type, *paper, *robot, *robot_path, *copies;
    bool encrypt;
    unsigned flags, unflags; /* flags to set, and defaults to clear */
    struct cli_pacs pacs;
    struct pdiburn_pacs_node node;
};

static const enum pdiburn_filter filter_of[] = {
    [OPT_STUDY - OPT_STUDY] = PDIBURN_FILTER_STUDY_UID,
    [OPT_ACCESSION - OPT_STUDY] = PDIBURN_FILTER_ACCESSION,
    [OPT_PATIENT_ID - OPT_STUDY] = PDIBURN_FILTER_PATIENT_ID,
    [OPT_SINCE - OPT_STUDY] = PDIBURN_FILTER_SINCE,
    [OPT_UNTIL - OPT_STUDY] = PDIBURN_FILTER_UNTIL,
    [OPT_MODALITY - OPT_STUDY] = PDIBURN_FILTER_MODALITY,
};

/* Source and filters go straight into the job; the rest into `a`. */
static bool take_option(int c, struct pdiburn_job *job, struct export_args *a,
                        struct pdiburn_error **err)
{
    switch (c) {
    case OPT_FROM:
        a->has_from = true;
        return pdiburn_job_add_source(job, optarg, err);
    case OPT_STUDY:
    case OPT_ACCESSION:
    case OPT_PATIENT_ID:
    case OPT_SINCE:
    case OPT_UNTIL:
    case OPT_MODALITY:
        return pdiburn_job_add_filter(job, filter_of[c - OPT_STUDY], optarg,
                                      err);
    case OPT_ISSUER:
        return pdiburn_job_add_filter(job, PDIBURN_FILTER_ISSUER, optarg, err);
    case OPT_NAME:
        return pdiburn_job_add_filter(job, PDIBURN_FILTER_NAME, optarg, err);
    case OPT_BIRTH_DATE:
        return pdiburn_job_add_filter(job, PDIBURN_FILTER_BIRTH_DATE, optarg,
                                      err);
    case OPT_ARCHIVE: a->archive = optarg; return true;
    case OPT_CATALOG: a->catalog = optarg; return true;
    case OPT_STRICT: a->flags |= PDIBURN_FLAG_STRICT; return true;
    case OPT_VOLUME_ID: a->volume_id = optarg; return true;
    case OPT_INSTITUTION: a->institution = optarg; return true;
    case OPT_ADDRESS: a->address = optarg; return true;
    case OPT_CONTACT: a->contact = optarg; return true;
    case OPT_SPOOL: a->spool = optarg; return true;
    case OPT_VIEWER: a->viewer = optarg; return true;
    case OPT_REPORT: return pdiburn_job_add_report(job, optarg, err);
    case OPT_NO_WEB: a->flags |= PDIBURN_FLAG_NO_WEB; return true;
    case OPT_ENCRYPT: a->encrypt = true; return true;
    case OPT_MEDIA: a->media = optarg; return true;
    case OPT_MAX_SIZE: a->max_size = optarg; return true;
    case OPT_DRY_RUN: a->flags |= PDIBURN_FLAG_DRY_RUN; return true;
    case OPT_REPLACE: a->flags |= PDIBURN_FLAG_REPLACE; return true;
    case OPT_PROFILE: a->profile = optarg; return true;
    case OPT_DRIVE: a->output = optarg; return true;
    case OPT_SPEED: a->speed = optarg; return true;
    case OPT_NO_EJECT: a->flags |= PDIBURN_FLAG_NO_EJECT; return true;
    case OPT_LABEL: a->label = optarg; return true;
    case OPT_COPY_TYPE: a->copy_type = optarg; return true;
    case OPT_PAPER: a->paper = optarg; return true;
    case OPT_ROBOT: a->robot = optarg; return true;
    case OPT_ROBOT_PATH: a->robot_path = optarg; return true;
    case OPT_COPIES: a->copies = optarg; return true;
    case OPT_PASSPHRASE_FILE:
        a->encrypt = true;
        a->passphrase_file = optarg;
        return true;
    case OPT_SKIP_UNSUPPORTED:
        a->flags |= PDIBURN_FLAG_SKIP_UNSUPPORTED;
        return true;
    case OPT_NO_VERIFY: a->unflags |= PDIBURN_FLAG_VERIFY; return true;
    default: return true; /* OPT_DRIVE: taken by take_option */
    }
}

/* Returns -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, unsigned command,
                         struct pdiburn_job *job, struct export_args *a,
                         struct pdiburn_error **err)
{
    const struct option *opts = export_getopt_table();
    int c;
    opterr = 0; /* we say it, naming the command */
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            export_usage(command);
            return EXIT_OK;
        }
        if (c == '?') {
            cli_usage_error(export_command_name(command),
                            "'%s' is not an option, or lacks its value",
                            argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (!export_option_applies(c, command))
            return EXIT_USAGE;
        if (cli_pacs_is_option(c)) {
            if (!cli_pacs_option(&a->pacs, c, optarg,
                                 export_command_name(command)))
                return EXIT_USAGE;
            continue;
        }
        if (!take_option(c, job, a, err))
            return -2;
    }
    return -1;
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, const char *command,
                 struct pdiburn_job *job, struct export_args *a,
                 struct pdiburn_error **err)
{
    int status = parse_options(argc, argv, export_command_bit(command), job, a, err);
    if (status != -1)
        return status;
    bool burn = strcmp(command, "burn") == 0;
    if (burn && argc > optind) {
        cli_usage_error(command, "the drive is given with --drive");
        return EXIT_USAGE;
    }
    if (burn)
        return -1;
    if (argc - optind != 1) {
        cli_usage_error(command, argc - optind ? "give exactly one output"
                                               : "no output given");
        return EXIT_USAGE;
    }
    a->output = argv[optind];
    return -1;
}

/* Asked for only after the command line is known to be good. */
static bool set_passphrase(struct pdiburn_job *job,
                           const struct export_args *a, const char *command,
                           struct pdiburn_error **err)
{
    return !a->encrypt ||
           cli_job_passphrase(job, cli_passphrase(a->passphrase_file, command),
                              err);
}

static const char *either(const char *option, const struct site_config *cfg,
                          enum site_key key)
{
    return option ? option : cli_config_get(cfg, key);
}

/* --pacs; --archive (or --catalog); the folders of --from; else the
 * archive of the site configuration (or PDIBURN_ARCHIVE). */
static bool set_source(struct pdiburn_job *job, const struct export_args *a,
                       const struct site_config *cfg,
                       struct pdiburn_error **err)
{
    const char *archive = a->archive, *catalog = a->catalog;
    bool named = archive || catalog;
    if (a->pacs.node &&
        !pdiburn_job_add_pacs(job, &a->node, &a->pacs.settings, err))
        return false;
    if (!named && (a->has_from || a->pacs.node ||
                   !(archive = cli_config_get(cfg, KEY_ARCHIVE)) || !*archive))
        return true; /* --from, --pacs, or no source: the run says so */
    if (!catalog)
        catalog = cli_config_get(cfg, KEY_CATALOG);
    return pdiburn_job_set_archive(job, archive, catalog, err);
}

static bool configure(struct pdiburn_job *job, const struct export_args *a,
                      const struct site_config *cfg,
                      enum pdiburn_target target, struct pdiburn_error **err)
{
    /* Options on the command line win over the site configuration. */
    const struct {
        enum pdiburn_option opt;
        const char *value;
    } options[] = {
        { PDIBURN_OPT_VOLUME_ID, a->volume_id },
        { PDIBURN_OPT_INSTITUTION, either(a->institution, cfg, KEY_INSTITUTION) },
        { PDIBURN_OPT_ADDRESS, either(a->address, cfg, KEY_ADDRESS) },
        { PDIBURN_OPT_CONTACT, either(a->contact, cfg, KEY_CONTACT) },
        { PDIBURN_OPT_SPOOL_DIR, either(a->spool, cfg, KEY_SPOOL) },
        { PDIBURN_OPT_VIEWER, either(a->viewer, cfg, KEY_VIEWER) },
        { PDIBURN_OPT_MEDIA, either(a->media, cfg, KEY_MEDIA) },
        { PDIBURN_OPT_MAX_SIZE, a->max_size },
        { PDIBURN_OPT_PROFILE, either(a->profile, cfg, KEY_PROFILE) },
        { PDIBURN_OPT_SPEED, a->speed },
        { PDIBURN_OPT_LABEL, a->label },
        { PDIBURN_OPT_COPY_TYPE, a->copy_type },
        { PDIBURN_OPT_PAPER, a->paper },
        { PDIBURN_OPT_ROBOT, a->robot },
        { PDIBURN_OPT_ROBOT_PATH, a->robot_path },
        { PDIBURN_OPT_COPIES, a->copies },
    };
    pdiburn_job_set_flags(job, a->flags);
    pdiburn_job_clear_flags(job, a->unflags);
    if (!set_source(job, a, cfg, err) ||
        !pdiburn_job_set_target(job, target, a->output, err))
        return false;
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (!pdiburn_job_set_option(job, options[i].opt, options[i].value,
                                    err))
            return false;
    return true;
}

/* Configured, run, and its audit record kept; the session reports. */
static int run(struct pdiburn_job *job, const struct export_args *a,
               const struct site_config *cfg, struct audit_trail *trail,
               const char *command, enum pdiburn_target target,
               const struct global_opts *g, struct pdiburn_error *err)
{
    struct session *s = cli_session_new(command, g);
    if (!err && configure(job, a, cfg, target, &err)) {
        cli_session_attach(s, job);
        pdiburn_job_set_medium_prompt(job, cli_ask_for_disc, s);
        pdiburn_job_run(job, &err);
        if (trail)
            cli_audit_record(trail, job, s);
    }
    return cli_session_finish(s, job, err);
}

/* The site configuration, through which a named PACS node resolves. */
static bool load_settings(const struct global_opts *g, const char *command,
                          struct export_args *a, struct site_config *cfg)
{
    return cli_config_load_all(g->config, command, cfg) &&
           (!a->pacs.node || cli_pacs_node(&a->pacs, cfg, &a->node, command)) &&
           cli_pacs_check(&a->pacs, command);
}

/* Usage problems end the command before anything is read; so does an
 * audit log that cannot be written (exit 5), except for a dry run, which
 * discloses nothing. */
static int prepare(int argc, char **argv, const struct global_opts *g,
                   const char *command, struct pdiburn_job *job,
                   struct export_args *a, struct site_config *cfg,
                   struct audit_trail **trail, struct pdiburn_error **err)
{
    int status = job ? parse(argc, argv, command, job, a, err) : -2;
    if (status >= 0)
        return status;
    if (status == -2)
        return -1; /* *err says why; the session reports it */
    if (!load_settings(g, command, a, cfg))
        return EXIT_USAGE;
    if (!set_passphrase(job, a, command, err) && !*err)
        return EXIT_USAGE;
    if (*err || (a->flags & PDIBURN_FLAG_DRY_RUN))
        return -1;
    *trail = cli_audit_open(cfg, command);
    return *trail ? -1 : EXIT_OUTPUT;
}

int cli_export(int argc, char **argv, const struct global_opts *g,
               const char *command, enum pdiburn_target target)
{
    struct pdiburn_error *err = NULL;
    struct export_args a = { 0 };
    struct site_config cfg = { 0 };
    struct audit_trail *trail = NULL;
    struct pdiburn_job *job = pdiburn_job_new(&err);
    int status =
        prepare(argc, argv, g, command, job, &a, &cfg, &trail, &err);
    if (status < 0)
        status = run(job, &a, &cfg, trail, command, target, g, err);
    else
        pdiburn_error_free(err);
    cli_audit_close(trail);
    pdiburn_job_free(job);
    cli_config_free(&cfg);
    return status;
}
