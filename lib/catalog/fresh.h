/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fresh.h - is the catalog still true of the files an export takes?
 * (fresh.c) */
#ifndef PDB_FRESH_H
#define PDB_FRESH_H

#include "catalog.h"

struct pdb_fresh {
    struct pdiburn_catalog *cat;
    struct pdb_ctl *ctl;
    const char *base;       /* the archive folder the paths are under */
    struct pdb_file *files; /* path under `base`, as catalogued */
    size_t n;
};

/* A file the export takes, with its catalogued size, time and inode. */
bool pdb_fresh_expect(struct pdb_fresh *f, const char *rel, uint64_t size,
                      int64_t mtime_ns, uint64_t ino);
/* PDIBURN_E_IO naming what changed: a file gone or changed, or a folder
 * of those files that has changed (a file added, removed or renamed). */
bool pdb_fresh_check(struct pdb_fresh *f, struct pdiburn_error **err);
void pdb_fresh_free(struct pdb_fresh *f);

#endif
