/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdeflate, and the only file that knows it: whole buffers compressed
 * as raw DEFLATE (RFC 1951, the ZIP method 8 of APPNOTE 4.4.5) or as a
 * zlib stream (RFC 1950), and CRC-32 (ZIP's check value).  The viewer's
 * pixel planes go through ISA-L's igzip instead (web/viewer_codec.c).
 */
#include <libdeflate.h>
#include <stdlib.h>

#include "core.h"

bool pdb_deflate(const void *in, size_t len, int level, bool zlib,
                 uint8_t **out, size_t *out_len)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    size_t bound = !c     ? 0
                   : zlib ? libdeflate_zlib_compress_bound(c, len)
                          : libdeflate_deflate_compress_bound(c, len);
    uint8_t *z = c ? malloc(bound ? bound : 1) : NULL;
    size_t size = !z     ? 0
                  : zlib ? libdeflate_zlib_compress(c, in, len, z, bound)
                         : libdeflate_deflate_compress(c, in, len, z, bound);
    libdeflate_free_compressor(c);
    if (size == 0) {
        free(z);
        return false;
    }
    *out = z;
    *out_len = size;
    return true;
}

uint32_t pdb_crc32(uint32_t crc, const void *data, size_t len)
{
    return libdeflate_crc32(crc, data, len);
}
