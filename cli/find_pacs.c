/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn find --pacs: the studies a PACS finds with a Study Root C-FIND
 * (PS3.4 C.6.2), shown by find_output.c. */
#include <stdlib.h>

#include "find.h"

int cli_find_pacs(struct cli_pacs *p, const struct pdiburn_query *q,
                  const struct global_opts *g)
{
    struct pdiburn_pacs_node node;
    struct pdiburn_match *matches = NULL;
    size_t n = 0;
    struct pdiburn_error *err = NULL;
    /* The configuration outlives the query: a named node's settings
     * point into it. */
    struct site_config cfg = { 0 };
    int status = EXIT_USAGE;
    if (cli_config_load_all(g->config, "find", &cfg) &&
        cli_pacs_node(p, &cfg, &node, "find")) {
        if (pdiburn_pacs_find(&node, &p->settings, q, &matches, &n, &err)) {
            cli_find_print(matches, n, g, "pacs", node.name);
            status = EXIT_OK;
        } else {
            status = cli_find_fail(err, g, "pacs", node.name);
        }
    }
    free(matches);
    cli_config_free(&cfg);
    return status;
}
