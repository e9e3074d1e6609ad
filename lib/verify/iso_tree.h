/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* iso_tree.h - the ISO 9660, Joliet and Rock Ridge name trees of an image
 * (iso_tree.c). */
#ifndef PDB_ISO_TREE_H
#define PDB_ISO_TREE_H

#include "core.h"

enum pdb_iso_tree_kind {
    PDB_TREE_ISO9660,
    PDB_TREE_JOLIET,
    PDB_TREE_ROCK_RIDGE,
};

struct pdb_iso_entry {
    char *path; /* names as the tree stores them ("DICOMDIR.;1" in ISO
                   9660, UTF-8 in Joliet), '/'-separated, no leading '/' */
    bool dir;
};

struct pdb_iso_tree {
    enum pdb_iso_tree_kind kind;
    bool present;
    struct pdb_iso_entry *entries; /* in directory order, parents first */
    size_t n;
};

struct pdb_iso_trees {
    struct pdb_iso_tree tree[3]; /* by enum pdb_iso_tree_kind */
};

/* Reads the trees of the image file; PDIBURN_E_VERIFY when its volume
 * descriptors or directories cannot be read. */
bool pdb_iso_trees_read(const char *image, struct pdb_iso_trees *t,
                        struct pdiburn_error **err);
void pdb_iso_trees_free(struct pdb_iso_trees *t);
/* "ISO 9660", "Joliet", "Rock Ridge". */
const char *pdb_iso_tree_name(enum pdb_iso_tree_kind kind);

#endif
