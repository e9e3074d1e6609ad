/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* find.h - pdiburn find: its sources (find_archive.c, find_pacs.c) and
 * how matches are shown (find_output.c). */
#ifndef CLI_FIND_H
#define CLI_FIND_H

#include <stddef.h>

#include "cli.h"
#include "pacs_options.h"

/* The studies of the archive's catalog that match `q`, shown; returns the
 * exit status.  archive or catalog may be NULL or "", not both. */
int cli_find_archive(const char *archive, const char *catalog,
                     const struct pdiburn_query *q,
                     const struct global_opts *g);

/* The studies of a PACS that match `q`, shown; returns the exit status. */
int cli_find_pacs(struct cli_pacs *p, const struct pdiburn_query *q,
                  const struct global_opts *g);

/* The matches (sorted here: a source may give them in any order) as a
 * table on stdout, grouped by patient, or with --json one document naming
 * the source ("archive", "pacs") and where it is.  Conflicts are marked:
 * one Patient ID for people whose issuer, birth date or sex differ, or
 * whose names differ, and one study under two patients. */
void cli_find_print(struct pdiburn_match *m, size_t n,
                    const struct global_opts *g, const char *source,
                    const char *where);
/* A failed find: the error on stderr, or as the JSON document. */
int cli_find_fail(struct pdiburn_error *err, const struct global_opts *g,
                  const char *source, const char *where);

#endif
