/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The viewer's index, VIEWER/DATA/STUDY.JS, as viewer-bundle/PROTOCOL.md
 * defines it: the patients, their studies, series and images, with what
 * the viewer needs to show and measure them.  Text is UTF-8, converted
 * from each instance's character set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "js_file.h"
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

static void series_entry(struct pdb_json *j, const void *p)
{
    const struct pdb_web_series *ws = p;
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

/* A study's members up to its list of series, left open. */
static void study_open(struct pdb_json *j, const struct pdb_study *st,
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
}

/* A patient's members up to its list of studies, left open. */
static void patient_open(struct pdb_json *j, const struct pdb_patient *p)
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

/* STUDY.JS of 20,000 images is 10 MB, most of it the images' entries:
 * each series' entry is made on the workers of the work queue, a batch of
 * series at a time, and the writer copies them in between the patients'
 * and studies' members.  Places walk the volume in the file's order. */
#define SERIES_BATCH 8

struct place {
    const struct pdb_patient *patient;
    const struct pdb_study *study;
    const struct pdb_web_series *ws; /* NULL: a study with no images */
};

struct study_run {
    const struct pdb_web *web;
    struct place *places;
    size_t nplaces;
    struct pdb_json_piece made[2 * SERIES_BATCH]; /* place i's entry in
                                                     i % size */
    struct pdb_json *j;
    const struct pdb_patient *patient; /* open in j, or NULL */
    const struct pdb_study *study;     /* open in j, or NULL */
};

static bool add_place(struct study_run *r, struct place p)
{
    if (!pdb_grow(&r->places, r->nplaces, sizeof(*r->places)))
        return false;
    r->places[r->nplaces++] = p;
    return true;
}

/* Each shown series of each study, in the order of web->series; a study
 * none of whose series is shown is a place of its own. */
static bool find_places(struct study_run *r, const struct pdb_inventory *cat)
{
    const struct pdb_web *web = r->web;
    bool ok = true;
    for (size_t i = 0; ok && i < cat->npatients; i++) {
        const struct pdb_patient *p = cat->patients[i];
        for (size_t s = 0; ok && s < p->nstudies; s++) {
            size_t before = r->nplaces;
            for (size_t k = 0; ok && k < web->nseries; k++)
                if (web->series[k].series->study == p->studies[s] &&
                    web->series[k].nimages)
                    ok = add_place(r, (struct place) { p, p->studies[s],
                                                       &web->series[k] });
            if (ok && r->nplaces == before)
                ok = add_place(r, (struct place) { p, p->studies[s], NULL });
        }
    }
    return ok;
}

/* On any thread; false when out of memory. */
static bool make_entry(void *p, size_t i)
{
    struct study_run *r = p;
    const struct pdb_web_series *ws = r->places[i].ws;
    return !ws || pdb_json_piece_make(&r->made[i % (2 * SERIES_BATCH)],
                                      series_entry, ws);
}

/* Closes the study open in the file, then, with `patient`, its patient. */
static void close_open(struct study_run *r, bool patient)
{
    if (r->study) {
        pdb_json_close(r->j);
        pdb_json_close(r->j);
        r->study = NULL;
    }
    if (patient && r->patient) {
        pdb_json_close(r->j);
        pdb_json_close(r->j);
        r->patient = NULL;
    }
}

static bool take_entries(void *p, size_t first, size_t count,
                         struct pdiburn_error **err)
{
    struct study_run *r = p;
    (void) err;
    for (size_t i = first; i < first + count; i++) {
        const struct place *at = &r->places[i];
        if (at->patient != r->patient) {
            close_open(r, true);
            patient_open(r->j, at->patient);
            r->patient = at->patient;
        }
        if (at->study != r->study) {
            close_open(r, false);
            study_open(r->j, at->study, r->web);
            r->study = at->study;
        }
        struct pdb_json_piece *made = &r->made[i % (2 * SERIES_BATCH)];
        if (at->ws)
            pdb_json_raw(r->j, NULL, made->text, made->len);
    }
    return true;
}

static void clear_entries(void *p, size_t first, size_t count)
{
    struct study_run *r = p;
    for (size_t i = first; i < first + count; i++)
        pdb_json_piece_free(&r->made[i % (2 * SERIES_BATCH)]);
}

bool pdb_web_study_js(const struct pdb_inventory *cat,
                      const struct pdb_volume *vol, const struct pdb_web *web,
                      struct pdb_content *out, struct pdiburn_error **err)
{
    struct study_run r = { .web = web };
    struct pdb_js_file js;
    if (!find_places(&r, cat)) {
        free(r.places);
        return pdb_fail_nomem(err);
    }
    if (!pdb_js_open(&js, out, "study", err)) {
        free(r.places);
        return false;
    }
    r.j = &js.json;
    header(r.j, vol, web);
    pdb_json_array(r.j, "patients");
    struct pdb_work w = { r.nplaces, SERIES_BATCH, 0, make_entry,
                          take_entries, clear_entries, &r };
    bool ok = pdb_work_run(&w, err);
    close_open(&r, true);
    pdb_json_close(r.j);
    ok = ok && pdb_js_close(&js, out, "VIEWER/DATA/STUDY.JS", err);
    if (!ok)
        pdb_js_discard(&js);
    free(r.places);
    return ok;
}
