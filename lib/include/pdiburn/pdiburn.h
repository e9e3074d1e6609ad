/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pdiburn.h - the one public header of libpdiburn: patient media from a
 * folder of DICOM files (DICOM PS3.10/11/12, IHE PDI).
 *
 * Conventions, once for the whole header:
 *  - Every fallible function returns bool (true = success) or a pointer
 *    (NULL = failure) and takes `struct pdiburn_error **err` last.  On
 *    failure *err is set unless err is NULL; free it with
 *    pdiburn_error_free().
 *  - Objects are opaque.  X_new() pairs with X_free(); X_free(NULL) is a
 *    no-op.  Strings passed in are copied.
 *  - Returned `const char *` is borrowed: valid until the owning object is
 *    freed or changed.
 *  - The library never writes to stdout or stderr, never exits and never
 *    installs signal handlers.
 */
#ifndef PDIBURN_H
#define PDIBURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PDIBURN_API __attribute__((visibility("default")))
#else
#define PDIBURN_API
#endif

struct pdiburn_error;
struct pdiburn_job;
struct pdiburn_query; /* below, with pdiburn find */
struct pdiburn_match;

/* Error categories.  Append only: values are ABI and each maps to one exit
 * status of the command-line tool. */
enum pdiburn_code {
    PDIBURN_OK = 0,
    PDIBURN_E_NOMEM,     /* allocation failed */
    PDIBURN_E_USAGE,     /* invalid argument or call order */
    PDIBURN_E_IO,        /* reading the source, or the private spool */
    PDIBURN_E_DICOM,     /* input is not usable DICOM, or conflicts */
    PDIBURN_E_NOMATCH,   /* the selection matched no instance */
    PDIBURN_E_PACS,      /* query/retrieve failed */
    PDIBURN_E_MEDIA,     /* output target: file, drive, disc, USB */
    PDIBURN_E_CAPACITY,  /* the content does not fit the target */
    PDIBURN_E_VERIFY,    /* the media differs from what it should hold */
    PDIBURN_E_CANCELLED, /* pdiburn_job_cancel() or the progress callback */
    PDIBURN_E_INTERNAL,  /* a bug in pdiburn */
};

PDIBURN_API enum pdiburn_code
pdiburn_error_code(const struct pdiburn_error *err);
PDIBURN_API const char *pdiburn_error_message(const struct pdiburn_error *err);
PDIBURN_API void pdiburn_error_free(struct pdiburn_error *err);
/* Stable token for machines, e.g. "E_DICOM"; never translated. */
PDIBURN_API const char *pdiburn_code_name(enum pdiburn_code code);

PDIBURN_API const char *pdiburn_version(void);

enum pdiburn_log_level {
    PDIBURN_LOG_ERROR,
    PDIBURN_LOG_WARNING,
    PDIBURN_LOG_INFO,
    PDIBURN_LOG_DEBUG,
};

/* Diagnostics of a running job.  Messages never hold patient data (names,
 * IDs, dates) unless pdiburn_job_set_phi_in_log() allowed it; file paths
 * and UIDs are not treated as patient data. */
typedef void (*pdiburn_log_fn)(enum pdiburn_log_level level, const char *msg,
                               void *user);

enum pdiburn_stage {
    PDIBURN_STAGE_SCAN,   /* reading headers of the source files */
    PDIBURN_STAGE_PLAN,   /* layout, re-encoding into the private spool */
    PDIBURN_STAGE_WRITE,  /* writing the output */
    PDIBURN_STAGE_VERIFY, /* reading the output back */
    PDIBURN_STAGE_PAGES,  /* web pages and the viewer's data */
    PDIBURN_STAGE_RETRIEVE, /* instances arriving from a PACS */
    PDIBURN_STAGE_LIST,   /* listing the files of a folder tree; total 0 */
};

