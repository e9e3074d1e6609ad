/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The site configuration files, read with inih (the one file that knows
 * it): the system's, the user's (XDG Base Directory Specification), then
 * the one named by --config or $PDIBURN_CONFIG, each overriding the one
 * before key by key.  A bad line is an error naming file and line.
 */
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

#define SYSTEM_CONFIG "/etc/pdiburn/pdiburn.conf"

/* inih is built without line numbers in its handler (INI_HANDLER_LINENO
 * 0 in Debian), so the reader counts the lines it hands over.  It also
 * strips leading blanks: inih would take an indented line as the
 * continuation of the key before it, a surprise in a file people indent
 * under [pacs NAME]. */
struct reading {
    FILE *f;
    const char *path;
    unsigned line;
    unsigned too_long; /* first line longer than inih takes, or 0 */
    struct site_config *cfg;
    char *why;         /* the first error, "LINE: text" */
    unsigned why_line;
};

static char *next_line(char *str, int num, void *stream)
{
    struct reading *r = stream;
    char *got = fgets(str, num, r->f);
    if (!got)
        return NULL;
    r->line++;
    size_t n = strlen(got);
    if (n == (size_t) num - 1 && got[n - 1] != '\n' && !feof(r->f)) {
        /* inih would take the rest as a line of its own. */
        int c;
        while ((c = fgetc(r->f)) != EOF && c != '\n')
            ;
        if (!r->too_long)
            r->too_long = r->line;
    }
    size_t blanks = strspn(got, " \t");
    memmove(got, got + blanks, n - blanks + 1);
    return got;
}

static int on_key(void *user, const char *section, const char *name,
                  const char *value)
{
    struct reading *r = user;
    char origin[4200], *why = NULL;
    snprintf(origin, sizeof(origin), "%s:%u", r->path, r->line);
    if (cli_config_set(r->cfg, section, name, value, origin, &why))
        return 1;
    if (!r->why) {
        r->why = why ? why : strdup("out of memory");
        r->why_line = r->line;
    } else {
        free(why);
    }
    return 0;
}

static void say(const char *command, const char *path, unsigned line,
                const char *what)
{
    cli_say(stderr, "pdiburn%s%s: error: %s:%u: %s\n", command ? " " : "",
            command ? command : "", path, line, what);
}

static bool report(const struct reading *r, int first_error,
                   const char *command)
{
    unsigned line = (unsigned) first_error;
    if (r->too_long && (!first_error || r->too_long <= line)) {
        say(command, r->path, r->too_long,
            "line too long (at most 199 characters)");
        return false;
    }
    if (r->why && r->why_line == line)
        say(command, r->path, line, r->why);
    else
        say(command, r->path, line,
            "expected 'key = value', a comment or '[pacs NAME]'");
    return false;
}

static bool read_file(const char *path, bool must_exist,
                      struct site_config *cfg, const char *command)
{
    struct reading r = { .path = path, .cfg = cfg };
    r.f = fopen(path, "r");
    if (!r.f) {
        if (!must_exist && errno == ENOENT)
            return true;
        cli_say(stderr, "pdiburn%s%s: error: reading '%s': %s\n",
                command ? " " : "", command ? command : "", path,
                strerror(errno));
        return false;
    }
    int first_error = ini_parse_stream(next_line, &r, on_key, &r);
    fclose(r.f);
    bool ok = first_error == 0 && !r.too_long;
    if (!ok)
        report(&r, first_error, command);
    free(r.why);
    if (ok && cfg->nfiles < sizeof(cfg->files) / sizeof(cfg->files[0]))
        cfg->files[cfg->nfiles++] = strdup(path);
    return ok;
}

static char *user_config(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char *path = NULL;
    int n = -1;
    if (xdg && *xdg == '/')
        n = asprintf(&path, "%s/pdiburn/pdiburn.conf", xdg);
    else if (home && *home)
        n = asprintf(&path, "%s/.config/pdiburn/pdiburn.conf", home);
    return n < 0 ? NULL : path;
}

bool cli_config_load_all(const char *explicit, const char *command,
                         struct site_config *cfg)
{
    const char *sys = getenv("PDIBURN_SYSTEM_CONFIG");
    if (!explicit)
        explicit = getenv("PDIBURN_CONFIG");
    if (explicit && !*explicit)
        explicit = NULL;
    char *user = user_config();
    bool ok = cli_config_defaults(cfg) &&
              read_file(sys && *sys ? sys : SYSTEM_CONFIG, false, cfg,
                        command) &&
              (!user || read_file(user, false, cfg, command)) &&
              (!explicit || read_file(explicit, true, cfg, command)) &&
              cli_config_environment(cfg);
    free(user);
    return ok;
}
