/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The viewer's index, VIEWER/DATA/STUDY.JS, and the tag lists of each
 * series, as viewer-bundle/PROTOCOL.md defines them: JavaScript files that
 * call PDV.study() and PDV.tags(), since a page opened from file:// cannot
 * fetch data.  Text is UTF-8, converted from each instance's character set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "pdiburn/json.h"
#include "source.h"
#include "text.h"
#include "web.h"

static void str_key(struct pdb_json *j, const char *key,
                    const struct pdb_instance *inst, uint32_t tag)
{
    char *text = pdb_text_utf8(inst, tag);
    pdb_json_str(j, key, text ? text : "");
    free(text);
}

/* Values of a multi-valued DS such as "0.7\0.7"; returns how many. */
static size_t numbers(const struct pdb_instance *inst, uint32_t tag,
                      double *out, size_t max)
{
    char text[256];
    size_t n = 0;
    if (!pdb_instance_string(inst, tag, text, sizeof(text)))
        return 0;
    for (char *p = text; *p && n < max;) {
        char *end = NULL;
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[n++] = v;
        p = *end == '\\' ? end + 1 : end;
    }
    return n;
}

static void number_array(struct pdb_json *j, const char *key,
                         const struct pdb_instance *inst, uint32_t tag,
                         size_t want)
{
    double v[16];
    size_t n = numbers(inst, tag, v, 16);
    if (n < want) {
        pdb_json_null(j, key);
        return;
    }
    pdb_json_array(j, key);
    for (size_t i = 0; i < want; i++)
        pdb_json_num(j, NULL, v[i]);
    pdb_json_close(j);
}

/* The values of a multi-valued CS such as "L\F", or null when absent. */
static void string_array(struct pdb_json *j, const char *key,
                         const struct pdb_instance *inst, uint32_t tag)
{
    char text[64];
    if (!pdb_instance_string(inst, tag, text, sizeof(text)) || !text[0]) {
        pdb_json_null(j, key);
        return;
    }
    pdb_json_array(j, key);
    for (char *p = text, *end; p; p = end ? end + 1 : NULL) {
        end = strchr(p, '\\');
        if (end)
            *end = 0;
        pdb_json_str(j, NULL, p);
    }
    pdb_json_close(j);
}

/* Image Laterality, else the series' Laterality (BIR 5.8 annotation). */
static void laterality(struct pdb_json *j, const struct pdb_instance *inst)
{
    char text[8] = "";
    if (!pdb_instance_string(inst, 0x00200062, text, sizeof(text)) || !text[0])
        pdb_instance_string(inst, 0x00200060, text, sizeof(text));
    pdb_json_str(j, "laterality", text);
}

static void windows(struct pdb_json *j, const struct pdb_instance *inst)
{
    double c[8], w[8];
    size_t nc = numbers(inst, 0x00281050, c, 8);
    size_t nw = numbers(inst, 0x00281051, w, 8);
    pdb_json_array(j, "window");
    for (size_t i = 0; i < nc && i < nw; i++) {
        pdb_json_array(j, NULL);
        pdb_json_num(j, NULL, c[i]);
        pdb_json_num(j, NULL, w[i]);
        pdb_json_close(j);
    }
    pdb_json_close(j);
}

static double one_number(const struct pdb_instance *inst, uint32_t tag,
                         double fallback)
{
    double v;
    return numbers(inst, tag, &v, 1) ? v : fallback;
}

static void spacing(struct pdb_json *j, const struct pdb_instance *inst)
{
    double v[2];
    bool pixel = numbers(inst, 0x00280030, v, 2) == 2;
    bool imager = !pixel && numbers(inst, 0x00181164, v, 2) == 2;
    if (pixel || imager)
        number_array(j, "pixelSpacing", inst, pixel ? 0x00280030 : 0x00181164,
                     2);
    else
        pdb_json_null(j, "pixelSpacing");
    pdb_json_str(j, "spacingSource", pixel    ? "PixelSpacing"
                                     : imager ? "ImagerPixelSpacing"
                                              : "");
}