struct pdiburn_progress {
    enum pdiburn_stage stage;
    uint64_t done;    /* bytes in WRITE/VERIFY, files otherwise */
    uint64_t total;   /* 0 when not known */
    const char *item; /* borrowed, valid during the call; may be NULL */
    uint64_t bytes;   /* RETRIEVE: bytes received so far (done and total
                         count instances) */
};

/* Called on the thread that runs the job, at most about ten times a second
 * and at every stage change.  Return false to stop the job: it then fails
 * with PDIBURN_E_CANCELLED. */
typedef bool (*pdiburn_progress_fn)(const struct pdiburn_progress *p,
                                    void *user);

enum pdiburn_target {
    PDIBURN_TARGET_DIR, /* a folder, built under a temporary name */
    PDIBURN_TARGET_ISO, /* an ISO 9660 image file for CD-R (STD-GEN-CD) */
    PDIBURN_TARGET_ZIP, /* a ZIP file (STD-GEN-ZIP-MAIL) */
    PDIBURN_TARGET_USB, /* a mounted USB stick (PS3.12 Annex R) */
    PDIBURN_TARGET_DISC, /* an optical drive ("/dev/sr0", "stdio:FILE") */
};

/* What a job did; every field is zero before pdiburn_job_run(). */
struct pdiburn_summary {
    uint64_t patients, studies, series, instances;
    uint64_t copied;     /* instances copied byte for byte */
    uint64_t reencoded;  /* instances re-encoded to Explicit VR LE */
    uint64_t skipped;    /* instances left out (allowed by an option) */
    uint64_t warnings;   /* warnings logged */
    uint64_t files;      /* files on the media */
    uint64_t bytes;      /* bytes of all files on the media */
    uint64_t problems;   /* verification: differences found */
    uint64_t volumes;    /* media made (or planned, with a dry run); after
                            a failure those that exist (discs burnt) */
    /* From a PACS (all 0 for other sources): */
    uint64_t retrieved;       /* instances received */
    uint64_t retrieved_bytes; /* their bytes */
    uint64_t retrieve_ms;     /* wall time from the first C-FIND to the
                                 last instance */
    uint64_t unidentified; /* source files that looked like DICOM, could
                              not be read, and showed no identifier: left
                              out with a warning */
};

/* One volume of the media: an independent File-set (PS3.11 D.2.1.1). */
struct pdiburn_volume {
    const char *output;  /* its file or folder */
    uint64_t bytes;      /* estimated when planned, exact when written */
    uint64_t studies, series, instances;
    const char *contents; /* one line per study (or part of one) */
};

PDIBURN_API struct pdiburn_job *pdiburn_job_new(struct pdiburn_error **err);
PDIBURN_API void pdiburn_job_free(struct pdiburn_job *job);

PDIBURN_API void pdiburn_job_set_log(struct pdiburn_job *job,
                                     pdiburn_log_fn fn, void *user);
PDIBURN_API void pdiburn_job_set_phi_in_log(struct pdiburn_job *job,
                                            bool allowed);
PDIBURN_API void pdiburn_job_set_progress(struct pdiburn_job *job,
                                          pdiburn_progress_fn fn, void *user);

/* Source: a folder walked recursively.  May be called more than once. */
PDIBURN_API bool pdiburn_job_add_source(struct pdiburn_job *job,
                                        const char *folder,
                                        struct pdiburn_error **err);

/* ---- a PACS: DICOM query/retrieve (PS3.4 C, PS3.7, PS3.8) ---- */

/* Where a PACS is.  `name` is how the user called it: "AET@HOST:PORT" as
 * given, or the name of a node of the site configuration, resolved by
 * whoever read that configuration. */
struct pdiburn_pacs_node {
    char name[128];
    char aet[17];   /* its AE title: the called AE title */
    char host[256];
    uint16_t port;
};

/* "AET@HOST:PORT" into *node (AE title: 1 to 16 characters, no
 * backslash or control characters; port 1 to 65535). */
