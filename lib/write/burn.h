/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* burn.h - optical drives (burn.c). */
#ifndef PDB_BURN_H
#define PDB_BURN_H

#include "write.h"

struct pdb_burn_options {
    const char *drive;  /* "/dev/sr0", or "stdio:PATH" for a pseudo-drive */
    unsigned speed_kb;  /* kB/s, 0 = as fast as the drive and disc allow */
};

/* Checks the disc (blank, large enough), writes the content as an ISO 9660
 * image in one closed session, reports progress, cancels through libburn
 * and releases the drive.  The disc stays in the drive. */
bool pdb_burn(struct pdb_content *content, const char *volume_id,
              const struct pdb_burn_options *opts, struct pdb_ctl *ctl,
              struct pdiburn_error **err);
bool pdb_burn_eject(const char *address);
/* Where the written disc can be read back from. */
bool pdb_burn_readback_path(const char *address, char *out, size_t len);

/* The room on the blank disc in the drive, for planning volumes. */
bool pdb_burn_capacity(const char *address, uint64_t *bytes,
                       struct pdiburn_error **err);
/* The first drive found, with or without a disc, for `burn` without
 * --drive: the disc checks that follow say what is wrong with it. */
bool pdb_burn_default_drive(char *address, size_t len,
                            struct pdiburn_error **err);

#endif
