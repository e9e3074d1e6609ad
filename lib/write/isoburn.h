/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* isoburn.h - libisofs and libburn started once, their messages drained
 * into our log (isoburn.c). */
#ifndef PDB_ISOBURN_H
#define PDB_ISOBURN_H

#include "core.h"

/* libisofs alone, for images. */
bool pdb_isoburn_start_iso(struct pdiburn_error **err);
/* libisofs, libburn and libisoburn, for drives. */
bool pdb_isoburn_start_burn(struct pdiburn_error **err);
/* Moves the messages the libraries queued into `log`. */
void pdb_isoburn_drain(struct pdb_log *log);
/* libburn's latest message of FAILURE severity or worse, or a general
 * one when there is none; older, milder messages are dropped. */
void pdb_isoburn_last_failure(char *out, size_t len);

#endif
