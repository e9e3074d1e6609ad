// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Associations with a peer (PS3.8 7.1), the translation of dcmnet's
// failures into plain words (the A-ASSOCIATE-RJ result, source and reason
// of PS3.8 9.3.4 included), and C-ECHO (PS3.7 9.1.5) on top of them.

#include "dcmshim_net_impl.h"

#include <cstring>

const char *const kPlainSyntaxes[] = { UID_LittleEndianExplicitTransferSyntax,
                                       UID_LittleEndianImplicitTransferSyntax };
const int kNumPlainSyntaxes = 2;

// Big enough for fast transfers, within what every peer accepts.
static const long kMaxPdu = 65536;

static const char *reject_reason(T_ASC_RejectParametersReason reason)
{
    switch (reason) {
    case ASC_REASON_SU_NOREASON:
    case ASC_REASON_SP_ACSE_NOREASON: return "no reason given";
    case ASC_REASON_SU_APPCONTEXTNAMENOTSUPPORTED:
        return "application context name not supported";
    case ASC_REASON_SU_CALLINGAETITLENOTRECOGNIZED:
        return "calling AE title (ours) not recognized";
    case ASC_REASON_SU_CALLEDAETITLENOTRECOGNIZED:
        return "called AE title not recognized";
    case ASC_REASON_SP_ACSE_PROTOCOLVERSIONNOTSUPPORTED:
        return "protocol version not supported";
    case ASC_REASON_SP_PRES_TEMPORARYCONGESTION: return "temporary congestion";
    case ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED: return "local limit exceeded";
    }
    return "unknown reason";
}

static const char *reject_source(T_ASC_RejectParametersSource source)
{
    switch (source) {
    case ASC_SOURCE_SERVICEUSER: return "service user";
    case ASC_SOURCE_SERVICEPROVIDER_ACSE_RELATED:
        return "service provider (ACSE)";
    case ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED:
        return "service provider (presentation)";
    }
    return "unknown source";
}

static dcmshim_status rejected(T_ASC_Parameters *params, char *msg,
                               size_t msglen)
{
    T_ASC_RejectParameters rej;
    memset(&rej, 0, sizeof(rej));
    ASC_getRejectParameters(params, &rej);
    snprintf(msg, msglen,
             "association rejected: %s (result: rejected-%s, source: %s)",
             reject_reason(rej.reason),
             rej.result == ASC_RESULT_REJECTEDTRANSIENT ? "transient"
                                                        : "permanent",
             reject_source(rej.source));
    return DCMSHIM_E_NET;
}

static bool has(const OFCondition &cond, const char *text)
{
    return strstr(cond.text(), text) != nullptr;
}

static bool dropped(const OFCondition &cond)
{
    return cond == DUL_PEERABORTEDASSOCIATION || cond == DUL_NETWORKCLOSED ||
           cond == DUL_PEERREQUESTEDRELEASE ||
           cond.code() == DULC_TCPIOERROR || has(cond, "network closed") ||
           has(cond, "Peer aborted");
}

static bool timed_out(const OFCondition &cond)
{
    return cond == DUL_READTIMEOUT || cond == DIMSE_NODATAAVAILABLE ||
           has(cond, "timeout") || has(cond, "Timeout");
}

dcmshim_status net_fail(const dcmshim_peer &peer, const OFCondition &cond,
                        const char *doing, unsigned timeout, char *msg,
                        size_t msglen)
{
    if (cond.code() == DULC_UNKNOWNHOST)
        snprintf(msg, msglen, "%s: host name '%s' not found", doing,
                 peer.host);
    else if (cond.code() == DULC_TCPINITERROR && has(cond, "Timeout"))
        snprintf(msg, msglen, "%s: no connection within %u s (timeout)",
                 doing, peer.connect_timeout);
    else if (cond.code() == DULC_TCPINITERROR && has(cond, "refused"))
        snprintf(msg, msglen,
                 "%s: connection refused (nothing listens on %s port %u)",
                 doing, peer.host, (unsigned) peer.port);
    else if (cond.code() == DULC_TCPINITERROR)
        snprintf(msg, msglen, "%s: cannot connect: %s", doing, cond.text());
    else if (dropped(cond))
        snprintf(msg, msglen, "%s: the PACS dropped the association (%s)",
                 doing, cond.text());
    else if (timed_out(cond))
        snprintf(msg, msglen, "%s: no answer within %u s (timeout)", doing,
                 timeout);
    else
        snprintf(msg, msglen, "%s: %s", doing, cond.text());
    return DCMSHIM_E_NET;
}

static dcmshim_status propose(T_ASC_Parameters *params,
                              const NetContext *contexts, size_t n,
                              char *msg, size_t msglen)
{
    // Presentation context IDs are odd, 1 to 255 (PS3.8 9.3.2.2).
    if (n > 128)
        return say(msg, msglen, DCMSHIM_E_INTERNAL,
                   "too many presentation contexts");
    for (size_t i = 0; i < n; i++) {
        OFCondition cond = ASC_addPresentationContext(
            params, (T_ASC_PresentationContextID) (2 * i + 1),
            contexts[i].sop_class, (const char **) kPlainSyntaxes,
            kNumPlainSyntaxes,
            contexts[i].scp_role ? ASC_SC_ROLE_SCP : ASC_SC_ROLE_DEFAULT);
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_INTERNAL,
                            "proposing a presentation context", cond);
    }
    return DCMSHIM_OK;
}

