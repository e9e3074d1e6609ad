/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Spanning: which volume each instance goes on when the selection does
 * not fit one medium.  DICOM has no File-set across media (PS3.11 D.2.1.1
 * Note): every volume is a complete File-set of its own.  Whole studies
 * first; a study too big for one medium is split by series, and a series
 * only when it alone is too big.  Sizes are estimates that err on the
 * large side: ISO 9660 blocks, directory records, the web content.
 */
#include <stdlib.h>
#include <string.h>

#include "spanning.h"

#define BLOCK 2048u
/* Volume descriptors, path tables, viewer bundle (~200 KB), pages. */
#define FIXED (1u << 20)
/* Per file: its directory records (ISO, Joliet), SHA256.TXT line,
 * DICOMDIR record. */
#define PER_FILE (3u * 1024)

static uint64_t round_up(uint64_t n)
{
    return n > UINT64_MAX - BLOCK ? UINT64_MAX : (n + BLOCK - 1) / BLOCK * BLOCK;
}

/* a x b, or UINT64_MAX when that overflows: sizes from a file's own
 * numbers then count as too big for any medium, never as small. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    uint64_t n;
    return __builtin_mul_overflow(a, b, &n) ? UINT64_MAX : n;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    uint64_t n;
    return __builtin_add_overflow(a, b, &n) ? UINT64_MAX : n;
}

/* Two bytes a sample unless said to be eight bits: estimates err large. */
static uint64_t raw_pixels(const struct pdb_instance *inst, bool all_frames)
{
    struct pdb_geometry g;
    pdb_instance_geometry(inst, &g);
    uint64_t frame = (uint64_t) g.rows * g.columns * g.samples *
                     (g.bits_allocated == 8 ? 1 : 2);
    return mul_sat(frame, all_frames ? g.frames : 1);
}

/* Measured: lossless payload ~0.43 of the raw pixels with base64, JPEG
 * previews ~0.15; the estimates round up. */
uint64_t pdb_span_cost(const struct pdb_instance *inst,
                       const struct pdb_span *span)
{
    uint64_t cost = add_sat(round_up(inst->out_size), PER_FILE);
    uint64_t raw = raw_pixels(inst, true);
    if (span->mode == PDB_VIEWER_FULL)
        cost = add_sat(cost, round_up(raw / 2));
    else if (span->mode == PDB_VIEWER_LITE)
        cost = add_sat(cost, round_up(raw / 5));
    return cost;
}

static uint64_t frames_with_pixels(const struct pdb_instance *inst)
{
    struct pdb_geometry g;
    pdb_instance_geometry(inst, &g);
    return g.rows && g.columns ? g.frames : 0;
}


/* A series page and its renderings, one per frame up to a dozen: JPEGs
 * of an eighth of the raw frame or less. */
static uint64_t series_cost(const struct pdb_series *s,
                            const struct pdb_span *span)
{
    if (!span->web)
        return 0;
    uint64_t frames = 0;
    for (size_t i = 0; i < s->ninstances && frames < 12; i++)
        if (pdb_instance_on_media(s->instances[i]))
            frames += frames_with_pixels(s->instances[i]);
    frames = frames < 12 ? frames : 12;
    return add_sat(mul_sat(frames,
                           round_up(raw_pixels(s->instances[0], false) / 8)),
                   8192);
}

static uint64_t size_of_series(const struct pdb_series *s,
                               const struct pdb_span *span)
{
    uint64_t n = series_cost(s, span);
    for (size_t i = 0; i < s->ninstances; i++)
        if (pdb_instance_on_media(s->instances[i]))
            n = add_sat(n, pdb_span_cost(s->instances[i], span));
    return n;
}

static uint64_t size_of_study(const struct pdb_study *st,
                              const struct pdb_span *span)
{
    uint64_t n = 0;
    for (size_t i = 0; i < st->nseries; i++)
        n = add_sat(n, size_of_series(st->series[i], span));
    return n;
}

#define MAX_VOLUMES 4096

/* First fit: a study (or series) goes on the first volume with room, so
 * a small study fills the gap a big one left instead of costing a disc. */
struct filler {
    const struct pdb_span *span;
    uint64_t used[MAX_VOLUMES]; /* [0] unused: volumes count from 1 */
    unsigned count;
};

/* used + size <= capacity, without overflow. */
static bool fits(uint64_t used, uint64_t size, uint64_t capacity)
{
    return used <= capacity && size <= capacity - used;
}

static unsigned first_fit(struct filler *f, uint64_t size)
{
    for (unsigned v = 1; v <= f->count; v++)
        if (fits(f->used[v], size, f->span->capacity))
            return v;
    return 0;
}

static unsigned new_volume(struct filler *f, struct pdiburn_error **err)
{
    if (f->count + 1 >= MAX_VOLUMES) {
        pdb_fail(err, PDIBURN_E_CAPACITY, "more than %d volumes",
                 MAX_VOLUMES - 1);
        return 0;
    }
    f->used[++f->count] = FIXED;
    return f->count;
}

static void assign_series(struct pdb_series *s, unsigned volume)
{
    for (size_t i = 0; i < s->ninstances; i++)
        s->instances[i]->volume = volume;
}

