/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* transcode.h - re-encoding instances into the spool (transcode.c). */
#ifndef PDB_TRANSCODE_H
#define PDB_TRANSCODE_H

#include "model.h"

/* Writes the data set of `inst` in Explicit VR LE, uncompressed, without
 * meta information, to `spool_path`; *size is its length. */
bool pdb_transcode(const struct pdb_instance *inst, const char *spool_path,
                   uint64_t *size, struct pdiburn_error **err);

#endif
