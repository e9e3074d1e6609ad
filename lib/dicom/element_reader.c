/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Walks the elements of a DICOM data set held in memory (PS3.5 7.1): the
 * key blobs the scanner extracts, DICOMDIRs and file headers read back by
 * verify.  Handles Explicit VR LE/BE and Implicit VR LE, with defined and
 * undefined lengths (PS3.5 7.5).  It never reads past `size`: a value that
 * would end outside the buffer makes the walk report a malformed element.
 */
#include <string.h>

#include "core.h"
#include "dicom.h"

#define UNDEFINED 0xFFFFFFFFu
#define ITEM 0xFFFEE000u
#define ITEM_END 0xFFFEE00Du
#define SEQ_END 0xFFFEE0DDu

static uint16_t rd16(const uint8_t *p, bool be)
{
    return be ? (uint16_t) (p[0] << 8 | p[1]) : (uint16_t) (p[1] << 8 | p[0]);
}

static uint32_t rd32(const uint8_t *p, bool be)
{
    if (be)
        return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
               (uint32_t) p[2] << 8 | p[3];
    return (uint32_t) p[3] << 24 | (uint32_t) p[2] << 16 |
           (uint32_t) p[1] << 8 | p[0];
}

uint16_t pdb_le16(const uint8_t *p)
{
    return rd16(p, false);
}

uint32_t pdb_le32(const uint8_t *p)
{
    return rd32(p, false);
}

static bool skip_undefined(const uint8_t *d, size_t size, size_t *pos,
                           enum pdb_syntax syn, int depth);

/* Item tags and delimiters are always tag + 4-byte length, no VR. */
static bool read_item_header(const uint8_t *d, size_t size, size_t pos,
                             bool be, uint32_t *tag, uint32_t *len)
{
    if (pos + 8 > size)
        return false;
    *tag = (uint32_t) rd16(d + pos, be) << 16 | rd16(d + pos + 2, be);
    *len = rd32(d + pos + 4, be);
    return true;
}

/* Skips items up to and including the sequence delimiter. */
static bool skip_items(const uint8_t *d, size_t size, size_t *pos,
                       enum pdb_syntax syn, int depth)
{
    bool be = syn == PDB_EXPLICIT_BE;
    for (;;) {
        uint32_t tag, len;
        if (!read_item_header(d, size, *pos, be, &tag, &len))
            return false;
        *pos += 8;
        if (tag == SEQ_END)
            return true;
        if (tag != ITEM)
            return false;
        if (len == UNDEFINED) {
            if (!skip_undefined(d, size, pos, syn, depth + 1))
                return false;
        } else {
            if (len > size - *pos)
                return false;
            *pos += len;
        }
    }
}

/* Skips the elements of an item of undefined length, and its delimiter. */
static bool skip_undefined(const uint8_t *d, size_t size, size_t *pos,
                           enum pdb_syntax syn, int depth)
{
    if (depth > 32)
        return false;
    for (;;) {
        uint32_t tag, len;
        if (!read_item_header(d, size, *pos, syn == PDB_EXPLICIT_BE, &tag,
                              &len))
            return false;
        if (tag == ITEM_END) {
            *pos += 8;
            return true;
        }
        struct pdb_elem e;
        if (pdb_elem_next_depth(d, size, pos, syn, &e, depth) <= 0)
            return false;
    }
}

static bool read_header(const uint8_t *d, size_t size, size_t pos,
                        enum pdb_syntax syn, struct pdb_elem *e)
{
    bool be = syn == PDB_EXPLICIT_BE;
    if (pos + 8 > size)
        return false;
    e->tag = (uint32_t) rd16(d + pos, be) << 16 | rd16(d + pos + 2, be);
    bool explicit_vr = syn != PDB_IMPLICIT_LE && (e->tag >> 16) != 0xFFFE;
    if (!explicit_vr) {
        memcpy(e->vr, "??", 3);
        e->len = rd32(d + pos + 4, be);
        e->value_offset = pos + 8;
        return true;
    }
    memcpy(e->vr, d + pos + 4, 2);
    e->vr[2] = 0;
    if (pdb_vr_has_long_length(e->vr)) {
        if (pos + 12 > size)
            return false;
        e->len = rd32(d + pos + 8, be);
        e->value_offset = pos + 12;
    } else {
        e->len = rd16(d + pos + 6, be);
        e->value_offset = pos + 8;
    }
    return true;
}

