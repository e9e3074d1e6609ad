/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One pass over the pixels of every image series for the web content: the
 * viewer's chunk files (viewer-bundle/PROTOCOL.md: lossless "med16" and
 * "rgb8", or "jpeg" previews), a thumbnail per series, and the JPEG
 * renderings of the IHE PDI pages.  Chunk files wait in the content's
 * spool file, so memory holds one chunk at a time whatever the size of
 * the study.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode_pool.h"
#include "viewer_codec.h"
#include "web.h"

#define CHUNK_LIMIT (4u << 20)  /* PROTOCOL.md: chunks of 2-8 MB */
#define PDI_IMAGES 12           /* renderings per series on the pages */
#define THUMB_SIZE 128
#define MAX_THREADS 16          /* encoders: one per CPU, at most this */
#define QUEUE (8 * MAX_THREADS + 2) /* the pool's slots for that many */

/* A frame handed to the encoders, waiting for its turn in the chunk. */
struct pending {
    size_t series; /* in web->series, which grows meanwhile */
    const struct pdb_instance *inst;
    unsigned frame, frames;
};

#define NO_SERIES ((size_t) -1)

/* Frames of a series are read and handed to the encoders while those of
 * the series before are still being taken into chunks: the reader no
 * longer waits at the end of each series for the encoders to finish it. */
struct chunker {
    struct pdb_web *web;
    struct pdb_content *out;
    struct pdb_web_series *ws;   /* the series being read */
    size_t taking;               /* the series taken into chunks */
    struct pdb_buf js;           /* its chunk file being filled */
    unsigned slots;
    uint64_t taken;              /* images taken into chunks */
    struct pdb_encode_pool *pool; /* NULL without a payload; kept from
                                     series to series while the codec is
                                     the same */
    struct pending queue[QUEUE];
    uint64_t queued;              /* pushed to `queue` */
};

bool pdb_web_is_image(const struct pdb_instance *inst)
{
    uint16_t rows = 0;
    bool has_pixels = inst->pixels.kind != PDB_PIXELS_NONE ||
                      inst->action == PDB_ACTION_TRANSCODE;
    return pdb_instance_on_media(inst) && has_pixels &&
           pdb_instance_u16(inst, TAG_ROWS, &rows) && rows > 0;
}

static struct pdb_web_series *taking(struct chunker *ck)
{
    return &ck->web->series[ck->taking];
}

static void start_chunk(struct chunker *ck)
{
    pdb_buf_printf(&ck->js,
                   "PDV.chunk({\"series\":\"%s\",\"chunk\":%u,\"pixels\":[",
                   taking(ck)->key, taking(ck)->nchunks);
    ck->slots = 0;
}

static bool flush_chunk(struct chunker *ck, struct pdiburn_error **err)
{
    if (ck->slots == 0)
        return true;
    struct pdb_web_series *ws = taking(ck);
    pdb_buf_add_str(&ck->js, "]});\n");
    if (ck->js.failed)
        return pdb_fail_nomem(err);
    char path[48];
    snprintf(path, sizeof(path), "VIEWER/DATA/%s/C%04u.JS", ws->key,
             ws->nchunks + 1);
    bool ok = pdb_content_add_copy(ck->out, path, ck->js.data, ck->js.len,
                                   err);
    ck->web->payload_bytes += ck->js.len;
    ws->nchunks++;
    ck->js.len = 0;
    start_chunk(ck);
    return ok;
}

static bool add_thumbnail(struct pdb_web_series *ws,
                          const struct pdb_image *img,
                          const struct pdb_display *d,
                          struct pdiburn_error **err)
{
    uint8_t *jpg = NULL;
    size_t len = 0;
    if (!pdb_jpeg_render(img, d, THUMB_SIZE, 80, &jpg, &len, err))
        return false;
    struct pdb_buf url = { 0 };
    pdb_buf_add_str(&url, "data:image/jpeg;base64,");
    pdb_base64(&url, jpg, len);
    free(jpg);
    free(ws->thumb);
    ws->thumb = (char *) pdb_buf_steal(&url, NULL);
    return ws->thumb ? true : pdb_fail_nomem(err);
}

