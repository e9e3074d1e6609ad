/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxml2, and the only file that knows it.  XHTML 1.0 Strict pages: the
 * IHE PDI web content (INDEX.HTM, IHE_PDI/) must be well-formed XHTML
 * that opens in any browser from the media.  Pages are built as a tree
 * and serialised in the XHTML-compatible form that HTML parsers read
 * right, since browsers open .HTM files as HTML.  Text enters a page only
 * as XML 1.0 allows (section 2.2): what it forbids, and bytes that are not
 * UTF-8, become U+FFFD.  Plain XML documents (PS3.15 audit messages) are
 * written as one line each.  XML from outside (CDA reports, audit logs) is
 * read without network access and without entity expansion.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "pdiburn/utf8.h"
#include "xml.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"

struct pdb_page {
    xmlDocPtr doc;
    xmlNodePtr head, body;
};

static bool save(xmlDocPtr doc, int options, uint8_t **out, size_t *len);

static const xmlChar *x(const char *s)
{
    return (const xmlChar *) s;
}

/* XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF]; strict UTF-8 rules out the
 * surrogates already. */
static bool xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD ||
           (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
}

/* The length of the text's clean start; all of it when it is clean. */
static size_t clean_prefix(const char *s)
{
    size_t i = 0;
    uint32_t c;
    for (int n; s[i] && (n = pdb_utf8_next(s + i, &c)) > 0 && xml_char(c);)
        i += (size_t) n;
    return i;
}

/* DICOM text values and file names are not bound by XML's rules: a
 * control character in a Patient Name, a Latin-1 byte in a description
 * that claims UTF-8.  libxml2 would write them out and the page would no
 * longer parse, so each offending byte becomes U+FFFD.  Returns s itself
 * when it is clean, else a copy to free (NULL without memory). */
static char *clean(const char *s, bool *copied)
{
    size_t start = clean_prefix(s);
    *copied = s[start] != 0;
    if (!*copied)
        return (char *) s;
    struct pdb_buf b = { 0 };
    pdb_buf_add(&b, s, start);
    for (const char *p = s + start; *p;) {
        uint32_t c;
        int n = pdb_utf8_next(p, &c);
        bool ok = n > 0 && xml_char(c);
        pdb_buf_add(&b, ok ? p : "\xef\xbf\xbd", ok ? (size_t) n : 3);
        p += n > 0 ? n : 1;
    }
    return (char *) pdb_buf_steal(&b, NULL);
}

static void clean_free(char *s, bool copied)
{
    if (copied)
        free(s);
}

struct pdb_page *pdb_page_new(const char *title)
{
    struct pdb_page *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->doc = xmlNewDoc(x("1.0"));
    xmlCreateIntSubset(p->doc, x("html"),
                       x("-//W3C//DTD XHTML 1.0 Strict//EN"),
                       x("http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"));
    xmlNodePtr html = xmlNewNode(NULL, x("html"));
    xmlDocSetRootElement(p->doc, html);
    xmlSetNs(html, xmlNewNs(html, x(XHTML_NS), NULL));
    /* The XHTML serialiser adds xml:lang beside lang by itself. */
    xmlNewProp(html, x("lang"), x("en"));
    p->head = xmlNewChild(html, NULL, x("head"), NULL);
    xmlNodePtr meta = xmlNewChild(p->head, NULL, x("meta"), NULL);
    xmlNewProp(meta, x("http-equiv"), x("Content-Type"));
    xmlNewProp(meta, x("content"), x("text/html; charset=utf-8"));
    bool copied;
    char *text = clean(title, &copied);
    xmlNewTextChild(p->head, NULL, x("title"), x(text ? text : ""));
    clean_free(text, copied);
    p->body = xmlNewChild(html, NULL, x("body"), NULL);
    return p;
}

void pdb_page_free(struct pdb_page *page)
{
    if (!page)
        return;
    xmlFreeDoc(page->doc);
    free(page);
}

struct pdb_el *pdb_page_body(struct pdb_page *page)
{
    return (struct pdb_el *) page->body;
}

struct pdb_el *pdb_el_add(struct pdb_el *parent, const char *name,
                          const char *text)
{
    bool copied = false;
    char *clear = text ? clean(text, &copied) : NULL;
    /* xmlNewTextChild escapes the text; xmlNewChild would not. */
    xmlNodePtr el = xmlNewTextChild((xmlNodePtr) parent, NULL, x(name),
                                    text ? x(clear ? clear : "") : NULL);
    clean_free(clear, copied);
    return (struct pdb_el *) el;
}

void pdb_el_attr(struct pdb_el *el, const char *name, const char *value)
{
    bool copied;
    char *clear = clean(value, &copied);
    xmlSetProp((xmlNodePtr) el, x(name), x(clear ? clear : ""));
    clean_free(clear, copied);
}

void pdb_el_text(struct pdb_el *el, const char *text)
{
    bool copied;
    char *clear = clean(text, &copied);
    xmlAddChild((xmlNodePtr) el, xmlNewText(x(clear ? clear : "")));
    clean_free(clear, copied);
}

struct pdb_el *pdb_el_link(struct pdb_el *parent, const char *href,
                           const char *text)
{
    struct pdb_el *a = pdb_el_add(parent, "a", text);
    pdb_el_attr(a, "href", href);
    return a;
}

bool pdb_page_bytes(struct pdb_page *page, uint8_t **out, size_t *len,
                    struct pdiburn_error **err)
{
    return save(page->doc, XML_SAVE_FORMAT | XML_SAVE_XHTML | XML_SAVE_NO_DECL,
                out, len) ||
           pdb_fail(err, PDIBURN_E_NOMEM, "serialising a page");
}

/* ---- plain XML ---------------------------------------------------------- */

