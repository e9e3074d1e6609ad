/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Each series' tag list, VIEWER/DATA/<series>/T.JS, as
 * viewer-bundle/PROTOCOL.md defines it: for every image, the elements of
 * its instance as [tag, VR, name, value] in UTF-8.
 *
 * The lists are read and written as JSON on every core through one run
 * of the work queue over the images of all series, in batches: series of
 * 25 small images, one run each, left one core idle.  The writer of the
 * T.JS files only copies them, and starts the next file where a series
 * starts.  DCMTK reads a header again for a list the scan did not make,
 * which for small images costs more than the pixels.  The frames of one
 * instance share its list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "js_file.h"
#include "source.h"
#include "web.h"

#define TAG_BATCH 64

struct tags_run {
    const struct pdb_inventory *cat; /* the lists the scan made */
    const struct pdb_web *web;
    struct pdb_content *out;
    size_t *starts; /* per series, its first image's item; then the end */
    struct pdb_json_piece made[2 * TAG_BATCH]; /* item i's in i % size:
                                 its instance's list, at its first frame */
    struct pdb_json_piece current; /* the list of the instance written */
    struct pdb_js_file js;
    size_t open;                   /* the series of js, or SIZE_MAX */
};

/* The series of item i: the last with starts[s] <= i, never empty. */
static size_t series_of(const struct tags_run *r, size_t i)
{
    size_t lo = 0, hi = r->web->nseries; /* starts[hi] > i */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->starts[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static bool first_frame(const struct pdb_web_series *ws, size_t k)
{
    return k == 0 || ws->images[k].inst != ws->images[k - 1].inst;
}

/* DCMTK's list, one element a line: tag, VR, name and value, split at
 * tabs (the value keeps any of its own).  The lines are cut up in place,
 * since the list is ours: a copy of each line (600,000 of them at 20,000
 * instances) cost a malloc and a free. */
static void tag_lines(struct pdb_json *j, const void *p)
{
    char *line = *(char *const *) p;
    pdb_json_array(j, NULL);
    while (*line) {
        char *end = strchr(line, '\n');
        char *next = end ? end + 1 : line + strlen(line);
        if (end)
            *end = 0;
        char *field[4] = { line, "", "", "" };
        for (int k = 1; k < 4; k++) {
            char *tab = strchr(field[k - 1], '\t');
            if (!tab)
                break;
            *tab = 0;
            field[k] = tab + 1;
        }
        pdb_json_array(j, NULL);
        for (int k = 0; k < 4; k++)
            pdb_json_str(j, NULL, field[k]);
        pdb_json_close(j);
        line = next;
    }
    pdb_json_close(j);
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

/* On any thread; false when out of memory. */
static bool make_list(void *p, size_t i)
{
    struct tags_run *r = p;
    size_t s = series_of(r, i), k = i - r->starts[s];
    const struct pdb_web_series *ws = &r->web->series[s];
    if (!first_frame(ws, k))
        return true;
    char *dump = tag_dump(r->cat, ws->images[k].inst), none[] = "";
    char *list = dump ? dump : none;
    bool ok = pdb_json_piece_make(&r->made[i % (2 * TAG_BATCH)], tag_lines,
                                  &list);
    free(dump);
    return ok;
}

static bool start_file(struct tags_run *r, size_t s,
                       struct pdiburn_error **err)
{
    if (!pdb_js_open(&r->js, r->out, "tags", err))
        return false;
    r->open = s;
    pdb_json_str(&r->js.json, "series", r->web->series[s].key);
    pdb_json_array(&r->js.json, "images");
    return true;
}

static bool end_file(struct tags_run *r, struct pdiburn_error **err)
{
    if (r->open == SIZE_MAX)
        return true;
    char path[32];
    snprintf(path, sizeof(path), "VIEWER/DATA/%s/T.JS",
             r->web->series[r->open].key);
    r->open = SIZE_MAX;
    pdb_json_close(&r->js.json);
    return pdb_js_close(&r->js, r->out, path, err);
}

static bool take_lists(void *p, size_t first, size_t count,
                       struct pdiburn_error **err)
{
    struct tags_run *r = p;
    for (size_t i = first; i < first + count; i++) {
        size_t s = series_of(r, i), k = i - r->starts[s];
        if (k == 0 && !(end_file(r, err) && start_file(r, s, err)))
            return false;
        if (first_frame(&r->web->series[s], k)) {
            pdb_json_piece_free(&r->current);
            r->current = r->made[i % (2 * TAG_BATCH)];
            r->made[i % (2 * TAG_BATCH)] = (struct pdb_json_piece) { 0 };
        }
        pdb_json_raw(&r->js.json, NULL, r->current.text, r->current.len);
    }
    return true;
}

static void clear_lists(void *p, size_t first, size_t count)
{
    struct tags_run *r = p;
    for (size_t i = first; i < first + count; i++)
        pdb_json_piece_free(&r->made[i % (2 * TAG_BATCH)]);
}

bool pdb_web_tags(const struct pdb_inventory *cat, const struct pdb_web *web,
                  struct pdb_content *out, struct pdiburn_error **err)
{
    struct tags_run r = { .cat = cat, .web = web, .out = out,
                          .starts = malloc((web->nseries + 1) *
                                           sizeof(size_t)),
                          .open = SIZE_MAX };
    if (!r.starts)
        return pdb_fail_nomem(err);
    r.starts[0] = 0;
    for (size_t s = 0; s < web->nseries; s++)
        r.starts[s + 1] = r.starts[s] + web->series[s].nimages;
    struct pdb_work w = { r.starts[web->nseries], TAG_BATCH, 0, make_list,
                          take_lists, clear_lists, &r };
    bool ok = pdb_work_run(&w, err) && end_file(&r, err);
    if (r.open != SIZE_MAX)
        pdb_js_discard(&r.js);
    pdb_json_piece_free(&r.current);
    free(r.starts);
    return ok;
}