PDIBURN_API bool pdiburn_pacs_node_parse(const char *text,
                                         struct pdiburn_pacs_node *node,
                                         struct pdiburn_error **err);

enum pdiburn_retrieve {
    PDIBURN_RETRIEVE_GET,  /* C-GET: instances come back on our association */
    PDIBURN_RETRIEVE_MOVE, /* C-MOVE to our own AE title, whose address the
                              PACS must know; we listen on move_port */
};

/* How we talk to a PACS; 0 and NULL take the defaults.  Strings are
 * copied where they are kept. */
struct pdiburn_pacs_settings {
    const char *aet;          /* ours, the calling AE title: "PDIBURN" */
    unsigned connect_timeout; /* seconds for the TCP connection: 30 */
    unsigned acse_timeout;    /* seconds for association set-up: 30 */
    unsigned dimse_timeout;   /* seconds to wait for each message: 30 */
    enum pdiburn_retrieve retrieve;
    uint16_t move_port;       /* C-MOVE only: where our storage SCP listens
                                 while the retrieve lasts */
};

/* C-ECHO: fails with PDIBURN_E_PACS saying what failed (name resolution,
 * connection refused, association rejected and why, timeout). */
PDIBURN_API bool pdiburn_pacs_echo(const struct pdiburn_pacs_node *node,
                                   const struct pdiburn_pacs_settings *s,
                                   struct pdiburn_error **err);

/* Study Root C-FIND at STUDY level.  *matches is malloc'd (free()) and
 * *count may be 0.  `instances` and `series` are what the PACS says, 0
 * when it does not. */
PDIBURN_API bool pdiburn_pacs_find(const struct pdiburn_pacs_node *node,
                                   const struct pdiburn_pacs_settings *s,
                                   const struct pdiburn_query *query,
                                   struct pdiburn_match **matches,
                                   size_t *count,
                                   struct pdiburn_error **err);

/* Source: the studies of a PACS that match the job's filters (at least
 * one filter is needed), retrieved into the private spool and counted
 * against the C-FIND before anything is written.  Replaces an earlier
 * PACS of the job; combines with folders. */
PDIBURN_API bool pdiburn_job_add_pacs(struct pdiburn_job *job,
                                      const struct pdiburn_pacs_node *node,
                                      const struct pdiburn_pacs_settings *s,
                                      struct pdiburn_error **err);

/* Source: the local archive, through its catalog (pdiburn_catalog_index),
 * without reading a header.  `catalog` NULL: the archive's own,
 * ARCHIVE/.pdiburn-catalog.sqlite; `archive` NULL: the folder the catalog
 * was made for.  Instead of folders, not with them.  Before anything is
 * written the run checks that every file it takes, and every folder
 * holding them, is as catalogued, and fails with PDIBURN_E_IO naming what
 * changed otherwise: a stale catalog never makes media missing files. */
PDIBURN_API bool pdiburn_job_set_archive(struct pdiburn_job *job,
                                         const char *archive,
                                         const char *catalog,
                                         struct pdiburn_error **err);

/* Selection.  Filters of different kinds combine with AND; repeated
 * --study/--accession/--modality values combine with OR.  Dates are
 * YYYYMMDD or YYYY-MM-DD, inclusive, days of the calendar (else
 * PDIBURN_E_USAGE).  A name or birth date without a Patient ID must
 * select the studies of one patient: when they match several, the run
 * fails with PDIBURN_E_USAGE instead of guessing. */
