/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options every command that makes media shares: the source, the
 * filters that select studies, media options; then one run of a job.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_CONFIG "/etc/pdiburn/pdiburn.conf"

enum {
    OPT_FROM = 256, OPT_STUDY, OPT_ACCESSION, OPT_PATIENT_ID, OPT_SINCE,
    OPT_UNTIL, OPT_MODALITY, OPT_VOLUME_ID, OPT_INSTITUTION, OPT_CONTACT,
    OPT_SKIP_UNSUPPORTED, OPT_NO_VERIFY, OPT_SPOOL, OPT_VIEWER, OPT_REPORT,
    OPT_NO_WEB, OPT_ENCRYPT, OPT_PASSPHRASE_FILE, OPT_MEDIA, OPT_MAX_SIZE,
    OPT_DRY_RUN, OPT_REPLACE, OPT_PROFILE, OPT_DRIVE, OPT_SPEED,
    OPT_NO_EJECT, OPT_LABEL, OPT_COPY_TYPE, OPT_PAPER, OPT_ROBOT,
    OPT_ROBOT_PATH, OPT_COPIES,
};

static const struct option export_options[] = {
    { "from", required_argument, NULL, OPT_FROM },
    { "study", required_argument, NULL, OPT_STUDY },
    { "accession", required_argument, NULL, OPT_ACCESSION },
    { "patient-id", required_argument, NULL, OPT_PATIENT_ID },
    { "since", required_argument, NULL, OPT_SINCE },
    { "until", required_argument, NULL, OPT_UNTIL },
    { "modality", required_argument, NULL, OPT_MODALITY },
    { "volume-id", required_argument, NULL, OPT_VOLUME_ID },
    { "institution", required_argument, NULL, OPT_INSTITUTION },
    { "contact", required_argument, NULL, OPT_CONTACT },
    { "skip-unsupported", no_argument, NULL, OPT_SKIP_UNSUPPORTED },
    { "no-verify", no_argument, NULL, OPT_NO_VERIFY },
    { "spool", required_argument, NULL, OPT_SPOOL },
    { "viewer", required_argument, NULL, OPT_VIEWER },
    { "report", required_argument, NULL, OPT_REPORT },
    { "no-web", no_argument, NULL, OPT_NO_WEB },
    { "encrypt", no_argument, NULL, OPT_ENCRYPT },
    { "passphrase-file", required_argument, NULL, OPT_PASSPHRASE_FILE },
    { "media", required_argument, NULL, OPT_MEDIA },
    { "max-size", required_argument, NULL, OPT_MAX_SIZE },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "replace", no_argument, NULL, OPT_REPLACE },
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "drive", required_argument, NULL, OPT_DRIVE },
    { "speed", required_argument, NULL, OPT_SPEED },
    { "no-eject", no_argument, NULL, OPT_NO_EJECT },
    { "label", required_argument, NULL, OPT_LABEL },
    { "copy-type", required_argument, NULL, OPT_COPY_TYPE },
    { "paper", required_argument, NULL, OPT_PAPER },
    { "robot", required_argument, NULL, OPT_ROBOT },
    { "robot-path", required_argument, NULL, OPT_ROBOT_PATH },
    { "copies", required_argument, NULL, OPT_COPIES },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static void usage(const char *command)
{
    printf("usage: pdiburn %s --from DIR [FILTERS] [OPTIONS]%s\n\n"
           "Filters (studies that match all of them):\n"
           "  --study UID          Study Instance UID (repeatable)\n"
           "  --accession N        Accession Number (repeatable)\n"
           "  --patient-id ID      Patient ID\n"
           "  --since DATE         study date from (YYYY-MM-DD)\n"
           "  --until DATE         study date until (YYYY-MM-DD)\n"
           "  --modality M         studies with a series of modality M\n"
           "Options:\n"
           "  --volume-id ID       File-set ID and volume label (A-Z 0-9 _)\n"
           "  --media M            cd, dvd, dvd-dl, bd, usb-SIZE: split to "
           "fit (iso: cd)\n"
           "  --max-size BYTES     split into volumes of at most BYTES\n"
           "  --dry-run            print the volumes, write nothing\n"
           "  --profile P          STD-GEN-CD, STD-GEN-DVD-JPEG, "
           "STD-GEN-USB-JPEG\n"
           "  --replace            usb: replace media already on the stick\n"
           "  --drive DEV          burn: the drive (/dev/sr0, stdio:FILE)\n"
           "  --speed S            burn: 8x, max, or kB/s\n"
           "  --no-eject           burn: leave the disc in the drive\n"
           "  --label FILE.pdf     disc labels and cover letters\n"
           "  --copy-type T        patient, physician or legal (label)\n"
           "  --paper P            a4 or letter (label)\n"
           "  --robot KIND:FOLDER  iso, dir: a job for a disc robot "
           "(ptburn, epson)\n"
           "  --robot-path PATH    the robot computer's name for the "
           "output's folder\n"
           "  --copies N           discs the robot makes of each volume\n"
           "  --institution TEXT   institution named in README.TXT\n"
           "  --contact TEXT       how to reach it\n"
           "  --skip-unsupported   leave out, and list, what cannot go on "
           "the media\n"
           "  --viewer=MODE        auto, full (lossless), lite (8-bit "
           "previews), none\n"
           "  --report FILE        a report (PDF, text, HL7 CDA) to add "
           "(repeatable)\n"
           "  --no-web             DICOM only: no pages, viewer or reports\n"
           "  --no-verify          do not read the output back\n"
           "  --spool DIR          where re-encoded files wait (private)\n"
           "  --encrypt            zip: AES-256; passphrase asked on the "
           "terminal\n"
           "  --passphrase-file F  zip: encrypt with the passphrase in F\n\n"
           "See 'man pdiburn-%s'.\n",
           command,
           strcmp(command, "usb") == 0    ? " MOUNTPOINT"
           : strcmp(command, "burn") == 0 ? ""
                                          : " OUTPUT",
           command);
}

