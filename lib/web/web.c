/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The web content of a volume, put together: the viewer bundle copied
 * into VIEWER/, the viewer's data, reports, INDEX.HTM and IHE_PDI/, and
 * AUTORUN.INF on CDs (pointing at INDEX.HTM; nothing depends on it).  The
 * files are ordered as the viewer reads them, so a disc seeks little:
 * INDEX.HTM, the viewer, STUDY.JS, the chunks in display order, the rest.
 * Every name is upper case, as IHE PDI writes them, and so are the links:
 * Rock Ridge (Linux, macOS), Joliet (Windows), folders and ZIPs then all
 * find the same file in exact case, as ISO 9660 has it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

void pdb_web_free(struct pdb_web *web)
{
    for (size_t i = 0; i < web->nseries; i++) {
        free(web->series[i].thumb);
        free(web->series[i].images);
    }
    free(web->series);
    for (size_t i = 0; i < web->nreports; i++)
        free(web->reports[i].title);
    free(web->reports);
    memset(web, 0, sizeof(*web));
}

static bool slurp(const char *path, uint8_t **data, size_t *len,
                  struct pdiburn_error **err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pdb_fail(err, PDIBURN_E_IO, "viewer file '%s': %s", path,
                        strerror(errno));
    struct pdb_buf b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pdb_buf_add(&b, chunk, n);
    bool failed = ferror(f) || b.failed;
    fclose(f);
    *data = pdb_buf_steal(&b, len);
    if (failed || !*data) {
        free(*data);
        return pdb_fail(err, PDIBURN_E_IO, "reading viewer file '%s'", path);
    }
    return true;
}

/* FILES.txt names every file of the bundle, one per line. */
static bool add_bundle(const char *dir, struct pdb_content *out,
                       struct pdiburn_error **err)
{
    char *list_path = pdb_fs_path_join(dir, "FILES.txt");
    uint8_t *list = NULL;
    size_t len = 0;
    bool ok = list_path && slurp(list_path, &list, &len, err);
    free(list_path);
    for (char *name = ok ? strtok((char *) list, "\r\n") : NULL; ok && name;
         name = strtok(NULL, "\r\n")) {
        char *src = pdb_fs_path_join(dir, name);
        /* The bundle's files are named in lower case in the source; the
         * media has them in upper case, which viewer.js asks for. */
        char *dst = pdb_format("VIEWER/%s", name);
        for (char *p = dst ? dst : ""; *p; p++)
            *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        uint8_t *data = NULL;
        size_t size = 0;
        ok = src && dst && slurp(src, &data, &size, err) &&
             pdb_content_add_mem(out, dst, data, size, err);
        free(src);
        free(dst);
    }
    free(list);
    return ok;
}

static bool add_autorun(struct pdb_content *out, struct pdiburn_error **err)
{
    static const char text[] = "[autorun]\r\n"
                               "shellexecute=INDEX.HTM\r\n"
                               "action=Open the medical images (INDEX.HTM)\r\n"
                               "label=Medical images\r\n";
    uint8_t *copy = (uint8_t *) strdup(text);
    return copy ? pdb_content_add_mem(out, "AUTORUN.INF", copy,
                                      sizeof(text) - 1, err)
                : pdb_fail_nomem(err);
}

/* Where a file goes on the disc: smaller ranks first.  Patterns ending
 * in '/' are prefixes; the most specific come first in the table. */
static int rank(const char *path)
{
    static const struct {
        const char *pattern;
        int rank;
    } order[] = {
        { "AUTORUN.INF", 0 },          { "INDEX.HTM", 1 },
        { "VIEWER/DATA/STUDY.JS", 3 }, { "VIEWER/DATA/", 4 },
        { "VIEWER/", 2 },              { "IHE_PDI/", 5 },
        { "REPORTS/", 6 },
    };
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        const char *p = order[i].pattern;
        size_t n = strlen(p);
        bool prefix = p[n - 1] == '/';
        if (prefix ? strncmp(path, p, n) == 0 : strcmp(path, p) == 0)
            return order[i].rank;
    }
    return 99;
}

struct placed {
    int rank;
    bool tags;    /* a tag list: after the chunks of its rank */
    size_t index; /* as added: ties keep it */
    struct pdb_node *node;
};

static int placed_cmp(const void *a, const void *b)
{
    const struct placed *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->tags != y->tags)
        return x->tags ? 1 : -1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The bundle is added first but belongs after study.js; a stable sort by
 * rank keeps the chunks in display order, tag lists after them.  Keys are
 * computed once: 200,000 images make 120,000 web files. */
static bool order_nodes(struct pdb_content *c, size_t from,
                        struct pdiburn_error **err)
{
    size_t n = c->nnodes - from;
    struct placed *p = calloc(n ? n : 1, sizeof(*p));
    if (!p)
        return pdb_fail_nomem(err);
    for (size_t i = 0; i < n; i++) {
        struct pdb_node *node = c->nodes[from + i];
        p[i] = (struct placed) { rank(node->path),
                                 strstr(node->path, "/T.JS") != NULL, i,
                                 node };
    }
    qsort(p, n, sizeof(*p), placed_cmp);
    for (size_t i = 0; i < n; i++)
        c->nodes[from + i] = p[i].node;
    free(p);
    return true;
}

/* The nodes laid out since `from`, to whoever writes them meanwhile. */
static bool hand_over(const struct pdb_web_options *opts,
                      struct pdb_content *out, size_t from,
                      struct pdiburn_error **err)
{
    return !opts->laid_out ||
           (pdb_content_flush(out, err) &&
            opts->laid_out(opts->laid_out_ctx, out, from, err));
}

/* What the viewer opens with: STUDY.JS, and the tag lists. */
static bool add_index(const struct pdb_inventory *cat,
                      const struct pdb_volume *vol, const struct pdb_web *web,
                      struct pdb_content *out, struct pdiburn_error **err)
{
    return pdb_web_study_js(cat, vol, web, out, err) &&
           pdb_web_tags(cat, web, out, err);
}

bool pdb_web_build(const struct pdb_inventory *cat,
                   const struct pdb_volume *vol,
                   const struct pdb_web_options *opts, const char *spool,
                   struct pdb_content *out, struct pdb_ctl *ctl,
                   struct pdiburn_error **err)
{
    struct pdb_web web = { .mode = opts->mode, .spool = spool };
    size_t first = out->nnodes;
    bool viewer = opts->mode != PDB_VIEWER_NONE;
    bool ok = (!opts->autorun || add_autorun(out, err)) &&
              (!viewer || add_bundle(opts->bundle_dir, out, err)) &&
              pdb_web_images(cat, &web, out, ctl, err) &&
              hand_over(opts, out, first, err) &&
              pdb_web_reports(cat, opts, &web, out, &ctl->log, err) &&
              (!viewer || add_index(cat, vol, &web, out, err)) &&
              pdb_web_pages(cat, vol, &web, out, err) &&
              order_nodes(out, first, err);
    pdb_web_free(&web);
    return ok;
}
