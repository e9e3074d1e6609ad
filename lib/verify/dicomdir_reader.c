/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reads a DICOMDIR back (PS3.10 8.6, PS3.3 F.3), strictly, as a
 * certification lab would: the meta information with its group length,
 * every element of every record walked to its end, the fixed keys of the
 * File-set and of each record (0004,1200-1220; 0004,1400-1512) with the
 * VR and length PS3.6 gives them, and every offset pointing at the start
 * of a record.  Works on DICOMDIRs of other creators, with defined or
 * undefined lengths.  Any damage fails the whole file, with its offset.
 */
#include <stdlib.h>
#include <string.h>

#include "dicom.h"
#include "verify.h"

#define FAIL(...) pdb_fail(err, PDIBURN_E_VERIFY, "DICOMDIR: " __VA_ARGS__)

/* The VR and value length PS3.6 gives a fixed key; len 0: any length up
 * to `max`. */
struct fixed_key {
    uint32_t tag;
    const char *vr;
    uint32_t len, max;
};

static const struct fixed_key fixed_keys[] = {
    { 0x00020000, "UL", 4, 0 },      { 0x00020001, "OB", 2, 0 },
    { 0x00020002, "UI", 0, 64 },     { 0x00020003, "UI", 0, 64 },
    { 0x00020010, "UI", 0, 64 },     { 0x00020012, "UI", 0, 64 },
    { 0x00020013, "SH", 0, 16 },     { 0x00041130, "CS", 0, 16 },
    { 0x00041200, "UL", 4, 0 },      { 0x00041202, "UL", 4, 0 },
    { 0x00041212, "US", 2, 0 },      { 0x00041220, "SQ", 0, 0xFFFFFFFFu },
    { 0x00041400, "UL", 4, 0 },      { 0x00041410, "US", 2, 0 },
    { 0x00041420, "UL", 4, 0 },      { 0x00041430, "CS", 0, 16 },
    { 0x00041500, "CS", 0, 8 * 17 }, { 0x00041510, "UI", 0, 64 },
    { 0x00041511, "UI", 0, 64 },     { 0x00041512, "UI", 0, 64 },
};

/* An element of a fixed key with another VR or length: a damaged file. */
static bool key_ok(const struct pdb_elem *e, size_t at,
                   struct pdiburn_error **err)
{
    for (size_t i = 0; i < sizeof(fixed_keys) / sizeof(fixed_keys[0]); i++) {
        const struct fixed_key *k = &fixed_keys[i];
        if (k->tag != e->tag)
            continue;
        bool len_ok = k->len ? e->len == k->len : e->len <= k->max;
        if (strcmp(e->vr, k->vr) == 0 && len_ok)
            return true;
        return FAIL("(%04X,%04X) at offset %zu is %s of %u bytes, not %s "
                    "(PS3.6)",
                    e->tag >> 16, e->tag & 0xFFFF, at, e->vr, e->len, k->vr);
    }
    return true;
}

static bool ui_char(uint8_t c, bool last)
{
    return (c >= '0' && c <= '9') || c == '.' || c == ' ' || (c == 0 && last);
}

static bool cs_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == ' ' || c == '\\';
}

/* Code strings and UIDs of the fixed keys hold their repertoire only:
 * one flipped byte inside them is damage, not a value (PS3.5 6.2). */
static bool repertoire_ok(const struct pdb_elem *e, size_t at,
                          struct pdiburn_error **err)
{
    bool ui = strcmp(e->vr, "UI") == 0, cs = e->tag == 0x00041430;
    /* A File-set ID or File ID out of its rules is a value checks.c
     * names, not damage. */
    if ((!ui && !cs) || (e->tag >> 16) != 0x0004)
        return true;
    for (uint32_t i = 0; i < e->len; i++) {
        uint8_t c = e->value[i];
        if (ui ? !ui_char(c, i + 1 == e->len) : !cs_char(c))
            return FAIL("(%04X,%04X) at offset %zu holds byte %02X, outside "
                        "its VR %s",
                        e->tag >> 16, e->tag & 0xFFFF, at, c, e->vr);
    }
    return true;
}

/* What holds for any element: tags ascending (PS3.5 7.1), the two
 * reserved bytes of a 4-byte length header zero (7.1.2), fixed keys as
 * PS3.6 has them. */
static bool element_ok(const uint8_t *d, const struct pdb_elem *e,
                       uint32_t prev, size_t at, struct pdiburn_error **err)
{
    if (e->tag <= prev)
        return FAIL("(%04X,%04X) at offset %zu follows (%04X,%04X): tags "
                    "out of order",
                    e->tag >> 16, e->tag & 0xFFFF, at, prev >> 16,
                    prev & 0xFFFF);
    if (e->value_offset == e->offset + 12 &&
        (d[e->offset + 6] || d[e->offset + 7]))
        return FAIL("(%04X,%04X) at offset %zu: reserved bytes not zero",
                    e->tag >> 16, e->tag & 0xFFFF, at);
    return key_ok(e, at, err) && repertoire_ok(e, at, err);
}

