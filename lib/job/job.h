/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* job.h - the inside of struct pdiburn_job (job.c, job_audit.c, run.c,
 * volume_write.c). */
#ifndef PDB_JOB_H
#define PDB_JOB_H

#include "audit.h"
#include "pacs.h"
#include "select.h"
#include "verify.h"

#define PDB_NOPTIONS (PDIBURN_OPT_VERIFY_PROFILE + 1)

struct pdiburn_job {
    struct pdb_ctl ctl;
    char **sources;
    size_t nsources;
    struct pdb_pacs *pacs; /* a PACS to retrieve from, or NULL */
    bool from_archive;  /* the source is the archive's catalog */
    char *archive;      /* NULL: the folder the catalog was made for */
    char *catalog;      /* NULL: the archive's own */
    struct pdb_selection selection;
    enum pdiburn_target target;
    char *target_path;
    char *options[PDB_NOPTIONS];
    char **reports;
    size_t nreports;
    unsigned flags;
    struct pdiburn_summary summary;
    char *output; /* set once the output is in place */
    pdiburn_medium_fn medium_prompt;
    void *medium_user;
    struct pdiburn_volume *volumes; /* of the last run; strings owned */
    size_t nvolumes;
    struct pdb_audit audit;         /* what the last run disclosed */
    char *requestor, *requestor_name;
    struct pdb_findings findings;   /* of the last run or verify */
};

/* job.c: forgets the volumes of an earlier run. */
void pdb_job_clear_volumes(struct pdiburn_job *job);

#endif
