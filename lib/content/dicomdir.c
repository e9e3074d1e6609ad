/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DICOMDIR file (PS3.10 8.6, PS3.3 F.3): Part 10 meta information
 * whose SOP Instance UID is the File-set UID, the File-set ID, and the
 * Directory Record Sequence in Explicit VR Little Endian.  Invariant:
 * every offset points at the first byte of an item and counts from the
 * first byte of the file, preamble included (PS3.3 F.3.2.2).
 */
#include <stdlib.h>
#include <string.h>

#include "dirrecord.h"
#include "dicom.h"

#define TAG_NEXT 0x00041400u
#define TAG_IN_USE 0x00041410u
#define TAG_LOWER 0x00041420u

/* The three elements every record starts with: 12 + 10 + 12 bytes. */
#define RECORD_PREFIX 34u
#define ITEM_HEADER 8u

/* Pre-order, as readers walk it: a record, then its subtree, then the next
 * sibling.  Returns the offset after the last laid-out item. */
static uint64_t lay_out(struct pdb_record *r, uint64_t offset)
{
    for (; r; r = r->next) {
        r->offset = (uint32_t) offset;
        r->size = (uint32_t) (ITEM_HEADER + RECORD_PREFIX + r->body.len);
        offset = lay_out(r->child, offset + r->size);
    }
    return offset;
}

static void emit(struct pdb_buf *b, const struct pdb_record *r)
{
    for (; r; r = r->next) {
        pdb_buf_add_u16(b, 0xFFFE);
        pdb_buf_add_u16(b, 0xE000);
        pdb_buf_add_u32(b, r->size - ITEM_HEADER);
        pdb_elem_put_ul(b, TAG_NEXT, r->next ? r->next->offset : 0);
        pdb_elem_put_us(b, TAG_IN_USE, 0xFFFF);
        pdb_elem_put_ul(b, TAG_LOWER, r->child ? r->child->offset : 0);
        pdb_buf_add(b, r->body.data, r->body.len);
        emit(b, r->child);
    }
}

static const struct pdb_record *last_sibling(const struct pdb_record *r)
{
    while (r && r->next)
        r = r->next;
    return r;
}

bool pdb_dicomdir_encode(struct pdb_record *roots, const char *fileset_id,
                         const char *fileset_uid, uint8_t **out, size_t *len,
                         struct pdiburn_error **err)
{
    if (!roots) /* PS3.11 D.3.3: a DICOMDIR without records is not allowed */
        return pdb_fail(err, PDIBURN_E_INTERNAL, "no directory records");
    struct pdb_buf b = { 0 };
    pdb_elem_put_meta(&b, PDB_SOP_DICOMDIR, fileset_uid, PDB_TS_EXPLICIT_LE);
    pdb_elem_put_str(&b, 0x00041130, "CS", fileset_id);
    /* The two root offsets and the consistency flag come next, then the
     * sequence header; the first item follows them. */
    uint64_t first = b.len + 12 + 12 + 10 + 12;
    uint64_t end = lay_out(roots, first);
    if (end > 0xFFFFFFFFu) {
        pdb_buf_free(&b);
        return pdb_fail(err, PDIBURN_E_CAPACITY,
                        "the DICOMDIR would exceed 4 GB");
    }
    pdb_elem_put_ul(&b, 0x00041200, roots->offset);
    pdb_elem_put_ul(&b, 0x00041202, last_sibling(roots)->offset);
    pdb_elem_put_us(&b, 0x00041212, 0x0000);
    pdb_elem_put_header(&b, 0x00041220, "SQ", (uint32_t) (end - first));
    emit(&b, roots);
    if (!b.failed && b.len != end) {
        pdb_buf_free(&b);
        return pdb_fail(err, PDIBURN_E_INTERNAL, "DICOMDIR layout is off");
    }
    *out = pdb_buf_steal(&b, len);
    return *out ? true : pdb_fail_nomem(err);
}