enum pdiburn_filter {
    PDIBURN_FILTER_STUDY_UID,
    PDIBURN_FILTER_ACCESSION,
    PDIBURN_FILTER_PATIENT_ID,
    PDIBURN_FILTER_SINCE,
    PDIBURN_FILTER_UNTIL,
    PDIBURN_FILTER_MODALITY,
    PDIBURN_FILTER_ISSUER,     /* Issuer of Patient ID: tells apart
                                  patients who share a Patient ID */
    PDIBURN_FILTER_NAME,       /* Patient's Name: DICOM wildcards * and ?,
                                  any case, accents or character set */
    PDIBURN_FILTER_BIRTH_DATE, /* Patient's Birth Date */
};
PDIBURN_API bool pdiburn_job_add_filter(struct pdiburn_job *job,
                                        enum pdiburn_filter kind,
                                        const char *value,
                                        struct pdiburn_error **err);

PDIBURN_API bool pdiburn_job_set_target(struct pdiburn_job *job,
                                        enum pdiburn_target kind,
                                        const char *path,
                                        struct pdiburn_error **err);

/* Media options.  Text values are copied; NULL restores the default. */
enum pdiburn_option {
    PDIBURN_OPT_VOLUME_ID,   /* File-set ID and volume label, [A-Z0-9_]{0,16} */
    PDIBURN_OPT_INSTITUTION, /* institution that creates the media */
    PDIBURN_OPT_CONTACT,     /* how to reach it: address, phone, e-mail */
    PDIBURN_OPT_SPOOL_DIR,   /* parent of the private spool folder */
    PDIBURN_OPT_VIEWER,      /* "auto" (default), "full", "lite", "none" */
    PDIBURN_OPT_VIEWER_DIR,  /* where the viewer's files are installed */
    PDIBURN_OPT_PASSPHRASE,  /* ZIP: encrypt with AES-256; wiped on free */
    PDIBURN_OPT_MEDIA,       /* cd, dvd, dvd-dl, bd, usb-SIZE (1M to 1000T):
                                split to fit */
    PDIBURN_OPT_MAX_SIZE,    /* bytes a volume may hold, digits from 1 MiB
                                to 1 EiB: split to fit */
    PDIBURN_OPT_PROFILE,     /* STD-GEN-CD, STD-GEN-DVD-JPEG,
                                STD-GEN-USB-JPEG (PS3.11 D, H, J) */
    PDIBURN_OPT_SPEED,       /* disc: "8x", "max", or kB/s */
    PDIBURN_OPT_LABEL,       /* a PDF with disc labels and cover letters */
    PDIBURN_OPT_COPY_TYPE,   /* for the label: patient, physician, legal */
    PDIBURN_OPT_PAPER,       /* for the label: a4 (default), letter */
    PDIBURN_OPT_ROBOT,       /* "ptburn:FOLDER", "epson:FOLDER": a job per
                                volume in the robot's hot folder */
    PDIBURN_OPT_ROBOT_PATH,  /* the robot computer's name for the folder of
                                the outputs ("\\\\server\\share") */
    PDIBURN_OPT_COPIES,      /* robot: discs per volume, 1 to 1000 */
    PDIBURN_OPT_ADDRESS,     /* the institution's postal address */
    PDIBURN_OPT_VERIFY_PROFILE, /* verify: the application profile the
                                   media claims (PS3.11), e.g.
                                   STD-GEN-DVD-J2K; default: judged by the
                                   medium (pdiburn-verify(1)) */
};
PDIBURN_API bool pdiburn_job_set_option(struct pdiburn_job *job,
                                        enum pdiburn_option opt,
                                        const char *value,
                                        struct pdiburn_error **err);

/* A report file (PDF, plain text, HL7 CDA) to put on the media beside the
 * images, shown by the viewer and linked from INDEX.HTM: a readable,
 * non-empty plain file of at most 256 MB, else PDIBURN_E_USAGE. */
PDIBURN_API bool pdiburn_job_add_report(struct pdiburn_job *job,
                                        const char *path,
                                        struct pdiburn_error **err);