static dcmshim_status parameters(const dcmshim_peer &peer,
                                 T_ASC_Parameters *params, char *msg,
                                 size_t msglen)
{
    char address[320];
    // dcmnet keeps "host:port" in 64 bytes (DIC_NODENAME).
    if (strlen(peer.host) > 57)
        return say(msg, msglen, DCMSHIM_E_NET,
                   "host name longer than 57 characters");
    snprintf(address, sizeof(address), "%s:%u", peer.host,
             (unsigned) peer.port);
    ASC_setAPTitles(params, peer.calling_aet, peer.called_aet, nullptr);
    OFCondition cond = ASC_setPresentationAddresses(
        params, OFStandard::getHostName().c_str(), address);
    if (cond.bad())
        return say_cond(msg, msglen, DCMSHIM_E_INTERNAL,
                        "setting the peer's address", cond);
    return DCMSHIM_OK;
}

dcmshim_status NetAssociation::open(const dcmshim_peer &peer,
                                    const NetContext *contexts,
                                    size_t ncontexts, uint16_t listen_port,
                                    char *msg, size_t msglen)
{
    T_ASC_Parameters *params = nullptr;
    dcmConnectionTimeout.set((Sint32) peer.connect_timeout);
    OFCondition cond = ASC_initializeNetwork(
        listen_port ? NET_ACCEPTORREQUESTOR : NET_REQUESTOR, listen_port,
        (int) peer.acse_timeout, &net);
    if (cond.bad()) {
        snprintf(msg, msglen, "cannot %s: %s",
                 listen_port ? "listen for the C-MOVE" : "open the network",
                 cond.text());
        return DCMSHIM_E_NET;
    }
    cond = ASC_createAssociationParameters(&params, kMaxPdu);
    if (cond.bad())
        return say_cond(msg, msglen, DCMSHIM_E_NOMEM, "association", cond);
    dcmshim_status st = parameters(peer, params, msg, msglen);
    if (st == DCMSHIM_OK)
        st = propose(params, contexts, ncontexts, msg, msglen);
    if (st != DCMSHIM_OK) {
        ASC_destroyAssociationParameters(&params);
        return st;
    }
    cond = ASC_requestAssociation(net, params, &assoc);
    if (!assoc) // failed before taking the parameters
        ASC_destroyAssociationParameters(&params);
    if (cond.good())
        return DCMSHIM_OK;
    st = cond == DUL_ASSOCIATIONREJECTED
             ? rejected(params, msg, msglen)
             : net_fail(peer, cond, "association", peer.acse_timeout, msg,
                        msglen);
    drop(); // nothing to release or abort
    return st;
}

T_ASC_PresentationContextID NetAssociation::context(const char *sop) const
{
    return assoc ? ASC_findAcceptedPresentationContextID(assoc, sop) : 0;
}

void NetAssociation::release()
{
    if (assoc && ASC_releaseAssociation(assoc).bad())
        ASC_abortAssociation(assoc);
    drop();
}

void NetAssociation::abort()
{
    if (assoc)
        ASC_abortAssociation(assoc);
    drop();
}

void NetAssociation::drop()
{
    if (assoc) {
        ASC_dropAssociation(assoc);
        ASC_destroyAssociation(&assoc);
    }
    ASC_dropNetwork(&net);
}

NetAssociation::~NetAssociation()
{
    if (assoc)
        abort();
    else
        drop();
}

static dcmshim_status echo(const dcmshim_peer &peer, char *msg,
                           size_t msglen)
{
    static const NetContext verification[] = {
        { UID_VerificationSOPClass, false }
    };
    NetAssociation a;
    dcmshim_status st = a.open(peer, verification, 1, 0, msg, msglen);
    if (st != DCMSHIM_OK)
        return st;
    if (!a.context(UID_VerificationSOPClass))
        return say(msg, msglen, DCMSHIM_E_NET,
                   "the peer does not accept Verification (C-ECHO)");
    DIC_US status = 0;
    DcmDataset *detail = nullptr;
    OFCondition cond =
        DIMSE_echoUser(a.assoc, a.assoc->nextMsgID++, DIMSE_NONBLOCKING,
                       (int) peer.dimse_timeout, &status, &detail);
    delete detail;
    if (cond.bad()) {
        a.abort();
        return net_fail(peer, cond, "C-ECHO", peer.dimse_timeout, msg,
                        msglen);
    }
    a.release();
    if (status != STATUS_Success) {
        snprintf(msg, msglen, "C-ECHO: status 0x%04x", (unsigned) status);
        return DCMSHIM_E_NET;
    }
    return DCMSHIM_OK;
}

extern "C" dcmshim_status dcmshim_echo(const dcmshim_peer *peer, char *msg,
                                       size_t msglen) noexcept
{
    dcmshim_init();
    return guarded(msg, msglen, [&] { return echo(*peer, msg, msglen); });
}
