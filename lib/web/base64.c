/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Base64 (RFC 4648, standard alphabet, padded): how bytes travel inside the
 * JavaScript files of the viewer and the data: URLs of thumbnails.  The
 * viewer's whole payload passes through here: it is encoded a few KB at a
 * time on the stack, then appended. */
#include "viewer_codec.h"

static const char abc[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Whole groups of 3 bytes: `n` a multiple of 3. */
static void groups(const uint8_t *in, size_t n, char *out)
{
    for (size_t i = 0; i < n; i += 3, out += 4) {
        uint32_t v =
            (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];
        out[0] = abc[v >> 18];
        out[1] = abc[(v >> 12) & 63];
        out[2] = abc[(v >> 6) & 63];
        out[3] = abc[v & 63];
    }
}

bool pdb_base64(struct pdb_buf *b, const uint8_t *data, size_t len)
{
    char text[4096];
    size_t whole = len - len % 3;
    for (size_t i = 0; i < whole;) {
        size_t n = whole - i < 3072 ? whole - i : 3072;
        groups(data + i, n, text);
        pdb_buf_add(b, text, n / 3 * 4);
        i += n;
    }
    if (len % 3) {
        uint32_t v = (uint32_t) data[whole] << 16;
        if (len % 3 == 2)
            v |= (uint32_t) data[whole + 1] << 8;
        text[0] = abc[v >> 18];
        text[1] = abc[(v >> 12) & 63];
        text[2] = len % 3 == 2 ? abc[(v >> 6) & 63] : '=';
        text[3] = '=';
        pdb_buf_add(b, text, 4);
    }
    return !b->failed;
}
