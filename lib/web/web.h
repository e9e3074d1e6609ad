/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* web.h - the web content of a volume (IHE PDI Web Content, the viewer):
 * web.c puts it together from viewer_chunks.c (pixels and the viewer's
 * data), reports.c (reports) and pages.c (INDEX.HTM, IHE_PDI/). */
#ifndef PDB_WEB_H
#define PDB_WEB_H

#include "content.h"
#include "layout.h"

enum pdb_viewer_mode {
    PDB_VIEWER_NONE,  /* no viewer, no pages */
    PDB_VIEWER_LITE,  /* 8-bit JPEG renderings, labelled lossy */
    PDB_VIEWER_FULL,  /* lossless pixels */
};

/* One entry of a series' images: a frame of an instance. */
struct pdb_web_image {
    const struct pdb_instance *inst;
    unsigned frame, frames;
    unsigned chunk, slot;
};

struct pdb_web_series {
    char key[8];                 /* "S0001": VIEWER/DATA/S0001/ */
    const struct pdb_series *series;
    const char *codec;           /* "med16", "rgb8", "jpeg" */
    char *thumb;                 /* data: URL, or NULL */
    bool thumb_middle;           /* thumb shows the middle of the series */
    unsigned nchunks;
    struct pdb_web_image *images;
    size_t nimages;
    unsigned pdi_images;         /* IHE_PDI/S0001/I0001.JPG ... */
    bool has_tags;
};

struct pdb_web_report {
    const struct pdb_study *study; /* NULL: the whole media */
    char href[32];                 /* "REPORTS/R0001.HTM" */
    char *title;                   /* UTF-8 */
    const char *kind;              /* "sr", "pdf", "cda", "txt" */
};

struct pdb_web {
    enum pdb_viewer_mode mode;
    const char *spool;           /* chunk files wait here */
    struct pdb_web_series *series;
    size_t nseries;
    struct pdb_web_report *reports;
    size_t nreports;
    uint64_t payload_bytes;      /* chunk files */
};

struct pdb_web_options {
    enum pdb_viewer_mode mode;
    bool autorun;                /* CD images only */
    char *const *reports;        /* files given with --report */
    size_t nreports;
    const char *bundle_dir;      /* viewer-bundle files */
    /* Called, when set, once the viewer's chunks and the pages' renderings
     * are laid out: nodes [from, out->nnodes) are complete and readable
     * from another thread (the spool flushed), and may be written while
     * the rest is made. */
    bool (*laid_out)(void *ctx, struct pdb_content *out, size_t from,
                     struct pdiburn_error **err);
    void *laid_out_ctx;
};

/* Adds INDEX.HTM, IHE_PDI/, VIEWER/, REPORTS/ and (for CDs) AUTORUN.INF
 * to `out`.  Call before the DICOM files are added: the web files come
 * first on the disc, where the viewer reads them first. */
bool pdb_web_build(const struct pdb_inventory *cat,
                   const struct pdb_volume *vol,
                   const struct pdb_web_options *opts, const char *spool,
                   struct pdb_content *out, struct pdb_ctl *ctl,
                   struct pdiburn_error **err);

/* viewer_chunks.c: pixels, chunks, thumbnails, IHE PDI renderings */
bool pdb_web_images(const struct pdb_inventory *cat, struct pdb_web *web,
                    struct pdb_content *out, struct pdb_ctl *ctl,
                    struct pdiburn_error **err);
/* viewer_index.c: VIEWER/DATA/STUDY.JS */
bool pdb_web_study_js(const struct pdb_inventory *cat,
                      const struct pdb_volume *vol, const struct pdb_web *web,
                      struct pdb_content *out, struct pdiburn_error **err);
/* viewer_tags.c: each image's list of elements, the one the scan kept in
 * `cat`, else made again from the source. */
bool pdb_web_tags(const struct pdb_inventory *cat, const struct pdb_web *web,
                  struct pdb_content *out, struct pdiburn_error **err);
/* reports.c */
bool pdb_web_reports(const struct pdb_inventory *cat,
                     const struct pdb_web_options *opts, struct pdb_web *web,
                     struct pdb_content *out, struct pdb_log *log,
                     struct pdiburn_error **err);
/* pages.c */
bool pdb_web_pages(const struct pdb_inventory *cat,
                   const struct pdb_volume *vol, const struct pdb_web *web,
                   struct pdb_content *out, struct pdiburn_error **err);
void pdb_web_free(struct pdb_web *web);

/* Is this instance an image the viewer can show? */
bool pdb_web_is_image(const struct pdb_instance *inst);

#endif
