/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* encode_pool.h - encoding frames for the viewer on worker threads
 * (encode_pool.c), results in submission order. */
#ifndef PDB_ENCODE_POOL_H
#define PDB_ENCODE_POOL_H

#include "image.h"

enum pdb_codec { PDB_CODEC_MED16, PDB_CODEC_RGB8, PDB_CODEC_JPEG };

struct pdb_encode_pool;

struct pdb_encode_pool *pdb_encode_pool_new(enum pdb_codec codec,
                                            unsigned threads);
/* The JPEG quality of the renderings on the IHE PDI pages. */
#define PDB_PAGES_QUALITY 90

/* Copies the frame; waits while every slot is in use.  `d` is the
 * display used by the JPEG codec, and by the frame's rendering for the
 * pages when `rendering` asks for it too. */
bool pdb_encode_pool_submit(struct pdb_encode_pool *p,
                            const struct pdb_image *img,
                            const struct pdb_display *d, bool rendering);
/* Frames submitted and not yet taken; at most `capacity`, and submitting
 * waits for a slot the reader frees by taking. */
uint64_t pdb_encode_pool_pending(const struct pdb_encode_pool *p);
unsigned pdb_encode_pool_capacity(const struct pdb_encode_pool *p);
enum pdb_codec pdb_encode_pool_codec(const struct pdb_encode_pool *p);
/* Whether the oldest frame not taken is encoded: taking it won't wait. */
bool pdb_encode_pool_ready(struct pdb_encode_pool *p);
/* Appends the oldest frame's base64 text to `out`, waiting for it, and
 * hands over its rendering (malloc'd) when one was asked for, else NULL.
 * False when either failed. */
bool pdb_encode_pool_next(struct pdb_encode_pool *p, struct pdb_buf *out,
                          uint8_t **jpeg, size_t *jpeg_len);
void pdb_encode_pool_free(struct pdb_encode_pool *p);

#endif
