/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* j2k.h - JPEG 2000 frame decoding (j2k.c). */
#ifndef PDB_J2K_H
#define PDB_J2K_H

#include "core.h"

struct pdb_j2k_frame {
    unsigned rows, columns, samples, bits_allocated;
};

/* Decodes one frame into `out`, which holds rows x columns x samples
 * samples of bits_allocated (8 or 16) bits, interleaved, little endian. */
bool pdb_j2k_decode(const uint8_t *data, size_t len,
                    const struct pdb_j2k_frame *frame, uint8_t *out,
                    struct pdiburn_error **err);

#endif
