/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pages of the IHE PDI Web Content Option: INDEX.HTM at the root,
 * which makes sense with JavaScript off (patients, studies, series with a
 * picture each, reports, README.TXT) and starts the viewer when it is on,
 * and one page per series under IHE_PDI/ with JPEG renderings.  Links
 * match the names on the media exactly: Rock Ridge readers compare case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "web.h"
#include "xml.h"

static char *person(const struct pdb_instance *inst)
{
    char *raw = pdb_text_utf8(inst, TAG_PATIENT_NAME);
    char *shown = raw ? pdb_text_person(raw) : NULL;
    free(raw);
    return shown;
}

static void add_field(struct pdb_buf *b, const char *label,
                      const struct pdb_instance *inst, uint32_t tag,
                      bool is_date)
{
    char *value = pdb_text_utf8(inst, tag);
    if (value && *value) {
        char date[32];
        if (is_date)
            pdb_text_date(value, date, sizeof(date));
        pdb_buf_printf(b, "%s%s: %s", b->len ? " \xc2\xb7 " : "", label,
                       is_date ? date : value);
    }
    free(value);
}

static void patient_banner(struct pdb_el *parent, const struct pdb_patient *p)
{
    const struct pdb_instance *first =
        p->shown ? p->shown : p->studies[0]->series[0]->instances[0];
    char *name = person(first);
    pdb_el_add(parent, "h2", name && *name ? name : "(no name)");
    free(name);
    struct pdb_buf b = { 0 };
    pdb_buf_printf(&b, "Patient ID: %s",
                   p->invented ? "none on the images" : p->id);
    add_field(&b, "Born", first, 0x00100030, true);
    add_field(&b, "Sex", first, 0x00100040, false);
    pdb_el_add(parent, "p", b.len ? (char *) b.data : "");
    pdb_buf_free(&b);
}

static char *series_label(const struct pdb_web_series *ws)
{
    const struct pdb_instance *first = ws->images[0].inst;
    char *desc = pdb_text_utf8(first, TAG_SERIES_DESCRIPTION);
    char modality[17] = "";
    pdb_instance_string(first, TAG_MODALITY, modality, sizeof(modality));
    char *label = pdb_format("Series %ld%s%s (%s, %zu image%s)",
                             ws->series->number, desc && *desc ? ": " : "",
                             desc ? desc : "", modality, ws->nimages,
                             ws->nimages == 1 ? "" : "s");
    free(desc);
    return label;
}

/* A series spread over discs says which of its instances are here and
 * where the others are, in the viewer's words (format.js fmt.split). */
static void range(struct pdb_buf *b, size_t from, size_t to, bool verb)
{
    if (from == to)
        pdb_buf_printf(b, "image %zu%s", from, verb ? " is" : "");
    else
        pdb_buf_printf(b, "images %zu\xe2\x80\x93%zu%s", from, to,
                       verb ? " are" : "");
}

static char *split_note(const struct pdb_series *s)
{
    if (!s->part.total)
        return NULL;
    struct pdb_buf b = { 0 };
    pdb_buf_printf(&b, "This disc holds ");
    range(&b, s->part.first, s->part.last, false);
    pdb_buf_printf(&b, " of the %zu of this series", s->part.total);
    if (s->part.first > 1 && s->part.prev_volume) {
        pdb_buf_printf(&b, "; ");
        range(&b, 1, s->part.first - 1, true);
        pdb_buf_printf(&b, " on disc %u", s->part.prev_volume);
    }
    if (s->part.last < s->part.total && s->part.next_volume) {
        pdb_buf_printf(&b, "; ");
        range(&b, s->part.last + 1, s->part.total, true);
        pdb_buf_printf(&b, " on disc %u", s->part.next_volume);
    }
    pdb_buf_printf(&b, ".");
    return (char *) b.data; /* NULL when out of memory: no note */
}

static void add_split_note(struct pdb_el *parent, const char *tag,
                           const struct pdb_series *s)
{
    char *note = split_note(s);
    if (!note)
        return;
    struct pdb_el *e = pdb_el_add(parent, tag, note);
    pdb_el_attr(e, "class", "split");
    free(note);
}

static void series_item(struct pdb_el *list, const struct pdb_web_series *ws)
{
    struct pdb_el *li = pdb_el_add(list, "li", NULL);
    char href[32], src[40];
    snprintf(href, sizeof(href), "IHE_PDI/%s.HTM", ws->key);
    char *label = series_label(ws);
    struct pdb_el *a = pdb_el_link(li, href, NULL);
    if (ws->pdi_images) {
        snprintf(src, sizeof(src), "IHE_PDI/%s/I0001.JPG", ws->key);
        struct pdb_el *img = pdb_el_add(a, "img", NULL);
        pdb_el_attr(img, "src", src);
        pdb_el_attr(img, "alt", "");
        pdb_el_attr(img, "width", "96");
        pdb_el_text(a, " ");
    }
    pdb_el_text(a, label ? label : "Series");
    free(label);
    if (ws->series->part.total) {
        pdb_el_add(li, "br", NULL);
        add_split_note(li, "strong", ws->series);
    }
}

