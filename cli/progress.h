/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* progress.h - the progress bar on stderr (progress.c). */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stdbool.h>

#include "pdiburn/pdiburn.h"

struct bar {
    bool on;           /* drawing at all */
    bool drawn;        /* a bar is on the line now */
    enum pdiburn_stage stage;
    double stage_start; /* seconds, monotonic */
};

void bar_update(struct bar *b, const struct pdiburn_progress *p);
/* Ends the bar's line so a message can be printed. */
void bar_clear(struct bar *b);

#endif
