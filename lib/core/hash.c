/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Digests of everything written: SHA-256 for SHA256.TXT and verify (the
 * only file that knows nettle, whose x86-64 code uses the SHA extensions),
 * and XXH3 (libxxhash), twenty times faster, for reading media back right
 * after writing it: it tells whether the bytes came back as they went,
 * which is all a read-back needs, and costs little more than the read.
 */
#include <nettle/sha2.h>
#define XXH_STATIC_LINKING_ONLY /* the state lives in our struct */
#include <xxhash.h>

#include "core.h"

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

_Static_assert(sizeof(XXH3_state_t) <= sizeof(((struct pdb_xxh *) 0)->state),
               "pdb_xxh too small for XXH3's state");

void pdb_xxh_init(struct pdb_xxh *h)
{
    XXH3_64bits_reset((XXH3_state_t *) h->state);
}

void pdb_xxh_update(struct pdb_xxh *h, const void *data, size_t len)
{
    XXH3_64bits_update((XXH3_state_t *) h->state, data, len);
}

uint64_t pdb_xxh_final(struct pdb_xxh *h)
{
    return XXH3_64bits_digest((XXH3_state_t *) h->state);
}
