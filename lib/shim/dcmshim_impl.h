// SPDX-License-Identifier: LGPL-2.1-or-later
//
// dcmshim_impl.h - what the C++ files of the shim share: the dataset
// handle and the guard that keeps exceptions out of C.

#ifndef DCMSHIM_IMPL_H
#define DCMSHIM_IMPL_H

#include "dcmtk/config/osconfig.h" // must precede other DCMTK headers
#include "dcmtk/dcmdata/dctk.h"

#include <cstdio>
#include <memory>
#include <new>

#include "dcmshim.h"

struct dcmshim_dataset {
    DcmFileFormat file;
};

// Reads the header of `src`, up to its pixel data, into a new ff
// (dcmshim.cc); `stopped`: an element at or above (7FE0,0010) ended it,
// its own header ending at stop_offset.
dcmshim_status dcmshim_read_source(std::unique_ptr<DcmFileFormat> &ff,
                                   const dcmshim_source *src, bool *stopped,
                                   uint64_t *stop_offset, char *msg,
                                   size_t msglen);
// The same when where it stopped does not matter.
dcmshim_status dcmshim_read_dataset(std::unique_ptr<DcmFileFormat> &ff,
                                    const dcmshim_source *src, char *msg,
                                    size_t msglen);

// The tag list of `set` as dcmshim_dump_tags() gives it (dcmshim_web.cc).
dcmshim_status dcmshim_dump_text(DcmDataset *set, char **out, char *msg,
                                 size_t msglen);

static inline dcmshim_status say(char *msg, size_t msglen, dcmshim_status status,
                          const char *what)
{
    if (msg && msglen)
        snprintf(msg, msglen, "%s", what);
    return status;
}

static inline dcmshim_status say_cond(char *msg, size_t msglen,
                               dcmshim_status status, const char *what,
                               const OFCondition &cond)
{
    if (msg && msglen)
        snprintf(msg, msglen, "%s: %s", what, cond.text());
    return status;
}

// Wraps a body so that no exception escapes into C.
template <typename F>
static inline dcmshim_status guarded(char *msg, size_t msglen, F body) noexcept
{
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return say(msg, msglen, DCMSHIM_E_NOMEM, "out of memory");
    } catch (...) {
        return say(msg, msglen, DCMSHIM_E_INTERNAL,
                   "unexpected C++ exception in DCMTK");
    }
}

#endif
