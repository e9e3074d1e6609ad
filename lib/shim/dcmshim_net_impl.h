// SPDX-License-Identifier: LGPL-2.1-or-later
//
// dcmshim_net_impl.h - what the networking files of the shim share: an
// association that cleans up after itself, and the one translation of
// dcmnet's conditions into messages a clerk can act on (PS3.8 7.1.1.9).

#ifndef DCMSHIM_NET_IMPL_H
#define DCMSHIM_NET_IMPL_H

#include "dcmshim_impl.h"
#include "dcmtk/dcmnet/assoc.h"
#include "dcmtk/dcmnet/dimse.h"

#include "dcmshim_net.h"

// A presentation context we propose: an abstract syntax, and whether we
// take the SCP role for it (C-GET's storage sub-operations, PS3.7 D.3.3.4).
struct NetContext {
    const char *sop_class;
    bool scp_role;
};

// An association we requested, and the network it lives on; released or
// aborted, then freed, when it goes out of scope.
class NetAssociation {
public:
    NetAssociation() = default;
    NetAssociation(const NetAssociation &) = delete;
    NetAssociation &operator=(const NetAssociation &) = delete;
    ~NetAssociation();

    // Opens the network (listening on `listen_port` when not 0, for the
    // C-MOVE sub-association), connects and negotiates.  On failure the
    // message says what went wrong, in the peer's terms.
    dcmshim_status open(const dcmshim_peer &peer, const NetContext *contexts,
                        size_t ncontexts, uint16_t listen_port, char *msg,
                        size_t msglen);
    // The accepted presentation context for `sop_class`, or 0.
    T_ASC_PresentationContextID context(const char *sop_class) const;
    // Normal end: A-RELEASE (an abort when that fails).
    void release();
    // After a failure in the middle: A-ABORT.
    void abort();

    T_ASC_Network *net = nullptr;
    T_ASC_Association *assoc = nullptr;

private:
    void drop();
};

// A message for a failed dcmnet call: what we were doing, and why it
// failed as the peer's user would say it.
dcmshim_status net_fail(const dcmshim_peer &peer, const OFCondition &cond,
                        const char *doing, unsigned timeout, char *msg,
                        size_t msglen);

// The transfer syntaxes we accept for everything: uncompressed, as every
// storage SCP must support (PS3.5 10.1) and STD-GEN-CD requires.
extern const char *const kPlainSyntaxes[];
extern const int kNumPlainSyntaxes;

#endif
