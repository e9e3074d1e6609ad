/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options naming a PACS and how we talk to it (--pacs, --aet, the
 * timeouts, --retrieve, --move-port), parsed once for echo, find and the
 * media commands.  A node is AET@HOST:PORT; a named node of the site
 * configuration resolves here too, once the configuration has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pacs_options.h"

static bool number(const char *arg, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long n = strtoul(arg, &end, 10);
    if (end == arg || *end || *arg == '-' || n < 1 || n > max)
        return false;
    *out = n;
    return true;
}

static bool seconds(const char *arg, unsigned *out, const char *name,
                    const char *command)
{
    unsigned long n = 0;
    if (!number(arg, 86400, &n)) {
        cli_usage_error(command, "%s '%s': give seconds, 1 to 86400", name,
                        arg);
        return false;
    }
    *out = (unsigned) n;
    return true;
}

static bool retrieve_method(const char *arg, enum pdiburn_retrieve *out,
                            const char *command)
{
    if (strcmp(arg, "get") == 0 || strcmp(arg, "move") == 0) {
        *out = arg[0] == 'g' ? PDIBURN_RETRIEVE_GET : PDIBURN_RETRIEVE_MOVE;
        return true;
    }
    cli_usage_error(command, "--retrieve '%s': use get or move", arg);
    return false;
}

bool cli_pacs_is_option(int id)
{
    return id >= OPT_PACS && id <= OPT_DIMSE_TIMEOUT;
}

bool cli_pacs_option(struct cli_pacs *p, int id, const char *arg,
                     const char *command)
{
    struct pdiburn_pacs_settings *s = &p->settings;
    unsigned long port = 0;
    switch (id) {
    case OPT_PACS: p->node = arg; return true;
    case OPT_AET: s->aet = arg; return true;
    case OPT_RETRIEVE: return retrieve_method(arg, &s->retrieve, command);
    case OPT_MOVE_PORT:
        if (!number(arg, 65535, &port)) {
            cli_usage_error(command, "--move-port '%s': give 1 to 65535",
                            arg);
            return false;
        }
        s->move_port = (uint16_t) port;
        return true;
    case OPT_CONNECT_TIMEOUT:
        return seconds(arg, &s->connect_timeout, "--connect-timeout",
                       command);
    case OPT_ACSE_TIMEOUT:
        return seconds(arg, &s->acse_timeout, "--acse-timeout", command);
    case OPT_DIMSE_TIMEOUT:
        return seconds(arg, &s->dimse_timeout, "--dimse-timeout", command);
    default: return true;
    }
}

bool cli_pacs_node(const struct cli_pacs *p, struct pdiburn_pacs_node *node,
                   const char *command)
{
    struct pdiburn_error *err = NULL;
    if (!strchr(p->node, '@')) {
        cli_usage_error(command,
                        "PACS '%s': give AET@HOST:PORT (no node of that "
                        "name is configured)",
                        p->node);
        return false;
    }
    if (pdiburn_pacs_node_parse(p->node, node, &err))
        return true;
    cli_usage_error(command, "%s", pdiburn_error_message(err));
    pdiburn_error_free(err);
    return false;
}

bool cli_pacs_check(const struct cli_pacs *p, const char *command)
{
    const struct pdiburn_pacs_settings *s = &p->settings;
    bool given = s->aet || s->retrieve || s->move_port ||
                 s->connect_timeout || s->acse_timeout || s->dimse_timeout;
    if (!p->node && given) {
        cli_usage_error(command, "--aet, --retrieve, --move-port and the "
                                 "timeouts go with --pacs");
        return false;
    }
    if (p->node && s->retrieve == PDIBURN_RETRIEVE_GET && s->move_port) {
        cli_usage_error(command, "--move-port goes with --retrieve move");
        return false;
    }
    return true;
}
