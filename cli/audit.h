/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* audit.h - where the tool keeps and sends the library's Export audit
 * messages (DICOM PS3.15 A.5.3.4): the local log (audit_log.c), the
 * syslog collector with its spool (audit_syslog.c) over UDP, TCP or TLS
 * (net.c, tls.c), tied together for one export (audit_trail.c). */
#ifndef CLI_AUDIT_H
#define CLI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "pdiburn/pdiburn.h"

struct session;

/* ---- audit_trail.c: one export's audit ------------------------------- */

struct audit_trail;
/* Opens the local log before anything is exported: an export that could
 * not be accounted for is not done.  NULL after saying why. */
struct audit_trail *cli_audit_open(const struct site_config *cfg,
                                   const char *command);
/* The job's messages into the log (fsync'd), then to the collector when
 * one is configured.  False when the log could not take them (the export
 * then ends with exit status 5); the collector only warns. */
bool cli_audit_record(struct audit_trail *t, const struct pdiburn_job *job,
                      struct session *s);
void cli_audit_close(struct audit_trail *t);

/* ---- audit_log.c: the local log, one message per line ------------------ */

/* Opens (creating folder 0700 and file 0600) for appending; -1 after
 * setting *why (malloc'd). */
int cli_audit_log_open(const char *path, char **why);
/* One line, written with one write() on an O_APPEND descriptor so that
 * processes sharing the log never interleave, then fsync'd. */
bool cli_audit_log_append(int fd, const char *xml, char **why);
/* Calls fn for each line of the log; false when it cannot be read. */
typedef void (*cli_audit_line_fn)(const char *line, size_t len, void *user);
bool cli_audit_log_each(const char *path, cli_audit_line_fn fn, void *user,
                        char **why);

/* ---- audit_syslog.c: RFC 5424 messages, spooled until sent ------------- */

struct syslog_target {
    const char *host, *port;
    const char *transport; /* udp, tcp, tls */
    const char *ca, *cert, *key;
    const char *spool;     /* folder of messages not sent yet */
};
/* The collector of the configuration, or false when none is set. */
bool cli_syslog_target(const struct site_config *cfg,
                       struct syslog_target *t, char *spool, size_t len);
/* The message framed as RFC 5424 (PRI facility 10, severity 5 or 4 by
 * outcome; MSGID IHE+RFC-3881) into the spool. */
bool cli_syslog_spool(const struct syslog_target *t, const char *xml,
                      unsigned outcome, char **why);
/* Sends what the spool holds, oldest first, removing what was sent;
 * *sent and *left count messages.  False with *why when the collector
 * could not be reached (the rest waits for the next run). */
bool cli_syslog_flush(const struct syslog_target *t, size_t *sent,
                      size_t *left, char **why);

/* ---- net.c: a connection to the collector ----------------------------- */

struct net_conn;
struct net_conn *cli_net_open(const char *host, const char *port,
                              const char *transport, const char *ca,
                              const char *cert, const char *key, char **why);
/* One syslog message: a datagram (RFC 5426), or octet-counted on a stream
 * (RFC 6587 3.4.1, RFC 5425 4.3). */
bool cli_net_send(struct net_conn *c, const char *msg, size_t len,
                  char **why);
/* UDP: whether the collector refused what was sent (ICMP port
 * unreachable), which a datagram only learns afterwards. */
bool cli_net_check(struct net_conn *c, char **why);
void cli_net_close(struct net_conn *c);

/* ---- tls.c: GnuTLS, and the only file that knows it ---------------------- */

struct tls_conn;
/* A TLS 1.2+ client on connected socket fd, checking the collector's
 * certificate against `ca` (the system's trust store when NULL) and its
 * name against `host`; our certificate when cert and key are given. */
struct tls_conn *cli_tls_open(int fd, const char *host, const char *ca,
                              const char *cert, const char *key, char **why);
bool cli_tls_send(struct tls_conn *t, const void *data, size_t len,
                  char **why);
void cli_tls_close(struct tls_conn *t);

#endif
