/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The settings of the site configuration: which keys there are, what
 * values each takes, the effective value of each and where it came from.
 * Later layers (files, environment) override earlier ones key by key;
 * options on the command line win over all of them where they are used.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"

typedef const char *(*checker)(const char *value);

static const char *any(const char *value)
{
    return *value ? NULL : "give a value";
}

static const char *one_of(const char *value, const char *const *words,
                          const char *say)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(value, words[i]) == 0)
            return NULL;
    return say;
}

static const char *port(const char *value)
{
    char *end = NULL;
    long n = strtol(value, &end, 10);
    return end != value && !*end && n >= 1 && n <= 65535
               ? NULL
               : "give a port number from 1 to 65535";
}

static const char *viewer(const char *value)
{
    static const char *const w[] = { "auto", "full", "lite", "none", NULL };
    return one_of(value, w, "use auto, full, lite or none");
}

static const char *profile(const char *value)
{
    static const char *const w[] = { "STD-GEN-CD", "STD-GEN-DVD-JPEG",
                                     "STD-GEN-USB-JPEG", NULL };
    return one_of(value, w,
                  "use STD-GEN-CD, STD-GEN-DVD-JPEG or STD-GEN-USB-JPEG");
}

static const char *media(const char *value)
{
    static const char *const w[] = { "cd", "dvd", "dvd-dl", "bd", NULL };
    if (strncmp(value, "usb-", 4) == 0 && value[4])
        return NULL;
    return one_of(value, w, "use cd, dvd, dvd-dl, bd or usb-SIZE");
}

static const char *transport(const char *value)
{
    static const char *const w[] = { "udp", "tcp", "tls", NULL };
    return one_of(value, w, "use udp, tcp or tls");
}

static const char *retrieve(const char *value)
{
    static const char *const w[] = { "get", "move", NULL };
    return one_of(value, w, "use get or move");
}

static const char *yes_no(const char *value)
{
    static const char *const w[] = { "yes", "no", "true", "false", "on",
                                     "off", "1", "0", NULL };
    return one_of(value, w, "use yes or no");
}

/* PS3.5 6.2: at most 16 characters, no backslash, no control characters;
 * leading and trailing spaces are not significant, so none at all. */
static const char *ae_title(const char *value)
{
    size_t n = strlen(value);
    bool bad = n == 0 || n > 16 || value[0] == ' ' || value[n - 1] == ' ';
    for (const char *p = value; *p && !bad; p++)
        bad = *p == '\\' || (unsigned char) *p < 0x20 || *p == 0x7F;
    return bad ? "an AE title is 1 to 16 characters, no backslash" : NULL;
}

static const struct {
    const char *name;
    checker check;
} site_keys[SITE_NKEYS] = {
    [KEY_INSTITUTION] = { "institution", any },
    [KEY_ADDRESS] = { "address", any },
    [KEY_CONTACT] = { "contact", any },
    [KEY_ARCHIVE] = { "archive", any },
    [KEY_CATALOG] = { "catalog", any },
    [KEY_MEDIA] = { "media", media },
    [KEY_PROFILE] = { "profile", profile },
    [KEY_VIEWER] = { "viewer", viewer },
    [KEY_SPOOL] = { "spool", any },
    [KEY_AUDIT_LOG] = { "audit_log", any },
    [KEY_SYSLOG_HOST] = { "audit_syslog_host", any },
    [KEY_SYSLOG_PORT] = { "audit_syslog_port", port },
    [KEY_SYSLOG_TRANSPORT] = { "audit_syslog_transport", transport },
    [KEY_SYSLOG_CA] = { "audit_syslog_ca", any },
    [KEY_SYSLOG_CERT] = { "audit_syslog_cert", any },
    [KEY_SYSLOG_KEY] = { "audit_syslog_key", any },
};

static const struct {
    const char *name;
    checker check;
} pacs_keys[PACS_NKEYS] = {
    [PACS_AET] = { "aet", ae_title },
    [PACS_HOST] = { "host", any },
    [PACS_PORT] = { "port", port },
    [PACS_CALLING_AET] = { "calling_aet", ae_title },
    [PACS_RETRIEVE] = { "retrieve", retrieve },
    [PACS_MOVE_PORT] = { "move_port", port },
    [PACS_TLS] = { "tls", yes_no },
    [PACS_TLS_CA] = { "tls_ca", any },
};

