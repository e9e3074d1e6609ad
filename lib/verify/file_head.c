/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The head of a file read back, up to its Pixel Data: the Part 10 meta
 * information (PS3.10 7.1), the data set's own SOP UIDs and the values its
 * directory records must agree with, and where the pixel data is and how
 * long the Image Pixel module (PS3.3 C.7.6.3) says it must be.  The data
 * set is walked element by element in its own transfer syntax; a head that
 * ends inside an element asks for more bytes, or, when it is the whole
 * file, is a truncated data set.
 */
#include <stdlib.h>
#include <string.h>

#include "file_head.h"

#define TAG_PIXEL_DATA 0x7FE00010u

const uint32_t pdb_head_key_tags[PDB_HK_COUNT] = {
    [PDB_HK_CHARSET] = 0x00080005,       [PDB_HK_STUDY_DATE] = 0x00080020,
    [PDB_HK_STUDY_TIME] = 0x00080030,    [PDB_HK_ACCESSION] = 0x00080050,
    [PDB_HK_MODALITY] = 0x00080060,      [PDB_HK_PATIENT_NAME] = 0x00100010,
    [PDB_HK_PATIENT_ID] = 0x00100020,    [PDB_HK_BIRTH_DATE] = 0x00100030,
    [PDB_HK_SEX] = 0x00100040,           [PDB_HK_STUDY_UID] = 0x0020000D,
    [PDB_HK_SERIES_UID] = 0x0020000E,    [PDB_HK_STUDY_ID] = 0x00200010,
    [PDB_HK_SERIES_NUMBER] = 0x00200011, [PDB_HK_INSTANCE_NUMBER] = 0x00200013,
};

static const char *meta_uid(struct pdb_intern *strings, const uint8_t *m,
                            size_t mlen, uint32_t tag)
{
    char uid[PDB_UID_MAX + 1] = "";
    pdb_elem_get_string(m, mlen, PDB_EXPLICIT_LE, tag, uid, sizeof(uid));
    return pdb_intern(strings, uid);
}

/* Meta information (always Explicit VR LE); false unless preamble+DICM. */
static bool read_meta(struct vfile *f, struct pdb_intern *strings,
                      const uint8_t *h, size_t len, size_t *end)
{
    if (len < 132 || memcmp(h + 128, "DICM", 4) != 0)
        return false;
    f->dicom = true;
    size_t pos = 132;
    struct pdb_elem e;
    while (pos + 4 <= len && pdb_le16(h + pos) == 0x0002 &&
           pdb_elem_next(h, len, &pos, PDB_EXPLICIT_LE, &e) > 0)
        ;
    const uint8_t *m = h + 132;
    size_t mlen = pos - 132;
    f->sop_class = meta_uid(strings, m, mlen, 0x00020002);
    f->sop_uid = meta_uid(strings, m, mlen, 0x00020003);
    f->ts = meta_uid(strings, m, mlen, 0x00020010);
    *end = pos;
    return true;
}

static enum pdb_syntax syntax_of(const char *ts)
{
    if (strcmp(ts, PDB_TS_IMPLICIT_LE) == 0)
        return PDB_IMPLICIT_LE;
    if (strcmp(ts, PDB_TS_EXPLICIT_BE) == 0)
        return PDB_EXPLICIT_BE;
    return PDB_EXPLICIT_LE;
}

static unsigned u16_of(const struct pdb_elem *e, enum pdb_syntax syn)
{
    if (e->len < 2)
        return 0;
    return syn == PDB_EXPLICIT_BE ? (unsigned) (e->value[0] << 8 | e->value[1])
                                  : pdb_le16(e->value);
}

static void keep_key(struct vfile *f, struct pdb_intern *strings,
                     const struct pdb_elem *e)
{
    char value[1024];
    for (int k = 0; k < PDB_HK_COUNT; k++)
        if (pdb_head_key_tags[k] == e->tag && !f->keys[k] &&
            pdb_elem_string(e, value, sizeof(value)))
            f->keys[k] = pdb_intern(strings, value);
}