static void reports_list(struct pdb_el *parent, const struct pdb_web *web,
                         const struct pdb_study *st)
{
    struct pdb_el *list = NULL;
    for (size_t i = 0; i < web->nreports; i++) {
        if (web->reports[i].study != st)
            continue;
        if (!list) {
            pdb_el_add(parent, st ? "p" : "h2",
                       st ? "Reports:" : "Reports for this media");
            list = pdb_el_add(parent, "ul", NULL);
        }
        pdb_el_link(pdb_el_add(list, "li", NULL), web->reports[i].href,
                    web->reports[i].title);
    }
}

static void study_section(struct pdb_el *parent, const struct pdb_study *st,
                          const struct pdb_web *web)
{
    const struct pdb_instance *first = st->series[0]->instances[0];
    char date[32];
    pdb_text_date(st->date, date, sizeof(date));
    char *desc = pdb_text_utf8(first, TAG_STUDY_DESCRIPTION);
    char *title = pdb_format("%s%s%s", st->date[0] ? date : "(no date)",
                             desc && *desc ? " \xe2\x80\x94 " : "",
                             desc ? desc : "");
    pdb_el_add(parent, "h3", title ? title : "Study");
    free(title);
    free(desc);
    struct pdb_buf b = { 0 };
    add_field(&b, "Accession", first, TAG_ACCESSION, false);
    add_field(&b, "Study ID", first, TAG_STUDY_ID, false);
    if (b.len)
        pdb_el_add(parent, "p", (char *) b.data);
    pdb_buf_free(&b);
    struct pdb_el *list = NULL;
    for (size_t i = 0; i < web->nseries; i++) {
        if (web->series[i].series->study != st || !web->series[i].nimages)
            continue;
        list = list ? list : pdb_el_add(parent, "ul", NULL);
        series_item(list, &web->series[i]);
    }
    reports_list(parent, web, st);
}

/* The pictures of the pages, and the viewer's on lite media, are 8-bit
 * JPEG renderings: a reader must not take them for the images. */
static void lossy_notice(struct pdb_el *body, const struct pdb_web *web)
{
    const char *text =
        web->mode == PDB_VIEWER_LITE
            ? "Lossy previews: the pictures of these pages and of the "
              "viewer on this media are 8-bit JPEG renderings, not for "
              "diagnosis. The DICOM files hold the original images."
        : web->mode == PDB_VIEWER_FULL
            ? "Lossy previews: the pictures of these pages are 8-bit JPEG "
              "renderings, not for diagnosis. The viewer and the DICOM "
              "files show the original images."
            : "Lossy previews: the pictures of these pages are 8-bit JPEG "
              "renderings, not for diagnosis. The DICOM files hold the "
              "original images.";
    struct pdb_el *p = pdb_el_add(body, "p", text);
    pdb_el_attr(p, "class", "lossy");
}

static void how_to_view(struct pdb_el *body, const struct pdb_web *web)
{
    pdb_el_add(body, "h2", "About this media");
    struct pdb_el *p = pdb_el_add(body, "p", NULL);
    pdb_el_text(p, web->mode == PDB_VIEWER_NONE
                       ? "The pages linked above show JPEG copies of the images. "
                       : "With JavaScript on, the image viewer opens in this "
                         "page; the pages linked above show JPEG copies. ");
    pdb_el_text(p, "DICOM viewers and hospital systems read the DICOMDIR "
                   "file. Nothing needs to be installed. See ");
    pdb_el_link(p, "README.TXT", "README.TXT");
    pdb_el_text(p, ".");
    lossy_notice(body, web);
}

/* Where the recipient asks about the media: the institution's address and
 * contact, when the site configured them. */
static void issuer(struct pdb_el *body, const struct pdb_volume *vol)
{
    if (!vol->address && !vol->contact)
        return;
    struct pdb_el *p = pdb_el_add(body, "p", NULL);
    pdb_el_attr(p, "class", "issuer");
    if (vol->address)
        pdb_el_text(p, vol->address);
    if (vol->address && vol->contact)
        pdb_el_add(p, "br", NULL);
    if (vol->contact)
        pdb_el_text(p, vol->contact);
}

