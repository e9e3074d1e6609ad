// SPDX-License-Identifier: LGPL-2.1-or-later
//
// C-GET and C-MOVE with the Study Root model (PS3.4 C.4.2, C.4.3): the
// request, the instances that arrive (dcmshim_store.cc), and the final
// response's sub-operation counts, which the caller holds against what it
// found and what it received before it writes anything.

#include "dcmshim_store.h"
#include "dcmtk/dcmnet/diutil.h"

#include <cstring>
#include <vector>

namespace {

const char *const kGetModel = UID_GETStudyRootQueryRetrieveInformationModel;
const char *const kMoveModel = UID_MOVEStudyRootQueryRetrieveInformationModel;

// C-GET needs the storage SOP classes on its own association, with us as
// SCP; the long list fits the 128 presentation contexts with the model.
std::vector<NetContext> get_contexts()
{
    std::vector<NetContext> c;
    c.push_back({ kGetModel, false });
    for (int i = 0; i < numberOfDcmLongSCUStorageSOPClassUIDs && c.size() < 128;
         i++)
        c.push_back({ dcmLongSCUStorageSOPClassUIDs[i], true });
    return c;
}

dcmshim_status build_ids(DcmDataset &q, const dcmshim_retrieve_request &req,
                         char *msg, size_t msglen)
{
    OFCondition cond = q.putAndInsertString(DCM_QueryRetrieveLevel,
                                            req.level);
    for (size_t i = 0; cond.good() && i < req.nkeys; i++)
        cond = q.putAndInsertString(
            DcmTagKey((Uint16) (req.keys[i].tag >> 16),
                      (Uint16) (req.keys[i].tag & 0xFFFF)),
            req.keys[i].value);
    if (cond.bad())
        return say_cond(msg, msglen, DCMSHIM_E_INTERNAL,
                        "building the request", cond);
    return DCMSHIM_OK;
}

template <typename Rsp>
void take_counts(const Rsp &rsp, unsigned completed_flag, bool move,
                 dcmshim_retrieved *out)
{
    out->status = rsp.DimseStatus;
    out->status_text = move ? DU_cmoveStatusString(rsp.DimseStatus)
                            : DU_cgetStatusString(rsp.DimseStatus);
    out->completed = rsp.NumberOfCompletedSubOperations;
    out->failed = rsp.NumberOfFailedSubOperations;
    out->warning = rsp.NumberOfWarningSubOperations;
    out->remaining = rsp.NumberOfRemainingSubOperations;
    out->counts_given = (rsp.opts & completed_flag) != 0;
}

bool pending(Uint16 status)
{
    return status == STATUS_Pending || status == 0xFF01;
}

// One message of a C-GET: a response (the last ends the loop) or an
// instance.  `done` says the final response came.
OFCondition get_step(T_ASC_Association *assoc, StoreSink &sink, int timeout,
                     dcmshim_retrieved *out, bool &done)
{
    T_DIMSE_Message rsp;
    T_ASC_PresentationContextID pc = 0;
    DcmDataset *detail = nullptr;
    memset(&rsp, 0, sizeof(rsp));
    OFCondition cond = DIMSE_receiveCommand(assoc, DIMSE_NONBLOCKING, timeout,
                                            &pc, &rsp, &detail);
    delete detail;
    if (cond.bad())
        return cond;
    if (rsp.CommandField == DIMSE_C_STORE_RQ)
        return store_receive(assoc, rsp, pc, sink, timeout);
    if (rsp.CommandField != DIMSE_C_GET_RSP)
        return DIMSE_BADCOMMANDTYPE;
    take_counts(rsp.msg.CGetRSP, O_GET_NUMBEROFCOMPLETEDSUBOPERATIONS, false,
                out);
    done = !pending(rsp.msg.CGetRSP.DimseStatus);
    if (done && rsp.msg.CGetRSP.DataSetType != DIMSE_DATASET_NULL) {
        DcmDataset *ids = nullptr; // Failed SOP Instance UID List
        cond = DIMSE_receiveDataSetInMemory(assoc, DIMSE_NONBLOCKING, timeout,
                                            &pc, &ids, nullptr, nullptr);
        delete ids;
    }
    return cond;
}

OFCondition run_get(NetAssociation &a, DcmDataset &ids, StoreSink &sink,
                    int timeout, dcmshim_retrieved *out)
{
    T_DIMSE_Message req;
    memset(&req, 0, sizeof(req));
    T_ASC_PresentationContextID pc = a.context(kGetModel);
    req.CommandField = DIMSE_C_GET_RQ;
    req.msg.CGetRQ.MessageID = a.assoc->nextMsgID++;
    strcpy(req.msg.CGetRQ.AffectedSOPClassUID, kGetModel);
    req.msg.CGetRQ.Priority = DIMSE_PRIORITY_MEDIUM;
    req.msg.CGetRQ.DataSetType = DIMSE_DATASET_PRESENT;
    OFCondition cond = DIMSE_sendMessageUsingMemoryData(
        a.assoc, pc, &req, nullptr, &ids, nullptr, nullptr);
    bool done = false;
    while (cond.good() && !done && !sink.cancelled)
        cond = get_step(a.assoc, sink, timeout, out, done);
    return cond;
}

void on_move_response(void *data, T_DIMSE_C_MoveRQ *request, int,
                      T_DIMSE_C_MoveRSP *)
{
    std::pair<NetAssociation *, StoreSink *> *ctx =
        static_cast<std::pair<NetAssociation *, StoreSink *> *>(data);
    if (ctx->second->cancelled)
        DIMSE_sendCancelRequest(ctx->first->assoc,
                                ctx->first->context(kMoveModel),
                                request->MessageID);
}

OFCondition run_move(NetAssociation &a, const dcmshim_peer &peer,
                     DcmDataset &ids, MoveServer &server,
                     dcmshim_retrieved *out)
{
    T_DIMSE_C_MoveRQ req;
    T_DIMSE_C_MoveRSP rsp;
    memset(&req, 0, sizeof(req));
    memset(&rsp, 0, sizeof(rsp));
    req.MessageID = a.assoc->nextMsgID++;
    strcpy(req.AffectedSOPClassUID, kMoveModel);
    req.Priority = DIMSE_PRIORITY_MEDIUM;
    req.DataSetType = DIMSE_DATASET_PRESENT;
    OFStandard::strlcpy(req.MoveDestination, peer.calling_aet,
                        sizeof(req.MoveDestination));
    std::pair<NetAssociation *, StoreSink *> ctx(&a, server.sink);
    DcmDataset *detail = nullptr, *failed = nullptr;
    OFCondition cond = DIMSE_moveUser(
        a.assoc, a.context(kMoveModel), &req, &ids, on_move_response, &ctx,
        DIMSE_NONBLOCKING, server.timeout, a.net, store_sub_operation, &server,
        &rsp, &detail, &failed, OFFalse);
    delete detail;
    delete failed;
    store_sub_abort(server);
    if (cond.good())
        take_counts(rsp, O_MOVE_NUMBEROFCOMPLETEDSUBOPERATIONS, true, out);
    return cond;
}

dcmshim_status finish(NetAssociation &a, const dcmshim_peer &peer,
                      const OFCondition &cond, const StoreSink &sink,
                      const char *what, char *msg, size_t msglen)
{
    if (sink.cancelled) {
        a.abort();
        return say(msg, msglen, DCMSHIM_E_CANCELLED, "cancelled");
    }
    if (cond.bad()) {
        a.abort();
        return net_fail(peer, cond, what, peer.dimse_timeout, msg, msglen);
    }
    a.release();
    if (!sink.io_error.empty()) {
        snprintf(msg, msglen, "writing into the spool: %s",
                 sink.io_error.c_str());
        return DCMSHIM_E_IO;
    }
    return DCMSHIM_OK;
}

dcmshim_status retrieve(const dcmshim_peer &peer, const dcmshim_retrieve_request &req,
                        dcmshim_retrieved *out, char *msg, size_t msglen)
{
    memset(out, 0, sizeof(*out));
    DcmDataset ids;
    dcmshim_status st = build_ids(ids, req, msg, msglen);
    std::vector<NetContext> contexts;
    if (req.move)
        contexts.push_back({ kMoveModel, false });
    else
        contexts = get_contexts();
    NetAssociation a;
    if (st == DCMSHIM_OK)
        st = a.open(peer, contexts.data(), contexts.size(),
                    req.move ? req.move_port : 0, msg, msglen);
    if (st != DCMSHIM_OK)
        return st;
    const char *what = req.move ? "C-MOVE" : "C-GET";
    if (!a.context(contexts[0].sop_class)) {
        snprintf(msg, msglen, "the PACS does not accept Study Root %s", what);
        return DCMSHIM_E_NET;
    }
    StoreSink sink;
    sink.dir = req.dir;
    sink.next = req.first;
    sink.stored = req.stored;
    sink.user = req.user;
    MoveServer server;
    server.sink = &sink;
    server.timeout = (int) peer.dimse_timeout;
    OFCondition cond =
        req.move ? run_move(a, peer, ids, server, out)
                 : run_get(a, ids, sink, (int) peer.dimse_timeout, out);
    out->received = sink.received;
    out->bytes = sink.bytes;
    st = finish(a, peer, cond, sink, what, msg, msglen);
    if (st == DCMSHIM_OK && !server.error.empty()) {
        snprintf(msg, msglen, "%s", server.error.c_str());
        st = DCMSHIM_E_NET;
    }
    return st;
}

} // namespace

extern "C" dcmshim_status dcmshim_retrieve(const dcmshim_peer *peer,
                                           const dcmshim_retrieve_request *req,
                                           dcmshim_retrieved *out, char *msg,
                                           size_t msglen) noexcept
{
    dcmshim_init();
    return guarded(msg, msglen,
                   [&] { return retrieve(*peer, *req, out, msg, msglen); });
}
