/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A PACS node and how we talk to it: "AET@HOST:PORT", AE titles as PS3.5
 * 6.2 allows them (1-16 characters of the default repertoire, no
 * backslash, not only spaces), the default timeouts, C-ECHO (PS3.7
 * 9.1.5), and the one mapping from the shim's failures to ours.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pacs.h"
#include "shim_status.h"

static bool aet_valid(const char *aet, size_t len)
{
    bool blank = true;
    if (len == 0 || len > 16)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) aet[i];
        if (c < 0x20 || c >= 0x7F || c == '\\')
            return false;
        blank = blank && c == ' ';
    }
    return !blank;
}

static bool parse_port(const char *text, uint16_t *port)
{
    char *end = NULL;
    long n = strtol(text, &end, 10);
    if (end == text || *end || n < 1 || n > 65535)
        return false;
    *port = (uint16_t) n;
    return true;
}

static bool host_valid(const char *host, size_t len)
{
    if (len == 0 || len >= sizeof(((struct pdiburn_pacs_node *) 0)->host))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) host[i] <= ' ' || host[i] == '/')
            return false;
    return true;
}

bool pdiburn_pacs_node_parse(const char *text, struct pdiburn_pacs_node *node,
                             struct pdiburn_error **err)
{
    const char *at = text ? strrchr(text, '@') : NULL;
    const char *colon = at ? strrchr(at, ':') : NULL;
    memset(node, 0, sizeof(*node));
    if (!colon || strlen(text) >= sizeof(node->name) ||
        !aet_valid(text, (size_t) (at - text)) ||
        !host_valid(at + 1, (size_t) (colon - at - 1)) ||
        !parse_port(colon + 1, &node->port))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "PACS '%s': give AET@HOST:PORT (an AE title of 1 to "
                        "16 characters, a host, a port from 1 to 65535)",
                        text ? text : "");
    snprintf(node->name, sizeof(node->name), "%s", text);
    snprintf(node->aet, sizeof(node->aet), "%.*s", (int) (at - text), text);
    snprintf(node->host, sizeof(node->host), "%.*s", (int) (colon - at - 1),
             at + 1);
    return true;
}

static unsigned or_default(unsigned seconds)
{
    return seconds ? seconds : PDB_PACS_TIMEOUT;
}

static bool settings_valid(const struct pdiburn_pacs_settings *s,
                           const char *aet, struct pdiburn_error **err)
{
    if (!aet_valid(aet, strlen(aet)))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "AE title '%s': use 1 to 16 characters, no backslash",
                        aet);
    if (s->retrieve == PDIBURN_RETRIEVE_MOVE && !s->move_port)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "C-MOVE needs the port our storage SCP listens on "
                        "(--move-port), as configured for our AE title on "
                        "the PACS");
    if (s->retrieve != PDIBURN_RETRIEVE_GET &&
        s->retrieve != PDIBURN_RETRIEVE_MOVE)
        return pdb_fail(err, PDIBURN_E_USAGE, "unknown retrieve method");
    return true;
}

bool pdb_pacs_init(struct pdb_pacs *p, const struct pdiburn_pacs_node *node,
                   const struct pdiburn_pacs_settings *s,
                   struct pdiburn_error **err)
{
    static const struct pdiburn_pacs_settings defaults = { 0 };
    if (!s)
        s = &defaults;
    const char *aet = s->aet && *s->aet ? s->aet : PDB_PACS_AET;
    if (!node || !node->aet[0] || !node->host[0] || !node->port)
        return pdb_fail(err, PDIBURN_E_USAGE, "no PACS given");
    if (!settings_valid(s, aet, err))
        return false;
    memset(p, 0, sizeof(*p));
    p->node = *node;
    snprintf(p->aet, sizeof(p->aet), "%s", aet);
    p->settings = *s;
    p->settings.aet = p->aet;
    p->settings.connect_timeout = or_default(s->connect_timeout);
    p->settings.acse_timeout = or_default(s->acse_timeout);
    p->settings.dimse_timeout = or_default(s->dimse_timeout);
    return true;
}

void pdb_pacs_peer(const struct pdb_pacs *p, struct dcmshim_peer *peer)
{
    *peer = (struct dcmshim_peer){
        .host = p->node.host,
        .port = p->node.port,
        .called_aet = p->node.aet,
        .calling_aet = p->aet,
        .connect_timeout = p->settings.connect_timeout,
        .acse_timeout = p->settings.acse_timeout,
        .dimse_timeout = p->settings.dimse_timeout,
    };
}

bool pdb_pacs_fail(const struct pdb_pacs *p, enum dcmshim_status st,
                   const char *msg, struct pdiburn_error **err)
{
    char *text = pdb_format("PACS '%s': %s", p->node.name, msg);
    bool ok = pdb_shim_fail(err, st, NULL, text ? text : msg);
    free(text);
    return ok;
}

bool pdiburn_pacs_echo(const struct pdiburn_pacs_node *node,
                       const struct pdiburn_pacs_settings *s,
                       struct pdiburn_error **err)
{
    struct pdb_pacs p;
    struct dcmshim_peer peer;
    char msg[512];
    if (!pdb_pacs_init(&p, node, s, err))
        return false;
    pdb_pacs_peer(&p, &peer);
    enum dcmshim_status st = dcmshim_echo(&peer, msg, sizeof(msg));
    return st == DCMSHIM_OK || pdb_pacs_fail(&p, st, msg, err);
}
