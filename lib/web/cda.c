/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HL7 CDA R2 reports as XHTML pages: the title, the patient, then each
 * section's title and narrative block (CDA R2 4.3.5: paragraph, list,
 * table, content, br) mapped to their XHTML counterparts.  Read with
 * libxml2 without network access and without entity expansion, since the
 * file comes from outside.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "cda.h"

static bool named(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *) n->name, name) == 0;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

static char *text_of(xmlNode *n)
{
    xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
    char *copy = strdup(t ? (const char *) t : "");
    xmlFree(t);
    return copy;
}

bool pdb_cda_detect(const uint8_t *data, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    for (size_t i = 0; i + 17 <= n; i++)
        if (memcmp(data + i, "ClinicalDocument", 16) == 0)
            return true;
    return false;
}

/* CDA narrative elements and the XHTML element each becomes. */
static const char *xhtml_of(const char *cda)
{
    static const char *const map[][2] = {
        { "paragraph", "p" }, { "list", "ul" },    { "item", "li" },
        { "table", "table" }, { "thead", "thead" }, { "tbody", "tbody" },
        { "tr", "tr" },       { "th", "th" },      { "td", "td" },
        { "caption", "p" },   { "content", "span" },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(cda, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static void narrative(xmlNode *from, struct pdb_el *to, int depth)
{
    for (xmlNode *c = from->children; c && depth < 32; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            pdb_el_text(to, (const char *) c->content);
        } else if (named(c, "br")) {
            pdb_el_add(to, "br", NULL);
        } else if (c->type == XML_ELEMENT_NODE) {
            const char *name = xhtml_of((const char *) c->name);
            narrative(c, name ? pdb_el_add(to, name, NULL) : to, depth + 1);
        }
    }
}

static void sections(xmlNode *body, struct pdb_el *page, int depth)
{
    for (xmlNode *comp = body ? body->children : NULL; comp && depth < 8;
         comp = comp->next) {
        xmlNode *section = named(comp, "component") ? child(comp, "section")
                                                    : NULL;
        if (!section)
            continue;
        char *title = text_of(child(section, "title"));
        pdb_el_add(page, depth ? "h3" : "h2", title && *title ? title
                                                              : "Section");
        free(title);
        xmlNode *text = child(section, "text");
        if (text)
            narrative(text, pdb_el_add(page, "div", NULL), 0);
        sections(section, page, depth + 1);
    }
}

static xmlDocPtr parse(const uint8_t *data, size_t len)
{
    return xmlReadMemory((const char *) data, (int) len, "report.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING);
}

bool pdb_cda_render(const uint8_t *data, size_t len, uint8_t **out,
                    size_t *out_len, char **title,
                    struct pdiburn_error **err)
{
    xmlDocPtr doc = parse(data, len);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root || !named(root, "ClinicalDocument")) {
        xmlFreeDoc(doc);
        return pdb_fail(err, PDIBURN_E_IO, "not an HL7 CDA document");
    }
    *title = text_of(child(root, "title"));
    struct pdb_page *page = pdb_page_new(*title && **title ? *title
                                                           : "Report");
    struct pdb_el *body = pdb_page_body(page);
    pdb_el_add(body, "h1", *title && **title ? *title : "Report");
    xmlNode *patient = child(child(child(root, "recordTarget"), "patientRole"),
                             "patient");
    char *name = text_of(child(patient, "name"));
    if (name && *name)
        pdb_el_add(body, "p", name);
    free(name);
    sections(child(child(root, "component"), "structuredBody"), body, 0);
    bool ok = pdb_page_bytes(page, out, out_len, err);
    pdb_page_free(page);
    xmlFreeDoc(doc);
    return ok;
}
