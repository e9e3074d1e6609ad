/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tells DICOM files from everything else in an archive folder by their
 * first bytes: a Part 10 preamble and "DICM" (PS3.10 7.1), "DICM" without
 * the preamble, or a bare data set as old systems store them, which must
 * start with a plausible element of group 0002 or 0008 (PS3.5 7.1).
 */
#include <string.h>

#include "source.h"

static bool is_upper(uint8_t c)
{
    return c >= 'A' && c <= 'Z';
}

static bool plausible_first_element(const uint8_t *h, size_t len)
{
    if (len < 8)
        return false;
    uint16_t group_le = (uint16_t) (h[1] << 8 | h[0]);
    uint16_t group_be = (uint16_t) (h[0] << 8 | h[1]);
    bool known_group = group_le == 0x0002 || group_le == 0x0008 ||
                       group_be == 0x0008;
    if (!known_group)
        return false;
    if (is_upper(h[4]) && is_upper(h[5]))
        return true; /* explicit VR */
    uint32_t implicit_len = (uint32_t) h[7] << 24 | (uint32_t) h[6] << 16 |
                            (uint32_t) h[5] << 8 | h[4];
    return implicit_len < 0x10000; /* header elements are short */
}

enum pdb_sniff pdb_sniff_bytes(const uint8_t *head, size_t len)
{
    if (len >= 132 && memcmp(head + 128, "DICM", 4) == 0)
        return PDB_SNIFF_PART10;
    if (len >= 4 && memcmp(head, "DICM", 4) == 0)
        return PDB_SNIFF_NO_PREAMBLE;
    if (plausible_first_element(head, len))
        return PDB_SNIFF_DATASET;
    return PDB_SNIFF_NOT_DICOM;
}
