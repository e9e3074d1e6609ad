/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.h - the site configuration: its settings and where each came
 * from (config.c), read from the INI files in their order (config_file.c),
 * shown by `pdiburn config` (cmd_config.c). */
#ifndef CLI_CONFIG_H
#define CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The keys at the top of the file, before any [section]. */
enum site_key {
    KEY_INSTITUTION,
    KEY_ADDRESS,
    KEY_CONTACT,
    KEY_ARCHIVE,      /* default --archive (catalog branch) */
    KEY_CATALOG,      /* default --catalog */
    KEY_MEDIA,        /* default --media */
    KEY_PROFILE,      /* default --profile */
    KEY_VIEWER,       /* default --viewer */
    KEY_SPOOL,        /* default --spool */
    KEY_AUDIT_LOG,    /* the local audit log */
    KEY_SYSLOG_HOST,  /* audit_syslog_host: the collector, none when unset */
    KEY_SYSLOG_PORT,
    KEY_SYSLOG_TRANSPORT, /* udp, tcp or tls */
    KEY_SYSLOG_CA,    /* CA file that signed the collector's certificate */
    KEY_SYSLOG_CERT,  /* our client certificate (ATNA mutual TLS) */
    KEY_SYSLOG_KEY,   /* its private key */
    SITE_NKEYS
};

/* The keys of a [pacs NAME] section. */
enum pacs_key {
    PACS_AET,         /* the PACS's AE title: the called AE title */
    PACS_HOST,
    PACS_PORT,
    PACS_CALLING_AET, /* ours */
    PACS_RETRIEVE,    /* get or move */
    PACS_MOVE_PORT,   /* where our storage SCP listens for a C-MOVE */
    PACS_TLS,         /* yes or no: DICOM TLS (PS3.15 B.1) */
    PACS_TLS_CA,      /* CA file for the PACS's certificate */
    PACS_NKEYS
};

struct setting {
    char *value;  /* NULL: not set */
    char *origin; /* "FILE:LINE", "default", "environment (NAME)" */
};

struct site_pacs {
    char *name;
    struct setting keys[PACS_NKEYS];
};

struct site_config {
    struct setting keys[SITE_NKEYS];
    struct site_pacs *pacs; /* in the order first seen */
    size_t npacs;
    char *files[3];         /* the files read, in order */
    size_t nfiles;
};

/* A named PACS node, typed, for --pacs NAME, `pdiburn echo NAME` and
 * `find --pacs NAME`: values were checked when the file was read. */
struct site_pacs_node {
    const char *name, *aet, *host, *calling_aet; /* calling_aet may be NULL */
    unsigned port;
    bool move;           /* retrieve = move */
    unsigned move_port;  /* 0 when not set */
    bool tls;
    const char *tls_ca;  /* may be NULL */
};

/* ---- config.c ---------------------------------------------------------- */

const char *cli_config_key_name(enum site_key key);
const char *cli_config_pacs_key_name(enum pacs_key key);
/* The effective value, NULL when not set. */
const char *cli_config_get(const struct site_config *cfg, enum site_key key);
/* The node called `name`, false when there is none or it lacks aet, host
 * or port. */
bool cli_config_pacs_node(const struct site_config *cfg, const char *name,
                          struct site_pacs_node *out);
/* Sets `key` (by its name in the file; `section` NULL or "pacs NAME")
 * from `origin`; false with *why malloc'd when the key or value is no
 * good. */
bool cli_config_set(struct site_config *cfg, const char *section,
                    const char *key, const char *value, const char *origin,
                    char **why);
/* The defaults and the environment, before and after the files. */
bool cli_config_defaults(struct site_config *cfg);
bool cli_config_environment(struct site_config *cfg);
void cli_config_free(struct site_config *cfg);

/* ---- config_file.c ------------------------------------------------------ */

/* Everything in order: defaults, /etc/pdiburn/pdiburn.conf (or
 * $PDIBURN_SYSTEM_CONFIG), $XDG_CONFIG_HOME/pdiburn/pdiburn.conf (or
 * ~/.config/...), `explicit` (--config) or $PDIBURN_CONFIG, the
 * environment.  False after saying why on stderr ("FILE:LINE: ..."). */
bool cli_config_load_all(const char *explicit, const char *command,
                         struct site_config *cfg);

#endif
