/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * audit.h - the audit stage: what an export disclosed, recorded while the
 * job runs (record.c), as DICOM PS3.15 A.5.3.4 "Export" messages
 * (message.c), and those messages read back (entry.c).  One message per
 * medium: the Export message has exactly one Destination Media
 * participant, and a spanned export writes several media.
 */
#ifndef PDB_AUDIT_H
#define PDB_AUDIT_H

#include "model.h"

struct pdb_audit_sop {
    char uid[PDB_UID_MAX + 1];
    uint64_t count;
};

struct pdb_audit_study {
    char uid[PDB_UID_MAX + 1];
    char *description;       /* UTF-8, "" when absent */
    char accession[17];
    struct pdb_audit_sop *sops;
    size_t nsops;
};

struct pdb_audit_patient {
    char id[PDB_UID_MAX + 1];
    char *name;              /* UTF-8 PN, "" when absent */
    struct pdb_audit_study *studies;
    size_t nstudies;
};

/* One medium written, or the attempt that failed. */
struct pdb_audit_medium {
    unsigned outcome;        /* EventOutcomeIndicator: 0, 4, 8, 12 */
    char *outcome_text;      /* the error, NULL on success */
    char when[40];           /* xsd:dateTime with time zone (A.5.2.5) */
    char fileset_uid[PDB_UID_MAX + 1]; /* "" before one was made */
    char label[17];          /* File-set ID, the volume label */
    char *output;            /* file, folder, mount point or drive */
    bool written;            /* in place, verified when asked */
    struct pdb_audit_patient *patients;
    size_t npatients;
};

/* What the job was asked to write to: decides the media type code. */
struct pdb_audit_target {
    enum pdiburn_target kind;
    const char *media;       /* --media, may be NULL */
    const char *profile;     /* --profile, may be NULL */
    bool robot;              /* a disc robot burns the folder */
    bool encrypted;          /* ZIP with a passphrase */
};

struct pdb_audit {
    struct pdb_audit_medium *media;
    size_t nmedia;
};

/* Who asked, and from where: the message's active participants and
 * audit source. */
struct pdb_audit_who {
    const char *user_id;     /* the person (login name) */
    const char *user_name;   /* may be NULL */
    const char *host;        /* AuditSourceID */
    const char *site;        /* AuditEnterpriseSiteID, may be NULL */
    long pid;
};

/* ---- record.c ----------------------------------------------------------- */

void pdb_audit_clear(struct pdb_audit *a);
/* A medium about to be written, with the patients and studies of `view`
 * (instances that go on the media only). */
bool pdb_audit_add_medium(struct pdb_audit *a, const struct pdb_inventory *view,
                          const char *fileset_uid, const char *label,
                          const char *output, struct pdiburn_error **err);
/* The medium added last is in place. */
void pdb_audit_written(struct pdb_audit *a);
/* The run's end: media not written take the failure `why` (and the last
 * one does when the job failed after writing them all), the others
 * success; all get the time now. */
bool pdb_audit_finish(struct pdb_audit *a, const struct pdiburn_error *why,
                      struct pdiburn_error **err);
/* PS3.15 A.5.2: 4 when the user stopped it, 12 for our own failures,
 * 8 for the rest. */
unsigned pdb_audit_outcome(enum pdiburn_code code);
/* Now as xsd:dateTime with the local time zone, out >= 40 bytes. */
void pdb_audit_now(char *out, size_t len);

/* ---- message.c ---------------------------------------------------------- */

/* The Export message of medium `index`, one line of UTF-8 XML. */
bool pdb_audit_message(const struct pdb_audit *a, size_t index,
                       const struct pdb_audit_target *target,
                       const struct pdb_audit_who *who, char **xml,
                       struct pdiburn_error **err);

#endif /* PDB_AUDIT_H */
