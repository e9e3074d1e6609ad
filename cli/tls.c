/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * GnuTLS, and the only file that knows it: the client side of syslog
 * over TLS (RFC 5425; DICOM PS3.15 A.6 asks for TLS 1.2 or later), with
 * the collector's certificate checked against a CA file or the system's
 * trust store and against the collector's host name.
 */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

#define HANDSHAKE_MS 10000

struct tls_conn {
    gnutls_session_t session;
    gnutls_certificate_credentials_t cred;
    bool up; /* the handshake succeeded: close_notify is owed */
};

static bool failed(char **why, const char *what, int code)
{
    if (asprintf(why, "TLS: %s: %s", what, gnutls_strerror(code)) < 0)
        *why = NULL;
    return false;
}

static bool credentials(struct tls_conn *t, const char *ca, const char *cert,
                        const char *key, char **why)
{
    int rc = gnutls_certificate_allocate_credentials(&t->cred);
    if (rc < 0)
        return failed(why, "credentials", rc);
    rc = ca ? gnutls_certificate_set_x509_trust_file(t->cred, ca,
                                                     GNUTLS_X509_FMT_PEM)
            : gnutls_certificate_set_x509_system_trust(t->cred);
    if (rc <= 0)
        return failed(why, ca ? "reading the CA file" : "system trust store",
                      rc ? rc : GNUTLS_E_NO_CERTIFICATE_FOUND);
    if (cert && key &&
        (rc = gnutls_certificate_set_x509_key_file(t->cred, cert, key,
                                                   GNUTLS_X509_FMT_PEM)) < 0)
        return failed(why, "reading our certificate and key", rc);
    return true;
}

/* TLS 1.0 and 1.1 are off: PS3.15 A.6 recommends 1.2 or later. */
static bool session(struct tls_conn *t, int fd, const char *host, char **why)
{
    int rc = gnutls_init(&t->session, GNUTLS_CLIENT);
    if (rc < 0) {
        t->session = NULL;
        return failed(why, "session", rc);
    }
    rc = gnutls_priority_set_direct(
        t->session, "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1:-VERS-DTLS-ALL", NULL);
    if (rc >= 0)
        rc = gnutls_credentials_set(t->session, GNUTLS_CRD_CERTIFICATE,
                                    t->cred);
    if (rc >= 0)
        rc = gnutls_server_name_set(t->session, GNUTLS_NAME_DNS, host,
                                    strlen(host));
    if (rc < 0)
        return failed(why, "session", rc);
    gnutls_session_set_verify_cert(t->session, host, 0);
    gnutls_transport_set_int(t->session, fd);
    gnutls_handshake_set_timeout(t->session, HANDSHAKE_MS);
    do
        rc = gnutls_handshake(t->session);
    while (rc < 0 && !gnutls_error_is_fatal(rc));
    t->up = rc >= 0;
    return t->up || failed(why, "handshake", rc);
}

struct tls_conn *cli_tls_open(int fd, const char *host, const char *ca,
                              const char *cert, const char *key, char **why)
{
    struct tls_conn *t = calloc(1, sizeof(*t));
    if (!t) {
        *why = NULL;
        return NULL;
    }
    if (!credentials(t, ca, cert, key, why) || !session(t, fd, host, why)) {
        cli_tls_close(t);
        return NULL;
    }
    return t;
}

bool cli_tls_send(struct tls_conn *t, const void *data, size_t len,
                  char **why)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = gnutls_record_send(t->session, p, len);
        if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
            continue;
        if (n < 0)
            return failed(why, "sending", (int) n);
        p += n;
        len -= (size_t) n;
    }
    return true;
}

void cli_tls_close(struct tls_conn *t)
{
    if (!t)
        return;
    if (t->up)
        gnutls_bye(t->session, GNUTLS_SHUT_WR);
    if (t->session)
        gnutls_deinit(t->session);
    if (t->cred)
        gnutls_certificate_free_credentials(t->cred);
    free(t);
}