struct export_args {
    const char *output;
    const char *volume_id, *institution, *contact, *spool, *viewer;
    const char *passphrase_file, *media, *max_size, *profile, *speed;
    const char *label, *copy_type, *paper, *robot, *robot_path, *copies;
    bool encrypt;
    unsigned flags;
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
    case OPT_FROM: return pdiburn_job_add_source(job, optarg, err);
    case OPT_STUDY:
    case OPT_ACCESSION:
    case OPT_PATIENT_ID:
    case OPT_SINCE:
    case OPT_UNTIL:
    case OPT_MODALITY:
        return pdiburn_job_add_filter(job, filter_of[c - OPT_STUDY], optarg,
                                      err);
    case OPT_VOLUME_ID: a->volume_id = optarg; return true;
    case OPT_INSTITUTION: a->institution = optarg; return true;
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
    case OPT_NO_VERIFY: a->flags &= ~(unsigned) PDIBURN_FLAG_VERIFY; return true;
    default: return true;
    }
}

/* Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, const char *command,
                 struct pdiburn_job *job, struct export_args *a,
                 struct pdiburn_error **err)
{
    int c;
    a->flags = PDIBURN_FLAG_VERIFY;
    while ((c = getopt_long(argc, argv, "h", export_options, NULL)) != -1) {
        if (c == 'h') {
            usage(command);
            return EXIT_OK;
        }
        if (c == '?')
            return EXIT_USAGE;
        if (!take_option(c, job, a, err))
            return -2;
    }
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
    if (a->encrypt && strcmp(command, "zip") != 0) {
        cli_usage_error(command, "only ZIP files can be encrypted");
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
        { PDIBURN_OPT_INSTITUTION,
          a->institution ? a->institution : cfg->institution },
        { PDIBURN_OPT_CONTACT, a->contact ? a->contact : cfg->contact },
        { PDIBURN_OPT_SPOOL_DIR, a->spool ? a->spool : cfg->spool },
        { PDIBURN_OPT_VIEWER, a->viewer },
        { PDIBURN_OPT_MEDIA, a->media },
        { PDIBURN_OPT_MAX_SIZE, a->max_size },
        { PDIBURN_OPT_PROFILE, a->profile },
        { PDIBURN_OPT_SPEED, a->speed },
        { PDIBURN_OPT_LABEL, a->label },
        { PDIBURN_OPT_COPY_TYPE, a->copy_type },
        { PDIBURN_OPT_PAPER, a->paper },
        { PDIBURN_OPT_ROBOT, a->robot },
        { PDIBURN_OPT_ROBOT_PATH, a->robot_path },
        { PDIBURN_OPT_COPIES, a->copies },
    };
    pdiburn_job_set_flags(job, a->flags);
    if (!pdiburn_job_set_target(job, target, a->output, err))
        return false;
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        if (!pdiburn_job_set_option(job, options[i].opt, options[i].value,
                                    err))
            return false;
    return true;
}

static bool load_config(const struct global_opts *g, const char *command,
                        struct site_config *cfg)
{
    const char *path = g->config ? g->config : getenv("PDIBURN_CONFIG");
    return cli_config_load(path ? path : DEFAULT_CONFIG, path != NULL, cfg,
                           command);
}

int cli_export(int argc, char **argv, const struct global_opts *g,
               const char *command, enum pdiburn_target target)
{
    struct pdiburn_error *err = NULL;
    struct export_args a = { 0 };
    struct site_config cfg = { 0 };
    struct pdiburn_job *job = pdiburn_job_new(&err);
    int status = job ? parse(argc, argv, command, job, &a, &err) : -2;
    if (status >= 0 || (status == -1 && !load_config(g, command, &cfg))) {
        pdiburn_job_free(job);
        cli_config_free(&cfg);
        return status >= 0 ? status : EXIT_USAGE;
    }
    if (status == -1 && !set_passphrase(job, &a, command, &err) && !err) {
        pdiburn_job_free(job);
        cli_config_free(&cfg);
        return EXIT_USAGE;
    }
    struct session *s = cli_session_new(command, g);
    if (status == -1 && !err && configure(job, &a, &cfg, target, &err)) {
        cli_session_attach(s, job);
        pdiburn_job_set_medium_prompt(job, cli_ask_for_disc, s);
        pdiburn_job_run(job, &err);
    }
    status = cli_session_finish(s, job, err);
    pdiburn_job_free(job);
    cli_config_free(&cfg);
    return status;
}
