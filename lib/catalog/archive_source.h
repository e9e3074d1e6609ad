/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* archive_source.h - the archive, through its catalog, as the source of
 * an export (archive_source.c). */
#ifndef PDB_ARCHIVE_SOURCE_H
#define PDB_ARCHIVE_SOURCE_H

#include "select.h"

/* Adds to the inventory the studies of the archive that may match the
 * selection (a superset: the selection itself decides), as the folder
 * scanner would have found them, and the broken files that concern them,
 * without reading a header.  `archive` may be NULL when `catalog` is
 * given.  Fails with PDIBURN_E_IO, naming the files, when the archive
 * has changed under those studies since the catalog was made. */
bool pdb_archive_collect(const char *archive, const char *catalog,
                         const struct pdb_selection *sel,
                         struct pdb_inventory *inv, struct pdb_ctl *ctl,
                         struct pdiburn_error **err);

#endif