static void pixel_format(struct pdb_json *j, const struct pdb_instance *inst)
{
    uint16_t rows = 0, cols = 0, stored = 0, rep = 0, samples = 1;
    char photometric[17] = "", lossy[4] = "";
    pdb_instance_u16(inst, TAG_ROWS, &rows);
    pdb_instance_u16(inst, TAG_COLUMNS, &cols);
    pdb_instance_u16(inst, TAG_BITS_STORED, &stored);
    pdb_instance_u16(inst, TAG_PIXEL_REPRESENTATION, &rep);
    pdb_instance_u16(inst, TAG_SAMPLES_PER_PIXEL, &samples);
    pdb_instance_string(inst, TAG_PHOTOMETRIC, photometric,
                        sizeof(photometric));
    pdb_instance_string(inst, TAG_LOSSY_COMPRESSION, lossy, sizeof(lossy));
    pdb_json_uint(j, "rows", rows);
    pdb_json_uint(j, "columns", cols);
    /* Colour reaches the viewer as RGB whatever it was stored as, palette
     * colour too (expanded by lib/image/palette.c). */
    bool rgb = samples == 3 || strcmp(photometric, "PALETTE COLOR") == 0;
    pdb_json_str(j, "photometric", rgb ? "RGB" : photometric);
    pdb_json_uint(j, "bitsStored", stored);
    pdb_json_bool(j, "signed", rep == 1);
    pdb_json_bool(j, "lossy", strcmp(lossy, "01") == 0);
}

static void image_entry(struct pdb_json *j, const struct pdb_web_image *im)
{
    const struct pdb_instance *inst = im->inst;
    pdb_json_object(j, NULL);
    pdb_json_str(j, "sop", inst->sop_uid);
    pdb_json_int(j, "instance", inst->number);
    pdb_json_uint(j, "frame", im->frame);
    pdb_json_uint(j, "frames", im->frames);
    pdb_json_str(j, "file", inst->file_id);
    pixel_format(j, inst);
    pdb_json_num(j, "slope", one_number(inst, 0x00281053, 1));
    pdb_json_num(j, "intercept", one_number(inst, 0x00281052, 0));
    str_key(j, "rescaleType", inst, 0x00281054);
    windows(j, inst);
    spacing(j, inst);
    number_array(j, "position", inst, 0x00200032, 3);
    number_array(j, "orientation", inst, 0x00200037, 6);
    /* Projection images have no Image Orientation (Patient); the
     * viewer's edge letters then come from Patient Orientation. */
    string_array(j, "patientOrientation", inst, 0x00200020);
    laterality(j, inst);
    double thickness = one_number(inst, 0x00180050, NAN);
    if (isnan(thickness))
        pdb_json_null(j, "sliceThickness");
    else
        pdb_json_num(j, "sliceThickness", thickness);
    pdb_json_uint(j, "chunk", im->chunk);
    pdb_json_uint(j, "slot", im->slot);
    pdb_json_close(j);
}

/* PROTOCOL.md "split": which instances of a series spread over discs are
 * on this one, and where the others are. */
static void split(struct pdb_json *j, const struct pdb_series *s)
{
    if (!s->part.total) {
        pdb_json_null(j, "split");
        return;
    }
    pdb_json_object(j, "split");
    pdb_json_uint(j, "first", s->part.first);
    pdb_json_uint(j, "last", s->part.last);
    pdb_json_uint(j, "total", s->part.total);
    pdb_json_uint(j, "prevDisc", s->part.prev_volume);
    pdb_json_uint(j, "nextDisc", s->part.next_volume);
    pdb_json_close(j);
}