enum pdiburn_flag {
    PDIBURN_FLAG_SKIP_UNSUPPORTED = 1u << 0, /* leave out, and list, what
                                                cannot be made conformant */
    PDIBURN_FLAG_VERIFY = 1u << 1,           /* read the output back */
    PDIBURN_FLAG_NO_WEB = 1u << 2,           /* DICOM only: no INDEX.HTM,
                                                IHE_PDI, viewer, reports */
    PDIBURN_FLAG_DRY_RUN = 1u << 3,          /* plan the volumes, write
                                                nothing */
    PDIBURN_FLAG_REPLACE = 1u << 4,          /* USB: replace media already
                                                on the stick */
    PDIBURN_FLAG_NO_EJECT = 1u << 5,         /* disc: leave it in */
    PDIBURN_FLAG_STRICT = 1u << 6,           /* a source file that shows no
                                                patient, study or instance
                                                stops the job */
};

/* Disc k of n (k > 1) is about to be written: called so the user can put
 * in the next blank disc.  Return false to stop the job (cancelled). */
typedef bool (*pdiburn_medium_fn)(unsigned index, unsigned count, void *user);
PDIBURN_API void pdiburn_job_set_medium_prompt(struct pdiburn_job *job,
                                               pdiburn_medium_fn fn,
                                               void *user);

/* ---- finding studies (pdiburn find): in the archive catalog or a PACS ---- */

/* What to look for; NULL or "" = not given.  Names take DICOM wildcards
 * (* and ?) and match whatever their case, accents or character set. */
struct pdiburn_query {
    const char *patient_id;
    const char *issuer;      /* Issuer of Patient ID */
    const char *patient_name;
    const char *birth_date;  /* YYYY-MM-DD or YYYYMMDD */
    const char *accession;
    const char *since, *until; /* study date range, inclusive */
    const char *modality;
    const char *description; /* Study Description, wildcards allowed */
};

/* One study that matched, with its patient.  Text is UTF-8; dates are
 * YYYYMMDD as in DICOM ("" when unknown). */
struct pdiburn_match {
    char patient_id[65];
    char issuer[65];
    char patient_name[330];
    char birth_date[9];
    char sex[17];
    char study_uid[65];
    char study_date[9];
    char study_time[17];
    char accession[17];
    char description[200];
    char modalities[65]; /* e.g. "CT\\SR", from the series */
    unsigned series;     /* 0 when the source does not say */
    uint64_t instances;  /* 0 when the source does not say */
    uint64_t bytes;      /* 0 when the source does not say */
};

/* ---- the archive catalog (pdiburn index, pdiburn find) ---- */

/* One SQLite file (mode 0600: it holds patient data) with every file of an
 * archive folder: where it is, its size, time and inode, and what a scan
 * of its header gives.  Readers see the last finished batch of an index
 * run while it goes on; a killed run leaves a working catalog. */
struct pdiburn_catalog;

/* The catalog of the folder `archive`: the file `catalog`, or
 * ARCHIVE/.pdiburn-catalog.sqlite when NULL.  `write`: for one
 * pdiburn_catalog_index() (the file is made when missing); else for
 * reading, when `archive` may be NULL (the folder it was made for) and a
 * catalog of another archive, another version or none fails with
 * PDIBURN_E_IO. */
PDIBURN_API struct pdiburn_catalog *
pdiburn_catalog_open(const char *archive, const char *catalog, bool write,
                     struct pdiburn_error **err);
PDIBURN_API void pdiburn_catalog_close(struct pdiburn_catalog *cat);
PDIBURN_API const char *
pdiburn_catalog_path(const struct pdiburn_catalog *cat);
/* Diagnostics and progress of an index run: PDIBURN_STAGE_LIST while the
 * folder is listed, then PDIBURN_STAGE_SCAN, files read of files to read.
 * Messages name files, never patients. */
PDIBURN_API void pdiburn_catalog_set_log(struct pdiburn_catalog *cat,
                                         pdiburn_log_fn fn, void *user);
