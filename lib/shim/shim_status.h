/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* shim_status.h - DCMTK's outcome, as the shim reports it, as our error
 * (shim_status.c). */
#ifndef PDB_SHIM_STATUS_H
#define PDB_SHIM_STATUS_H

#include "core.h"
#include "dcmshim.h"

/* Sets *err from a failed shim call and returns false.  The message is
 * the shim's, after "'path': " when `path` is given (NULL when the caller
 * names the file itself). */
bool pdb_shim_fail(struct pdiburn_error **err, enum dcmshim_status st,
                   const char *path, const char *msg);

#endif