struct pdb_xml_out {
    xmlDocPtr doc;
};

struct pdb_xml_out *pdb_xml_out_new(const char *root)
{
    struct pdb_xml_out *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->doc = xmlNewDoc(x("1.0"));
    xmlNodePtr el = d->doc ? xmlNewNode(NULL, x(root)) : NULL;
    if (!el) {
        pdb_xml_out_free(d);
        return NULL;
    }
    xmlDocSetRootElement(d->doc, el);
    return d;
}

struct pdb_el *pdb_xml_out_root(struct pdb_xml_out *doc)
{
    return (struct pdb_el *) xmlDocGetRootElement(doc->doc);
}

void pdb_xml_out_free(struct pdb_xml_out *doc)
{
    if (!doc)
        return;
    xmlFreeDoc(doc->doc);
    free(doc);
}

static bool save(xmlDocPtr doc, int options, uint8_t **out, size_t *len)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlSaveCtxtPtr ctx = buf ? xmlSaveToBuffer(buf, "UTF-8", options) : NULL;
    bool ok = ctx && xmlSaveDoc(ctx, doc) >= 0;
    if (ctx)
        ok = xmlSaveClose(ctx) >= 0 && ok;
    if (ok) {
        *len = (size_t) xmlBufferLength(buf);
        *out = malloc(*len + 1);
        ok = *out != NULL;
        if (ok)
            memcpy(*out, xmlBufferContent(buf), *len + 1);
    }
    if (buf)
        xmlBufferFree(buf);
    return ok;
}

bool pdb_xml_out_line(struct pdb_xml_out *doc, char **out, size_t *len,
                      struct pdiburn_error **err)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    if (!save(doc->doc, XML_SAVE_NO_DECL, &bytes, &n))
        return pdb_fail(err, PDIBURN_E_NOMEM, "serialising XML");
    while (n > 0 && (bytes[n - 1] == '\n' || bytes[n - 1] == '\r'))
        bytes[--n] = 0; /* the serialiser ends the document with a newline */
    *out = (char *) bytes;
    if (len)
        *len = n;
    return true;
}

/* ---- reading ------------------------------------------------------------ */

/* The opaque handles are libxml2's own structures. */
static const xmlNode *node(const struct pdb_xml_node *n)
{
    return (const xmlNode *) n;
}

static const struct pdb_xml_node *handle(const xmlNode *n)
{
    return (const struct pdb_xml_node *) n;
}

struct pdb_xml_doc *pdb_xml_parse(const uint8_t *data, size_t len)
{
    if (len > INT_MAX)
        return NULL;
    xmlDocPtr doc = xmlReadMemory(
        (const char *) data, (int) len, "in.xml", NULL,
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    return (struct pdb_xml_doc *) doc;
}

void pdb_xml_free(struct pdb_xml_doc *doc)
{
    xmlFreeDoc((xmlDocPtr) doc);
}

const struct pdb_xml_node *pdb_xml_root(const struct pdb_xml_doc *doc)
{
    return doc ? handle(xmlDocGetRootElement((const xmlDoc *) doc)) : NULL;
}

const struct pdb_xml_node *pdb_xml_first(const struct pdb_xml_node *n)
{
    return n ? handle(node(n)->children) : NULL;
}

const struct pdb_xml_node *pdb_xml_next(const struct pdb_xml_node *n)
{
    return n ? handle(node(n)->next) : NULL;
}

const char *pdb_xml_name(const struct pdb_xml_node *n)
{
    return n && node(n)->type == XML_ELEMENT_NODE ? (const char *) node(n)->name
                                                  : NULL;
}

bool pdb_xml_is(const struct pdb_xml_node *n, const char *name)
{
    const char *own = pdb_xml_name(n);
    return own && strcmp(own, name) == 0;
}

const char *pdb_xml_attr(const struct pdb_xml_node *n, const char *name)
{
    if (!pdb_xml_name(n))
        return NULL;
    /* xmlHasProp: the attribute node itself, whose one text child is the
     * value (xmlGetProp would allocate a copy). */
    xmlAttrPtr a = xmlHasProp((const xmlNode *) n, x(name));
    return a && a->children && a->children->type == XML_TEXT_NODE
               ? (const char *) a->children->content
               : NULL;
}

const struct pdb_xml_node *pdb_xml_child(const struct pdb_xml_node *n,
                                         const char *name)
{
    for (const struct pdb_xml_node *c = pdb_xml_first(n); c;
         c = pdb_xml_next(c))
        if (pdb_xml_is(c, name))
            return c;
    return NULL;
}

const char *pdb_xml_text(const struct pdb_xml_node *n)
{
    bool text = n && (node(n)->type == XML_TEXT_NODE ||
                      node(n)->type == XML_CDATA_SECTION_NODE);
    return text ? (const char *) node(n)->content : NULL;
}

/* Text and CDATA only: libxml2's own xmlNodeGetContent() would expand
 * entity references that a document from outside declared. */
static void gather(const struct pdb_xml_node *n, struct pdb_buf *b, int depth)
{
    for (const struct pdb_xml_node *c = pdb_xml_first(n); c && depth < 64;
         c = pdb_xml_next(c)) {
        if (pdb_xml_text(c))
            pdb_buf_add_str(b, pdb_xml_text(c));
        else if (pdb_xml_name(c))
            gather(c, b, depth + 1);
    }
}

char *pdb_xml_content(const struct pdb_xml_node *n)
{
    struct pdb_buf b = { 0 };
    pdb_buf_add(&b, "", 0); /* "" rather than NULL for an empty node */
    if (pdb_xml_text(n))
        pdb_buf_add_str(&b, pdb_xml_text(n));
    gather(n, &b, 0);
    size_t len;
    return (char *) pdb_buf_steal(&b, &len);
}
