/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pacs_options.h - the options that say which PACS and how to talk to it,
 * shared by echo, find and the media commands (pacs_options.c). */
#ifndef PACS_OPTIONS_H
#define PACS_OPTIONS_H

#include <stdbool.h>

#include "pdiburn/pdiburn.h"

/* Option ids: above those of export_options.h. */
enum {
    OPT_PACS = 512, OPT_AET, OPT_RETRIEVE, OPT_MOVE_PORT, OPT_CONNECT_TIMEOUT,
    OPT_ACSE_TIMEOUT, OPT_DIMSE_TIMEOUT,
};

struct cli_pacs {
    const char *node; /* as given: AET@HOST:PORT (or a configured name) */
    struct pdiburn_pacs_settings settings;
    bool retrieve_given; /* --retrieve, which wins over a node's setting */
};

struct site_config;

/* Takes option `id` with its argument; false (after saying why) when the
 * value is no good.  Ids that are not PACS options are left alone. */
bool cli_pacs_option(struct cli_pacs *p, int id, const char *arg,
                     const char *command);
bool cli_pacs_is_option(int id);
/* The node given into *node: AET@HOST:PORT, or the name of a [pacs NAME]
 * section of the site configuration `cfg`, whose calling AE title,
 * retrieve method and move port fill in what no option set.  False after
 * saying why. */
bool cli_pacs_node(struct cli_pacs *p, const struct site_config *cfg,
                   struct pdiburn_pacs_node *node, const char *command);
/* Options of the retrieve given without --pacs: a usage error. */
bool cli_pacs_check(const struct cli_pacs *p, const char *command);

#endif
