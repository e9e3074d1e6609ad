/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pacs.h - a PACS as a source: the node and how we talk to it (node.c),
 * C-FIND of studies (find.c), counting a study's instances (count.c), and
 * retrieving the selection into the spool (retrieve.c).  Never installed.
 */
#ifndef PDB_PACS_H
#define PDB_PACS_H

#include "dcmshim_net.h"
#include "select.h"
#include "source.h"

#define PDB_PACS_AET "PDIBURN"
#define PDB_PACS_TIMEOUT 30

/* A node with its settings, the strings copied. */
struct pdb_pacs {
    struct pdiburn_pacs_node node;
    char aet[17];
    struct pdiburn_pacs_settings settings; /* settings.aet points at aet */
};

/* ---- node.c ---- */

/* Copies node and settings, filling in defaults; checks our AE title. */
bool pdb_pacs_init(struct pdb_pacs *p, const struct pdiburn_pacs_node *node,
                   const struct pdiburn_pacs_settings *s,
                   struct pdiburn_error **err);
void pdb_pacs_peer(const struct pdb_pacs *p, struct dcmshim_peer *peer);
/* PDIBURN_E_PACS (or what the shim's status means) naming the node. */
bool pdb_pacs_fail(const struct pdb_pacs *p, enum dcmshim_status st,
                   const char *msg, struct pdiburn_error **err);

/* ---- find.c ---- */

/* A study found for retrieving, and how many instances it should have. */
struct pdb_pacs_study {
    char uid[PDB_UID_MAX + 1];
    uint64_t instances; /* 0 when the PACS did not say */
};

/* The studies that match the selection (a union of one C-FIND per
 * accession and modality asked for).  *studies is malloc'd. */
bool pdb_pacs_find_selection(const struct pdb_pacs *p,
                             const struct pdb_selection *sel,
                             struct pdb_pacs_study **studies, size_t *count,
                             struct pdiburn_error **err);

/* ---- count.c ---- */

/* The instances of a study the PACS did not count at STUDY level: the sum
 * of its series' counts, or IMAGE-level matches where those are missing. */
bool pdb_pacs_count(const struct pdb_pacs *p, const char *study_uid,
                    uint64_t *instances, struct pdiburn_error **err);

/* ---- retrieve.c ---- */

struct pdb_pacs_stats {
    uint64_t instances, bytes, ms;
};

/* Retrieves every study of the selection into `dir`, and fails unless
 * each arrived complete: received = counted = completed, nothing failed. */
bool pdb_pacs_retrieve(const struct pdb_pacs *p,
                       const struct pdb_selection *sel, const char *dir,
                       struct pdb_ctl *ctl, struct pdb_pacs_stats *stats,
                       struct pdiburn_error **err);

/* The same into "pacs" under the spool, then scanned into `inventory`:
 * fails unless every instance that arrived is usable. */
bool pdb_pacs_collect(const struct pdb_pacs *p,
                      const struct pdb_selection *sel, const char *spool,
                      struct pdb_inventory *inventory, struct pdb_ctl *ctl,
                      struct pdb_pacs_stats *stats, struct pdiburn_error **err);

#endif
