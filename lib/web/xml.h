/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xml.h - libxml2, wrapped (xml.c): XHTML 1.0 Strict pages built as
 * trees, plain XML documents written as one line (audit messages), and
 * XML from outside (CDA reports, audit logs) read as a tree. */
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

/* ---- plain XML: no namespace, no DTD (PS3.15 A.5.1 audit messages) ------ */

struct pdb_xml_out;

/* A document with a root element called `root`; NULL when out of
 * memory.  Build it with pdb_el_add() and pdb_el_attr(). */
struct pdb_xml_out *pdb_xml_out_new(const char *root);
struct pdb_el *pdb_xml_out_root(struct pdb_xml_out *doc);
void pdb_xml_out_free(struct pdb_xml_out *doc);
/* UTF-8, no XML declaration, no added whitespace: one line as long as no
 * text holds a line break.  *out is malloc'd and NUL-terminated. */
bool pdb_xml_out_line(struct pdb_xml_out *doc, char **out, size_t *len,
                      struct pdiburn_error **err);

/* ---- reading XML that comes from outside -------------------------------- */

struct pdb_xml_doc;
struct pdb_xml_node; /* a node of a document; owned by the document */

/* Parsed without network access, entity expansion or messages; NULL when
 * it is not well-formed XML. */
struct pdb_xml_doc *pdb_xml_parse(const uint8_t *data, size_t len);
void pdb_xml_free(struct pdb_xml_doc *doc);
const struct pdb_xml_node *pdb_xml_root(const struct pdb_xml_doc *doc);
/* Children in document order: the first, then each next; NULL at the end
 * (and for a NULL node, so that lookups chain). */
const struct pdb_xml_node *pdb_xml_first(const struct pdb_xml_node *n);
const struct pdb_xml_node *pdb_xml_next(const struct pdb_xml_node *n);
/* The first child element called `name`, or NULL. */
const struct pdb_xml_node *pdb_xml_child(const struct pdb_xml_node *n,
                                         const char *name);
/* An element's local name; NULL for text and other nodes. */
const char *pdb_xml_name(const struct pdb_xml_node *n);
bool pdb_xml_is(const struct pdb_xml_node *n, const char *name);
/* A text or CDATA node's text; NULL for other nodes. */
const char *pdb_xml_text(const struct pdb_xml_node *n);
/* An element's attribute, or NULL. */
const char *pdb_xml_attr(const struct pdb_xml_node *n, const char *name);
/* All the text beneath a node, malloc'd ("" for NULL). */
char *pdb_xml_content(const struct pdb_xml_node *n);

#endif
