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

#include "volumes.h"

#define BLOCK 2048u
/* Volume descriptors, path tables, viewer bundle (~200 KB), pages. */
#define FIXED (1u << 20)
/* Per file: its directory records (ISO, Joliet), SHA256.TXT line,
 * DICOMDIR record. */
#define PER_FILE (3u * 1024)

static uint64_t round_up(uint64_t n)
{
    return (n + BLOCK - 1) / BLOCK * BLOCK;
}

static uint64_t raw_pixels(const struct pdb_instance *inst, bool all_frames)
{
    uint16_t rows = 0, cols = 0, samples = 1, bits = 16;
    long frames = 1;
    pdb_inst_u16(inst, TAG_ROWS, &rows);
    pdb_inst_u16(inst, TAG_COLUMNS, &cols);
    pdb_inst_u16(inst, TAG_SAMPLES_PER_PIXEL, &samples);
    pdb_inst_u16(inst, TAG_BITS_ALLOCATED, &bits);
    pdb_inst_int(inst, TAG_NUMBER_OF_FRAMES, &frames);
    return (uint64_t) rows * cols * samples * (bits > 8 ? 2 : 1) *
           (uint64_t) (all_frames && frames > 0 ? frames : 1);
}

/* Measured: lossless payload ~0.43 of the raw pixels with base64, JPEG
 * previews ~0.15; the estimates round up. */
uint64_t pdb_volume_cost(const struct pdb_instance *inst,
                         const struct pdb_span *span)
{
    uint64_t cost = round_up(inst->out_size) + PER_FILE;
    uint64_t raw = raw_pixels(inst, true);
    if (span->mode == PDB_VIEWER_FULL)
        cost += round_up(raw / 2);
    else if (span->mode == PDB_VIEWER_LITE)
        cost += round_up(raw / 5);
    return cost;
}

/* A series page and its dozen renderings: JPEGs of one frame each, an
 * eighth of the raw frame or less. */
static uint64_t series_cost(const struct pdb_series *s,
                            const struct pdb_span *span)
{
    return span->web ? 12 * round_up(raw_pixels(s->instances[0], false) / 8) +
                           8192
                     : 0;
}

static bool planned(const struct pdb_instance *inst)
{
    return !inst->dropped && inst->action != PDB_ACTION_SKIP;
}

static uint64_t size_of_series(const struct pdb_series *s,
                               const struct pdb_span *span)
{
    uint64_t n = series_cost(s, span);
    for (size_t i = 0; i < s->ninstances; i++)
        if (planned(s->instances[i]))
            n += pdb_volume_cost(s->instances[i], span);
    return n;
}

static uint64_t size_of_study(const struct pdb_study *st,
                              const struct pdb_span *span)
{
    uint64_t n = 0;
    for (size_t i = 0; i < st->nseries; i++)
        n += size_of_series(st->series[i], span);
    return n;
}

struct filler {
    const struct pdb_span *span;
    unsigned volume;
    uint64_t used;
};

static bool fits(const struct filler *f, uint64_t size)
{
    return f->used + size <= f->span->capacity;
}

static void next_volume(struct filler *f)
{
    if (f->used > FIXED) {
        f->volume++;
        f->used = FIXED;
    }
}

static void assign_series(struct pdb_series *s, unsigned volume)
{
    for (size_t i = 0; i < s->ninstances; i++)
        s->instances[i]->volume = volume;
}

static bool split_series(struct filler *f, struct pdb_series *s,
                         struct pdiburn_error **err)
{
    uint64_t page = series_cost(s, f->span);
    next_volume(f);
    f->used += page;
    for (size_t i = 0; i < s->ninstances; i++) {
        struct pdb_instance *inst = s->instances[i];
        uint64_t cost = planned(inst) ? pdb_volume_cost(inst, f->span) : 0;
        if (!fits(f, cost) && FIXED + page + cost > f->span->capacity)
            return pdb_fail(err, PDIBURN_E_CAPACITY,
                            "'%s' alone needs %.0f MB, more than the "
                            "medium holds (%.0f MB)",
                            inst->path, (double) cost / 1e6,
                            (double) f->span->capacity / 1e6);
        if (!fits(f, cost)) {
            f->volume++;
            f->used = FIXED + page;
        }
        inst->volume = f->volume;
        f->used += cost;
    }
    return true;
}

static bool place_series(struct filler *f, struct pdb_series *s,
                         struct pdiburn_error **err)
{
    uint64_t size = size_of_series(s, f->span);
    if (!fits(f, size) && FIXED + size <= f->span->capacity)
        next_volume(f);
    if (!fits(f, size))
        return split_series(f, s, err);
    assign_series(s, f->volume);
    f->used += size;
    return true;
}

static bool place_study(struct filler *f, struct pdb_study *st,
                        struct pdiburn_error **err)
{
    uint64_t size = size_of_study(st, f->span);
    if (!fits(f, size))
        next_volume(f); /* a study starts on a fresh medium when it can */
    if (fits(f, size)) {
        for (size_t i = 0; i < st->nseries; i++)
            assign_series(st->series[i], f->volume);
        f->used += size;
        return true;
    }
    for (size_t i = 0; i < st->nseries; i++)
        if (!place_series(f, st->series[i], err))
            return false;
    return true;
}

uint64_t pdb_volume_media_bytes(const struct pdb_content *c)
{
    uint64_t n = 256 * 1024; /* descriptors, path tables, root folders */
    for (size_t i = 0; i < c->nnodes; i++)
        n += round_up(c->nodes[i]->size) + BLOCK / 4;
    return n;
}

bool pdb_volumes_plan(struct pdb_catalog *cat, const struct pdb_span *span,
                      unsigned *count, struct pdiburn_error **err)
{
    struct filler f = { span, 1, FIXED };
    for (size_t p = 0; p < cat->npatients; p++)
        for (size_t s = 0; s < cat->patients[p]->nstudies; s++) {
            struct pdb_study *st = cat->patients[p]->studies[s];
            if (!span->capacity) {
                for (size_t i = 0; i < st->nseries; i++)
                    assign_series(st->series[i], 1);
            } else if (!place_study(&f, st, err)) {
                return false;
            }
        }
    *count = f.volume;
    return true;
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

bool pdb_media_capacity(const char *name, uint64_t *bytes,
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
