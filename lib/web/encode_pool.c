/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Encodes frames for the viewer on worker threads, in order: the reading
 * thread submits frames (copied, so it can read on), workers run the
 * codecs of viewer_codec.c, and results come back in submission order.
 * Encoding costs more than reading, so two cores make the web content
 * close to twice as fast.  A bounded number of slots keeps memory flat.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "encode_pool.h"
#include "viewer_codec.h"

enum slot_state { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

/* Small frames take microseconds to encode, less than waking a thread:
 * the reader runs this far ahead, so that it and the encoders seldom
 * wait for each other. */
#define SLOTS_PER_THREAD 8
/* ...and an idle encoder is woken once this many frames wait for it, or
 * when the reader itself must wait: a wake-up per frame made the reader
 * and the encoders take turns on the cores (a run of 20,000 small
 * frames: 140,000 context switches before, 26,500 after). */
#define WAKE_AT 4

struct slot {
    enum slot_state state;
    struct pdb_image img;
    struct pdb_display display;
    size_t capacity;       /* of img.gray/img.rgb, in pixels */
    struct pdb_buf text;   /* the frame in base64 */
    bool rendering;        /* asked for */
    uint8_t *jpeg;         /* the rendering for the pages */
    size_t jpeg_len;
    bool ok;
};

struct pdb_encode_pool {
    enum pdb_codec codec;
    pthread_mutex_t lock;
    pthread_cond_t work;   /* encoders wait for frames */
    pthread_cond_t done;   /* the reader waits for a frame or a free slot */
    pthread_t *threads;
    unsigned nthreads, nslots;
    unsigned idle;         /* encoders waiting for work */
    unsigned ready;        /* frames submitted and not yet begun */
    bool reader_waits;
    struct slot *slots;
    uint64_t submitted, taken;
    bool stopping;
};

static bool encode(enum pdb_codec codec, struct pdb_codec_scratch *c,
                   struct slot *s)
{
    const struct pdb_image *img = &s->img;
    if (codec == PDB_CODEC_RGB8)
        return c && pdb_codec_rgb8(c, img, &s->text);
    if (codec == PDB_CODEC_MED16)
        return c && pdb_codec_med16(c, img, &s->text);
    uint8_t *jpg = NULL;
    size_t len = 0;
    bool ok = pdb_jpeg_render(img, &s->display, 0, 85, &jpg, &len, NULL) &&
              pdb_base64(&s->text, jpg, len);
    free(jpg);
    return ok;
}

/* The frame for the viewer, and its rendering for the pages if asked. */
static bool encode_slot(enum pdb_codec codec, struct pdb_codec_scratch *c,
                        struct slot *s)
{
    return encode(codec, c, s) &&
           (!s->rendering ||
            pdb_jpeg_render(&s->img, &s->display, 0, PDB_PAGES_QUALITY,
                            &s->jpeg, &s->jpeg_len, NULL));
}

static struct slot *ready_slot(struct pdb_encode_pool *p)
{
    for (unsigned i = 0; i < p->nslots; i++)
        if (p->slots[i].state == SLOT_READY)
            return &p->slots[i];
    return NULL;
}

static void *work(void *arg)
{
    struct pdb_encode_pool *p = arg;
    struct pdb_codec_scratch *codec = pdb_codec_scratch_new(1);
    pthread_mutex_lock(&p->lock);
    for (;;) {
        struct slot *s = ready_slot(p);
        if (!s && p->stopping)
            break;
        if (!s) {
            p->idle++;
            pthread_cond_wait(&p->work, &p->lock);
            p->idle--;
            continue;
        }
        s->state = SLOT_BUSY;
        p->ready--;
        pthread_mutex_unlock(&p->lock);
        bool ok = encode_slot(p->codec, codec, s);
        pthread_mutex_lock(&p->lock);
        s->ok = ok;
        s->state = SLOT_DONE;
        if (p->reader_waits)
            pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    pdb_codec_scratch_free(codec);
    return NULL;
}

struct pdb_encode_pool *pdb_encode_pool_new(enum pdb_codec codec,
                                            unsigned threads)
{
    struct pdb_encode_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->codec = codec;
    p->nslots = SLOTS_PER_THREAD * threads + 2;
    p->slots = calloc(p->nslots, sizeof(*p->slots));
    p->threads = calloc(threads, sizeof(*p->threads));
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    if (!p->slots || !p->threads) {
        pdb_encode_pool_free(p);
        return NULL;
    }
    for (; p->nthreads < threads; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, work, p) != 0)
            break;
    if (p->nthreads == 0) {
        pdb_encode_pool_free(p);
        return NULL;
    }
    return p;
}

/* The slot's buffer, grown, or made anew for the other kind of pixels: a
 * lite viewer's series may be gray or colour in one pool. */
static bool make_room(struct slot *s, size_t n, unsigned samples)
{
    bool kind = samples == 1 ? s->img.gray != NULL : s->img.rgb != NULL;
    if (n <= s->capacity && kind)
        return true;
    free(s->img.gray);
    free(s->img.rgb);
    s->img.gray = samples == 1 ? malloc(n * sizeof(uint16_t)) : NULL;
    s->img.rgb = samples == 3 ? malloc(3 * n) : NULL;
    s->capacity = (s->img.gray || s->img.rgb) ? n : 0;
    return s->capacity != 0;
}

static bool fit(struct slot *s, const struct pdb_image *img)
{
    size_t n = (size_t) img->rows * img->columns;
    if (!make_room(s, n, img->samples))
        return false;
    uint16_t *gray = s->img.gray;
    uint8_t *rgb = s->img.rgb;
    s->img = *img;
    s->img.gray = gray;
    s->img.rgb = rgb;
    if (img->samples == 1 && gray)
        memcpy(gray, img->gray, n * sizeof(uint16_t));
    else if (rgb)
        memcpy(rgb, img->rgb, 3 * n);
    return img->samples == 1 ? gray != NULL : rgb != NULL;
}

/* The reader waits, under the lock, until slot s is in `state`; idle
 * encoders are woken first, since what it waits for may be theirs. */
static void reader_wait(struct pdb_encode_pool *p, const struct slot *s,
                        enum slot_state state)
{
    while (s->state != state) {
        if (p->ready && p->idle)
            pthread_cond_broadcast(&p->work);
        p->reader_waits = true;
        pthread_cond_wait(&p->done, &p->lock);
        p->reader_waits = false;
    }
}

bool pdb_encode_pool_submit(struct pdb_encode_pool *p,
                            const struct pdb_image *img,
                            const struct pdb_display *d, bool rendering)
{
    pthread_mutex_lock(&p->lock);
    struct slot *s = &p->slots[p->submitted % p->nslots];
    reader_wait(p, s, SLOT_FREE);
    pthread_mutex_unlock(&p->lock);
    /* The slot is ours until marked ready: no lock needed to fill it. */
    bool ok = fit(s, img);
    s->display = *d;
    s->text.len = 0;
    s->text.failed = false;
    s->rendering = rendering;
    pthread_mutex_lock(&p->lock);
    if (ok) {
        s->state = SLOT_READY;
        p->submitted++;
        if (++p->ready >= WAKE_AT && p->idle)
            pthread_cond_signal(&p->work);
    }
    pthread_mutex_unlock(&p->lock);
    return ok;
}

uint64_t pdb_encode_pool_pending(const struct pdb_encode_pool *p)
{
    return p->submitted - p->taken;
}

unsigned pdb_encode_pool_capacity(const struct pdb_encode_pool *p)
{
    return p->nslots;
}

enum pdb_codec pdb_encode_pool_codec(const struct pdb_encode_pool *p)
{
    return p->codec;
}

bool pdb_encode_pool_ready(struct pdb_encode_pool *p)
{
    pthread_mutex_lock(&p->lock);
    bool done = p->submitted > p->taken &&
                p->slots[p->taken % p->nslots].state == SLOT_DONE;
    pthread_mutex_unlock(&p->lock);
    return done;
}

bool pdb_encode_pool_next(struct pdb_encode_pool *p, struct pdb_buf *out,
                          uint8_t **jpeg, size_t *jpeg_len)
{
    pthread_mutex_lock(&p->lock);
    struct slot *s = &p->slots[p->taken % p->nslots];
    reader_wait(p, s, SLOT_DONE);
    pthread_mutex_unlock(&p->lock);
    bool ok = s->ok && pdb_buf_add(out, s->text.data, s->text.len);
    *jpeg = s->jpeg;
    *jpeg_len = s->jpeg_len;
    s->jpeg = NULL;
    s->jpeg_len = 0;
    pthread_mutex_lock(&p->lock);
    s->state = SLOT_FREE; /* only the reader waits for free slots */
    p->taken++;
    pthread_mutex_unlock(&p->lock);
    return ok;
}

void pdb_encode_pool_free(struct pdb_encode_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    for (unsigned i = 0; p->slots && i < p->nslots; i++) {
        free(p->slots[i].img.gray);
        free(p->slots[i].img.rgb);
        free(p->slots[i].jpeg);
        pdb_buf_free(&p->slots[i].text);
    }
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p->slots);
    free(p->threads);
    free(p);
}
