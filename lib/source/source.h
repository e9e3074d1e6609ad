/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * source.h - the source stage: where instances come from.  A folder of any
 * layout is walked, DICOM files are told from the rest by their first
 * bytes, and each header is read up to the pixel data, whose place is
 * found without reading it.  What it yields is the inventory (model.h).
 */
#ifndef PDB_SOURCE_H
#define PDB_SOURCE_H

#include "model.h"
#include "dicom.h"

/* ---- sniff.c / folder_scan.c -------------------------------------------- */

enum pdb_sniff {
    PDB_SNIFF_NOT_DICOM,
    PDB_SNIFF_PART10,      /* 128-byte preamble and "DICM" */
    PDB_SNIFF_NO_PREAMBLE, /* "DICM" at the start */
    PDB_SNIFF_DATASET,     /* a bare data set, no meta information */
};
enum pdb_sniff pdb_sniff_bytes(const uint8_t *head, size_t len);

/* Walks `folder` recursively and adds what it finds to the inventory. */
bool pdb_source_scan(struct pdb_inventory *cat, const char *folder,
                     struct pdb_ctl *ctl, struct pdiburn_error **err);

/* pixel_locate.c: locates (7FE0,0010) after the scanner stopped in front of it;
 * fails with PDIBURN_E_DICOM when the file ends inside it. */
bool pdb_pixels_locate(int fd, uint64_t file_size, enum pdb_syntax syn,
                       uint64_t stop_offset, struct pdb_pixels *px,
                       struct pdiburn_error **err);
enum pdb_syntax pdb_syntax_of(const char *ts_uid);

#endif /* PDB_SOURCE_H */