static bool walk_elements(const uint8_t *d, size_t len, size_t base, int depth,
                          struct pdiburn_error **err);

/* The items of a sequence, each walked to its end: a defined length
 * alone would let damage inside them pass. */
static bool walk_items(const struct pdb_elem *seq, size_t base, int depth,
                       struct pdiburn_error **err)
{
    size_t pos = 0;
    const uint8_t *body;
    size_t body_len;
    int rc;
    if (depth > 8)
        return FAIL("sequences nested deeper than 8 at offset %zu", base);
    while ((rc = pdb_elem_next_item(seq, &pos, PDB_EXPLICIT_LE, &body,
                                    &body_len)) > 0)
        if (!walk_elements(body, body_len, base + (size_t) (body - seq->value),
                           depth + 1, err))
            return false;
    return rc == 0 || FAIL("malformed item in the sequence (%04X,%04X) at "
                           "offset %zu",
                           seq->tag >> 16, seq->tag & 0xFFFF, base + pos);
}

/* Every element, nested ones included, to its last byte; `base` is the
 * offset of d[0] in the file. */
static bool walk_elements(const uint8_t *d, size_t len, size_t base, int depth,
                          struct pdiburn_error **err)
{
    size_t pos = 0;
    struct pdb_elem e;
    uint32_t prev = 0;
    int rc;
    while ((rc = pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e)) > 0) {
        size_t at = base + e.offset;
        if (!element_ok(d, &e, prev, at, err))
            return false;
        prev = e.tag;
        if (strcmp(e.vr, "SQ") == 0 &&
            !walk_items(&e, base + e.value_offset, depth, err))
            return false;
    }
    return rc == 0 || FAIL("malformed element at offset %zu", base + pos);
}

/* The meta information's own elements (PS3.10 Table 7.1-1); `need`
 * marks the Type 1 ones. */
static const struct {
    uint16_t element;
    bool need;
} meta_elements[] = {
    { 0x0000, true },  { 0x0001, true },  { 0x0002, true },  { 0x0003, true },
    { 0x0010, true },  { 0x0012, true },  { 0x0013, false }, { 0x0016, false },
    { 0x0017, false }, { 0x0018, false }, { 0x0026, false }, { 0x0027, false },
    { 0x0028, false }, { 0x0100, false }, { 0x0102, false },
};

/* Each known meta element seen, by its index in meta_elements. */
static bool meta_element(const struct pdb_elem *e, size_t at, bool *seen,
                         struct pdiburn_error **err)
{
    size_t n = sizeof(meta_elements) / sizeof(meta_elements[0]);
    for (size_t i = 0; i < n; i++)
        if (meta_elements[i].element == (e->tag & 0xFFFF)) {
            seen[i] = true;
            return e->tag != 0x00020001 ||
                   (e->value[0] == 0 && e->value[1] == 1) ||
                   FAIL("File Meta Information Version is not 00 01");
        }
    return FAIL("(0002,%04X) at offset %zu is no meta information element",
                e->tag & 0xFFFF, at);
}

static bool meta_complete(const uint8_t *d, size_t end, const bool *seen,
                          struct pdiburn_error **err)
{
    size_t n = sizeof(meta_elements) / sizeof(meta_elements[0]);
    for (size_t i = 0; i < n; i++)
        if (meta_elements[i].need && !seen[i])
            return FAIL("the meta information lacks (0002,%04X), Type 1",
                        meta_elements[i].element);
    /* (0002,0000) comes first (tags ascend), 12 bytes from 132. */
    if (pdb_le32(d + 140) != end - 144)
        return FAIL("group length (0002,0000) says %u bytes, the meta "
                    "information has %zu",
                    pdb_le32(d + 140), end - 144);
    return true;
}

static bool meta_walk(const uint8_t *d, size_t len, size_t *end,
                      struct pdiburn_error **err)
{
    bool seen[sizeof(meta_elements) / sizeof(meta_elements[0])] = { 0 };
    size_t pos = 132;
    uint32_t prev = 0x0001FFFF;
    struct pdb_elem e;
    if (len < 132 || memcmp(d + 128, "DICM", 4) != 0)
        return FAIL("no Part 10 preamble and DICM prefix");
    while (pos + 4 <= len && pdb_le16(d + pos) == 0x0002) {
        size_t at = pos;
        if (pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e) <= 0)
            return FAIL("malformed meta information at offset %zu", at);
        if (!element_ok(d, &e, prev, at, err) ||
            !meta_element(&e, at, seen, err))
            return false;
        prev = e.tag;
    }
    *end = pos;
    return meta_complete(d, pos, seen, err);
}