/* A rendering for the pages: IHE_PDI/<series>/Innnn.JPG, in display
 * order. */
static bool add_rendering(struct pdb_web_series *ws, uint8_t *jpg,
                          size_t len, struct pdb_content *out,
                          struct pdiburn_error **err)
{
    char path[48];
    snprintf(path, sizeof(path), "IHE_PDI/%s/I%04u.JPG", ws->key,
             ++ws->pdi_images);
    return pdb_content_add_mem(out, path, jpg, len, err);
}

/* Without encoders (no viewer payload) the renderings are made here. */
static bool render_for_pages(struct pdb_web_series *ws,
                             const struct pdb_image *img,
                             const struct pdb_display *d,
                             struct pdb_content *out,
                             struct pdiburn_error **err)
{
    uint8_t *jpg = NULL;
    size_t len = 0;
    return pdb_jpeg_render(img, d, 0, PDB_PAGES_QUALITY, &jpg, &len, err) &&
           add_rendering(ws, jpg, len, out, err);
}

/* Evenly spread over the series, first and last included. */
static bool wanted_for_pages(size_t index, size_t total)
{
    if (total <= PDI_IMAGES)
        return true;
    for (size_t k = 0; k < PDI_IMAGES; k++)
        if (index == k * (total - 1) / (PDI_IMAGES - 1))
            return true;
    return false;
}

static bool add_image(struct chunker *ck, struct pdb_web_series *ws,
                      const struct pdb_instance *inst, unsigned frame,
                      unsigned frames, struct pdiburn_error **err)
{
    if (!pdb_grow(&ws->images, ws->nimages, sizeof(*ws->images)))
        return pdb_fail_nomem(err);
    ws->images[ws->nimages++] = (struct pdb_web_image) {
        inst, frame, frames, ws->nchunks, ck->slots
    };
    return true;
}

/* The first chunk of the first series holds the first image alone:
 * nothing is drawn before that whole file is read from the disc. */
static bool frame_done(struct chunker *ck, struct pdiburn_error **err)
{
    if (ck->taken == 1 || ck->js.len >= CHUNK_LIMIT)
        return flush_chunk(ck, err);
    return true;
}

/* The last chunk of the series taken so far, if any; chunks of `next`
 * from now on. */
static bool take_series(struct chunker *ck, size_t next,
                        struct pdiburn_error **err)
{
    if (ck->taking != NO_SERIES && !flush_chunk(ck, err))
        return false;
    ck->js.len = 0;
    ck->taking = next;
    if (next != NO_SERIES)
        start_chunk(ck);
    return true;
}

/* Takes the oldest encoded frame into the chunk, in display order. */
static bool take_encoded(struct chunker *ck, struct pdiburn_error **err)
{
    uint64_t oldest = ck->queued - pdb_encode_pool_pending(ck->pool);
    const struct pending *p = &ck->queue[oldest % QUEUE];
    if (p->series != ck->taking && !take_series(ck, p->series, err))
        return false;
    struct pdb_web_series *ws = taking(ck);
    if (!add_image(ck, ws, p->inst, p->frame, p->frames, err))
        return false;
    ck->taken++;
    uint8_t *jpg = NULL;
    size_t len = 0;
    pdb_buf_add_str(&ck->js, ck->slots ? ",\"" : "\"");
    bool ok = pdb_encode_pool_next(ck->pool, &ck->js, &jpg, &len);
    pdb_buf_add_str(&ck->js, "\"");
    ck->slots++;
    if (!ok || ck->js.failed) {
        free(jpg);
        return pdb_fail(err, PDIBURN_E_NOMEM, "encoding a frame for the viewer");
    }
    return (!jpg || add_rendering(ws, jpg, len, ck->out, err)) &&
           frame_done(ck, err);
}

/* Takes what is encoded already, and waits only when no slot is free.
 * The encoders make the frame's rendering for the pages too when
 * `rendering` asks for it. */
