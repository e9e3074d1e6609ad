/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* find.h - pdiburn find: its sources (find_pacs.c) and how matches are
 * shown (find_output.c). */
#ifndef CLI_FIND_H
#define CLI_FIND_H

#include <stddef.h>

#include "cli.h"
#include "pacs_options.h"

/* The studies of a PACS that match `q`, shown; returns the exit status. */
int cli_find_pacs(struct cli_pacs *p, const struct pdiburn_query *q,
                  const struct global_opts *g);

/* The matches as a table on stdout, or with --json one document naming
 * the source ("pacs") and where it is. */
void cli_find_print(const struct pdiburn_match *m, size_t n,
                    const struct global_opts *g, const char *source,
                    const char *where);
/* A failed find: the error on stderr, or as the JSON document. */
int cli_find_fail(struct pdiburn_error *err, const struct global_opts *g,
                  const char *source, const char *where);

#endif
