/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dcmshim_net.h - the C face of DCMTK's dcmnet: associations (PS3.8),
 * C-ECHO, C-FIND, C-GET and C-MOVE as a Query/Retrieve SCU with the
 * Study Root model (PS3.4 C.4), and the storage it receives.  Nothing here
 * throws; failures come back as a status and a message in msg[msglen].
 * Not thread-safe: the connect timeout is a global of dcmnet.
 */
#ifndef DCMSHIM_NET_H
#define DCMSHIM_NET_H

#include "dcmshim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Network failures are DCMSHIM_E_NET, with a message that says which:
 * host not found, connection refused, rejected (and the reason the peer
 * gave), timed out, association dropped, request refused by the peer. */

struct dcmshim_peer {
    const char *host;
    uint16_t port;
    const char *called_aet;  /* the peer's AE title */
    const char *calling_aet; /* ours */
    unsigned connect_timeout; /* seconds: TCP connect */
    unsigned acse_timeout;    /* seconds: association set-up and release */
    unsigned dimse_timeout;   /* seconds: waiting for a message */
};

enum dcmshim_status dcmshim_echo(const struct dcmshim_peer *peer, char *msg,
                                 size_t msglen) DCMSHIM_NOEXCEPT;

/* A key of a query: tag and value ("" = return it, universal match). */
struct dcmshim_key {
    uint32_t tag;
    const char *value;
};

/* Called per match with the values of the query's keys, in their order,
 * as UTF-8 ("" when the peer left one out); return false to stop. */
typedef bool (*dcmshim_match_fn)(void *user, const char *const *values);

/* A Study Root C-FIND at `level` (PATIENT, STUDY, SERIES, IMAGE). */
enum dcmshim_status dcmshim_find(const struct dcmshim_peer *peer,
                                 const char *level,
                                 const struct dcmshim_key *keys, size_t nkeys,
                                 dcmshim_match_fn fn, void *user, char *msg,
                                 size_t msglen) DCMSHIM_NOEXCEPT;

/* Called after each instance received (bytes = its size); return false
 * to stop the retrieve. */
typedef bool (*dcmshim_stored_fn)(void *user, uint64_t bytes);

struct dcmshim_retrieve_request {
    const char *level;       /* STUDY, SERIES, IMAGE */
    const struct dcmshim_key *keys;
    size_t nkeys;
    const char *dir;         /* where the instances go, as NNNNNNNN files */
    unsigned first;          /* number of the first file */
    bool move;               /* C-MOVE to us instead of C-GET */
    uint16_t move_port;      /* our storage SCP's port, C-MOVE only */
    dcmshim_stored_fn stored;
    void *user;
};

/* What the peer said in its last C-GET/C-MOVE response (PS3.4 C.4.2.1.5,
 * C.4.3.1.3), and what arrived. */
struct dcmshim_retrieved {
    uint16_t status;         /* DIMSE status of the final response */
    const char *status_text; /* its meaning (static), NULL before one */
    uint32_t completed, failed, warning, remaining;
    bool counts_given;       /* the final response carried the counts */
    uint64_t received;       /* instances stored in `dir` */
    uint64_t bytes;
};

enum dcmshim_status dcmshim_retrieve(const struct dcmshim_peer *peer,
                                     const struct dcmshim_retrieve_request *req,
                                     struct dcmshim_retrieved *out, char *msg,
                                     size_t msglen) DCMSHIM_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* DCMSHIM_NET_H */
