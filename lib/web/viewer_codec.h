/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* viewer_codec.h - the viewer's pixel codecs (viewer_codec.c) and base64 (base64.c). */
#ifndef PDB_VIEWER_CODEC_H
#define PDB_VIEWER_CODEC_H

#include "image.h"

bool pdb_base64(struct pdb_buf *b, const uint8_t *data, size_t len);

/* Appends the frame, encoded and in base64, to `out`; `level` is zlib's. */
bool pdb_codec_med16(const struct pdb_image *img, int level,
                     struct pdb_buf *out);
bool pdb_codec_rgb8(const struct pdb_image *img, int level,
                    struct pdb_buf *out);

#endif
