/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The viewer's data files are JavaScript that calls PDV.<call>(<json>),
 * since a page opened from file:// cannot fetch data.  They are written
 * as they are made, into the content's spool file or into memory, and
 * the parts worth making on other threads arrive as JSON pieces.
 */
#include <stdio.h>
#include <stdlib.h>

#include "js_file.h"

bool pdb_js_open(struct pdb_js_file *js, struct pdb_content *out,
                 const char *call, struct pdiburn_error **err)
{
    *js = (struct pdb_js_file) { .f = out->pack,
                                 .packed = out->pack != NULL };
    if (js->packed)
        js->start = pdb_content_pack_offset(out);
    else
        js->f = open_memstream(&js->text, &js->size);
    if (!js->f)
        return pdb_fail_nomem(err);
    fprintf(js->f, "PDV.%s(", call);
    pdb_json_begin(&js->json, js->f);
    return true;
}

bool pdb_js_close(struct pdb_js_file *js, struct pdb_content *out,
                  const char *path, struct pdiburn_error **err)
{
    pdb_json_close(&js->json);
    fputs(");\n", js->f);
    if (js->packed) /* write errors show when the spool is flushed */
        return pdb_content_add_packed(out, path, js->start, err);
    bool ok = !ferror(js->f);
    ok = fclose(js->f) == 0 && ok;
    js->f = NULL;
    if (!ok) {
        pdb_js_discard(js);
        return pdb_fail_nomem(err);
    }
    uint8_t *text = (uint8_t *) js->text;
    js->text = NULL;
    return pdb_content_add_mem(out, path, text, js->size, err);
}

void pdb_js_discard(struct pdb_js_file *js)
{
    if (!js->packed && js->f)
        fclose(js->f);
    js->f = NULL;
    free(js->text);
    js->text = NULL;
}

bool pdb_json_piece_make(struct pdb_json_piece *piece,
                         void (*fill)(struct pdb_json *, const void *),
                         const void *ctx)
{
    *piece = (struct pdb_json_piece) { NULL, 0 };
    FILE *f = open_memstream(&piece->text, &piece->len);
    if (!f)
        return false;
    struct pdb_json j;
    pdb_json_begin_value(&j, f);
    fill(&j, ctx);
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        pdb_json_piece_free(piece);
    return ok;
}

void pdb_json_piece_free(struct pdb_json_piece *piece)
{
    free(piece->text);
    *piece = (struct pdb_json_piece) { NULL, 0 };
}
