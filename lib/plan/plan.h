/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* plan.h - File IDs and the action of each instance (plan.c). */
#ifndef PDB_PLAN_H
#define PDB_PLAN_H

#include "model.h"

#include "transfer_syntax.h"

struct pdb_plan {
    const char *spool_dir; /* private folder for re-encoded data sets */
    enum pdb_profile profile;
    uint64_t copied, reencoded, skipped;
    uint64_t spooled, to_reencode;
};

/* Decides the action of every selected instance, re-encoding into
 * plan->spool_dir as needed, and sets its size on the media. */
bool pdb_plan_instances(struct pdb_inventory *cat, unsigned flags,
                        struct pdb_plan *plan, struct pdb_ctl *ctl,
                        struct pdiburn_error **err);
/* Gives every instance of a volume's view its File ID. */
bool pdb_plan_file_ids(struct pdb_inventory *view, struct pdiburn_error **err);

#endif
