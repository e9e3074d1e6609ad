/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* label.h - disc labels and cover letters as PDF (label.c). */
#ifndef PDB_LABEL_H
#define PDB_LABEL_H

#include "model.h"

struct pdb_label {
    const char *institution, *address, *contact; /* may be NULL */
    const char *created;               /* YYYY-MM-DD */
    const char *copy_type;             /* "Patient", "Physician", "Legal" */
    const char *paper;                 /* "a4" (default) or "letter" */
    bool web;                          /* DICOM PLUS WEB, or DICOM ONLY */
};

/* Two pages per volume, label then letter, written to `fd` (an open
 * partial output: cairo never opens a path of its own); `name` for
 * messages. */
bool pdb_label_write(const struct pdb_label *label,
                     const struct pdb_inventory *const *views, unsigned count,
                     int fd, const char *name, struct pdiburn_error **err);

/* The disc label of one volume as a 120 mm JPEG at 300 dpi, for disc
 * robots whose printers take images (PTBurn's PrintLabel). */
bool pdb_label_disc_jpeg(const struct pdb_label *label,
                         const struct pdb_inventory *view, unsigned index,
                         unsigned count, uint8_t **jpeg, size_t *len,
                         struct pdiburn_error **err);

#endif
