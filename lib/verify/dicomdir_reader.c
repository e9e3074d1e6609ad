/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reads a DICOMDIR back (PS3.10 8.6, PS3.3 F.3): its meta information,
 * File-set ID, root offset, and every directory record with the offsets
 * that link them, for verify to check the tree and the references.  Works
 * on DICOMDIRs of other creators, with defined or undefined lengths.
 */
#include <stdlib.h>
#include <string.h>

#include "verify.h"
#include "dicom.h"

static bool meta_end(const uint8_t *d, size_t len, size_t *end,
                     struct pdiburn_error **err)
{
    char sop[PDB_UID_MAX + 1], ts[PDB_UID_MAX + 1];
    size_t pos = 132;
    struct pdb_elem e;
    if (len < 132 || memcmp(d + 128, "DICM", 4) != 0)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: no Part 10 preamble and DICM prefix");
    size_t start = pos;
    while (pos + 4 <= len && pdb_le16(d + pos) == 0x0002)
        if (pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e) <= 0)
            return pdb_fail(err, PDIBURN_E_VERIFY,
                            "DICOMDIR: malformed meta information");
    pdb_elem_get_string(d + start, pos - start, PDB_EXPLICIT_LE, 0x00020002,
                        sop, sizeof(sop));
    pdb_elem_get_string(d + start, pos - start, PDB_EXPLICIT_LE, 0x00020010, ts,
                        sizeof(ts));
    if (strcmp(sop, PDB_SOP_DICOMDIR) != 0)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: Media Storage SOP Class is '%s'", sop);
    if (strcmp(ts, PDB_TS_EXPLICIT_LE) != 0)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: transfer syntax '%s', not Explicit VR "
                        "Little Endian",
                        ts);
    *end = pos;
    return true;
}

static uint32_t ul(const uint8_t *body, size_t len, uint32_t tag)
{
    struct pdb_elem e;
    if (!pdb_elem_find(body, len, PDB_EXPLICIT_LE, tag, &e) || e.len < 4)
        return 0;
    return pdb_le32(e.value);
}

/* Multi-valued CS "DICOM\PT000001\..." into "DICOM/PT000001/...". */
static void file_id(const uint8_t *body, size_t len, char *out, size_t n)
{
    pdb_elem_get_string(body, len, PDB_EXPLICIT_LE, 0x00041500, out, n);
    for (char *p = out; *p; p++)
        if (*p == '\\')
            *p = '/';
}

static bool read_record(const uint8_t *body, size_t len, uint32_t offset,
                        struct pdb_dir_record *r)
{
    uint16_t in_use = 0xFFFF;
    memset(r, 0, sizeof(*r));
    r->offset = offset;
    r->next = ul(body, len, 0x00041400);
    r->lower = ul(body, len, 0x00041420);
    pdb_elem_get_u16(body, len, PDB_EXPLICIT_LE, 0x00041410, &in_use);
    r->in_use = in_use != 0;
    pdb_elem_get_string(body, len, PDB_EXPLICIT_LE, 0x00041430, r->type,
                        sizeof(r->type));
    file_id(body, len, r->file_id, sizeof(r->file_id));
    pdb_elem_get_string(body, len, PDB_EXPLICIT_LE, 0x00041510, r->sop_class,
                        sizeof(r->sop_class));
    pdb_elem_get_string(body, len, PDB_EXPLICIT_LE, 0x00041511, r->sop_uid,
                        sizeof(r->sop_uid));
    pdb_elem_get_string(body, len, PDB_EXPLICIT_LE, 0x00041512, r->ts,
                        sizeof(r->ts));
    return r->type[0] != 0;
}

static bool read_records(const uint8_t *d, const struct pdb_elem *seq,
                         struct pdb_dicomdir *dir, struct pdiburn_error **err)
{
    size_t pos = 0;
    const uint8_t *body;
    size_t body_len;
    int rc;
    while ((rc = pdb_elem_next_item(seq, &pos, PDB_EXPLICIT_LE, &body,
                                    &body_len)) > 0) {
        if (!pdb_grow(&dir->records, dir->nrecords, sizeof(*dir->records)))
            return pdb_fail_nomem(err);
        uint32_t offset = (uint32_t) (body - d - 8);
        if (!read_record(body, body_len, offset,
                         &dir->records[dir->nrecords++]))
            return pdb_fail(err, PDIBURN_E_VERIFY,
                            "DICOMDIR: record at offset %u has no type",
                            offset);
    }
    if (rc < 0)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: malformed Directory Record Sequence");
    return true;
}

bool pdb_dicomdir_parse(const uint8_t *d, size_t len, struct pdb_dicomdir *dir,
                        struct pdiburn_error **err)
{
    size_t start = 0;
    memset(dir, 0, sizeof(*dir));
    if (!meta_end(d, len, &start, err))
        return false;
    /* Walk the whole data set: a malformed element anywhere is an error. */
    size_t pos = start;
    struct pdb_elem e, seq = { 0 };
    int rc;
    while ((rc = pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e)) > 0) {
        if (e.tag == 0x00041130)
            pdb_elem_string(&e, dir->fileset_id, sizeof(dir->fileset_id));
        else if (e.tag == 0x00041200 && e.len >= 4)
            dir->first_root = pdb_le32(e.value);
        else if (e.tag == 0x00041220)
            seq = e;
    }
    if (rc < 0)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: malformed or truncated data set");
    if (!seq.tag)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "DICOMDIR: no Directory Record Sequence");
    if (read_records(d, &seq, dir, err))
        return true;
    pdb_dicomdir_free(dir); /* callers free only what parsed */
    return false;
}

void pdb_dicomdir_free(struct pdb_dicomdir *dir)
{
    free(dir->records);
    memset(dir, 0, sizeof(*dir));
}

struct pdb_dir_record *pdb_dicomdir_at(const struct pdb_dicomdir *dir,
                                       uint32_t offset)
{
    size_t lo = 0, hi = dir->nrecords; /* records are in file order */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (dir->records[mid].offset == offset)
            return &dir->records[mid];
        if (dir->records[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
