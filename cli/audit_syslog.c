/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Audit messages for the syslog collector (IHE ATNA ITI-20; DICOM PS3.15
 * A.6 SYSLOG-TLS, A.7 SYSLOG-UDP): each framed as RFC 5424, put in a
 * private spool folder beside the local log, and sent from there oldest
 * first; what could not be sent waits for the next run.  Delivery is at
 * least once: a collector may see a message twice, never zero times.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"

/* RFC 5424 6.2.1: facility 10 (security/authorization), PS3.15 A.6 */
#define FACILITY 10

bool cli_syslog_target(const struct site_config *cfg,
                       struct syslog_target *t, char *spool, size_t len)
{
    const char *log = cli_config_get(cfg, KEY_AUDIT_LOG);
    const char *slash = strrchr(log, '/');
    snprintf(spool, len, "%.*s%sspool", slash ? (int) (slash - log) : 0, log,
             slash ? "/" : "");
    *t = (struct syslog_target){
        cli_config_get(cfg, KEY_SYSLOG_HOST),
        cli_config_get(cfg, KEY_SYSLOG_PORT),
        cli_config_get(cfg, KEY_SYSLOG_TRANSPORT),
        cli_config_get(cfg, KEY_SYSLOG_CA),
        cli_config_get(cfg, KEY_SYSLOG_CERT),
        cli_config_get(cfg, KEY_SYSLOG_KEY),
        spool,
    };
    return t->host != NULL;
}

static bool say(char **why, const char *what, const char *path)
{
    if (asprintf(why, "%s '%s': %s", what, path, strerror(errno)) < 0)
        *why = NULL;
    return false;
}

/* RFC 5424 6.2.3: a full date and time with fractions and the offset. */
static void timestamp(char *out, size_t len)
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    char zone[8];
    strftime(zone, sizeof(zone), "%z", &tm);
    size_t n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, len - n, ".%06ld%.3s:%.2s", (long) tv.tv_usec, zone,
             zone + 3);
}

/* <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD BOM MSG.  Severity
 * 5 (notice) for a success, 4 (warning) for a failure (ITI-20); MSGID as
 * IHE ITI-20 sets it; the BOM marks the XML as UTF-8 (RFC 5424 6.4). */
static char *frame(const char *xml, unsigned outcome)
{
    char when[48], host[256] = "-";
    timestamp(when, sizeof(when));
    if (gethostname(host, sizeof(host)) != 0 || !host[0])
        snprintf(host, sizeof(host), "-");
    host[sizeof(host) - 1] = 0;
    for (char *p = host; *p; p++)
        if (*p <= ' ' || *p > '~')
            *p = '-'; /* PRINTUSASCII only */
    char *msg = NULL;
    int n = asprintf(&msg, "<%d>1 %s %s pdiburn %ld IHE+RFC-3881 - "
                           "\xEF\xBB\xBF%s",
                     FACILITY * 8 + (outcome == 0 ? 5 : 4), when, host,
                     (long) getpid(), xml);
    return n < 0 ? NULL : msg;
}

bool cli_syslog_spool(const struct syslog_target *t, const char *xml,
                      unsigned outcome, char **why)
{
    static unsigned seq;
    if (mkdir(t->spool, 0700) != 0 && errno != EEXIST)
        return say(why, "making the audit spool", t->spool);
    char *msg = frame(xml, outcome);
    char name[4300], tmp[4400];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    /* Names sort in the order the messages were made. */
    snprintf(name, sizeof(name), "%s/%011lld.%06ld-%ld-%u.msg", t->spool,
             (long long) tv.tv_sec, (long) tv.tv_usec, (long) getpid(), seq++);
    snprintf(tmp, sizeof(tmp), "%s.part", name);
    int fd = msg ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)
                 : -1;
    size_t n = msg ? strlen(msg) : 0;
    bool ok = fd >= 0 && write(fd, msg, n) == (ssize_t) n && fsync(fd) == 0;
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp, name) == 0;
    free(msg);
    if (!ok) {
        say(why, "spooling an audit message in", t->spool);
        unlink(tmp);
    }
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static bool is_message(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".msg") == 0;
}

/* The names of the spooled messages, oldest first. */
static char **pending(const char *spool, size_t *count)
{
    *count = 0;
    DIR *d = opendir(spool);
    if (!d)
        return calloc(1, sizeof(char *));
    char **names = NULL;
    size_t cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_message(e->d_name))
            continue;
        if (*count + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof(*names));
            if (!grown)
                break;
            names = grown;
        }
        names[(*count)++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, *count, sizeof(*names), by_name);
    return names ? names : calloc(1, sizeof(char *));
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "r");
    char *data = NULL;
    *len = 0;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        data = n >= 0 ? malloc((size_t) n + 1) : NULL;
        if (data && fread(data, 1, (size_t) n, f) != (size_t) n) {
            free(data);
            data = NULL;
        }
        *len = data ? (size_t) n : 0;
    }
    if (f)
        fclose(f);
    return data;
}

/* One spooled message to the collector; a datagram's removal waits until
 * the collector is known not to have refused it. */
static bool send_one(struct net_conn *c, const char *spool, const char *name,
                     bool udp, char **why)
{
    char path[4400];
    snprintf(path, sizeof(path), "%s/%s", spool, name);
    size_t len = 0;
    char *msg = slurp(path, &len);
    if (!msg) /* sent by another pdiburn in the meantime */
        return true;
    bool ok = cli_net_send(c, msg, len, why);
    free(msg);
    if (ok && !udp)
        unlink(path);
    return ok;
}

static void remove_all(const char *spool, char **names, size_t n)
{
    char path[4400];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", spool, names[i]);
        unlink(path);
    }
}

static bool send_pending(const struct syslog_target *t, char **names,
                         size_t n, size_t *sent, char **why)
{
    bool udp = strcmp(t->transport, "udp") == 0;
    struct net_conn *c = cli_net_open(t->host, t->port, t->transport, t->ca,
                                      t->cert, t->key, why);
    bool ok = c != NULL;
    while (ok && *sent < n)
        if ((ok = send_one(c, t->spool, names[*sent], udp, why)))
            (*sent)++;
    if (ok && udp)
        ok = cli_net_check(c, why);
    if (ok && udp)
        remove_all(t->spool, names, n);
    if (!ok && udp)
        *sent = 0;
    cli_net_close(c);
    return ok;
}

bool cli_syslog_flush(const struct syslog_target *t, size_t *sent,
                      size_t *left, char **why)
{
    *sent = *left = 0;
    char lock[4400];
    snprintf(lock, sizeof(lock), "%s/.lock", t->spool);
    /* One sender at a time (batch -j N), or messages would go twice. */
    int fd = open(lock, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
        if (fd >= 0)
            close(fd);
        return say(why, "locking the audit spool", t->spool);
    }
    size_t n = 0;
    char **names = pending(t->spool, &n);
    bool ok = n == 0 || send_pending(t, names, n, sent, why);
    *left = n - *sent;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    close(fd);
    return ok;
}