const char *cli_config_key_name(enum site_key key)
{
    return site_keys[key].name;
}

const char *cli_config_pacs_key_name(enum pacs_key key)
{
    return pacs_keys[key].name;
}

const char *cli_config_get(const struct site_config *cfg, enum site_key key)
{
    return cfg->keys[key].value;
}

static bool put(struct setting *s, const char *value, const char *origin)
{
    char *v = strdup(value), *o = strdup(origin);
    if (!v || !o) {
        free(v);
        free(o);
        return false;
    }
    free(s->value);
    free(s->origin);
    s->value = v;
    s->origin = o;
    return true;
}

static int find_key(const char *key, bool pacs)
{
    int n = pacs ? PACS_NKEYS : SITE_NKEYS;
    for (int i = 0; i < n; i++)
        if (strcmp(key, pacs ? pacs_keys[i].name : site_keys[i].name) == 0)
            return i;
    return -1;
}

static bool name_ok(const char *name)
{
    if (!*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_.-",
                    *p))
            return false;
    return true;
}

static struct site_pacs *pacs_section(struct site_config *cfg,
                                      const char *name)
{
    for (size_t i = 0; i < cfg->npacs; i++)
        if (strcmp(cfg->pacs[i].name, name) == 0)
            return &cfg->pacs[i];
    struct site_pacs *grown =
        realloc(cfg->pacs, (cfg->npacs + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    cfg->pacs = grown;
    struct site_pacs *p = &grown[cfg->npacs];
    *p = (struct site_pacs){ .name = strdup(name) };
    if (!p->name)
        return NULL;
    cfg->npacs++;
    return p;
}

/* "pacs NAME" -> the section, or NULL with *why set. */
static struct site_pacs *section_of(struct site_config *cfg,
                                    const char *section, char **why)
{
    if (strncmp(section, "pacs ", 5) != 0 && strcmp(section, "pacs") != 0) {
        *why = strdup("unknown section: the only sections are [pacs NAME]");
        return NULL;
    }
    const char *name = section + 4;
    while (*name == ' ')
        name++;
    if (!name_ok(name)) {
        *why = strdup("a PACS section is [pacs NAME], NAME of letters, "
                      "digits, '_', '.' and '-'");
        return NULL;
    }
    struct site_pacs *p = pacs_section(cfg, name);
    if (!p)
        *why = strdup("out of memory");
    return p;
}

static bool refuse(char **why, const char *key, const char *value,
                   const char *what)
{
    int n = value ? asprintf(why, "%s '%s': %s", key, value, what)
                  : asprintf(why, "%s: %s", key, what);
    if (n < 0)
        *why = NULL;
    return false;
}

bool cli_config_set(struct site_config *cfg, const char *section,
                    const char *key, const char *value, const char *origin,
                    char **why)
{
    struct site_pacs *p = NULL;
    if (section && *section && !(p = section_of(cfg, section, why)))
        return false;
    int k = find_key(key, p != NULL);
    if (k < 0)
        return refuse(why, key, NULL,
                      p ? "unknown key: a [pacs NAME] section takes aet, "
                          "host, port, calling_aet, retrieve, move_port, "
                          "tls and tls_ca"
                        : "unknown key (see pdiburn(1), CONFIGURATION FILE)");
    const char *bad =
        p ? pacs_keys[k].check(value) : site_keys[k].check(value);
    if (bad)
        return refuse(why, key, value, bad);
    struct setting *s = p ? &p->keys[k] : &cfg->keys[k];
    return put(s, value, origin) || refuse(why, key, NULL, "out of memory");
}

static bool is_yes(const char *value)
{
    return value && (strcmp(value, "yes") == 0 ||
                     strcmp(value, "true") == 0 ||
                     strcmp(value, "on") == 0 || strcmp(value, "1") == 0);
}

bool cli_config_pacs_node(const struct site_config *cfg, const char *name,
                          struct site_pacs_node *out)
{
    for (size_t i = 0; i < cfg->npacs; i++) {
        const struct site_pacs *p = &cfg->pacs[i];
        if (strcmp(p->name, name) != 0)
            continue;
        const struct setting *k = p->keys;
        if (!k[PACS_AET].value || !k[PACS_HOST].value || !k[PACS_PORT].value)
            return false;
        *out = (struct site_pacs_node){
            p->name,
            k[PACS_AET].value,
            k[PACS_HOST].value,
            k[PACS_CALLING_AET].value,
            (unsigned) atoi(k[PACS_PORT].value),
            k[PACS_RETRIEVE].value &&
                strcmp(k[PACS_RETRIEVE].value, "move") == 0,
            k[PACS_MOVE_PORT].value ? (unsigned) atoi(k[PACS_MOVE_PORT].value)
                                    : 0,
            is_yes(k[PACS_TLS].value),
            k[PACS_TLS_CA].value,
        };
        return true;
    }
    return false;
}

/* root keeps the system's log; everyone else their own, in the XDG state
 * folder (the XDG Base Directory Specification). */
static char *default_audit_log(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    char *path = NULL;
    if (geteuid() == 0)
        return strdup("/var/log/pdiburn/audit.log");
    if (state && *state == '/')
        return asprintf(&path, "%s/pdiburn/audit.log", state) < 0 ? NULL
                                                                   : path;
    if (!home || !*home) {
        struct passwd *pw = getpwuid(geteuid());
        home = pw ? pw->pw_dir : "/";
    }
    return asprintf(&path, "%s/.local/state/pdiburn/audit.log", home) < 0
               ? NULL
               : path;
}

bool cli_config_defaults(struct site_config *cfg)
{
    const char *tmp = getenv("TMPDIR");
    char *log = default_audit_log();
    bool ok = log && put(&cfg->keys[KEY_AUDIT_LOG], log, "default") &&
              put(&cfg->keys[KEY_VIEWER], "auto", "default") &&
              put(&cfg->keys[KEY_SYSLOG_TRANSPORT], "tls", "default");
    free(log);
    if (tmp && *tmp)
        return ok && put(&cfg->keys[KEY_SPOOL], tmp, "environment (TMPDIR)");
    return ok && put(&cfg->keys[KEY_SPOOL], "/var/tmp", "default");
}

/* The collector's port follows its transport unless set: 514 for UDP
 * (RFC 5426), 601 for TCP (syslog-conn, RFC 3195's port, which RFC 6587
 * receivers commonly use), 6514 for TLS (RFC 5425). */
static bool syslog_port(struct site_config *cfg)
{
    if (cfg->keys[KEY_SYSLOG_PORT].value)
        return true;
    const char *t = cfg->keys[KEY_SYSLOG_TRANSPORT].value;
    const char *n = strcmp(t, "udp") == 0 ? "514"
                    : strcmp(t, "tcp") == 0 ? "601"
                                            : "6514";
    return put(&cfg->keys[KEY_SYSLOG_PORT], n, "default (by transport)");
}

/* A variable of the environment, when set, wins over the files. */
static bool from_environment(struct site_config *cfg, enum site_key key,
                             const char *name)
{
    char origin[64];
    const char *value = getenv(name);
    snprintf(origin, sizeof(origin), "environment (%s)", name);
    return !value || !*value || put(&cfg->keys[key], value, origin);
}

bool cli_config_environment(struct site_config *cfg)
{
    return from_environment(cfg, KEY_AUDIT_LOG, "PDIBURN_AUDIT_LOG") &&
           from_environment(cfg, KEY_ARCHIVE, "PDIBURN_ARCHIVE") &&
           from_environment(cfg, KEY_CATALOG, "PDIBURN_CATALOG") &&
           syslog_port(cfg);
}

static void setting_free(struct setting *s)
{
    free(s->value);
    free(s->origin);
}

void cli_config_free(struct site_config *cfg)
{
    for (int i = 0; i < SITE_NKEYS; i++)
        setting_free(&cfg->keys[i]);
    for (size_t i = 0; i < cfg->npacs; i++) {
        for (int k = 0; k < PACS_NKEYS; k++)
            setting_free(&cfg->pacs[i].keys[k]);
        free(cfg->pacs[i].name);
    }
    free(cfg->pacs);
    for (size_t i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
    memset(cfg, 0, sizeof(*cfg));
}