static void series_entry(struct pdb_json *j, const struct pdb_web_series *ws)
{
    const struct pdb_instance *first = ws->images[0].inst;
    char path[48];
    pdb_json_object(j, NULL);
    pdb_json_str(j, "key", ws->key);
    pdb_json_str(j, "codec", ws->codec);
    pdb_json_str(j, "uid", ws->series->uid);
    pdb_json_int(j, "number", ws->series->number);
    str_key(j, "modality", first, TAG_MODALITY);
    str_key(j, "description", first, TAG_SERIES_DESCRIPTION);
    /* The viewer links the scrolling of two series only in one frame. */
    str_key(j, "frameOfReference", first, 0x00200052);
    pdb_json_str(j, "thumb", ws->thumb ? ws->thumb : "");
    pdb_json_array(j, "chunks");
    for (unsigned c = 0; c < ws->nchunks; c++) {
        snprintf(path, sizeof(path), "%s/C%04u.JS", ws->key, c + 1);
        pdb_json_str(j, NULL, path);
    }
    pdb_json_close(j);
    snprintf(path, sizeof(path), "%s/T.JS", ws->key);
    pdb_json_str(j, "tags", ws->has_tags ? path : "");
    split(j, ws->series);
    pdb_json_array(j, "images");
    for (size_t i = 0; i < ws->nimages; i++)
        image_entry(j, &ws->images[i]);
    pdb_json_close(j);
    pdb_json_close(j);
}

static void reports_of(struct pdb_json *j, const struct pdb_web *web,
                       const struct pdb_study *st)
{
    pdb_json_array(j, "reports");
    for (size_t i = 0; i < web->nreports; i++) {
        const struct pdb_web_report *r = &web->reports[i];
        if (r->study != st)
            continue;
        pdb_json_object(j, NULL);
        pdb_json_str(j, "title", r->title);
        pdb_json_str(j, "href", r->href);
        pdb_json_str(j, "kind", r->kind);
        pdb_json_close(j);
    }
    pdb_json_close(j);
}

static void modalities(struct pdb_json *j, const struct pdb_study *st)
{
    struct pdb_buf b = { 0 };
    for (size_t i = 0; i < st->nseries; i++) {
        char m[17] = "";
        pdb_instance_string(st->series[i]->instances[0], TAG_MODALITY, m,
                            sizeof(m));
        if (m[0] && (!b.len || !strstr((char *) b.data, m)))
            pdb_buf_printf(&b, "%s%s", b.len ? "\\" : "", m);
    }
    pdb_json_str(j, "modalities", b.len ? (char *) b.data : "");
    pdb_buf_free(&b);
}

static void study_entry(struct pdb_json *j, const struct pdb_study *st,
                        const struct pdb_web *web)
{
    const struct pdb_instance *first = st->series[0]->instances[0];
    pdb_json_object(j, NULL);
    pdb_json_str(j, "uid", st->uid);
    pdb_json_str(j, "date", st->date);
    pdb_json_str(j, "time", st->time);
    str_key(j, "description", first, TAG_STUDY_DESCRIPTION);
    str_key(j, "accession", first, TAG_ACCESSION);
    str_key(j, "id", first, TAG_STUDY_ID);
    modalities(j, st);
    reports_of(j, web, st);
    pdb_json_array(j, "series");
    for (size_t i = 0; i < web->nseries; i++)
        if (web->series[i].series->study == st && web->series[i].nimages)
            series_entry(j, &web->series[i]);
    pdb_json_close(j);
    pdb_json_close(j);
}

static void patient_entry(struct pdb_json *j, const struct pdb_patient *p,
                          const struct pdb_web *web)
{
    const struct pdb_instance *first =
        p->shown ? p->shown : p->studies[0]->series[0]->instances[0];
    pdb_json_object(j, NULL);
    str_key(j, "name", first, TAG_PATIENT_NAME);
    /* An ID the images do not carry is not shown as if they did. */
    pdb_json_str(j, "id", p->invented ? "" : p->id);
    str_key(j, "birthDate", first, 0x00100030);
    str_key(j, "sex", first, 0x00100040);
    pdb_json_array(j, "studies");
    for (size_t s = 0; s < p->nstudies; s++)
        study_entry(j, p->studies[s], web);
    pdb_json_close(j);
    pdb_json_close(j);
}

