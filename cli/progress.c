/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The progress bar on stderr: stage, percentage, amount (files or bytes),
 * speed and time left, redrawn in place.  The library throttles the calls.
 */
#include <stdio.h>
#include <time.h>

#include "progress.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static const char *stage_name(enum pdiburn_stage s)
{
    switch (s) {
    case PDIBURN_STAGE_SCAN: return "reading headers";
    case PDIBURN_STAGE_PLAN: return "re-encoding";
    case PDIBURN_STAGE_WRITE: return "writing";
    case PDIBURN_STAGE_VERIFY: return "verifying";
    case PDIBURN_STAGE_PAGES: return "preparing pages and viewer";
    case PDIBURN_STAGE_RETRIEVE: return "retrieving from the PACS";
    case PDIBURN_STAGE_LIST: return "listing files";
    }
    return "";
}

static bool in_bytes(enum pdiburn_stage s)
{
    return s == PDIBURN_STAGE_WRITE || s == PDIBURN_STAGE_VERIFY;
}

/* Instances and bytes both move while a PACS sends. */
static void draw_retrieve(const struct pdiburn_progress *p, double elapsed)
{
    double mb = (double) p->bytes / 1e6;
    fprintf(stderr, " %llu/%llu instances, %.0f MB",
            (unsigned long long) p->done, (unsigned long long) p->total, mb);
    if (elapsed > 0.2)
        fprintf(stderr, "  %.0f instances/s  %.1f MB/s",
                (double) p->done / elapsed, mb / elapsed);
}

static void draw_left(double rate, const struct pdiburn_progress *p,
                      double scale)
{
    if (rate > 0 && p->total > p->done) {
        long left = (long) ((double) (p->total - p->done) / scale / rate);
        fprintf(stderr, "  %ld:%02ld left", left / 60, left % 60);
    }
}

static void draw_files(const struct pdiburn_progress *p, double elapsed)
{
    double rate = elapsed > 0.5 ? (double) p->done / elapsed : 0;
    fprintf(stderr, " %llu", (unsigned long long) p->done);
    if (p->total)
        fprintf(stderr, "/%llu", (unsigned long long) p->total);
    fprintf(stderr, " files");
    if (rate > 0)
        fprintf(stderr, "  %.0f files/s", rate);
    draw_left(rate, p, 1);
}

static void draw_amount(const struct pdiburn_progress *p, double elapsed)
{
    if (p->stage == PDIBURN_STAGE_RETRIEVE) {
        draw_retrieve(p, elapsed);
        return;
    }
    if (!in_bytes(p->stage)) {
        draw_files(p, elapsed);
        return;
    }
    double mb = (double) p->done / 1e6;
    double rate = elapsed > 0.2 ? mb / elapsed : 0;
    fprintf(stderr, " %.0f MB", mb);
    if (p->total)
        fprintf(stderr, " of %.0f MB", (double) p->total / 1e6);
    if (rate > 0)
        fprintf(stderr, "  %.1f MB/s", rate);
    draw_left(rate, p, 1e6);
}

void bar_update(struct bar *b, const struct pdiburn_progress *p)
{
    if (!b->on)
        return;
    if (!b->drawn || p->stage != b->stage) {
        if (b->drawn)
            fputc('\n', stderr);
        b->stage = p->stage;
        b->stage_start = now();
    }
    fprintf(stderr, "\r\033[K%s", stage_name(p->stage));
    if (p->total)
        fprintf(stderr, " %3d%%",
                (int) (100.0 * (double) p->done / (double) p->total));
    draw_amount(p, now() - b->stage_start);
    b->drawn = true;
    fflush(stderr);
}

void bar_clear(struct bar *b)
{
    if (b->drawn)
        fputs("\r\033[K", stderr);
    b->drawn = false;
}