static bool encode_frame(struct chunker *ck, const struct pdb_instance *inst,
                         const struct pdb_image *img, unsigned frame,
                         unsigned frames, const struct pdb_display *d,
                         bool rendering, struct pdiburn_error **err)
{
    while (pdb_encode_pool_pending(ck->pool) &&
           (pdb_encode_pool_ready(ck->pool) ||
            pdb_encode_pool_pending(ck->pool) >=
                pdb_encode_pool_capacity(ck->pool)))
        if (!take_encoded(ck, err))
            return false;
    ck->queue[ck->queued % QUEUE] =
        (struct pending) { (size_t) (ck->ws - ck->web->series), inst, frame,
                           frames };
    if (!pdb_encode_pool_submit(ck->pool, img, d, rendering))
        return pdb_fail_nomem(err);
    ck->queued++;
    return true;
}

static bool drain(struct chunker *ck, struct pdiburn_error **err)
{
    while (ck->pool && pdb_encode_pool_pending(ck->pool))
        if (!take_encoded(ck, err))
            return false;
    return true;
}

static bool do_frame(struct chunker *ck, const struct pdb_instance *inst,
                     const struct pdb_image *img, unsigned frame,
                     unsigned frames, size_t index, size_t total,
                     struct pdiburn_error **err)
{
    struct pdb_display d;
    pdb_render_display_of(inst, img, &d);
    /* The middle frame (or the next one that can be shown); the first
     * frame until then, in case none after it can. */
    bool middle = index >= total / 2 && !ck->ws->thumb_middle;
    if ((!ck->ws->thumb || middle) && !add_thumbnail(ck->ws, img, &d, err))
        return false;
    ck->ws->thumb_middle = ck->ws->thumb_middle || middle;
    bool pages = wanted_for_pages(index, total);
    if (!ck->pool)
        return (!pages || render_for_pages(ck->ws, img, &d, ck->out, err)) &&
               add_image(ck, ck->ws, inst, frame, frames, err);
    return encode_frame(ck, inst, img, frame, frames, &d, pages, err);
}

static unsigned frames_of(const struct pdb_instance *inst)
{
    struct pdb_geometry g;
    pdb_instance_geometry(inst, &g);
    return g.frames;
}

static size_t count_frames(const struct pdb_series *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ninstances; i++)
        if (pdb_web_is_image(s->instances[i]))
            n += frames_of(s->instances[i]);
    return n;
}

static const char *codec_of(const struct pdb_web *web, unsigned samples)
{
    return web->mode == PDB_VIEWER_LITE ? "jpeg"
           : samples == 3               ? "rgb8"
                                        : "med16";
}

/* The series' codec follows its first instance; the encoders start with
 * it.  False (with no error set) for an instance that does not fit. */
static bool prepare_codec(struct chunker *ck, const struct pdb_frames *f,
                          const struct pdb_instance *inst,
                          struct pdb_log *log, struct pdiburn_error **err)
{
    const char *codec = codec_of(ck->web, f->image.samples);
    if (!ck->ws->codec)
        ck->ws->codec = codec;
    if (strcmp(codec, ck->ws->codec) != 0) {
        pdb_warn(log, "'%s': not shown by the viewer: its series mixes "
                 "colour and grayscale", inst->path);
        return false;
    }
    if (ck->web->mode == PDB_VIEWER_NONE)
        return true;
    enum pdb_codec c = strcmp(codec, "jpeg") == 0   ? PDB_CODEC_JPEG
                       : strcmp(codec, "rgb8") == 0 ? PDB_CODEC_RGB8
                                                    : PDB_CODEC_MED16;
    if (ck->pool && pdb_encode_pool_codec(ck->pool) == c)
        return true;
    if (!drain(ck, err))
        return false;
    pdb_encode_pool_free(ck->pool);
    unsigned threads = pdb_cpu_count();
    ck->pool = pdb_encode_pool_new(c, threads < MAX_THREADS ? threads
                                                            : MAX_THREADS);
    return ck->pool ? true : pdb_fail_nomem(err);
}

/* A frame no decoder here can read (a damaged codestream the media may
 * carry as it is) keeps the rest of the instance out of the viewer. */
