/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plan.h - File IDs and the action of each instance (plan.c). */
#ifndef PDB_PLAN_H
#define PDB_PLAN_H

#include "model.h"

struct pdb_plan {
    const char *spool_dir; /* private folder for re-encoded data sets */
    uint64_t copied, reencoded, skipped;
    uint64_t spooled, to_reencode;
};

/* Plans every selected instance in catalog order (patients, studies,
 * series, instances), re-encoding into plan->spool_dir as needed. */
bool pdb_plan_volume(struct pdb_catalog *cat, unsigned flags,
                     struct pdb_plan *plan, struct pdb_ctl *ctl,
                     struct pdiburn_error **err);

#endif
