/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The printed side of the media, as a PDF made with cairo and Pango (the
 * only file that knows them): for each volume a round disc label and a
 * cover letter, with what IHE PDI asks a label to show (patient name,
 * creation date, institution, "DICOM PLUS WEB" or "DICOM ONLY") plus the
 * birth date, the studies, "Disc k of n" and the kind of copy.  Pango and
 * fontconfig find a font for every script, so non-Latin names print.
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "label.h"
#include "text.h"

#define MM (72.0 / 25.4) /* PDF points per millimetre */

struct pen {
    cairo_t *cr;
    double x, y, width; /* where the next line goes, in points */
};

/* One paragraph of text, wrapped to the pen's width; moves the pen down. */
static void write_text(struct pen *p, const char *text, double size,
                       bool bold, PangoAlignment align)
{
    PangoLayout *layout = pango_cairo_create_layout(p->cr);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, "DejaVu Sans");
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD
                                                 : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, (int) (p->width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align);
    pango_layout_set_text(layout, text, -1);
    cairo_move_to(p->cr, p->x, p->y);
    pango_cairo_show_layout(p->cr, layout);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    p->y += (double) h / PANGO_SCALE + size * 0.25;
    pango_font_description_free(font);
    g_object_unref(layout);
}

static char *patient_line(const struct pdb_patient *p)
{
    const struct pdb_instance *first =
        p->shown ? p->shown : p->studies[0]->series[0]->instances[0];
    char *raw = pdb_text_utf8(first, TAG_PATIENT_NAME);
    char *name = raw ? pdb_text_person(raw) : NULL;
    char *born = pdb_text_utf8(first, 0x00100030);
    char date[32] = "";
    if (born && *born)
        pdb_text_date(born, date, sizeof(date));
    char *line = pdb_format("%s%s%s", name && *name ? name : "(no name)",
                            date[0] ? ", born " : "", date);
    free(raw);
    free(name);
    free(born);
    return line;
}

static char *study_line(const struct pdb_study *st)
{
    const struct pdb_instance *first = st->series[0]->instances[0];
    char date[32], modality[17] = "";
    pdb_text_date(st->date[0] ? st->date : "(no date)", date, sizeof(date));
    pdb_instance_string(first, TAG_MODALITY, modality, sizeof(modality));
    char *desc = pdb_text_utf8(first, TAG_STUDY_DESCRIPTION);
    char *line = pdb_format("%s  %s  %s", date, modality, desc ? desc : "");
    free(desc);
    return line;
}

/* The patients and studies of the volume, one line each, as many as
 * `max_lines` allows; the rest counted. */
static void contents(struct pen *p, const struct pdb_inventory *view,
                     double size, unsigned max_lines)
{
    unsigned lines = 0, left = 0;
    for (size_t i = 0; i < view->npatients; i++) {
        const struct pdb_patient *pat = view->patients[i];
        if (lines + 1 >= max_lines) {
            left += (unsigned) pat->nstudies;
            continue;
        }
        char *who = patient_line(pat);
        write_text(p, who ? who : "", size * 1.3, true, PANGO_ALIGN_CENTER);
        free(who);
        lines++;
        for (size_t s = 0; s < pat->nstudies; s++) {
            if (lines + 1 >= max_lines) {
                left++;
                continue;
            }
            char *line = study_line(pat->studies[s]);
            write_text(p, line ? line : "", size, false, PANGO_ALIGN_CENTER);
            free(line);
            lines++;
        }
    }
    if (left) {
        char *more = pdb_format("and %u more studies, listed in README.TXT "
                                "and INDEX.HTM", left);
        write_text(p, more ? more : "", size, false, PANGO_ALIGN_CENTER);
        free(more);
    }
}

static char *facts(const struct pdb_label *l, unsigned index, unsigned count)
{
    return pdb_format("%s \xc2\xb7 Disc %u of %u \xc2\xb7 %s copy\n"
                      "Made %s%s%s",
                      l->web ? "DICOM PLUS WEB" : "DICOM ONLY", index, count,
                      l->copy_type, l->created,
                      l->institution ? " by " : "",
                      l->institution ? l->institution : "");
}

/* A 120 mm disc with its 15 mm hole, centred on (cx, cy); printing keeps
 * inside 118 mm and outside 41 mm. */
static void disc_label(cairo_t *cr, const struct pdb_label *l,
                       const struct pdb_inventory *view, unsigned index,
                       unsigned count, double cx, double cy)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_arc(cr, cx, cy, 59 * MM, 0, 2 * G_PI);
    cairo_stroke(cr);
    cairo_arc(cr, cx, cy, 20.5 * MM, 0, 2 * G_PI);
    cairo_stroke(cr);
    struct pen top = { cr, cx - 40 * MM, cy - 52 * MM, 80 * MM };
    write_text(&top, "Medical images", 11, true, PANGO_ALIGN_CENTER);
    contents(&top, view, 7, 5);
    struct pen bottom = { cr, cx - 38 * MM, cy + 23 * MM, 76 * MM };
    char *text = facts(l, index, count);
    write_text(&bottom, text ? text : "", 7, false, PANGO_ALIGN_CENTER);
    free(text);
}