PDIBURN_API void pdiburn_catalog_set_progress(struct pdiburn_catalog *cat,
                                              pdiburn_progress_fn fn,
                                              void *user);
/* Async-signal-safe: the index run stops after its current batch. */
PDIBURN_API void pdiburn_catalog_cancel(struct pdiburn_catalog *cat);

struct pdiburn_index_summary {
    uint64_t files;                   /* files in the archive folder */
    uint64_t added, changed, removed; /* by this run */
    uint64_t instances, studies;      /* in the catalog now */
    uint64_t not_dicom, broken;       /* files that are not instances */
};
/* Brings the catalog up to date: reads the headers of new and changed
 * files (size, time or inode) on all cores, drops deleted ones.  One run
 * at a time per catalog: a second one waits for the first. */
PDIBURN_API bool pdiburn_catalog_index(struct pdiburn_catalog *cat,
                                       struct pdiburn_index_summary *summary,
                                       struct pdiburn_error **err);

/* The studies matching `q`, one per study and patient identity (a study
 * whose files disagree on the patient comes once per identity), in
 * Patient ID order, then by date.  *matches is malloc'd (free()) and
 * *count may be 0. */
PDIBURN_API bool pdiburn_catalog_find(struct pdiburn_catalog *cat,
                                      const struct pdiburn_query *q,
                                      struct pdiburn_match **matches,
                                      size_t *count,
                                      struct pdiburn_error **err);

/* The files of the archive that are not usable instances: not DICOM
 * (`broken` false), or DICOM that cannot be read, with the reason. */
typedef void (*pdiburn_problem_fn)(const char *path, const char *reason,
                                   bool broken, void *user);
PDIBURN_API bool pdiburn_catalog_problems(struct pdiburn_catalog *cat,
                                          pdiburn_problem_fn fn, void *user,
                                          struct pdiburn_error **err);

/* Optical drives and the media in them (pdiburn drives). */
struct pdiburn_drive {
    char address[4096]; /* to give as the drive of a disc target */
    char model[64];
    char status[32];    /* blank, appendable (not blank), closed, no disc */
    char medium[80];    /* e.g. "DVD-R sequential recording" */
    uint64_t free_bytes;
};
/* *drives is malloc'd (free()); *count may be 0. */
PDIBURN_API bool pdiburn_drives_list(struct pdiburn_drive **drives,
                                     size_t *count,
                                     struct pdiburn_error **err);
/* Flags are additive: set_flags turns the given flags on and leaves the
 * others as they are; clear_flags turns them off.  A new job has
 * PDIBURN_FLAG_VERIFY on. */
PDIBURN_API void pdiburn_job_set_flags(struct pdiburn_job *job,
                                       unsigned flags);
PDIBURN_API void pdiburn_job_clear_flags(struct pdiburn_job *job,
                                         unsigned flags);

/* Scan, select, plan and write; verifies the output when asked to.  Files
 * and folders appear under their names all together when everything is
 * written and verified, or not at all; a second run writing the same
 * output fails with PDIBURN_E_MEDIA.  The private spool is removed, and
 * spools of runs that died in the same place too. */
PDIBURN_API bool pdiburn_job_run(struct pdiburn_job *job,
                                 struct pdiburn_error **err);

/* Check existing media: a folder, an ISO image or a ZIP file, ours or
 * another creator's, as a certification lab would.  Problems are logged as
 * errors, counted in the summary's `problems`, kept as findings, and make
 * the call fail with PDIBURN_E_VERIFY; notes are logged as warnings. */
PDIBURN_API bool pdiburn_job_verify(struct pdiburn_job *job,
                                    const char *media,
                                    struct pdiburn_error **err);

/* One thing verification found, with a stable code (pdiburn-verify(1)
 * lists them): a problem fails the media, a note does not. */
struct pdiburn_finding {
    const char *code;    /* e.g. "truncated-pixel-data" */
    const char *file;    /* as the media names it; "" for the whole media */
    const char *message; /* for people: the file, what is wrong, the rule */
    bool problem;        /* false: a note */
};

