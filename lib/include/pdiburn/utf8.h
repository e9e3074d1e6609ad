/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* utf8.h - strict UTF-8 decoding (lib/core/utf8.c, RFC 3629 section 3):
 * what the JSON writer, the XHTML pages and the tool's terminal output
 * agree is valid text.  Part of the internal pdbjson library that the
 * library and the command-line tool both link; never exported. */
#ifndef PDB_UTF8_H
#define PDB_UTF8_H

#include <stdint.h>

/* Length (1 to 4) of the valid UTF-8 sequence at s, its code point in
 * *cp; 0 when the bytes at s are not one (a stray continuation byte, an
 * overlong form, a surrogate, beyond U+10FFFF, cut short by the end of
 * the string).  s must not point at the terminating NUL. */
int pdb_utf8_next(const char *s, uint32_t *cp);

#endif
