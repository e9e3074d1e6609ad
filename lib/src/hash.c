/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SHA-256 of everything written, for SHA256.TXT and verify.  The only file
 * that knows nettle, whose x86-64 code uses the SHA extensions when the
 * processor has them: hashing must not slow the write down.
 */
#include <nettle/sha2.h>

#include "pdb.h"

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(struct pdb_sha256),
               "pdb_sha256 too small for nettle's context");

void pdb_sha256_init(struct pdb_sha256 *h)
{
    sha256_init((struct sha256_ctx *) h->state);
}

void pdb_sha256_update(struct pdb_sha256 *h, const void *data, size_t len)
{
    sha256_update((struct sha256_ctx *) h->state, len, data);
}

void pdb_sha256_final(struct pdb_sha256 *h, uint8_t out[PDB_SHA256_LEN])
{
    sha256_digest((struct sha256_ctx *) h->state, PDB_SHA256_LEN, out);
}

void pdb_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = 0;
}
