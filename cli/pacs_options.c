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
    case OPT_RETRIEVE:
        p->retrieve_given = true;
        return retrieve_method(arg, &s->retrieve, command);
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

static bool parse_node(const char *text, struct pdiburn_pacs_node *node,
                       const char *command)
{
    struct pdiburn_error *err = NULL;
    if (pdiburn_pacs_node_parse(text, node, &err))
        return true;
    cli_usage_error(command, "%s", pdiburn_error_message(err));
    pdiburn_error_free(err);
    return false;
}

/* Options given on the command line win over the node's settings. */
static void take_settings(struct cli_pacs *p, const struct site_pacs_node *n)
{
    struct pdiburn_pacs_settings *s = &p->settings;
    if (!s->aet)
        s->aet = n->calling_aet;
    if (!p->retrieve_given && n->move)
        s->retrieve = PDIBURN_RETRIEVE_MOVE;
    if (!s->move_port && s->retrieve == PDIBURN_RETRIEVE_MOVE)
        s->move_port = (uint16_t) n->move_port;
}

static bool configured_node(struct cli_pacs *p, const struct site_config *cfg,
                            struct pdiburn_pacs_node *node, const char *command)
{
    struct site_pacs_node n;
    if (!cfg || !cli_config_pacs_node(cfg, p->node, &n)) {
        cli_usage_error(command,
                        "PACS '%s': no [pacs %s] in the site configuration "
                        "('pdiburn config' lists it); or give AET@HOST:PORT",
                        p->node, p->node);
        return false;
    }
    if (n.tls) {
        cli_usage_error(command,
                        "PACS '%s': the configuration asks for TLS, which "
                        "pdiburn does not speak to a PACS yet",
                        p->node);
        return false;
    }
    char text[300];
    snprintf(text, sizeof(text), "%s@%s:%u", n.aet, n.host, n.port);
    if (!parse_node(text, node, command))
        return false;
    snprintf(node->name, sizeof(node->name), "%s", n.name);
    take_settings(p, &n);
    return true;
}

bool cli_pacs_node(struct cli_pacs *p, const struct site_config *cfg,
                   struct pdiburn_pacs_node *node, const char *command)
{
    if (!strchr(p->node, '@'))
        return configured_node(p, cfg, node, command);
    return parse_node(p->node, node, command);
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
