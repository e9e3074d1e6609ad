/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xml.h - XHTML 1.0 Strict pages built with libxml2 (xml.c). */
#ifndef PDB_XML_H
#define PDB_XML_H

#include "core.h"

struct pdb_page;
struct pdb_el; /* an element of a page; owned by the page */

struct pdb_page *pdb_page_new(const char *title);
void pdb_page_free(struct pdb_page *page);
struct pdb_el *pdb_page_body(struct pdb_page *page);

/* A child element, with text content when `text` is not NULL. */
struct pdb_el *pdb_el_add(struct pdb_el *parent, const char *name,
                          const char *text);
void pdb_el_attr(struct pdb_el *el, const char *name, const char *value);
void pdb_el_text(struct pdb_el *el, const char *text);
/* <a href="...">text</a> */
struct pdb_el *pdb_el_link(struct pdb_el *parent, const char *href,
                           const char *text);

/* UTF-8 bytes, XHTML serialisation that HTML parsers read right
 * (`<div></div>`, `<br />`), no XML declaration. */
bool pdb_page_bytes(struct pdb_page *page, uint8_t **out, size_t *len,
                    struct pdiburn_error **err);

#endif
