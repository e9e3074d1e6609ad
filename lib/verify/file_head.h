/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* file_head.h - the head of a file read back, up to its pixel data
 * (file_head.c), and the checks of that pixel data (pixel_check.c). */
#ifndef PDB_FILE_HEAD_H
#define PDB_FILE_HEAD_H

#include "checks.h"

enum pdb_head_state {
    PDB_HEAD_MORE,      /* the bytes end inside the data set: read on */
    PDB_HEAD_DONE,      /* walked up to the pixel data, or to the end */
    PDB_HEAD_BAD,       /* the whole file, and it ends inside an element */
    PDB_HEAD_NOT_DICOM, /* no preamble and DICM */
    PDB_HEAD_DEFLATED,  /* a deflated data set, not walked */
};

struct pdb_head {
    enum pdb_head_state state;
    enum pdb_syntax syn;
    size_t stop;             /* where the walk stopped */
    bool has_pixels, encapsulated;
    uint64_t value_offset;   /* of Pixel Data (7FE0,0010) */
    uint32_t value_len;      /* native data */
    unsigned rows, columns, samples, bits, frames;
    char photometric[17];
};

/* Parses the first `len` bytes of a file (`whole`: all of it) into f's
 * meta UIDs and keys (interned in `strings`), and `hd`.  Call again with
 * more bytes while hd->state is PDB_HEAD_MORE. */
void pdb_head_parse(struct vfile *f, struct pdb_intern *strings,
                    const uint8_t *h, size_t len, bool whole,
                    struct pdb_head *hd);
/* Bytes of native pixel data the Image Pixel module asks for. */
uint64_t pdb_head_pixel_bytes(const struct pdb_head *hd);

/* ---- pixel_check.c: the pixel data as it streams by -------------------- */

struct pdb_pixcheck {
    bool active;             /* fragments still to walk */
    struct pdb_head head;
    uint64_t next;           /* offset of the next item header */
    uint8_t hdr[8];
    unsigned have;           /* bytes of hdr filled */
    uint8_t *bot;            /* Basic Offset Table, once read */
    uint32_t bot_len, bot_have;
    bool in_bot, seen_bot, ended;
    uint64_t first_fragment; /* offset of the item after the table */
    uint64_t *fragments;     /* offsets from first_fragment */
    size_t nfragments;
    char bad[160];           /* what broke the walk, "" if nothing */
};

/* Starts on encapsulated pixel data described by `hd`. */
void pdb_pixcheck_start(struct pdb_pixcheck *pc, const struct pdb_head *hd);
/* Bytes [at, at + len) of the file; bytes already seen are skipped. */
void pdb_pixcheck_feed(struct pdb_pixcheck *pc, const uint8_t *data,
                       size_t len, uint64_t at);
/* After the file's last byte: reports what is wrong with the pixel data
 * of `f` (native or encapsulated, as hd says); frees what pc holds. */
void pdb_pixcheck_finish(struct pdb_pixcheck *pc, const struct pdb_head *hd,
                         struct vstate *v, const struct vfile *f);

#endif
