/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A connection to the syslog collector: a connected UDP socket (RFC
 * 5426, one message per datagram), or TCP (RFC 6587 octet counting),
 * plain or inside TLS (RFC 5425).  Connecting and sending give up after
 * a few seconds, so a collector that is down never holds up an export.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "audit.h"

#define CONNECT_MS 5000
#define UDP_ERROR_MS 200

struct net_conn {
    int fd;
    bool udp;
    struct tls_conn *tls;
};

static bool say(char **why, const char *what, int code)
{
    if (asprintf(why, "%s: %s", what, strerror(code)) < 0)
        *why = NULL;
    return false;
}

/* A non-blocking connect with a deadline, then blocking again with a
 * send timeout. */
static bool connect_within(int fd, const struct addrinfo *ai)
{
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
        struct pollfd p = { fd, POLLOUT, 0 };
        int soerr = 0;
        socklen_t len = sizeof(soerr);
        rc = poll(&p, 1, CONNECT_MS) == 1 &&
                     getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
                     soerr == 0
                 ? 0
                 : -1;
        if (soerr)
            errno = soerr;
        else if (rc)
            errno = ETIMEDOUT;
    }
    fcntl(fd, F_SETFL, flags);
    struct timeval tv = { CONNECT_MS / 1000, 0 };
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return rc == 0;
}

static int dial(const char *host, const char *port, bool udp, char **why)
{
    struct addrinfo hints = { .ai_socktype = udp ? SOCK_DGRAM : SOCK_STREAM };
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        if (asprintf(why, "%s: %s", host, gai_strerror(rc)) < 0)
            *why = NULL;
        return -1;
    }
    int fd = -1, last = ECONNREFUSED;
    for (struct addrinfo *ai = list; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd >= 0 && !connect_within(fd, ai)) {
            last = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(list);
    if (fd < 0)
        say(why, "connecting", last);
    return fd;
}

struct net_conn *cli_net_open(const char *host, const char *port,
                              const char *transport, const char *ca,
                              const char *cert, const char *key, char **why)
{
    struct net_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        *why = NULL;
        return NULL;
    }
    c->udp = strcmp(transport, "udp") == 0;
    c->fd = dial(host, port, c->udp, why);
    if (c->fd >= 0 && strcmp(transport, "tls") == 0)
        c->tls = cli_tls_open(c->fd, host, ca, cert, key, why);
    if (c->fd < 0 || (strcmp(transport, "tls") == 0 && !c->tls)) {
        cli_net_close(c);
        return NULL;
    }
    return c;
}

static bool send_all(struct net_conn *c, const char *p, size_t len,
                     char **why)
{
    if (c->tls)
        return cli_tls_send(c->tls, p, len, why);
    while (len > 0) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return say(why, "sending", errno);
        p += n;
        len -= (size_t) n;
    }
    return true;
}

bool cli_net_send(struct net_conn *c, const char *msg, size_t len,
                  char **why)
{
    if (c->udp)
        return send(c->fd, msg, len, MSG_NOSIGNAL) == (ssize_t) len ||
               say(why, "sending", errno);
    char count[24];
    int n = snprintf(count, sizeof(count), "%zu ", len);
    return send_all(c, count, (size_t) n, why) && send_all(c, msg, len, why);
}

bool cli_net_check(struct net_conn *c, char **why)
{
    if (!c->udp)
        return true;
    /* An ICMP port unreachable for a connected UDP socket shows as an
     * error on the socket shortly after the datagram left. */
    struct pollfd p = { c->fd, 0, 0 };
    int soerr = 0;
    socklen_t len = sizeof(soerr);
    poll(&p, 1, UDP_ERROR_MS);
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
    return soerr == 0 || say(why, "the collector refused the datagrams",
                             soerr);
}

void cli_net_close(struct net_conn *c)
{
    if (!c)
        return;
    cli_tls_close(c->tls);
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}
