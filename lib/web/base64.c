/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base64 (RFC 4648, standard alphabet, padded): how bytes travel inside the
 * JavaScript files of the viewer and the data: URLs of thumbnails. */
#include "viewer_codec.h"

bool pdb_base64(struct pdb_buf *b, const uint8_t *data, size_t len)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char quad[4];
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t) data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t) data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        quad[0] = abc[v >> 18];
        quad[1] = abc[(v >> 12) & 63];
        quad[2] = i + 1 < len ? abc[(v >> 6) & 63] : '=';
        quad[3] = i + 2 < len ? abc[v & 63] : '=';
        pdb_buf_add(b, quad, 4);
    }
    return !b->failed;
}
