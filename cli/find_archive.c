/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn find --archive: the studies the catalog of the local archive
 * holds that match (pdiburn_catalog_find), shown by find_output.c.  Only
 * the catalog is read, never a file of the archive. */
#include <stdio.h>
#include <stdlib.h>

#include "find.h"

/* --verbose shows how long the query took. */
static void on_log(enum pdiburn_log_level level, const char *msg, void *user)
{
    static const char *const words[] = { "error", "warning", "info", "debug" };
    const struct global_opts *g = user;
    if (g->verbose || (level == PDIBURN_LOG_WARNING && !g->quiet))
        cli_say(stderr, "pdiburn find: %s: %s\n", words[level], msg);
}

int cli_find_archive(const char *archive, const char *catalog,
                     const struct pdiburn_query *q,
                     const struct global_opts *g)
{
    struct pdiburn_error *err = NULL;
    struct pdiburn_match *matches = NULL;
    size_t n = 0;
    archive = archive && *archive ? archive : NULL;
    catalog = catalog && *catalog ? catalog : NULL;
    struct pdiburn_catalog *cat =
        pdiburn_catalog_open(archive, catalog, false, &err);
    if (cat) {
        pdiburn_catalog_set_log(cat, on_log, (void *) g);
        pdiburn_catalog_find(cat, q, &matches, &n, &err);
    }
    const char *where = cat ? pdiburn_catalog_path(cat)
                            : catalog ? catalog : archive;
    int status = err ? cli_find_fail(err, g, "archive", where)
                     : (cli_find_print(matches, n, g, "archive", where),
                        EXIT_OK);
    pdiburn_catalog_close(cat);
    free(matches);
    return status;
}
