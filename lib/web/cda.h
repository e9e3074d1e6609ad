/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cda.h - HL7 CDA documents rendered as pages (cda.c). */
#ifndef PDB_CDA_H
#define PDB_CDA_H

#include "xml.h"

/* Is this XML an HL7 CDA ClinicalDocument? */
bool pdb_cda_detect(const uint8_t *data, size_t len);
/* The document's title, sections and narrative as an XHTML page; *title
 * gets the document title (malloc'd). */
bool pdb_cda_render(const uint8_t *data, size_t len, uint8_t **out,
                    size_t *out_len, char **title,
                    struct pdiburn_error **err);

#endif
