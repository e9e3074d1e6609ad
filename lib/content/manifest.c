/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SHA256.TXT: the SHA-256 of every other file on the media, in the format
 * of `sha256sum` ("<64 hex>  <path>"), so that the recipient can check the
 * media with common tools and `pdiburn verify` can prove it intact.  Its
 * size is known before any digest is: 64 + 2 + path + 1 per line.
 */
#include <stdlib.h>
#include <string.h>

#include "content.h"

uint64_t pdb_manifest_size(const struct pdb_content *c,
                           const struct pdb_node *manifest)
{
    uint64_t size = 0;
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i] != manifest)
            size += 2 * PDB_SHA256_LEN + 2 + strlen(c->nodes[i]->path) + 1;
    return size;
}

bool pdb_manifest_make(const struct pdb_content *c,
                       const struct pdb_node *manifest, uint8_t **out,
                       struct pdiburn_error **err)
{
    struct pdb_buf b = { 0 };
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct pdb_node *n = c->nodes[i];
        if (n == manifest)
            continue;
        if (!n->hashed) {
            pdb_buf_free(&b);
            return pdb_fail(err, PDIBURN_E_INTERNAL,
                            "'%s' was not written before the checksum list",
                            n->path);
        }
        char hex[2 * PDB_SHA256_LEN + 1];
        pdb_hex(n->sha256, PDB_SHA256_LEN, hex);
        pdb_buf_printf(&b, "%s  %s\n", hex, n->path);
    }
    size_t len = 0;
    *out = pdb_buf_steal(&b, &len);
    if (!*out)
        return pdb_fail_nomem(err);
    if (len != manifest->size) {
        free(*out);
        *out = NULL;
        return pdb_fail(err, PDIBURN_E_INTERNAL, "checksum list size is off");
    }
    return true;
}
