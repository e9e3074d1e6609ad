// SPDX-License-Identifier: LGPL-2.1-or-later
//
// dcmshim_impl.h - what the C++ files of the shim share: the dataset
// handle and the guard that keeps exceptions out of C.

#ifndef DCMSHIM_IMPL_H
#define DCMSHIM_IMPL_H

#include "dcmtk/config/osconfig.h" // must precede other DCMTK headers
#include "dcmtk/dcmdata/dctk.h"

#include <cstdio>
#include <new>

#include "dcmshim.h"

struct dcmshim_dataset {
    DcmFileFormat file;
};

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
