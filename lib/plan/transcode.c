/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Re-encodes one instance into the private spool as an Explicit VR Little
 * Endian data set (no meta information; the writer prepends ours): byte
 * order and deflate undone, pixel data decompressed losslessly (PS3.11
 * D.3.1).  The SOP Instance UID is kept: no pixel value changes.
 */
#include <stdlib.h>
#include <string.h>

#include "shim_status.h"
#include "j2k.h"
#include "source.h"
#include "transcode.h"
#include "transfer_syntax.h"

static bool frame_geometry(const struct pdb_instance *inst,
                           struct pdb_j2k_frame *f, unsigned *frames)
{
    struct pdb_geometry g;
    pdb_instance_geometry(inst, &g);
    *f = (struct pdb_j2k_frame) { g.rows, g.columns, g.samples,
                                  g.bits_allocated };
    *frames = g.frames;
    return g.rows && g.columns && (g.samples == 1 || g.samples == 3) &&
           (g.bits_allocated == 8 || g.bits_allocated == 16);
}

static bool decode_frame(struct dcmshim_dataset *ds, unsigned i,
                         const struct pdb_j2k_frame *f, uint8_t *out,
                         struct pdiburn_error **err)
{
    uint8_t *cs = NULL;
    size_t len = 0;
    char msg[512];
    enum dcmshim_status st = dcmshim_dataset_frame(ds, i, &cs, &len, msg,
                                                   sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, NULL, msg);
    bool ok = pdb_j2k_decode(cs, len, f, out, err);
    free(cs);
    if (!ok)
        pdb_error_prefix(err, "frame %u: ", i + 1);
    return ok;
}

/* The decoder undoes the colour transform of YBR_RCT/YBR_ICT (PS3.5
 * A.4.4), so what comes out is RGB. */
static const char *decoded_photometric(const struct pdb_instance *inst,
                                       char *buf, size_t len)
{
    pdb_instance_string(inst, TAG_PHOTOMETRIC, buf, len);
    if (strcmp(buf, "YBR_RCT") == 0 || strcmp(buf, "YBR_ICT") == 0)
        return "RGB";
    return buf;
}

static bool decode_j2k(const struct pdb_instance *inst,
                       struct dcmshim_dataset *ds, struct pdiburn_error **err)
{
    struct pdb_j2k_frame f;
    unsigned frames = 1;
    if (!frame_geometry(inst, &f, &frames))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "JPEG 2000 image with unusable image attributes");
    /* Numbers from the file: a product that overflows is refused, never
     * allowed to wrap into a small buffer. */
    size_t frame_bytes = 0, all = 0;
    if (__builtin_mul_overflow((size_t) f.rows * f.columns,
                               (size_t) f.samples * (f.bits_allocated / 8),
                               &frame_bytes) ||
        __builtin_mul_overflow(frame_bytes, (size_t) frames, &all))
        return pdb_fail(err, PDIBURN_E_DICOM,
                        "JPEG 2000 image too large to decode (%u frames)",
                        frames);
    uint8_t *pixels = malloc(all ? all : 1);
    if (!pixels)
        return pdb_fail_nomem(err);
    bool ok = true;
    for (unsigned i = 0; ok && i < frames; i++)
        ok = decode_frame(ds, i, &f, pixels + (size_t) i * frame_bytes, err);
    char photometric[17], msg[512];
    enum dcmshim_status st = DCMSHIM_OK;
    if (ok)
        st = dcmshim_dataset_set_native(
            ds, pixels, all, f.bits_allocated,
            decoded_photometric(inst, photometric, sizeof(photometric)), msg,
            sizeof(msg));
    free(pixels);
    return ok && (st == DCMSHIM_OK || pdb_shim_fail(err, st, NULL, msg));
}

static bool make_native(const struct pdb_instance *inst,
                        struct dcmshim_dataset *ds, struct pdiburn_error **err)
{
    char msg[512];
    if (pdb_ts_kind(inst->ts) == PDB_TS_J2K)
        return decode_j2k(inst, ds, err);
    enum dcmshim_status st = dcmshim_dataset_decompress(ds, msg, sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, NULL, msg);
    /* PS3.3 C.7.6.1.1.5: once lossy, always marked lossy. */
    if (pdb_ts_lossy(inst->ts)) {
        st = dcmshim_dataset_put_string(ds, TAG_LOSSY_COMPRESSION, "01", true,
                                        msg, sizeof(msg));
        if (st != DCMSHIM_OK)
            return pdb_shim_fail(err, st, NULL, msg);
    }
    return true;
}

/* The data set loaded from the source file open as f, re-encoded into
 * the spool.  DCMTK reads large values only when needed, through f's name:
 * f stays open until the data set is gone. */
static bool convert(const struct pdb_instance *inst,
                    const struct pdb_source_file *f, const char *spool_path,
                    struct pdiburn_error **err)
{
    struct dcmshim_dataset *ds = NULL;
    char msg[512];
    enum dcmshim_status st = dcmshim_dataset_load(f->name, &ds, msg,
                                                  sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, NULL, msg);
    bool ok = make_native(inst, ds, err);
    if (ok) {
        st = dcmshim_dataset_save(ds, spool_path, msg, sizeof(msg));
        ok = st == DCMSHIM_OK || pdb_shim_fail(err, st, NULL, msg);
    }
    dcmshim_dataset_free(ds);
    return ok;
}

bool pdb_transcode(const struct pdb_instance *inst, const char *spool_path,
                   uint64_t *size, struct pdiburn_error **err)
{
    struct pdb_source_file f;
    if (!pdb_source_file_open(&f, inst->path, err))
        return false;
    bool ok = pdb_source_file_check(&f, &inst->stamp, err) &&
              convert(inst, &f, spool_path, err);
    pdb_source_file_close(&f);
    return ok && pdb_fs_file_size(spool_path, size, err);
}
