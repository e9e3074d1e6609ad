/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * HL7 CDA R2 reports as XHTML pages: the title, the patient, then each
 * section's title and narrative block (CDA R2 4.3.5: paragraph, list,
 * table, content, br) mapped to their XHTML counterparts.  The file comes
 * from outside: xml.c reads it without network access or entities.
 */
#include <stdlib.h>
#include <string.h>

#include "cda.h"

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

static void narrative(const struct pdb_xml_node *from, struct pdb_el *to,
                      int depth)
{
    for (const struct pdb_xml_node *c = pdb_xml_first(from); c && depth < 32;
         c = pdb_xml_next(c)) {
        const char *name = pdb_xml_name(c);
        if (pdb_xml_text(c)) {
            pdb_el_text(to, pdb_xml_text(c));
        } else if (pdb_xml_is(c, "br")) {
            pdb_el_add(to, "br", NULL);
        } else if (name) {
            const char *mapped = xhtml_of(name);
            narrative(c, mapped ? pdb_el_add(to, mapped, NULL) : to, depth + 1);
        }
    }
}

static void sections(const struct pdb_xml_node *body, struct pdb_el *page,
                     int depth)
{
    for (const struct pdb_xml_node *comp = pdb_xml_first(body);
         comp && depth < 8; comp = pdb_xml_next(comp)) {
        const struct pdb_xml_node *section =
            pdb_xml_is(comp, "component") ? pdb_xml_child(comp, "section")
                                          : NULL;
        if (!section)
            continue;
        char *title = pdb_xml_content(pdb_xml_child(section, "title"));
        pdb_el_add(page, depth ? "h3" : "h2", title && *title ? title
                                                              : "Section");
        free(title);
        const struct pdb_xml_node *text = pdb_xml_child(section, "text");
        if (text)
            narrative(text, pdb_el_add(page, "div", NULL), 0);
        sections(section, page, depth + 1);
    }
}

bool pdb_cda_render(const uint8_t *data, size_t len, uint8_t **out,
                    size_t *out_len, char **title,
                    struct pdiburn_error **err)
{
    struct pdb_xml_doc *doc = pdb_xml_parse(data, len);
    const struct pdb_xml_node *root = pdb_xml_root(doc);
    if (!pdb_xml_is(root, "ClinicalDocument")) {
        pdb_xml_free(doc);
        return pdb_fail(err, PDIBURN_E_IO, "not an HL7 CDA document");
    }
    *title = pdb_xml_content(pdb_xml_child(root, "title"));
    struct pdb_page *page = pdb_page_new(*title && **title ? *title
                                                           : "Report");
    struct pdb_el *body = pdb_page_body(page);
    pdb_el_add(body, "h1", *title && **title ? *title : "Report");
    const struct pdb_xml_node *patient = pdb_xml_child(
        pdb_xml_child(pdb_xml_child(root, "recordTarget"), "patientRole"),
        "patient");
    char *name = pdb_xml_content(pdb_xml_child(patient, "name"));
    if (name && *name)
        pdb_el_add(body, "p", name);
    free(name);
    sections(pdb_xml_child(pdb_xml_child(root, "component"), "structuredBody"),
             body, 0);
    bool ok = pdb_page_bytes(page, out, out_len, err);
    pdb_page_free(page);
    pdb_xml_free(doc);
    return ok;
}
