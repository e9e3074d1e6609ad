/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* js_file.h - the viewer's data files, `PDV.<call>(<json>);` (see
 * viewer-bundle/PROTOCOL.md), and JSON values made apart for them on the
 * workers of the work queue. */
#ifndef PDB_JS_FILE_H
#define PDB_JS_FILE_H

#include "content.h"
#include "pdiburn/json.h"

struct pdb_js_file {
    struct pdb_json json; /* the call's object: fill it in between */
    FILE *f;
    bool packed;          /* f is the content's spool file */
    char *text;           /* without one: the file in memory */
    size_t size;
    uint64_t start;       /* with one: where the file starts in it */
};

/* Starts the file, written straight into the content's spool file when
 * it has one (STUDY.JS of a large selection is tens of MB), else into
 * memory.  Nothing else may be written to the spool file meanwhile. */
bool pdb_js_open(struct pdb_js_file *js, struct pdb_content *out,
                 const char *call, struct pdiburn_error **err);
/* Ends the call and adds the file to `out` as `path`. */
bool pdb_js_close(struct pdb_js_file *js, struct pdb_content *out,
                  const char *path, struct pdiburn_error **err);
/* After a failure between the two: frees what the file holds. */
void pdb_js_discard(struct pdb_js_file *js);

/* One JSON value, made in memory by `fill` (on a worker, say) and then
 * copied into a document with pdb_json_raw(). */
struct pdb_json_piece {
    char *text;
    size_t len;
};
/* False when out of memory; the piece is then empty. */
bool pdb_json_piece_make(struct pdb_json_piece *piece,
                         void (*fill)(struct pdb_json *, const void *),
                         const void *ctx);
void pdb_json_piece_free(struct pdb_json_piece *piece);

#endif