static void cover_letter(cairo_t *cr, const struct pdb_label *l,
                         const struct pdb_inventory *view, unsigned index,
                         unsigned count, double page_w)
{
    struct pen p = { cr, 25 * MM, 25 * MM, page_w - 50 * MM };
    write_text(&p, l->institution ? l->institution : "", 12, true,
               PANGO_ALIGN_LEFT);
    if (l->address)
        write_text(&p, l->address, 10, false, PANGO_ALIGN_LEFT);
    write_text(&p, l->contact ? l->contact : "", 10, false, PANGO_ALIGN_LEFT);
    p.y += 10 * MM;
    write_text(&p, "Medical images on this media", 16, true,
               PANGO_ALIGN_LEFT);
    char *text = facts(l, index, count);
    write_text(&p, text ? text : "", 10, false, PANGO_ALIGN_LEFT);
    free(text);
    p.y += 5 * MM;
    contents(&p, view, 10, 50);
    p.y += 5 * MM;
    write_text(&p,
               "To see the images, open INDEX.HTM on the media with a web "
               "browser: nothing needs to be installed. Hospital systems "
               "and DICOM viewers read the DICOMDIR file. The media holds "
               "private health information: keep it safe.",
               10, false, PANGO_ALIGN_LEFT);
    cairo_show_page(cr);
}

struct sink {
    int fd;
    int error; /* errno of the first failed write */
};

static cairo_status_t to_fd(void *closure, const unsigned char *data,
                            unsigned int length)
{
    struct sink *sink = closure;
    if (!sink->error && !pdb_fs_write_all(sink->fd, data, length))
        sink->error = errno;
    return sink->error ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

bool pdb_label_write(const struct pdb_label *l,
                     const struct pdb_inventory *const *views, unsigned count,
                     int fd, const char *name, struct pdiburn_error **err)
{
    bool letter = l->paper && strcmp(l->paper, "letter") == 0;
    double w = letter ? 8.5 * 72 : 210 * MM, h = letter ? 11 * 72 : 297 * MM;
    struct sink sink = { fd, 0 };
    cairo_surface_t *s =
        cairo_pdf_surface_create_for_stream(to_fd, &sink, w, h);
    cairo_t *cr = cairo_create(s);
    for (unsigned v = 0; v < count; v++) {
        disc_label(cr, l, views[v], v + 1, count, w / 2, 80 * MM);
        cairo_show_page(cr);
        cover_letter(cr, l, views[v], v + 1, count, w);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return pdb_fail(err, PDIBURN_E_MEDIA, "writing the label '%s': %s",
                        name, sink.error ? strerror(sink.error)
                                         : cairo_status_to_string(st));
    return true;
}

#define DPI 300
#define DISC_PX ((int) (120 * DPI / 25.4 + 0.5))

/* cairo's pixels are native-endian 0xAARRGGBB words; JPEG wants RGB. */
static void to_rgb(cairo_surface_t *s, uint8_t *rgb)
{
    const uint8_t *row = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < DISC_PX; y++, row += stride)
        for (int x = 0; x < DISC_PX; x++) {
            uint32_t px;
            memcpy(&px, row + 4 * x, 4);
            uint8_t *out = rgb + 3 * ((size_t) y * DISC_PX + x);
            out[0] = (uint8_t) (px >> 16);
            out[1] = (uint8_t) (px >> 8);
            out[2] = (uint8_t) px;
        }
}

bool pdb_label_disc_jpeg(const struct pdb_label *l,
                         const struct pdb_inventory *view, unsigned index,
                         unsigned count, uint8_t **jpeg, size_t *len,
                         struct pdiburn_error **err)
{
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, DISC_PX, DISC_PX);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, DPI / 72.0, DPI / 72.0);
    disc_label(cr, l, view, index, count, 60 * MM, 60 * MM);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    uint8_t *rgb = malloc((size_t) DISC_PX * DISC_PX * 3);
    bool ok = rgb && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    if (ok) {
        to_rgb(s, rgb);
        ok = pdb_jpeg_encode(rgb, DISC_PX, DISC_PX, 3, 92, jpeg, len, err);
    } else {
        ok = pdb_fail(err, PDIBURN_E_NOMEM, "drawing the disc label");
    }
    free(rgb);
    cairo_surface_destroy(s);
    return ok;
}