bool pdb_elem_header(const uint8_t *d, size_t size, size_t pos,
                     enum pdb_syntax syn, struct pdb_elem *e)
{
    if (!read_header(d, size, pos, syn, e))
        return false;
    e->offset = pos;
    e->value = e->value_offset <= size ? d + e->value_offset : NULL;
    e->undefined = e->len == UNDEFINED;
    e->end = 0;
    return true;
}

int pdb_elem_next_depth(const uint8_t *d, size_t size, size_t *pos,
                        enum pdb_syntax syn, struct pdb_elem *e, int depth)
{
    if (*pos >= size)
        return 0;
    if (!read_header(d, size, *pos, syn, e))
        return -1;
    e->offset = *pos;
    e->value = d + e->value_offset;
    e->undefined = e->len == UNDEFINED;
    size_t end = e->value_offset;
    if (e->undefined) {
        if (syn == PDB_IMPLICIT_LE)
            memcpy(e->vr, "SQ", 3);
        if (!skip_items(d, size, &end, syn, depth))
            return -1;
        e->len = (uint32_t) (end - e->value_offset - 8);
    } else {
        if (e->len > size - e->value_offset)
            return -1;
        end += e->len;
    }
    e->end = end;
    *pos = end;
    return 1;
}

int pdb_elem_next(const uint8_t *d, size_t size, size_t *pos,
                  enum pdb_syntax syn, struct pdb_elem *e)
{
    return pdb_elem_next_depth(d, size, pos, syn, e, 0);
}

bool pdb_elem_find(const uint8_t *d, size_t size, enum pdb_syntax syn,
                   uint32_t tag, struct pdb_elem *out)
{
    size_t pos = 0;
    struct pdb_elem e;
    while (pdb_elem_next(d, size, &pos, syn, &e) > 0) {
        if (e.tag == tag) {
            *out = e;
            return true;
        }
        if (e.tag > tag)
            return false;
    }
    return false;
}

/* Copies a string value without its padding (trailing spaces and NULs,
 * leading spaces except for LT/ST/UT, PS3.5 6.2). */
bool pdb_elem_string(const struct pdb_elem *e, char *out, size_t outlen)
{
    size_t len = e->len;
    const uint8_t *v = e->value;
    while (len && (v[len - 1] == ' ' || v[len - 1] == 0))
        len--;
    while (len && v[0] == ' ') {
        v++;
        len--;
    }
    if (len >= outlen)
        return false;
    memcpy(out, v, len);
    out[len] = 0;
    return true;
}

bool pdb_elem_get_string(const uint8_t *d, size_t size, enum pdb_syntax syn,
                         uint32_t tag, char *out, size_t outlen)
{
    struct pdb_elem e;
    out[0] = 0;
    return pdb_elem_find(d, size, syn, tag, &e) &&
           pdb_elem_string(&e, out, outlen);
}

bool pdb_elem_get_u16(const uint8_t *d, size_t size, enum pdb_syntax syn,
                      uint32_t tag, uint16_t *out)
{
    struct pdb_elem e;
    if (!pdb_elem_find(d, size, syn, tag, &e) || e.len < 2)
        return false;
    *out = rd16(e.value, syn == PDB_EXPLICIT_BE);
    return true;
}

/* Items of a sequence element: call with *pos = 0 first; returns the item
 * body range.  Item bodies of undefined length end before the delimiter. */
int pdb_elem_next_item(const struct pdb_elem *seq, size_t *pos,
                       enum pdb_syntax syn, const uint8_t **body,
                       size_t *body_len)
{
    const uint8_t *d = seq->value;
    size_t size = seq->len;
    uint32_t tag, len;
    if (*pos >= size)
        return 0;
    if (!read_item_header(d, size, *pos, syn == PDB_EXPLICIT_BE, &tag, &len))
        return -1;
    if (tag != ITEM)
        return tag == SEQ_END ? 0 : -1;
    size_t start = *pos + 8;
    size_t end = start;
    if (len == UNDEFINED) {
        if (!skip_undefined(d, size, &end, syn, 1))
            return -1;
        *body_len = end - start - 8;
    } else {
        if (len > size - start)
            return -1;
        end += len;
        *body_len = len;
    }
    *body = d + start;
    *pos = end;
    return 1;
}