static bool meta_end(const uint8_t *d, size_t len, size_t *end,
                     struct pdiburn_error **err)
{
    char sop[PDB_UID_MAX + 1], ts[PDB_UID_MAX + 1];
    if (!meta_walk(d, len, end, err))
        return false;
    pdb_elem_get_string(d + 132, *end - 132, PDB_EXPLICIT_LE, 0x00020002, sop,
                        sizeof(sop));
    pdb_elem_get_string(d + 132, *end - 132, PDB_EXPLICIT_LE, 0x00020010, ts,
                        sizeof(ts));
    if (strcmp(sop, PDB_SOP_DICOMDIR) != 0)
        return FAIL("Media Storage SOP Class is '%s'", sop);
    if (strcmp(ts, PDB_TS_EXPLICIT_LE) != 0)
        return FAIL("transfer syntax '%s', not Explicit VR Little Endian", ts);
    return true;
}

static bool walk_record(struct pdb_dir_record *r, struct pdiburn_error **err)
{
    /* Elements start after the 8-byte item header. */
    return walk_elements(r->body, r->body_len, r->offset + 8, 0, err);
}

static bool ul(const struct pdb_dir_record *r, uint32_t tag, uint32_t *out)
{
    struct pdb_elem e;
    if (!pdb_elem_find(r->body, r->body_len, PDB_EXPLICIT_LE, tag, &e))
        return false;
    *out = pdb_le32(e.value); /* walk_record checked UL and 4 bytes */
    return true;
}

/* Multi-valued CS "DICOM\PT000001\..." into "DICOM/PT000001/...". */
static void file_id(const struct pdb_dir_record *r, char *out, size_t n)
{
    pdb_elem_get_string(r->body, r->body_len, PDB_EXPLICIT_LE, 0x00041500, out,
                        n);
    for (char *p = out; *p; p++)
        if (*p == '\\')
            *p = '/';
}

static void ui(const struct pdb_dir_record *r, uint32_t tag, char *out,
               size_t n)
{
    pdb_elem_get_string(r->body, r->body_len, PDB_EXPLICIT_LE, tag, out, n);
}

/* The record's own keys; the four Type 1 ones must be there (F.3.2.2). */
static bool read_record(struct pdb_dir_record *r, struct pdiburn_error **err)
{
    uint16_t in_use = 0;
    if (!walk_record(r, err))
        return false;
    bool ok = ul(r, 0x00041400, &r->next) && ul(r, 0x00041420, &r->lower) &&
              pdb_elem_get_u16(r->body, r->body_len, PDB_EXPLICIT_LE,
                               0x00041410, &in_use);
    pdb_elem_get_string(r->body, r->body_len, PDB_EXPLICIT_LE, 0x00041430,
                        r->type, sizeof(r->type));
    if (!ok || !r->type[0])
        return FAIL("record at offset %u lacks one of (0004,1400), "
                    "(0004,1410), (0004,1420), (0004,1430)",
                    r->offset);
    if (in_use != 0xFFFF && in_use != 0x0000)
        return FAIL("record at offset %u: Record In-use Flag %04X, neither "
                    "FFFFH nor 0000H",
                    r->offset, in_use);
    r->in_use = in_use == 0xFFFF;
    file_id(r, r->file_id, sizeof(r->file_id));
    ui(r, 0x00041510, r->sop_class, sizeof(r->sop_class));
    ui(r, 0x00041511, r->sop_uid, sizeof(r->sop_uid));
    ui(r, 0x00041512, r->ts, sizeof(r->ts));
    return true;
}

/* How many items the sequence holds, up to the first damage: the records
 * are then allocated once, at their size (a doubled array would have
 * held a third more than needed, at verify's peak of memory). */
static size_t count_items(const struct pdb_elem *seq)
{
    size_t pos = 0, n = 0, body_len;
    const uint8_t *body;
    while (pdb_elem_next_item(seq, &pos, PDB_EXPLICIT_LE, &body,
                              &body_len) > 0)
        n++;
    return n;
}

static bool read_records(const uint8_t *d, const struct pdb_elem *seq,
                         struct pdb_dicomdir *dir, struct pdiburn_error **err)
{
    size_t pos = 0, room = count_items(seq);
    const uint8_t *body;
    size_t body_len;
    int rc;
    dir->records = calloc(room ? room : 1, sizeof(*dir->records));
    if (!dir->records)
        return pdb_fail_nomem(err);
    /* The same walk again: it meets the same items, then what ends it */
    while ((rc = pdb_elem_next_item(seq, &pos, PDB_EXPLICIT_LE, &body,
                                    &body_len)) > 0 &&
           dir->nrecords < room) {
        struct pdb_dir_record *r = &dir->records[dir->nrecords++];
        r->offset = (uint32_t) (body - d - 8);
        r->body = body;
        r->body_len = body_len;
        if (!read_record(r, err))
            return false;
    }
    if (rc < 0)
        return FAIL("malformed Directory Record Sequence after offset %zu",
                    (size_t) (seq->value - d) + pos);
    return true;
}

