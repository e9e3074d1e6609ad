// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Receiving instances as a Storage SCP (PS3.4 B.2.2): each data set goes
// bit for bit from the network into its own file of the private spool, so
// what lands on the media is what the PACS holds; the C-MOVE
// sub-association (PS3.4 C.4.2.3.1) is accepted and served here too.

#include "dcmshim_store.h"
#include "dcmtk/dcmdata/dcostrmf.h"

#include <cstring>

static void answer(T_ASC_Association *assoc, T_ASC_PresentationContextID pc,
                   const T_DIMSE_C_StoreRQ &req, Uint16 status)
{
    T_DIMSE_C_StoreRSP rsp;
    memset(&rsp, 0, sizeof(rsp));
    rsp.MessageIDBeingRespondedTo = req.MessageID;
    rsp.DimseStatus = status;
    rsp.DataSetType = DIMSE_DATASET_NULL;
    OFStandard::strlcpy(rsp.AffectedSOPClassUID, req.AffectedSOPClassUID,
                        sizeof(rsp.AffectedSOPClassUID));
    OFStandard::strlcpy(rsp.AffectedSOPInstanceUID,
                        req.AffectedSOPInstanceUID,
                        sizeof(rsp.AffectedSOPInstanceUID));
    rsp.opts = O_STORE_AFFECTEDSOPCLASSUID | O_STORE_AFFECTEDSOPINSTANCEUID;
    DIMSE_sendStoreResponse(assoc, pc, &req, &rsp, nullptr);
}

// The spool is ours and private; names are numbers, never the peer's UIDs.
static OFString next_name(StoreSink &sink)
{
    char name[32];
    snprintf(name, sizeof(name), "/%08u", sink.next++);
    return OFString(sink.dir) + name;
}

OFCondition store_receive(T_ASC_Association *assoc, T_DIMSE_Message &msg,
                          T_ASC_PresentationContextID pc, StoreSink &sink,
                          int timeout)
{
    T_DIMSE_C_StoreRQ &req = msg.msg.CStoreRQ;
    OFString path = next_name(sink);
    DcmOutputFileStream *out = nullptr;
    OFCondition cond =
        DIMSE_createFilestream(path, &req, assoc, pc, OFTrue, &out);
    if (cond.bad()) {
        if (sink.io_error.empty())
            sink.io_error = std::string(path.c_str()) + ": " + cond.text();
        cond = DIMSE_ignoreDataSet(assoc, DIMSE_NONBLOCKING, timeout, nullptr,
                                   nullptr);
        if (cond.good())
            answer(assoc, pc, req, STATUS_STORE_Refused_OutOfResources);
        return cond;
    }
    cond = DIMSE_receiveDataSetInFile(assoc, DIMSE_NONBLOCKING, timeout, &pc,
                                      out, nullptr, nullptr);
    uint64_t size = (uint64_t) out->tell();
    bool written = out->good();
    delete out;
    if (cond.bad() || !written) {
        OFStandard::deleteFile(path);
        if (cond.good() && sink.io_error.empty())
            sink.io_error = std::string(path.c_str()) + ": write failed";
        if (cond.good())
            answer(assoc, pc, req, STATUS_STORE_Refused_OutOfResources);
        return cond;
    }
    sink.received++;
    sink.bytes += size;
    if (sink.stored && !sink.stored(sink.user, size))
        sink.cancelled = true;
    answer(assoc, pc, req, STATUS_Success);
    return EC_Normal;
}

static void forget(T_ASC_Association **sub, bool abort)
{
    if (abort)
        ASC_abortAssociation(*sub);
    ASC_dropSCPAssociation(*sub);
    ASC_destroyAssociation(sub);
}

static void accept(MoveServer &s, T_ASC_Network *net, T_ASC_Association **sub)
{
    static const char *verification[] = { UID_VerificationSOPClass };
    OFCondition cond = ASC_receiveAssociation(net, sub, 65536);
    if (cond.good())
        cond = ASC_acceptContextsWithPreferredTransferSyntaxes(
            (*sub)->params, dcmAllStorageSOPClassUIDs,
            numberOfDcmAllStorageSOPClassUIDs,
            (const char **) kPlainSyntaxes, kNumPlainSyntaxes);
    if (cond.good())
        cond = ASC_acceptContextsWithPreferredTransferSyntaxes(
            (*sub)->params, verification, 1, (const char **) kPlainSyntaxes,
            kNumPlainSyntaxes);
    if (cond.good())
        cond = ASC_acknowledgeAssociation(*sub);
    if (cond.bad()) {
        if (s.error.empty())
            s.error = std::string("accepting the C-MOVE sub-association: ") +
                      cond.text();
        if (*sub)
            forget(sub, false);
    }
}

static OFCondition echo_answer(T_ASC_Association *sub, T_DIMSE_Message &msg,
                               T_ASC_PresentationContextID pc)
{
    return DIMSE_sendEchoResponse(sub, pc, &msg.msg.CEchoRQ, STATUS_Success,
                                  nullptr);
}

static void serve(MoveServer &s, T_ASC_Association **sub)
{
    if (!ASC_dataWaiting(*sub, s.timeout)) {
        s.error = "the C-MOVE sub-association went silent (timeout)";
        forget(sub, true);
        return;
    }
    T_DIMSE_Message msg;
    T_ASC_PresentationContextID pc = 0;
    memset(&msg, 0, sizeof(msg));
    OFCondition cond = DIMSE_receiveCommand(*sub, DIMSE_NONBLOCKING,
                                            s.timeout, &pc, &msg, nullptr);
    if (cond.good() && msg.CommandField == DIMSE_C_STORE_RQ)
        cond = store_receive(*sub, msg, pc, *s.sink, s.timeout);
    else if (cond.good() && msg.CommandField == DIMSE_C_ECHO_RQ)
        cond = echo_answer(*sub, msg, pc);
    else if (cond.good())
        cond = DIMSE_BADCOMMANDTYPE;
    if (cond == DUL_PEERREQUESTEDRELEASE) {
        ASC_acknowledgeRelease(*sub);
        forget(sub, false);
    } else if (cond.bad()) {
        if (s.error.empty())
            s.error = std::string("C-MOVE sub-association: ") + cond.text();
        forget(sub, cond != DUL_PEERABORTEDASSOCIATION);
    } else if (s.sink->cancelled) {
        forget(sub, true); // the PACS counts the rest as failed
    }
}

void store_sub_operation(void *server, T_ASC_Network *net,
                         T_ASC_Association **sub)
{
    MoveServer &s = *static_cast<MoveServer *>(server);
    if (!net)
        return;
    if (!*sub)
        accept(s, net, sub);
    else
        serve(s, sub);
    s.sub = *sub;
}

void store_sub_abort(MoveServer &server)
{
    if (server.sub)
        forget(&server.sub, true);
}
