/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writes DICOM elements in Explicit VR Little Endian (PS3.5 7.1.2) and the
 * Part 10 file preamble and meta information (PS3.10 7.1) for the files we
 * generate or re-encode.  Invariant: every value written has even length,
 * padded as PS3.5 6.2 asks for its VR.
 */
#include <string.h>

#include "core.h"
#include "dicom.h"

/* VRs whose length takes 4 bytes after 2 reserved (PS3.5 Table 7.1-1):
 * OB OD OF OL OV OW SQ SV UC UN UR UT UV.  Every element read asks, so
 * this is a switch rather than a walk through a table. */
bool pdb_vr_has_long_length(const char *vr)
{
    char second = vr[1];
    switch (vr[0]) {
    case 'O':
        return second && strchr("BDFLVW", second);
    case 'S':
        return second == 'Q' || second == 'V';
    case 'U':
        return second && strchr("CNRTV", second);
    default:
        return false;
    }
}

static uint8_t pad_byte(const char *vr)
{
    if (memcmp(vr, "UI", 2) == 0 || memcmp(vr, "OB", 2) == 0 ||
        memcmp(vr, "UN", 2) == 0)
        return 0;
    return ' ';
}

bool pdb_elem_put_header(struct pdb_buf *b, uint32_t tag, const char *vr,
                         uint32_t len)
{
    pdb_buf_add_u16(b, (uint16_t) (tag >> 16));
    pdb_buf_add_u16(b, (uint16_t) tag);
    pdb_buf_add(b, vr, 2);
    if (pdb_vr_has_long_length(vr)) {
        pdb_buf_add_u16(b, 0);
        return pdb_buf_add_u32(b, len);
    }
    return pdb_buf_add_u16(b, (uint16_t) len);
}

bool pdb_elem_put(struct pdb_buf *b, uint32_t tag, const char *vr,
                  const void *value, size_t len)
{
    size_t padded = len + (len & 1);
    if (!pdb_vr_has_long_length(vr) && padded > 0xFFFF) {
        b->failed = true;
        return false;
    }
    pdb_elem_put_header(b, tag, vr, (uint32_t) padded);
    pdb_buf_add(b, value, len);
    if (len & 1) {
        uint8_t pad = pad_byte(vr);
        pdb_buf_add(b, &pad, 1);
    }
    return !b->failed;
}

bool pdb_elem_put_str(struct pdb_buf *b, uint32_t tag, const char *vr,
                      const char *value)
{
    return pdb_elem_put(b, tag, vr, value, value ? strlen(value) : 0);
}

bool pdb_elem_put_us(struct pdb_buf *b, uint32_t tag, uint16_t value)
{
    uint8_t le[2] = { (uint8_t) value, (uint8_t) (value >> 8) };
    return pdb_elem_put(b, tag, "US", le, 2);
}

bool pdb_elem_put_ul(struct pdb_buf *b, uint32_t tag, uint32_t value)
{
    uint8_t le[4] = { (uint8_t) value, (uint8_t) (value >> 8),
                      (uint8_t) (value >> 16), (uint8_t) (value >> 24) };
    return pdb_elem_put(b, tag, "UL", le, 4);
}

/* PS3.10 7.1: a zero preamble (7.5: nothing executable), "DICM", then group
 * 0002 with its group length.  (0002,0012) names us as the last writer. */
bool pdb_elem_put_meta(struct pdb_buf *b, const char *sop_class,
                       const char *sop_instance, const char *ts_uid)
{
    static const uint8_t version[2] = { 0, 1 };
    uint8_t preamble[128] = { 0 };
    pdb_buf_add(b, preamble, sizeof(preamble));
    pdb_buf_add(b, "DICM", 4);

    struct pdb_buf g = { 0 };
    pdb_elem_put(&g, 0x00020001, "OB", version, 2);
    pdb_elem_put_str(&g, 0x00020002, "UI", sop_class);
    pdb_elem_put_str(&g, 0x00020003, "UI", sop_instance);
    pdb_elem_put_str(&g, 0x00020010, "UI", ts_uid);
    pdb_elem_put_str(&g, 0x00020012, "UI", PDB_IMPLEMENTATION_UID);
    pdb_elem_put_str(&g, 0x00020013, "SH", PDB_IMPLEMENTATION_NAME);
    if (g.failed) {
        pdb_buf_free(&g);
        b->failed = true;
        return false;
    }
    pdb_elem_put_ul(b, 0x00020000, (uint32_t) g.len);
    pdb_buf_add(b, g.data, g.len);
    pdb_buf_free(&g);
    return !b->failed;
}