static void header(struct pdb_json *j, const struct pdb_volume *vol,
                   const struct pdb_web *web)
{
    static const char *const payload[] = { "none", "lite", "full" };
    pdb_json_int(j, "protocol", 1);
    pdb_json_str(j, "payload", payload[web->mode]);
    pdb_json_str(j, "created", vol->created);
    pdb_json_str(j, "creator", "pdiburn " PDIBURN_VERSION);
    pdb_json_str(j, "institution", vol->institution ? vol->institution : "");
    pdb_json_object(j, "volume");
    pdb_json_str(j, "label", vol->fileset_id);
    pdb_json_uint(j, "index", vol->index ? vol->index : 1);
    pdb_json_uint(j, "count", vol->count ? vol->count : 1);
    pdb_json_close(j);
}

static void write_call(FILE *f, const char *call,
                       void (*fill)(struct pdb_json *, const void *),
                       const void *ctx)
{
    struct pdb_json j;
    fprintf(f, "PDV.%s(", call);
    pdb_json_begin(&j, f);
    fill(&j, ctx);
    pdb_json_close(&j);
    fputs(");\n", f);
}

/* The file `path`: `PDV.<call>(<json>);` built by `fill`, written straight
 * into the content's spool file when it has one (study.js of a large
 * selection is tens of MB), else into memory. */
static bool js_file(struct pdb_content *out, const char *path,
                    const char *call,
                    void (*fill)(struct pdb_json *, const void *),
                    const void *ctx, struct pdiburn_error **err)
{
    if (out->pack) {
        uint64_t start = pdb_content_pack_offset(out);
        write_call(out->pack, call, fill, ctx);
        return pdb_content_add_packed(out, path, start, err);
    }
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return pdb_fail_nomem(err);
    write_call(f, call, fill, ctx);
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        free(text);
        return pdb_fail_nomem(err);
    }
    return pdb_content_add_mem(out, path, (uint8_t *) text, size, err);
}

struct study_ctx {
    const struct pdb_inventory *cat;
    const struct pdb_volume *vol;
    const struct pdb_web *web;
};

static void fill_study(struct pdb_json *j, const void *p)
{
    const struct study_ctx *c = p;
    header(j, c->vol, c->web);
    pdb_json_array(j, "patients");
    for (size_t i = 0; i < c->cat->npatients; i++)
        patient_entry(j, c->cat->patients[i], c->web);
    pdb_json_close(j);
}

bool pdb_web_study_js(const struct pdb_inventory *cat,
                      const struct pdb_volume *vol, const struct pdb_web *web,
                      struct pdb_content *out, struct pdiburn_error **err)
{
    struct study_ctx ctx = { cat, vol, web };
    return js_file(out, "VIEWER/DATA/STUDY.JS", "study", fill_study, &ctx,
                   err);
}

/* ---- tags --------------------------------------------------------------- */

static void tag_lines(struct pdb_json *j, const char *dump)
{
    pdb_json_array(j, NULL);
    for (const char *line = dump; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t) (end - line) : strlen(line);
        char *copy = strndup(line, n);
        char *field[4] = { copy, "", "", "" };
        for (int k = 1; copy && k < 4; k++) {
            char *tab = strchr(field[k - 1], '\t');
            if (!tab)
                break;
            *tab = 0;
            field[k] = tab + 1;
        }
        pdb_json_array(j, NULL);
        for (int k = 0; copy && k < 4; k++)
            pdb_json_str(j, NULL, field[k]);
        pdb_json_close(j);
        free(copy);
        line += n + (end != NULL);
    }
    pdb_json_close(j);
}

/* Tag lists are read and written as JSON on every core through the work
 * queue, in batches of images; the writer of T.JS only copies them.
 * DCMTK reads a header again for a list the scan did not make, which for
 * small images costs more than the pixels.  The frames of one instance
 * share its list. */
#define TAG_BATCH 64

struct tag_json {
    char *text;
    size_t len;
};

struct tags_ctx {
    const struct pdb_inventory *cat; /* the lists the scan made */
    const struct pdb_web_series *ws;
    struct pdb_json *j;
    struct tag_json *made;  /* per image: its instance's list as JSON, at
                               its first frame */
    struct tag_json current; /* the list of the instance being written */
    bool failed;             /* out of memory */
};