/* What one element of the data set says. */
static const char *ds_uid(struct pdb_intern *strings,
                          const struct pdb_elem *e)
{
    char uid[PDB_UID_MAX + 1] = "";
    pdb_elem_string(e, uid, sizeof(uid));
    return pdb_intern(strings, uid);
}

static void take(struct vfile *f, struct pdb_intern *strings,
                 struct pdb_head *hd, const struct pdb_elem *e)
{
    char text[32];
    switch (e->tag) {
    case 0x00080016: f->ds_class = ds_uid(strings, e); break;
    case 0x00080018: f->ds_uid = ds_uid(strings, e); break;
    case 0x00280002: hd->samples = u16_of(e, hd->syn); break;
    case 0x00280004:
        pdb_elem_string(e, hd->photometric, sizeof(hd->photometric));
        break;
    case 0x00280008:
        if (pdb_elem_string(e, text, sizeof(text)))
            hd->frames = (unsigned) strtoul(text, NULL, 10);
        break;
    case 0x00280010: hd->rows = u16_of(e, hd->syn); break;
    case 0x00280011: hd->columns = u16_of(e, hd->syn); break;
    case 0x00280100: hd->bits = u16_of(e, hd->syn); break;
    default: keep_key(f, strings, e); break;
    }
}

static void pixels_at(struct pdb_head *hd, const struct pdb_elem *e)
{
    hd->has_pixels = true;
    hd->encapsulated = e->undefined;
    hd->value_offset = e->value_offset;
    hd->value_len = e->len;
}

/* One step of the walk: 1 = go on, 0 = finished, -1 = need more bytes or
 * (for the whole file) malformed. */
static int step(struct vfile *f, struct pdb_intern *strings,
                struct pdb_head *hd, const uint8_t *h, size_t len, size_t *pos)
{
    struct pdb_elem e;
    if (*pos >= len)
        return 0;
    if (!pdb_elem_header(h, len, *pos, hd->syn, &e))
        return -1;
    if (e.tag == TAG_PIXEL_DATA) {
        pixels_at(hd, &e);
        return 0;
    }
    if (e.tag > TAG_PIXEL_DATA) /* padding, signatures: no pixels */
        return 0;
    if (pdb_elem_next(h, len, pos, hd->syn, &e) <= 0)
        return -1;
    take(f, strings, hd, &e);
    return 1;
}

static void clear(struct vfile *f, struct pdb_head *hd)
{
    for (int k = 0; k < PDB_HK_COUNT; k++)
        f->keys[k] = NULL; /* interned: the pool keeps them */
    f->ds_class = f->ds_uid = "";
    memset(hd, 0, sizeof(*hd));
}

void pdb_head_parse(struct vfile *f, struct pdb_intern *strings,
                    const uint8_t *h, size_t len, bool whole,
                    struct pdb_head *hd)
{
    size_t pos = 0;
    clear(f, hd);
    if (len < 132 && !whole) {
        hd->state = PDB_HEAD_MORE;
        return;
    }
    if (!read_meta(f, strings, h, len, &pos)) {
        hd->state = PDB_HEAD_NOT_DICOM;
        return;
    }
    hd->syn = syntax_of(f->ts);
    if (strcmp(f->ts, PDB_TS_DEFLATED) == 0) {
        hd->state = PDB_HEAD_DEFLATED; /* the data set is zlib: not walked */
        return;
    }
    int rc;
    while ((rc = step(f, strings, hd, h, len, &pos)) > 0)
        ;
    hd->stop = pos;
    hd->state = rc == 0 ? PDB_HEAD_DONE : whole ? PDB_HEAD_BAD : PDB_HEAD_MORE;
}

uint64_t pdb_head_pixel_bytes(const struct pdb_head *hd)
{
    uint64_t samples = hd->samples ? hd->samples : 1;
    uint64_t frames = hd->frames ? hd->frames : 1;
    uint64_t pixels = (uint64_t) hd->rows * hd->columns * frames;
    /* YBR_FULL_422 and YBR_PARTIAL_422 hold two samples a pixel, not
     * three (PS3.3 C.7.6.3.1.2). */
    if (samples == 3 && strstr(hd->photometric, "_422"))
        samples = 2;
    return (pixels * samples * hd->bits + 7) / 8;
}
