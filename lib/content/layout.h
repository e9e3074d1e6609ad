/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* layout.h - what one volume holds besides the DICOM files (layout.c,
 * readme.c). */
#ifndef PDB_LAYOUT_H
#define PDB_LAYOUT_H

#include "content.h"
#include "transfer_syntax.h"

struct pdb_volume {
    char fileset_id[17];             /* also the ISO volume identifier */
    char fileset_uid[PDB_UID_MAX + 1];
    const char *institution;         /* may be NULL */
    const char *address;             /* may be NULL */
    const char *contact;             /* may be NULL */
    char created[11];                /* YYYY-MM-DD */
    unsigned index, count;           /* "disc k of n"; 0 = a single one */
    uint64_t patients, studies, series, instances;
    enum pdb_profile profile;        /* of the DICOMDIR's records */
    bool web;                        /* INDEX.HTM and the rest are there */
    bool viewer;                     /* ... with the interactive viewer */
};

struct pdb_web_options;

/* A volume's content in two steps, so that the DICOM files can be written
 * while the web content is made.  The first lays out DICOMDIR, README.TXT
 * and the DICOM files in plan order, these being out->nodes[*from,
 * out->nnodes), readable from now on; the second, with the same
 * arguments, the web content unless `web` is NULL, and SHA256.TXT last. */
bool pdb_layout_dicom(const struct pdb_inventory *cat, struct pdb_volume *vol,
                      const struct pdb_web_options *web, const char *spool,
                      struct pdb_content *out, size_t *from,
                      struct pdb_ctl *ctl, struct pdiburn_error **err);
bool pdb_layout_rest(const struct pdb_inventory *cat,
                     const struct pdb_volume *vol,
                     const struct pdb_web_options *web, const char *spool,
                     struct pdb_content *out, struct pdb_ctl *ctl,
                     struct pdiburn_error **err);

/* What pdiburn puts at the root of a medium, as the content names it (an
 * ISO 9660 image shows the names in upper case); DICOMDIR first;
 * NULL-terminated. */
extern const char *const pdb_root_entries[];

/* README.TXT (IHE PDI): who made the media with what, how it is laid out,
 * how to use it; no patient data. */
bool pdb_readme_make(const struct pdb_volume *vol, uint8_t **out,
                     size_t *len, struct pdiburn_error **err);

#endif
