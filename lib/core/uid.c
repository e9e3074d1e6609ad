/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * New UIDs without a registered root: "2.25." followed by the decimal value
 * of a random 128-bit UUID (PS3.5 B.2, ISO/IEC 9834-8).  Used for File-set
 * UIDs, a new one per media (PS3.10 8.1).
 */
#include <string.h>
#include <sys/random.h>

#include "core.h"

/* Divides the 128-bit big-endian number in place by 10; returns the rest. */
static unsigned div10(uint8_t n[16])
{
    unsigned rest = 0;
    for (int i = 0; i < 16; i++) {
        unsigned cur = rest << 8 | n[i];
        n[i] = (uint8_t) (cur / 10);
        rest = cur % 10;
    }
    return rest;
}

static bool is_zero(const uint8_t n[16])
{
    for (int i = 0; i < 16; i++)
        if (n[i])
            return false;
    return true;
}

bool pdb_uid_new(char out[PDB_UID_MAX + 1], struct pdiburn_error **err)
{
    uint8_t n[16];
    if (getrandom(n, sizeof(n), 0) != (ssize_t) sizeof(n))
        return pdb_fail(err, PDIBURN_E_INTERNAL, "no random numbers for UID");
    n[6] = (uint8_t) ((n[6] & 0x0F) | 0x40); /* UUID version 4 */
    n[8] = (uint8_t) ((n[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    char digits[40];
    int len = 0;
    do
        digits[len++] = (char) ('0' + div10(n));
    while (!is_zero(n));
    strcpy(out, "2.25.");
    char *p = out + 5;
    while (len)
        *p++ = digits[--len];
    *p = 0;
    return true;
}

/* PS3.5 9.1: components of digits separated by '.', no leading zero in a
 * component of more than one digit, at most 64 characters. */
bool pdb_uid_valid(const char *uid)
{
    size_t len = strlen(uid);
    if (len == 0 || len > PDB_UID_MAX)
        return false;
    size_t comp = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = uid[i];
        if (c == '.' || c == 0) {
            if (comp == 0)
                return false;
            comp = 0;
        } else if (c >= '0' && c <= '9') {
            if (comp == 1 && uid[i - 1] == '0')
                return false;
            comp++;
        } else {
            return false;
        }
    }
    return true;
}
