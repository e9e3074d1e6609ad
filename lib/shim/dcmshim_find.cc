// SPDX-License-Identifier: LGPL-2.1-or-later
//
// C-FIND with the Study Root Query/Retrieve Information Model (PS3.4
// C.4.1): a query data set from tag/value keys, each match handed to C as
// the values of those keys in UTF-8, whatever character set the peer
// answers in (PS3.5 6.1).

#include "dcmshim_net_impl.h"
#include "dcmtk/dcmnet/diutil.h"

#include <cstring>
#include <string>
#include <vector>

namespace {

struct FindState {
    const dcmshim_key *keys;
    size_t nkeys;
    dcmshim_match_fn fn;
    void *user;
    T_ASC_Association *assoc;
    T_ASC_PresentationContextID pc;
    bool stopped;
};

bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char) *s >= 0x80)
            return false;
    return true;
}

DcmTagKey key_of(uint32_t tag)
{
    return DcmTagKey((Uint16) (tag >> 16), (Uint16) (tag & 0xFFFF));
}

dcmshim_status build_query(DcmDataset &q, const char *level,
                           const dcmshim_key *keys, size_t n, char *msg,
                           size_t msglen)
{
    bool utf8 = false;
    OFCondition cond = q.putAndInsertString(DCM_QueryRetrieveLevel, level);
    for (size_t i = 0; cond.good() && i < n; i++) {
        cond = q.putAndInsertString(key_of(keys[i].tag), keys[i].value);
        utf8 = utf8 || !ascii(keys[i].value);
    }
    if (cond.good() && utf8) // PS3.5 6.1.2.5.3: say how our values are coded
        cond = q.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
    if (cond.bad())
        return say_cond(msg, msglen, DCMSHIM_E_INTERNAL, "building the query",
                        cond);
    return DCMSHIM_OK;
}

void on_match(void *data, T_DIMSE_C_FindRQ *request, int, T_DIMSE_C_FindRSP *,
              DcmDataset *ids)
{
    FindState *st = static_cast<FindState *>(data);
    if (st->stopped || !ids)
        return;
    ids->convertToUTF8(); // values we cannot convert stay as they are
    std::vector<std::string> values(st->nkeys);
    std::vector<const char *> ptrs(st->nkeys);
    for (size_t i = 0; i < st->nkeys; i++) {
        OFString v;
        if (ids->findAndGetOFStringArray(key_of(st->keys[i].tag), v).good())
            values[i] = v.c_str();
        ptrs[i] = values[i].c_str();
    }
    if (!st->fn(st->user, ptrs.data())) {
        st->stopped = true;
        DIMSE_sendCancelRequest(st->assoc, st->pc, request->MessageID);
    }
}

dcmshim_status final_status(Uint16 status, char *msg, size_t msglen)
{
    if (status == STATUS_Success || status == STATUS_FIND_Cancel)
        return DCMSHIM_OK;
    snprintf(msg, msglen, "C-FIND failed: status 0x%04x (%s)",
             (unsigned) status, DU_cfindStatusString(status));
    return DCMSHIM_E_NET;
}

dcmshim_status find(const dcmshim_peer &peer, const char *level,
                    const dcmshim_key *keys, size_t nkeys, dcmshim_match_fn fn,
                    void *user, char *msg, size_t msglen)
{
    static const NetContext model[] = {
        { UID_FINDStudyRootQueryRetrieveInformationModel, false }
    };
    DcmDataset query;
    dcmshim_status st = build_query(query, level, keys, nkeys, msg, msglen);
    NetAssociation a;
    if (st == DCMSHIM_OK)
        st = a.open(peer, model, 1, 0, msg, msglen);
    if (st != DCMSHIM_OK)
        return st;
    FindState state = { keys, nkeys, fn, user, a.assoc, a.context(model[0].sop_class),
                        false };
    if (!state.pc)
        return say(msg, msglen, DCMSHIM_E_NET,
                   "the PACS does not accept Study Root C-FIND");
    T_DIMSE_C_FindRQ req;
    memset(&req, 0, sizeof(req));
    req.MessageID = a.assoc->nextMsgID++;
    strcpy(req.AffectedSOPClassUID, model[0].sop_class);
    req.DataSetType = DIMSE_DATASET_PRESENT;
    req.Priority = DIMSE_PRIORITY_MEDIUM;
    T_DIMSE_C_FindRSP rsp;
    memset(&rsp, 0, sizeof(rsp));
    DcmDataset *detail = nullptr;
    int count = 0;
    OFCondition cond = DIMSE_findUser(a.assoc, state.pc, &req, &query, count,
                                      on_match, &state, DIMSE_NONBLOCKING,
                                      (int) peer.dimse_timeout, &rsp, &detail);
    delete detail;
    if (cond.bad()) {
        a.abort();
        return net_fail(peer, cond, "C-FIND", peer.dimse_timeout, msg,
                        msglen);
    }
    a.release();
    return final_status(rsp.DimseStatus, msg, msglen);
}

} // namespace

extern "C" dcmshim_status dcmshim_find(const dcmshim_peer *peer,
                                       const char *level,
                                       const dcmshim_key *keys, size_t nkeys,
                                       dcmshim_match_fn fn, void *user,
                                       char *msg, size_t msglen) noexcept
{
    dcmshim_init();
    return guarded(msg, msglen, [&] {
        return find(*peer, level, keys, nkeys, fn, user, msg, msglen);
    });
}