/* An offset must name the first byte of a record's item (F.3.2.1). */
static bool offset_ok(const struct pdb_dicomdir *dir, uint32_t offset,
                      const char *what, uint32_t from,
                      struct pdiburn_error **err)
{
    if (offset == 0 || pdb_dicomdir_at(dir, offset))
        return true;
    return FAIL("%s %u (in %s%u) points %s", what, offset,
                from ? "the record at offset " : "the File-set keys", from,
                offset >= dir->len ? "outside the file"
                                   : "at no record's start");
}

static bool links_ok(struct pdb_dicomdir *dir, struct pdiburn_error **err)
{
    if (!offset_ok(dir, dir->first_root, "first root record", 0, err) ||
        !offset_ok(dir, dir->last_root, "last root record", 0, err))
        return false;
    for (size_t i = 0; i < dir->nrecords; i++) {
        const struct pdb_dir_record *r = &dir->records[i];
        if (!offset_ok(dir, r->next, "next record", r->offset, err) ||
            !offset_ok(dir, r->lower, "lower-level record", r->offset, err))
            return false;
    }
    /* Where the root's chain ends; checks.c says when (0004,1202) does
     * not point there (gdcmgendir points it at the last record). */
    const struct pdb_dir_record *r = pdb_dicomdir_at(dir, dir->first_root);
    for (size_t n = 0; r && r->next && n < dir->nrecords; n++)
        r = pdb_dicomdir_at(dir, r->next);
    dir->root_chain_end = r ? r->offset : 0;
    return true;
}

/* The File-set keys (F.3.2.1): which were seen, by bit. */
static unsigned fileset_key(struct pdb_dicomdir *dir, const struct pdb_elem *e,
                            struct pdb_elem *seq)
{
    switch (e->tag) {
    case 0x00041130:
        pdb_elem_string(e, dir->fileset_id, sizeof(dir->fileset_id));
        return 1;
    case 0x00041200: dir->first_root = pdb_le32(e->value); return 2;
    case 0x00041202: dir->last_root = pdb_le32(e->value); return 4;
    case 0x00041212: dir->consistency = pdb_le16(e->value); return 8;
    case 0x00041220: *seq = *e; return 16;
    default: return 0;
    }
}

static bool fileset_keys_ok(const struct pdb_dicomdir *dir, unsigned seen,
                            struct pdiburn_error **err)
{
    static const uint32_t tags[] = { 0x00041130, 0x00041200, 0x00041202,
                                     0x00041212, 0x00041220 };
    for (unsigned i = 0; i < 5; i++)
        if (!(seen & (1u << i)))
            return FAIL("no (%04X,%04X): the File-set keys are Type 1 or 2",
                        tags[i] >> 16, tags[i] & 0xFFFF);
    if (dir->consistency != 0)
        return FAIL("File-set Consistency Flag (0004,1212) is %04X, not 0000H",
                    dir->consistency);
    return true;
}

/* Walks the whole data set: a malformed element anywhere is an error. */
static bool data_set(const uint8_t *d, size_t len, size_t start,
                     struct pdb_dicomdir *dir, struct pdb_elem *seq,
                     struct pdiburn_error **err)
{
    size_t pos = start, at = start;
    struct pdb_elem e;
    uint32_t prev = 0x0002FFFF;
    unsigned seen = 0;
    int rc;
    while ((rc = pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e)) > 0) {
        if (!element_ok(d, &e, prev, at, err))
            return false;
        seen |= fileset_key(dir, &e, seq);
        prev = e.tag;
        at = pos;
    }
    if (rc < 0)
        return FAIL("malformed or truncated data set at offset %zu", at);
    return fileset_keys_ok(dir, seen, err);
}

bool pdb_dicomdir_parse(const uint8_t *d, size_t len, struct pdb_dicomdir *dir,
                        struct pdiburn_error **err)
{
    size_t start = 0;
    struct pdb_elem seq = { 0 };
    memset(dir, 0, sizeof(*dir));
    dir->len = len;
    if (!meta_end(d, len, &start, err) ||
        !data_set(d, len, start, dir, &seq, err))
        return false;
    if (read_records(d, &seq, dir, err) && links_ok(dir, err))
        return true;
    pdb_dicomdir_free(dir);
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
