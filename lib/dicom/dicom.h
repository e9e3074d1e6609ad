/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dicom.h - the dicom stage: DICOM as bytes.  Elements read from and
 * written to buffers (PS3.5 7), Part 10 meta information (PS3.10 7.1),
 * File IDs and ISO 9660 names (PS3.10 8, PS3.12 F); transfer syntaxes and
 * character sets have their own headers here.  Each block belongs to the
 * file named in its comment.
 */
#ifndef PDB_DICOM_H
#define PDB_DICOM_H

#include "core.h"

#define PDB_TS_EXPLICIT_LE "1.2.840.10008.1.2.1"
#define PDB_TS_IMPLICIT_LE "1.2.840.10008.1.2"
#define PDB_TS_EXPLICIT_BE "1.2.840.10008.1.2.2"
#define PDB_TS_DEFLATED    "1.2.840.10008.1.2.1.99"
#define PDB_SOP_DICOMDIR   "1.2.840.10008.1.3.10"

/* ---- element_reader.c: element walker ----------------------------------- */

enum pdb_syntax { PDB_EXPLICIT_LE, PDB_IMPLICIT_LE, PDB_EXPLICIT_BE };

struct pdb_elem {
    uint32_t tag;
    char vr[3];           /* "??" for Implicit VR, "SQ" if undefined length */
    const uint8_t *value; /* inside the walked buffer */
    uint32_t len;         /* value length; for undefined: up to delimiter */
    bool undefined;       /* encoded with undefined length */
    size_t offset;        /* of the element's first byte */
    size_t value_offset;
    size_t end; /* offset after the element, delimiter included */
};

uint16_t pdb_le16(const uint8_t *p);
uint32_t pdb_le32(const uint8_t *p);
/* 1 = element read, 0 = end of buffer, -1 = malformed or truncated. */
int pdb_elem_next(const uint8_t *d, size_t size, size_t *pos,
                  enum pdb_syntax syn, struct pdb_elem *e);
int pdb_elem_next_depth(const uint8_t *d, size_t size, size_t *pos,
                        enum pdb_syntax syn, struct pdb_elem *e, int depth);
/* Only the header of the element at `pos` (tag, VR, length, value_offset;
 * e->value is NULL past `size`): for values not held in the buffer. */
bool pdb_elem_header(const uint8_t *d, size_t size, size_t pos,
                     enum pdb_syntax syn, struct pdb_elem *e);
int pdb_elem_next_item(const struct pdb_elem *seq, size_t *pos,
                       enum pdb_syntax syn, const uint8_t **body,
                       size_t *body_len);
bool pdb_elem_find(const uint8_t *d, size_t size, enum pdb_syntax syn,
                   uint32_t tag, struct pdb_elem *out);
bool pdb_elem_string(const struct pdb_elem *e, char *out, size_t outlen);
bool pdb_elem_get_string(const uint8_t *d, size_t size, enum pdb_syntax syn,
                         uint32_t tag, char *out, size_t outlen);
bool pdb_elem_get_u16(const uint8_t *d, size_t size, enum pdb_syntax syn,
                      uint32_t tag, uint16_t *out);

/* ---- element_writer.c: Explicit VR Little Endian writer ----------------- */

bool pdb_vr_has_long_length(const char *vr);
bool pdb_elem_put_header(struct pdb_buf *b, uint32_t tag, const char *vr,
                         uint32_t len);
bool pdb_elem_put(struct pdb_buf *b, uint32_t tag, const char *vr,
                  const void *value, size_t len);
bool pdb_elem_put_str(struct pdb_buf *b, uint32_t tag, const char *vr,
                      const char *value);
bool pdb_elem_put_us(struct pdb_buf *b, uint32_t tag, uint16_t value);
bool pdb_elem_put_ul(struct pdb_buf *b, uint32_t tag, uint32_t value);
bool pdb_elem_put_meta(struct pdb_buf *b, const char *sop_class,
                       const char *sop_instance, const char *ts_uid);

/* ---- fileid.c: PS3.10 8.2/8.5 File IDs, ISO 9660 Level 1 names ---------- */

#define PDB_FILEID_MAX 72 /* 8 components of 8 characters, separators, NUL */

bool pdb_fileid_component_valid(const char *c, size_t len);
/* A File ID with '/' separators: 1..8 components of [A-Z0-9_]{1,8}. */
bool pdb_fileid_valid(const char *id);
/* "PT" + 6 digits etc.; fails with PDIBURN_E_CAPACITY past 999999. */
bool pdb_fileid_component(char out[9], const char *prefix, unsigned n,
                          struct pdiburn_error **err);
/* File-set ID: 0..16 of [A-Z0-9_] (PS3.10 8.5). */
bool pdb_fileset_id_valid(const char *id);
/* ISO 9660 Level 1: 8.3 file names of [A-Z0-9_], 8-character folders. */
bool pdb_iso_level1_name_valid(const char *name, bool is_dir);

#endif /* PDB_DICOM_H */