/* Too big for any one medium: fresh volumes, filled in order. */
static bool split_series(struct filler *f, struct pdb_series *s,
                         struct pdiburn_error **err)
{
    uint64_t page = series_cost(s, f->span);
    unsigned v = new_volume(f, err);
    if (!v)
        return false;
    f->used[v] = add_sat(f->used[v], page);
    for (size_t i = 0; i < s->ninstances; i++) {
        struct pdb_instance *inst = s->instances[i];
        uint64_t cost =
            pdb_instance_on_media(inst) ? pdb_span_cost(inst, f->span) : 0;
        if (!fits(FIXED, add_sat(page, cost), f->span->capacity))
            return pdb_fail(err, PDIBURN_E_CAPACITY,
                            "'%s' needs %.1f MB with its share of the "
                            "index and pages, more than the medium holds "
                            "(%.1f MB)",
                            inst->path,
                            (double) add_sat(FIXED, add_sat(page, cost)) / 1e6,
                            (double) f->span->capacity / 1e6);
        if (!fits(f->used[v], cost, f->span->capacity)) {
            if (!(v = new_volume(f, err)))
                return false;
            f->used[v] = add_sat(f->used[v], page);
        }
        inst->volume = v;
        f->used[v] = add_sat(f->used[v], cost);
    }
    return true;
}

static bool place_series(struct filler *f, struct pdb_series *s,
                         struct pdiburn_error **err)
{
    uint64_t size = size_of_series(s, f->span);
    unsigned v = first_fit(f, size);
    if (!v && fits(FIXED, size, f->span->capacity) &&
        !(v = new_volume(f, err)))
        return false;
    if (!v)
        return split_series(f, s, err);
    assign_series(s, v);
    f->used[v] = add_sat(f->used[v], size);
    return true;
}

static bool place_study(struct filler *f, struct pdb_study *st,
                        struct pdiburn_error **err)
{
    uint64_t size = size_of_study(st, f->span);
    unsigned v = first_fit(f, size);
    /* Else a whole study on a medium of its own, if one holds it. */
    if (!v && fits(FIXED, size, f->span->capacity) &&
        !(v = new_volume(f, err)))
        return false;
    if (v) {
        for (size_t i = 0; i < st->nseries; i++)
            assign_series(st->series[i], v);
        f->used[v] = add_sat(f->used[v], size);
        return true;
    }
    for (size_t i = 0; i < st->nseries; i++)
        if (!place_series(f, st->series[i], err))
            return false;
    return true;
}

uint64_t pdb_span_media_bytes(const struct pdb_content *c)
{
    uint64_t n = 256 * 1024; /* descriptors, path tables, root folders */
    for (size_t i = 0; i < c->nnodes; i++)
        n += round_up(c->nodes[i]->size) + BLOCK / 4;
    return n;
}

bool pdb_span_plan(struct pdb_inventory *cat, const struct pdb_span *span,
                   unsigned *count, struct pdiburn_error **err)
{
    struct filler *f = calloc(1, sizeof(*f));
    if (!f)
        return pdb_fail_nomem(err);
    f->span = span;
    bool ok = true;
    for (size_t p = 0; ok && p < cat->npatients; p++)
        for (size_t s = 0; ok && s < cat->patients[p]->nstudies; s++) {
            struct pdb_study *st = cat->patients[p]->studies[s];
            if (span->capacity) {
                ok = place_study(f, st, err);
                continue;
            }
            for (size_t i = 0; i < st->nseries; i++)
                assign_series(st->series[i], 1);
        }
    *count = f->count ? f->count : 1;
    free(f);
    return ok;
}

/* A stick of N bytes keeps about 3% for its FAT and folders. */
static bool usb_capacity(const char *size, uint64_t *bytes,
                         struct pdiburn_error **err)
{
    char *end = NULL;
    double n = strtod(size, &end);
    double unit = !*end                  ? 1
                  : strcmp(end, "K") == 0 ? 1e3
                  : strcmp(end, "M") == 0 ? 1e6
                  : strcmp(end, "G") == 0 ? 1e9
                  : strcmp(end, "T") == 0 ? 1e12
                                          : 0;
    if (end == size || n <= 0 || unit == 0)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "'usb-%s': give the stick's size, e.g. usb-8G", size);
    *bytes = (uint64_t) (n * unit * 0.97);
    return true;
}

bool pdb_span_capacity(const char *name, uint64_t *bytes,
                       struct pdiburn_error **err)
{
    if (strncmp(name, "usb-", 4) == 0)
        return usb_capacity(name + 4, bytes, err);
    /* Sectors of 2,048 bytes; for DVD±R the smaller of the two kinds. */
    static const struct {
        const char *name;
        uint64_t sectors;
    } media[] = {
        { "cd", 360000 },      /* CD-R 80 min */
        { "dvd", 2295104 },    /* DVD+R; DVD-R holds 2,298,496 */
        { "dvd-dl", 4171712 }, /* DVD-R DL; DVD+R DL holds 4,173,824 */
        { "bd", 12219392 },    /* BD-R 25 GB */
    };
    for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
        if (strcmp(name, media[i].name) == 0) {
            *bytes = media[i].sectors * BLOCK;
            return true;
        }
    return pdb_fail(err, PDIBURN_E_USAGE,
                    "unknown medium '%s': use cd, dvd, dvd-dl, bd or usb-SIZE",
                    name);
}
