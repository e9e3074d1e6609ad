/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Locates the Pixel Data element in a source file after the header scanner
 * stopped in front of it, without reading the pixels: native data by its
 * length, encapsulated data by walking the fragment headers (PS3.5 A.4).
 * Invariant: a file that ends inside the element is reported as truncated.
 */
#include <string.h>

#include "dicom.h"
#include "source.h"

#define ITEM 0xFFFEE000u
#define SEQ_END 0xFFFEE0DDu

enum pdb_syntax pdb_syntax_of(const char *ts_uid)
{
    if (strcmp(ts_uid, PDB_TS_IMPLICIT_LE) == 0)
        return PDB_IMPLICIT_LE;
    if (strcmp(ts_uid, PDB_TS_EXPLICIT_BE) == 0)
        return PDB_EXPLICIT_BE;
    return PDB_EXPLICIT_LE;
}

static uint32_t tag_at(const uint8_t *p, bool be)
{
    if (be)
        return (uint32_t) (p[0] << 8 | p[1]) << 16 | (uint32_t) (p[2] << 8 | p[3]);
    return (uint32_t) pdb_le16(p) << 16 | pdb_le16(p + 2);
}

static uint32_t u32_at(const uint8_t *p, bool be)
{
    if (be)
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
               (uint32_t) p[2] << 8 | p[3];
    return pdb_le32(p);
}

static bool explicit_header(int fd, bool be, uint64_t stop,
                            struct pdb_pixels *px, uint32_t *len)
{
    uint8_t h[12];
    size_t got = 0;
    if (stop < 12 || !pdb_fs_read_at(fd, h, 12, stop - 12, &got) || got != 12 ||
        tag_at(h, be) != TAG_PIXEL_DATA)
        return false;
    if (memcmp(h + 4, "OB", 2) != 0 && memcmp(h + 4, "OW", 2) != 0)
        return false;
    memcpy(px->vr, h + 4, 2);
    px->vr[2] = 0;
    px->element_offset = stop - 12;
    *len = u32_at(h + 8, be);
    return true;
}

static bool implicit_header(int fd, uint64_t stop, struct pdb_pixels *px,
                            uint32_t *len)
{
    uint8_t h[8];
    size_t got = 0;
    if (stop < 8 || !pdb_fs_read_at(fd, h, 8, stop - 8, &got) || got != 8 ||
        tag_at(h, false) != TAG_PIXEL_DATA)
        return false;
    px->vr[0] = 0;
    px->element_offset = stop - 8;
    *len = pdb_le32(h + 4);
    return true;
}

/* The scanner stops right after the element header: 12 bytes back for an
 * explicit OB/OW header, 8 for an implicit one. */
static bool find_header(int fd, enum pdb_syntax syn, uint64_t stop,
                        struct pdb_pixels *px, uint32_t *len)
{
    if (syn == PDB_IMPLICIT_LE)
        return implicit_header(fd, stop, px, len);
    return explicit_header(fd, syn == PDB_EXPLICIT_BE, stop, px, len);
}

static bool walk_fragments(int fd, uint64_t size, bool be, uint64_t pos,
                           struct pdb_pixels *px)
{
    for (uint64_t items = 0;; items++) {
        uint8_t h[8];
        size_t got = 0;
        if (pos + 8 > size || !pdb_fs_read_at(fd, h, 8, pos, &got) || got < 8)
            return false;
        uint32_t tag = tag_at(h, be);
        uint32_t len = u32_at(h + 4, be);
        pos += 8;
        if (tag == SEQ_END) {
            px->end = pos;
            px->fragments = items ? items - 1 : 0; /* less the offset table */
            return true;
        }
        if (tag != ITEM || len > size - pos)
            return false;
        pos += len;
    }
}

bool pdb_pixels_locate(int fd, uint64_t file_size, enum pdb_syntax syn,
                       uint64_t stop_offset, struct pdb_pixels *px,
                       struct pdiburn_error **err)
{
    uint32_t len = 0;
    memset(px, 0, sizeof(*px));
    if (!find_header(fd, syn, stop_offset, px, &len)) {
        px->kind = PDB_PIXELS_UNKNOWN;
        return true;
    }
    px->value_offset = stop_offset;
    if (len == 0xFFFFFFFFu) {
        px->kind = PDB_PIXELS_ENCAPSULATED;
        if (!walk_fragments(fd, file_size, syn == PDB_EXPLICIT_BE,
                            stop_offset, px))
            return pdb_fail(err, PDIBURN_E_DICOM,
                            "truncated or malformed: the file ends inside "
                            "its compressed pixel data");
        return true;
    }
    px->kind = PDB_PIXELS_NATIVE;
    px->value_length = len;
    px->end = stop_offset + len;
    if (px->end > file_size)
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "truncated: pixel data needs %u bytes, the file "
                        "holds %llu",
                        len, (unsigned long long) (file_size - stop_offset));
    return true;
}