static bool first_frame(const struct pdb_web_series *ws, size_t i)
{
    return i == 0 || ws->images[i].inst != ws->images[i - 1].inst;
}

/* The list the scan made, else one made here.  An instance DCMTK cannot
 * list gets an empty list, not an error. */
static char *tag_dump(const struct pdb_inventory *cat,
                      const struct pdb_instance *inst)
{
    char msg[256], *dump = NULL;
    struct pdb_source_file f;
    if (pdb_scanned_tag_list_read(cat, inst, &dump) ||
        !pdb_source_file_open(&f, inst->path, NULL))
        return dump;
    struct dcmshim_source src = {
        f.name, NULL, pdb_source_head_span(inst->stamp.head_len, inst->size),
        inst->size
    };
    uint8_t *head = inst->stamp.known ? pdb_source_head_read(f.fd,
                                                             src.head_len)
                                      : NULL;
    src.head = head;
    if (dcmshim_dump_tags(&src, &dump, msg, sizeof(msg)) != DCMSHIM_OK)
        dump = NULL;
    free(head);
    pdb_source_file_close(&f);
    return dump;
}

/* False when out of memory. */
static bool make_json(void *p, size_t i)
{
    struct tags_ctx *c = p;
    struct tag_json *out = &c->made[i];
    *out = (struct tag_json) { NULL, 0 };
    if (!first_frame(c->ws, i))
        return true;
    char *dump = tag_dump(c->cat, c->ws->images[i].inst);
    FILE *f = open_memstream(&out->text, &out->len);
    bool ok = f != NULL;
    if (ok) {
        struct pdb_json j;
        pdb_json_begin_value(&j, f);
        tag_lines(&j, dump ? dump : "");
        ok = !ferror(f);
        ok = fclose(f) == 0 && ok;
    }
    if (!ok) {
        free(out->text);
        *out = (struct tag_json) { NULL, 0 };
    }
    free(dump);
    return ok;
}

static bool take_json(void *p, size_t first, size_t count,
                      struct pdiburn_error **err)
{
    struct tags_ctx *c = p;
    (void) err;
    for (size_t i = first; i < first + count; i++) {
        if (first_frame(c->ws, i)) {
            free(c->current.text);
            c->current = c->made[i];
            c->made[i] = (struct tag_json) { NULL, 0 };
        }
        pdb_json_raw(c->j, NULL, c->current.text, c->current.len);
    }
    return true;
}

static void clear_json(void *p, size_t first, size_t count)
{
    struct tags_ctx *c = p;
    for (size_t i = first; i < first + count; i++) {
        free(c->made[i].text);
        c->made[i] = (struct tag_json) { NULL, 0 };
    }
}

static void fill_tags(struct pdb_json *j, const void *p)
{
    struct tags_ctx *c = (struct tags_ctx *) p;
    struct pdb_work w = { c->ws->nimages, TAG_BATCH, 0, make_json,
                          take_json, clear_json, c };
    c->j = j;
    pdb_json_str(j, "series", c->ws->key);
    pdb_json_array(j, "images");
    c->failed = !pdb_work_run(&w, NULL); /* only out of memory */
    free(c->current.text);
    c->current = (struct tag_json) { NULL, 0 };
    pdb_json_close(j);
}

bool pdb_web_tags(const struct pdb_inventory *cat, const struct pdb_web *web,
                  struct pdb_content *out, struct pdiburn_error **err)
{
    bool ok = true;
    for (size_t i = 0; ok && i < web->nseries; i++) {
        const struct pdb_web_series *ws = &web->series[i];
        if (!ws->nimages)
            continue;
        struct tags_ctx ctx = { cat, ws, NULL,
                                calloc(ws->nimages, sizeof(*ctx.made)),
                                { NULL, 0 }, false };
        char path[32];
        snprintf(path, sizeof(path), "VIEWER/DATA/%s/T.JS", ws->key);
        ok = (ctx.made || pdb_fail_nomem(err)) &&
             js_file(out, path, "tags", fill_tags, &ctx, err) &&
             (!ctx.failed || pdb_fail_nomem(err));
        free(ctx.made);
    }
    return ok;
}