static bool skip_rest(const struct pdb_frames *f, unsigned i, size_t *index,
                      struct pdb_log *log, struct pdiburn_error *why,
                      struct pdiburn_error **err)
{
    enum pdiburn_code code = pdiburn_error_code(why);
    if (code == PDIBURN_E_NOMEM || code == PDIBURN_E_CANCELLED) {
        *err = why;
        return false;
    }
    /* The message names the file. */
    pdb_warn(log, "%s; %s by the viewer and the pages",
             pdiburn_error_message(why),
             i ? "its last frames are not shown" : "not shown");
    pdiburn_error_free(why);
    *index += f->count - i;
    return true;
}

static bool do_frames(struct chunker *ck, struct pdb_frames *f,
                      const struct pdb_instance *inst, size_t *index,
                      size_t total, struct pdb_ctl *ctl,
                      struct pdiburn_error **err)
{
    for (unsigned i = 0; i < f->count; i++, (*index)++) {
        const struct pdb_image *img = NULL;
        struct pdiburn_error *why = NULL;
        if (!pdb_ctl_report(ctl, PDIBURN_STAGE_PAGES, *index, total,
                            inst->path, err))
            return false;
        if (!pdb_frames_read(f, i, &img, &why))
            return skip_rest(f, i, index, &ctl->log, why, err);
        if (!do_frame(ck, inst, img, i, f->count, *index, total, err))
            return false;
    }
    return true;
}

/* Instances whose pixels the viewer cannot take are named and left out of
 * the viewer only; they stay on the media. */
static bool do_instance(struct chunker *ck, const struct pdb_instance *inst,
                        size_t *index, size_t total, struct pdb_ctl *ctl,
                        struct pdiburn_error **err)
{
    struct pdb_frames f;
    struct pdiburn_error *why = NULL;
    if (!pdb_frames_open(inst, &f, &why)) {
        pdb_warn(&ctl->log, "'%s': not shown by the viewer: %s", inst->path,
                 pdiburn_error_message(why));
        pdiburn_error_free(why);
        *index += frames_of(inst);
        return true;
    }
    bool ok = prepare_codec(ck, &f, inst, &ctl->log, err);
    if (ok)
        ok = do_frames(ck, &f, inst, index, total, ctl, err);
    else
        *index += f.count;
    pdb_frames_close(&f);
    return ok || *err == NULL;
}

static bool do_series(struct chunker *ck, const struct pdb_series *s,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    size_t total = count_frames(s), index = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < s->ninstances; i++) {
        const struct pdb_instance *inst = s->instances[i];
        if (pdb_web_is_image(inst))
            ok = do_instance(ck, inst, &index, total, ctl, err);
    }
    return ok;
}

static struct pdb_web_series *new_series(struct pdb_web *web,
                                         const struct pdb_series *s)
{
    struct pdb_web_series fresh = { .series = s, .has_tags = true };
    snprintf(fresh.key, sizeof(fresh.key), "S%04zu", web->nseries + 1);
    if (!pdb_grow(&web->series, web->nseries, sizeof(*web->series)))
        return NULL;
    web->series[web->nseries] = fresh;
    return &web->series[web->nseries++];
}

bool pdb_web_images(const struct pdb_inventory *cat, struct pdb_web *web,
                    struct pdb_content *out, struct pdb_ctl *ctl,
                    struct pdiburn_error **err)
{
    struct chunker ck = { .web = web, .out = out, .taking = NO_SERIES };
    bool ok = true;
    for (size_t p = 0; ok && p < cat->npatients; p++)
        for (size_t s = 0; ok && s < cat->patients[p]->nstudies; s++) {
            const struct pdb_study *st = cat->patients[p]->studies[s];
            for (size_t e = 0; ok && e < st->nseries; e++) {
                if (count_frames(st->series[e]) == 0)
                    continue;
                ck.ws = new_series(web, st->series[e]);
                ok = ck.ws ? do_series(&ck, st->series[e], ctl, err)
                           : pdb_fail_nomem(err);
            }
        }
    ok = ok && drain(&ck, err) && take_series(&ck, NO_SERIES, err);
    pdb_encode_pool_free(ck.pool);
    pdb_buf_free(&ck.js);
    return ok;
}
