// SPDX-License-Identifier: LGPL-2.1-or-later
//
// dcmshim_store.h - receiving instances as a Storage SCP (PS3.4 B.2.2):
// the C-STORE sub-operations of a C-GET on our own association, and the
// sub-association a C-MOVE opens to us (dcmshim_store.cc).

#ifndef DCMSHIM_STORE_H
#define DCMSHIM_STORE_H

#include "dcmshim_net_impl.h"

#include <string>

// Where received instances go, and what arrived.
struct StoreSink {
    const char *dir;
    unsigned next;            // number of the next file
    uint64_t received = 0;
    uint64_t bytes = 0;
    dcmshim_stored_fn stored;
    void *user;
    bool cancelled = false;
    std::string io_error;     // the first file we could not write
};

// Receives the data set of the C-STORE-RQ in `msg` bit for bit into the
// next file of the sink (with a meta header, PS3.10 7.1), and answers it.
// A file that cannot be written is answered with Out of Resources.
OFCondition store_receive(T_ASC_Association *assoc, T_DIMSE_Message &msg,
                          T_ASC_PresentationContextID pc, StoreSink &sink,
                          int timeout);

// The sub-association of a C-MOVE, served between the move's responses.
struct MoveServer {
    StoreSink *sink;
    int timeout;
    T_ASC_Association *sub = nullptr; // alive between calls
    std::string error;                // why a sub-association failed
};

// DIMSE_SubOpProviderCallback: accepts the sub-association, or serves one
// message on it.
void store_sub_operation(void *server, T_ASC_Network *net,
                         T_ASC_Association **sub);

// Aborts a sub-association left open when the move failed.
void store_sub_abort(MoveServer &server);

#endif
