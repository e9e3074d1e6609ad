/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Strict UTF-8 (RFC 3629 section 3, Unicode 15 table 3-7): one sequence
 * at a time, refusing overlong forms, surrogates and code points beyond
 * U+10FFFF, which lenient decoders let through and strict ones (XML
 * parsers, Python, browsers' TextDecoder with fatal) reject.
 */
#include "pdiburn/utf8.h"

/* The second byte's range depends on the first (table 3-7). */
static int second_ok(unsigned char lead, unsigned char b)
{
    unsigned char lo = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    return b >= lo && b <= hi;
}

/* The length a lead byte announces; 0 for bytes that never lead. */
static int lead_len(unsigned char lead)
{
    return lead < 0x80                   ? 1
           : lead >= 0xC2 && lead < 0xE0 ? 2
           : lead >= 0xE0 && lead < 0xF0 ? 3
           : lead >= 0xF0 && lead < 0xF5 ? 4
                                         : 0;
}

int pdb_utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *) s;
    int n = lead_len(p[0]);
    if (n == 0 || (n > 1 && !second_ok(p[0], p[1])))
        return 0;
    uint32_t c = n == 1 ? p[0] : p[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    return n;
}
