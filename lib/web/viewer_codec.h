/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* viewer_codec.h - the viewer's pixel codecs (viewer_codec.c) and base64 (base64.c). */
#ifndef PDB_VIEWER_CODEC_H
#define PDB_VIEWER_CODEC_H

#include "image.h"

bool pdb_base64(struct pdb_buf *b, const uint8_t *data, size_t len);

/* An encoder's working memory, kept from frame to frame; one per thread.
 * `level` is igzip's, 0 to 3 (NULL for another). */
struct pdb_codec_scratch;
struct pdb_codec_scratch *pdb_codec_scratch_new(int level);
void pdb_codec_scratch_free(struct pdb_codec_scratch *c);

/* Appends the frame, encoded and in base64, to `out`. */
bool pdb_codec_med16(struct pdb_codec_scratch *c, const struct pdb_image *img,
                     struct pdb_buf *out);
bool pdb_codec_rgb8(struct pdb_codec_scratch *c, const struct pdb_image *img,
                    struct pdb_buf *out);

#endif
