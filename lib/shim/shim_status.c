/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The one mapping from the DCMTK shim's status to our error codes, so that
 * a file DCMTK cannot read is the same kind of failure (and the same exit
 * status) wherever it is read: scan, re-encoding, rendering, writing.
 */
#include "shim_status.h"

static enum pdiburn_code code_of(enum dcmshim_status st)
{
    switch (st) {
    case DCMSHIM_E_NOMEM: return PDIBURN_E_NOMEM;
    case DCMSHIM_E_IO: return PDIBURN_E_IO;
    case DCMSHIM_E_WRITE: return PDIBURN_E_MEDIA; /* where we write: exit 5 */
    case DCMSHIM_E_DICOM:
    case DCMSHIM_E_UNSUPPORTED: return PDIBURN_E_DICOM;
    case DCMSHIM_E_NET: return PDIBURN_E_PACS;
    case DCMSHIM_E_CANCELLED: return PDIBURN_E_CANCELLED;
    case DCMSHIM_OK:
    case DCMSHIM_E_INTERNAL: return PDIBURN_E_INTERNAL;
    }
    return PDIBURN_E_INTERNAL; /* no default: -Wswitch sees new statuses */
}

bool pdb_shim_fail(struct pdiburn_error **err, enum dcmshim_status st,
                   const char *path, const char *msg)
{
    if (st == DCMSHIM_E_NOMEM)
        return pdb_fail_nomem(err);
    if (path)
        return pdb_fail(err, code_of(st), "'%s': %s", path, msg);
    return pdb_fail(err, code_of(st), "%s", msg);
}
