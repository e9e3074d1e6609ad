/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* encode_pool.h - encoding frames for the viewer on worker threads
 * (encode_pool.c), results in submission order. */
#ifndef PDB_ENCODE_POOL_H
#define PDB_ENCODE_POOL_H

#include "image.h"

enum pdb_codec { PDB_CODEC_MED16, PDB_CODEC_RGB8, PDB_CODEC_JPEG };

struct pdb_encpool;

struct pdb_encpool *pdb_encpool_new(enum pdb_codec codec, unsigned threads);
/* Copies the frame; waits while every slot is in use.  `d` is the
 * display used by the JPEG codec. */
bool pdb_encpool_submit(struct pdb_encpool *p, const struct pdb_image *img,
                        const struct pdb_display *d);
/* Frames submitted and not yet taken. */
uint64_t pdb_encpool_pending(const struct pdb_encpool *p);
/* Appends the oldest frame's base64 text to `out`, waiting for it. */
bool pdb_encpool_next(struct pdb_encpool *p, struct pdb_buf *out);
void pdb_encpool_free(struct pdb_encpool *p);

#endif
