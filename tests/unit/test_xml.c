/* Unit tests for lib/web/xml.c and lib/web/cda.c: XHTML pages escape what
 * they are given; CDA reports from outside become pages, and hostile or
 * broken XML is refused without network access or entity expansion. */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cda.h"

static char *page_text(struct pdb_page *page)
{
    uint8_t *out = NULL;
    size_t len = 0;
    assert_true(pdb_page_bytes(page, &out, &len, NULL));
    assert_int_equal(strlen((char *) out), len);
    return (char *) out;
}

static void pages_escape_text_and_attributes(void **state)
{
    (void) state;
    struct pdb_page *page = pdb_page_new("A & B");
    struct pdb_el *body = pdb_page_body(page);
    pdb_el_add(body, "p", "<script>alert(1)</script>");
    pdb_el_link(body, "x.htm?a=1&b=\"2\"", "link");
    char *html = page_text(page);
    assert_non_null(strstr(html, "<title>A &amp; B</title>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "href=\"x.htm?a=1&amp;b=&quot;2&quot;\""));
    assert_non_null(strstr(html, "XHTML 1.0 Strict"));
    assert_null(strstr(html, "<?xml")); /* browsers read .HTM as HTML */
    free(html);
    pdb_page_free(page);
}

/* Control characters and bytes that are not UTF-8, as DICOM text values
 * carry them, become U+FFFD; the page stays well-formed XML. */
static void pages_replace_what_xml_forbids(void **state)
{
    (void) state;
    struct pdb_page *page = pdb_page_new("T\x01itle");
    struct pdb_el *body = pdb_page_body(page);
    pdb_el_add(body, "p", "DOE\x01^JANE\xff\xfe");
    pdb_el_attr(body, "title", "a\x1b[31mb\xef\xbf\xbe");
    pdb_el_text(body, "tab\tline\n\xc3\xa9\xed\xa0\x80");
    char *html = page_text(page);
    assert_non_null(strstr(html, "<title>T\xef\xbf\xbditle</title>"));
    assert_non_null(
        strstr(html, "DOE\xef\xbf\xbd^JANE\xef\xbf\xbd\xef\xbf\xbd"));
    /* U+FFFE, three bytes, is one character XML forbids */
    assert_non_null(strstr(html, "a\xef\xbf\xbd[31mb\xef\xbf\xbd\""));
    assert_non_null(strstr(html, "tab\tline\n\xc3\xa9\xef\xbf\xbd"));
    const char *doctype = strstr(html, "<html");
    struct pdb_xml_doc *doc =
        pdb_xml_parse((const uint8_t *) doctype, strlen(doctype));
    assert_non_null(doc); /* well-formed */
    pdb_xml_free(doc);
    free(html);
    pdb_page_free(page);
}

static const char cda[] =
    "<?xml version=\"1.0\"?>"
    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">"
    "<title>CT Report</title>"
    "<recordTarget><patientRole><patient><name>DOE^JANE</name>"
    "</patient></patientRole></recordTarget>"
    "<component><structuredBody>"
    "<component><section><title>Findings</title><text>"
    "<paragraph>No <content>acute</content> findings.<br/>Done</paragraph>"
    "<list><item>one</item></list>"
    "</text>"
    "<component><section><title>Detail</title></section></component>"
    "</section></component>"
    "</structuredBody></component></ClinicalDocument>";

static void cda_becomes_a_page(void **state)
{
    (void) state;
    uint8_t *out = NULL;
    size_t len = 0;
    char *title = NULL;
    assert_true(pdb_cda_detect((const uint8_t *) cda, strlen(cda)));
    assert_true(pdb_cda_render((const uint8_t *) cda, strlen(cda), &out, &len,
                               &title, NULL));
    assert_string_equal(title, "CT Report");
    const char *html = (const char *) out;
    assert_non_null(strstr(html, "<h1>CT Report</h1>"));
    assert_non_null(strstr(html, "<p>DOE^JANE</p>"));
    assert_non_null(strstr(html, "<h2>Findings</h2>"));
    assert_non_null(strstr(html, "<h3>Detail</h3>")); /* nested section */
    assert_non_null(strstr(html, "No <span>acute</span> findings.<br />Done"));
    assert_non_null(strstr(html, "<li>one</li>"));
    free(out);
    free(title);
}

static void bad_xml_is_refused(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "",
        "<ClinicalDocument>",
        "not xml at all",
        "<?xml version=\"1.0\"?><Other><title>x</title></Other>",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *out = NULL;
        size_t len = 0;
        char *title = NULL;
        struct pdiburn_error *err = NULL;
        assert_false(pdb_cda_render((const uint8_t *) bad[i], strlen(bad[i]),
                                    &out, &len, &title, &err));
        assert_non_null(err);
        assert_non_null(strstr(pdiburn_error_message(err), "CDA"));
        pdiburn_error_free(err);
    }
}

/* An external entity would read a local file into the page; an internal
 * one would multiply text.  Neither is expanded. */
static void entities_are_not_expanded(void **state)
{
    (void) state;
    static const char xxe[] =
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM "
        "\"file:///etc/hostname\"><!ENTITY y \"EXPANDED\">]>"
        "<ClinicalDocument><title>&x;&y;</title></ClinicalDocument>";
    uint8_t *out = NULL;
    size_t len = 0;
    char *title = NULL;
    if (pdb_cda_render((const uint8_t *) xxe, strlen(xxe), &out, &len, &title,
                       NULL)) {
        assert_null(strstr((char *) out, "EXPANDED"));
        char host[256] = "";
        FILE *f = fopen("/etc/hostname", "r");
        if (f && fgets(host, sizeof(host), f) && strlen(host) > 3) {
            host[strcspn(host, "\n")] = '\0';
            assert_null(strstr((char *) out, host));
        }
        if (f)
            fclose(f);
        free(out);
        free(title);
    }
}

static void reading_walks_the_tree(void **state)
{
    (void) state;
    static const char doc[] = "<a><b>one</b>text<c><![CDATA[two]]></c></a>";
    struct pdb_xml_doc *d = pdb_xml_parse((const uint8_t *) doc, strlen(doc));
    const struct pdb_xml_node *a = pdb_xml_root(d);
    assert_true(pdb_xml_is(a, "a"));
    const struct pdb_xml_node *b = pdb_xml_first(a);
    assert_string_equal(pdb_xml_name(b), "b");
    const struct pdb_xml_node *t = pdb_xml_next(b);
    assert_null(pdb_xml_name(t));
    assert_string_equal(pdb_xml_text(t), "text");
    assert_string_equal(pdb_xml_text(pdb_xml_first(pdb_xml_child(a, "c"))),
                        "two");
    assert_null(pdb_xml_child(a, "missing"));
    assert_null(pdb_xml_child(NULL, "b")); /* lookups chain */
    char *all = pdb_xml_content(a);
    assert_string_equal(all, "onetexttwo");
    free(all);
    pdb_xml_free(d);
    assert_null(pdb_xml_parse((const uint8_t *) "<a>", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pages_escape_text_and_attributes),
        cmocka_unit_test(pages_replace_what_xml_forbids),
        cmocka_unit_test(cda_becomes_a_page),
        cmocka_unit_test(bad_xml_is_refused),
        cmocka_unit_test(entities_are_not_expanded),
        cmocka_unit_test(reading_walks_the_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
