/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The site configuration file: "key = value" lines, '#' comments, for what
 * stays the same on every media a site makes (institution, contact, spool
 * folder).  Options on the command line win over it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                       end[-1] == '\r'))
        *--end = 0;
    return s;
}

static bool set_key(struct site_config *cfg, const char *key,
                    const char *value)
{
    char **slot = strcmp(key, "institution") == 0 ? &cfg->institution
                  : strcmp(key, "contact") == 0   ? &cfg->contact
                  : strcmp(key, "spool") == 0     ? &cfg->spool
                                                  : NULL;
    if (!slot)
        return false;
    free(*slot);
    *slot = strdup(value);
    return *slot != NULL;
}

static bool parse_line(struct site_config *cfg, char *line, const char *path,
                       unsigned n, const char *command)
{
    char *text = trim(line);
    if (!*text || *text == '#')
        return true;
    char *eq = strchr(text, '=');
    if (eq) {
        *eq = 0;
        if (set_key(cfg, trim(text), trim(eq + 1)))
            return true;
    }
    fprintf(stderr, "pdiburn %s: error: %s:%u: expected 'institution = ...', "
                    "'contact = ...' or 'spool = ...'\n",
            command, path, n);
    return false;
}

bool cli_config_load(const char *path, bool must_exist,
                     struct site_config *cfg, const char *command)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!must_exist && errno == ENOENT)
            return true;
        fprintf(stderr, "pdiburn %s: error: reading '%s': %s\n", command,
                path, strerror(errno));
        return false;
    }
    char line[4096];
    unsigned n = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof(line), f))
        ok = parse_line(cfg, line, path, ++n, command);
    fclose(f);
    return ok;
}

void cli_config_free(struct site_config *cfg)
{
    free(cfg->institution);
    free(cfg->contact);
    free(cfg->spool);
    memset(cfg, 0, sizeof(*cfg));
}
