/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The re-encoded headers of a volume's spliced instances (Implicit VR or
 * no usable meta information: PDB_ACTION_SPLICE), made on all cores before
 * anything is written and packed into the spool.  A writer works on one
 * thread; there it copies these bytes instead of having DCMTK parse every
 * source header a second time.  Most were already made by the scan
 * (lib/source/scanned_headers.c) and are only copied here.  A header made
 * here comes from a source checked to be the file scanned, and must come
 * out exactly as long as the plan measured.  Either way the writer checks
 * the source once more when it copies the pixel data (node_reader.c).
 */
#include <stdlib.h>
#include <string.h>

#include "content.h"
#include "shim_status.h"
#include "source.h"

struct made {
    uint8_t *bytes;
    size_t len;
    struct pdiburn_error *err;
};

struct header_pack {
    struct pdb_content *c;
    const struct pdb_inventory *cat; /* its scanned headers */
    struct pdb_instance **insts; /* spliced, on this volume, in order */
    size_t n;
    struct made *slots;          /* two batches */
};

#define BATCH 64

bool pdb_header_make(const struct pdb_instance *inst, uint8_t **bytes,
                     size_t *len, struct pdiburn_error **err)
{
    char msg[512];
    struct pdb_source_file f;
    if (!pdb_source_file_open(&f, inst->path, err))
        return false;
    struct dcmshim_source src = { f.name, NULL, 0, inst->size };
    uint8_t *head = NULL;
    bool ok = pdb_source_file_check_head(&f, &inst->stamp, &head,
                                         &src.head_len, err);
    if (ok) {
        src.head = head;
        enum dcmshim_status st =
            dcmshim_encode_header(&src, bytes, len, msg, sizeof(msg));
        ok = st == DCMSHIM_OK || pdb_shim_fail(err, st, inst->path, msg);
    }
    free(head);
    pdb_source_file_close(&f);
    if (ok && *len != inst->header_len) {
        free(*bytes);
        *bytes = NULL;
        return pdb_fail(err, PDIBURN_E_IO,
                        "'%s' changed while the media was being made",
                        inst->path);
    }
    return ok;
}

static bool encode(const struct pdb_instance *inst, struct made *m)
{
    return pdb_header_make(inst, &m->bytes, &m->len, &m->err) ||
           pdiburn_error_code(m->err) != PDIBURN_E_NOMEM;
}

static bool work(void *ctx, size_t i)
{
    struct header_pack *hp = ctx;
    struct made *m = &hp->slots[i % (2 * BATCH)];
    return pdb_scanned_headers_read(hp->cat, hp->insts[i], &m->bytes,
                                    &m->len) ||
           encode(hp->insts[i], m);
}

/* In order: the first failure is the one reading one file after the
 * other would have met. */
static bool take(void *ctx, size_t first, size_t count,
                 struct pdiburn_error **err)
{
    struct header_pack *hp = ctx;
    for (size_t i = first; i < first + count; i++) {
        struct made *m = &hp->slots[i % (2 * BATCH)];
        if (m->err) { /* handed on; clear() frees what is left */
            if (err) {
                *err = m->err;
                m->err = NULL;
            }
            return false;
        }
        uint64_t at = 0;
        if (!pdb_content_pack_bytes(hp->c, m->bytes, m->len, &at, err))
            return false;
        hp->insts[i]->header_at = at + 1;
    }
    /* progress, and the chance to cancel, once a batch */
    return !hp->c->ctl ||
           pdb_ctl_report(hp->c->ctl, PDIBURN_STAGE_PLAN, first + count,
                          hp->n, NULL, err);
}

static void clear(void *ctx, size_t first, size_t count)
{
    struct header_pack *hp = ctx;
    for (size_t i = first; i < first + count; i++) {
        struct made *m = &hp->slots[i % (2 * BATCH)];
        free(m->bytes);
        pdiburn_error_free(m->err);
        memset(m, 0, sizeof(*m));
    }
}

bool pdb_header_pack(struct pdb_content *c, const struct pdb_inventory *cat,
                     struct pdb_instance **spliced, size_t n,
                     struct pdiburn_error **err)
{
    if (!c->pack) { /* made when read, as a layout before may not have */
        for (size_t i = 0; i < n; i++)
            spliced[i]->header_at = 0;
        return true;
    }
    if (n == 0)
        return true;
    dcmshim_init();
    struct header_pack hp = { c, cat, spliced, n,
                              calloc(2 * BATCH, sizeof(struct made)) };
    struct pdb_work w = { n, BATCH, 0, work, take, clear, &hp };
    bool ok = hp.slots ? pdb_work_run(&w, err) : pdb_fail_nomem(err);
    free(hp.slots);
    return ok;
}
