/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* spanning.h - spanning a selection over several media (spanning.c). */
#ifndef PDB_SPANNING_H
#define PDB_SPANNING_H

#include "web.h"

struct pdb_span {
    uint64_t capacity;        /* bytes a medium holds; 0 = no limit */
    enum pdb_viewer_mode mode;
    bool web;                 /* pages and viewer on every volume */
};

/* Sets the volume of every planned instance; *count volumes. */
bool pdb_span_plan(struct pdb_inventory *cat, const struct pdb_span *span,
                   unsigned *count, struct pdiburn_error **err);
/* What an instance is estimated to take on a medium, web share included. */
uint64_t pdb_span_cost(const struct pdb_instance *inst,
                       const struct pdb_span *span);
/* What laid-out content takes on a medium: files in whole blocks, and
 * their directory records. */
uint64_t pdb_span_media_bytes(const struct pdb_content *c);
/* "cd", "dvd", "dvd-dl", "bd", or "usb-SIZE" (SIZE in bytes with an
 * optional K, M, G or T, decimal as sticks are sold). */
bool pdb_span_capacity(const char *name, uint64_t *bytes,
                       struct pdiburn_error **err);

/* ---- volume_share.c ----------------------------------------------------- */

/* The part of a grouped inventory that goes on one volume: patients,
 * studies and series holding its instances (planned, not dropped), all
 * selected.  The view shares the instances; free it with
 * pdb_inventory_free(). */
bool pdb_inventory_share(const struct pdb_inventory *cat, unsigned volume,
                         struct pdb_inventory *view,
                         struct pdiburn_error **err);

#endif