static void page_header(struct pdb_el *body, const struct pdb_volume *vol)
{
    struct pdb_buf b = { 0 };
    if (vol->count > 1)
        pdb_buf_printf(&b, "Medical images \xe2\x80\x94 disc %u of %u",
                       vol->index, vol->count);
    pdb_el_add(body, "h1", b.len ? (char *) b.data : "Medical images");
    b.len = 0;
    if (vol->count > 1)
        pdb_buf_printf(&b, "Disc %u of %u. ", vol->index, vol->count);
    pdb_buf_printf(&b, "Made on %s%s%s.", vol->created,
                   vol->institution ? " by " : "",
                   vol->institution ? vol->institution : "");
    pdb_el_add(body, "p", (char *) b.data);
    pdb_buf_free(&b);
    issuer(body, vol);
}

static bool index_page(const struct pdb_inventory *cat,
                       const struct pdb_volume *vol, const struct pdb_web *web,
                       struct pdb_content *out, struct pdiburn_error **err)
{
    struct pdb_page *page = pdb_page_new("Medical images");
    if (!page)
        return pdb_fail_nomem(err);
    struct pdb_el *body = pdb_page_body(page);
    struct pdb_el *content = pdb_el_add(body, "div", NULL);
    pdb_el_attr(content, "id", "pdv-static");
    page_header(content, vol);
    for (size_t p = 0; p < cat->npatients; p++) {
        patient_banner(content, cat->patients[p]);
        for (size_t s = 0; s < cat->patients[p]->nstudies; s++)
            study_section(content, cat->patients[p]->studies[s], web);
    }
    reports_list(content, web, NULL);
    how_to_view(content, web);
    if (web->mode != PDB_VIEWER_NONE) {
        pdb_el_attr(pdb_el_add(body, "div", NULL), "id", "pdv-app");
        struct pdb_el *script = pdb_el_add(body, "script", "");
        pdb_el_attr(script, "type", "text/javascript");
        pdb_el_attr(script, "src", "VIEWER/VIEWER.JS");
    }
    uint8_t *bytes = NULL;
    size_t len = 0;
    bool ok = pdb_page_bytes(page, &bytes, &len, err) &&
              pdb_content_add_mem(out, "INDEX.HTM", bytes, len, err);
    pdb_page_free(page);
    return ok;
}

static void renderings(struct pdb_el *body, const struct pdb_web_series *ws)
{
    for (unsigned i = 0; i < ws->pdi_images; i++) {
        char src[32], alt[32];
        snprintf(src, sizeof(src), "%s/I%04u.JPG", ws->key, i + 1);
        snprintf(alt, sizeof(alt), "Image %u", i + 1);
        struct pdb_el *img = pdb_el_add(pdb_el_add(body, "p", NULL), "img",
                                        NULL);
        pdb_el_attr(img, "src", src);
        pdb_el_attr(img, "alt", alt);
    }
    if (ws->pdi_images < ws->nimages) {
        char *note = pdb_format("%u of the %zu images are shown here, spread "
                                "over the series; the viewer and the DICOM "
                                "files hold all of them.",
                                ws->pdi_images, ws->nimages);
        pdb_el_add(body, "p", note ? note : "");
        free(note);
    }
}

static bool series_page(const struct pdb_web_series *ws,
                        struct pdb_content *out, struct pdiburn_error **err)
{
    char *label = series_label(ws);
    struct pdb_page *page = pdb_page_new(label ? label : "Series");
    if (!page) {
        free(label);
        return pdb_fail_nomem(err);
    }
    struct pdb_el *body = pdb_page_body(page);
    pdb_el_link(pdb_el_add(body, "p", NULL), "../INDEX.HTM", "All studies");
    pdb_el_add(body, "h1", label ? label : "Series");
    free(label);
    char *name = person(ws->images[0].inst);
    char date[32];
    pdb_text_date(ws->series->study->date, date, sizeof(date));
    char *who = pdb_format("%s, study of %s", name ? name : "", date);
    pdb_el_add(body, "p", who ? who : "");
    free(who);
    free(name);
    add_split_note(body, "p", ws->series);
    struct pdb_el *lossy = pdb_el_add(
        body, "p",
        "Lossy previews: these pictures are 8-bit JPEG renderings, not for "
        "diagnosis. The DICOM files on this media hold the original images.");
    pdb_el_attr(lossy, "class", "lossy");
    renderings(body, ws);
    uint8_t *bytes = NULL;
    size_t len = 0;
    char path[32];
    snprintf(path, sizeof(path), "IHE_PDI/%s.HTM", ws->key);
    bool ok = pdb_page_bytes(page, &bytes, &len, err) &&
              pdb_content_add_mem(out, path, bytes, len, err);
    pdb_page_free(page);
    return ok;
}

bool pdb_web_pages(const struct pdb_inventory *cat,
                   const struct pdb_volume *vol, const struct pdb_web *web,
                   struct pdb_content *out, struct pdiburn_error **err)
{
    if (!index_page(cat, vol, web, out, err))
        return false;
    for (size_t i = 0; i < web->nseries; i++)
        if (web->series[i].nimages && !series_page(&web->series[i], out, err))
            return false;
    return true;
}