/* What the last run or verify found (problems and notes, in the order
 * found; the first thousand); borrowed until the job runs again or is
 * freed. */
PDIBURN_API size_t pdiburn_job_finding_count(const struct pdiburn_job *job);
PDIBURN_API const struct pdiburn_finding *
pdiburn_job_finding(const struct pdiburn_job *job, size_t index);

/* Async-signal-safe and thread-safe: only sets a flag the job polls. */
PDIBURN_API void pdiburn_job_cancel(struct pdiburn_job *job);

PDIBURN_API const struct pdiburn_summary *
pdiburn_job_summary(const struct pdiburn_job *job);

/* The final output path once the job succeeded, else NULL; with several
 * volumes, the first. */
PDIBURN_API const char *pdiburn_job_output(const struct pdiburn_job *job);

/* The volumes planned or written by the last run (after a failure, those
 * that exist: discs burnt before it, no files); borrowed until the job
 * runs again or is freed. */
PDIBURN_API size_t pdiburn_job_volume_count(const struct pdiburn_job *job);
PDIBURN_API const struct pdiburn_volume *
pdiburn_job_volume(const struct pdiburn_job *job, size_t index);

/* ---- the audit trail: DICOM PS3.15 A.5.3.4 "Export" messages ---- */

/* Every run of a job that writes (not a dry run) records what it
 * disclosed: one message per medium written or attempted (the Export
 * message names exactly one medium), success or failure.  The caller
 * stores and forwards them (a local log, a syslog collector); the
 * library only builds them.  Messages hold patient names and IDs. */

/* The person the export is done for (UserID, login@domain or a login
 * name; UserName may be NULL).  Default: the login name of the process's
 * effective user. */
PDIBURN_API bool pdiburn_job_set_requestor(struct pdiburn_job *job,
                                           const char *user_id,
                                           const char *user_name,
                                           struct pdiburn_error **err);
/* Messages of the last run: 0 before a run and after a dry run. */
PDIBURN_API size_t pdiburn_job_audit_count(const struct pdiburn_job *job);
/* EventOutcomeIndicator of message `index`: 0 success, 4 cancelled by
 * the user, 8 failed, 12 failed inside pdiburn. */
PDIBURN_API unsigned pdiburn_job_audit_outcome(const struct pdiburn_job *job,
                                               size_t index);
/* Message `index` as one line of UTF-8 XML (no line break), *xml
 * malloc'd (free()). */
PDIBURN_API bool pdiburn_job_audit_message(const struct pdiburn_job *job,
                                           size_t index, char **xml,
                                           struct pdiburn_error **err);

/* One Export message read back, for listing an audit log.  Text is
 * UTF-8; what the message lacks is "". */
struct pdiburn_audit_patient {
    char id[65];
    char name[330];
};
struct pdiburn_audit_entry {
    char when[40];         /* EventDateTime */
    unsigned outcome;      /* EventOutcomeIndicator */
    char outcome_text[512];
    char user[256];        /* the requestor's UserID */
    char media_type[40];   /* CD, DVD, USB Disk Emulation, Email, URI */
    char media[1024];      /* the medium's UserID */
    char fileset_uid[65];
    uint64_t studies, instances;
    struct pdiburn_audit_patient *patients; /* malloc'd */
    size_t npatients;
};
/* Fails with PDIBURN_E_USAGE when `xml` is not an Export message. */
PDIBURN_API bool pdiburn_audit_entry_parse(const char *xml, size_t len,
                                           struct pdiburn_audit_entry *entry,
                                           struct pdiburn_error **err);
PDIBURN_API void pdiburn_audit_entry_clear(struct pdiburn_audit_entry *entry);

#ifdef __cplusplus
}
#endif

#endif /* PDIBURN_H */
