/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* run.h - one run of a job (run.c), and the writing of each of its
 * volumes (volume_write.c). */
#ifndef PDB_RUN_H
#define PDB_RUN_H

#include "job.h"
#include "label.h"
#include "write.h"
#include "plan.h"
#include "spanning.h"

/* The private spool of a run (spool.c). */
struct pdb_spool {
    char *path;  /* <parent>/pdiburn-spool-XXXXXX, 0700 */
    int lock_fd; /* <path>/.lock, flocked while the run lives */
};

/* Removes the spools in `parent` of runs that died, then makes this
 * run's, marked as ours. */
bool pdb_spool_open(struct pdb_spool *s, const char *parent,
                    struct pdb_log *log, struct pdiburn_error **err);
/* Removes the spool and lets go of it; safe on a zeroed spool. */
void pdb_spool_close(struct pdb_spool *s);

struct run {
    struct pdiburn_job *job;
    struct pdb_inventory inventory;
    struct pdb_plan plan;
    struct pdb_spool spool;
    struct pdb_pacs_stats retrieved;
    struct pdb_span span;
    unsigned nvolumes;
    char created[11];
    struct pdb_lock *locks; /* one per output file or folder, or the stick */
    size_t nlocks;
    struct pdb_outputs outputs; /* files and folders, put in place together */
    unsigned done;              /* volumes in place (discs burnt) */
};

/* Lays out, writes, verifies and puts in place volume `index` (1-based)
 * under `output`; fills `done` with what it holds. */
bool pdb_volume_write(struct run *r, unsigned index, const char *output,
                      struct pdiburn_volume *done,
                      struct pdiburn_error **err);

/* What the labels of this run say (run.c). */
void pdb_run_label(const struct run *r, struct pdb_label *label);

/* The File-set ID and volume label of volume `index`. */
void pdb_volume_id(const struct run *r, unsigned index, char out[17]);

/* What a volume holds, for the plan (--dry-run) and the result. */
bool pdb_volume_describe(const struct pdb_inventory *view,
                         const struct pdb_span *span,
                         struct pdiburn_volume *out,
                         struct pdiburn_error **err);

#endif
