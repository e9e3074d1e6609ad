/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The folder source: walks a folder of any layout, tells DICOM files from
 * the rest, and reads each header up to the pixel data (never the pixels)
 * into the inventory.  Files that are not DICOM are counted and named in a
 * warning; DICOM files that cannot be used are recorded as broken, with
 * the reason, for the selection to judge.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim_status.h"
#include "dicom.h"
#include "source.h"

/* Identifying attributes; a data set without them cannot be placed in a
 * DICOMDIR (PS3.3 F.5). */
static bool take_identity(struct pdb_instance *inst,
                          const struct dcmshim_header *h,
                          struct pdiburn_error **err)
{
    pdb_instance_take_ids(inst);
    if (!inst->sop_class[0])
        snprintf(inst->sop_class, sizeof(inst->sop_class), "%s",
                 h->meta_sop_class);
    if (!inst->sop_uid[0])
        snprintf(inst->sop_uid, sizeof(inst->sop_uid), "%s", h->meta_sop_uid);
    const char *missing = !inst->sop_class[0]    ? "SOP Class UID"
                          : !inst->sop_uid[0]    ? "SOP Instance UID"
                          : !inst->study_uid[0]  ? "Study Instance UID"
                          : !inst->series_uid[0] ? "Series Instance UID"
                                                 : NULL;
    if (missing)
        return pdb_fail(err, PDIBURN_E_DICOM, "no %s", missing);
    return true;
}

static bool read_header(struct pdb_instance *inst, enum pdb_sniff kind,
                        int fd, struct pdiburn_error **err)
{
    uint32_t tags[128];
    _Static_assert(sizeof(tags) / sizeof(tags[0]) >= 80, "grow tags[]");
    for (size_t i = 0; i < pdb_nkeys; i++)
        tags[i] = pdb_keys[i].tag;
    struct dcmshim_header h;
    char msg[512];
    enum dcmshim_status st = dcmshim_read_header(inst->path, tags, pdb_nkeys,
                                                 true, &h, msg, sizeof(msg));
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, NULL, msg); /* the caller names it */
    inst->keys = h.keys;
    inst->keys_len = h.keys_len;
    h.keys = NULL;
    snprintf(inst->ts, sizeof(inst->ts), "%s", h.ts_uid);
    inst->header_len = h.encoded_len;
    bool ok = take_identity(inst, &h, err);
    inst->part10 = kind == PDB_SNIFF_PART10 && h.has_meta &&
                   strcmp(h.meta_sop_uid, inst->sop_uid) == 0 &&
                   strcmp(h.meta_sop_class, inst->sop_class) == 0;
    if (ok && h.stopped && strcmp(inst->ts, PDB_TS_DEFLATED) != 0)
        ok = pdb_pixels_locate(fd, inst->size, pdb_syntax_of(inst->ts),
                               h.stop_offset, &inst->pixels, err);
    else if (ok)
        inst->pixels.kind = h.stopped ? PDB_PIXELS_UNKNOWN : PDB_PIXELS_NONE;
    dcmshim_header_free(&h);
    return ok;
}

static enum pdb_sniff sniff_file(int fd, struct pdb_read *out)
{
    struct stat st;
    uint8_t head[132];
    size_t got = 0;
    if (fstat(fd, &st) != 0 || !pdb_fs_read_at(fd, head, sizeof(head), 0, &got))
        return PDB_SNIFF_NOT_DICOM;
    out->size = (uint64_t) st.st_size;
    out->mtime_ns = (int64_t) st.st_mtim.tv_sec * 1000000000 +
                    st.st_mtim.tv_nsec;
    out->ino = (uint64_t) st.st_ino;
    return pdb_sniff_bytes(head, got);
}

static bool read_broken(struct pdb_read *out, const char *reason)
{
    out->kind = PDB_READ_BROKEN;
    out->reason = strdup(reason);
    return out->reason != NULL;
}

static bool read_dicom(const char *path, int fd, enum pdb_sniff kind,
                       struct pdb_read *out)
{
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    if (!inst || !(inst->path = strdup(path))) {
        free(inst);
        return false;
    }
    inst->size = out->size;
    inst->mtime = out->mtime_ns / 1000000000;
    struct pdiburn_error *why = NULL;
    if (read_header(inst, kind, fd, &why)) {
        out->kind = PDB_READ_INSTANCE;
        out->inst = inst;
        return true;
    }
    snprintf(out->study_uid, sizeof(out->study_uid), "%s", inst->study_uid);
    pdb_instance_free(inst);
    bool ok = pdiburn_error_code(why) != PDIBURN_E_NOMEM &&
              read_broken(out, pdiburn_error_message(why));
    pdiburn_error_free(why);
    return ok;
}

bool pdb_source_read_file(const char *path, struct pdb_read *out,
                          struct pdiburn_error **err)
{
    memset(out, 0, sizeof(*out));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return read_broken(out, strerror(errno)) || pdb_fail_nomem(err);
    enum pdb_sniff kind = sniff_file(fd, out);
    bool ok = kind == PDB_SNIFF_NOT_DICOM
                  ? (out->kind = PDB_READ_NOT_DICOM, true)
                  : read_dicom(path, fd, kind, out);
    close(fd);
    return ok || pdb_fail_nomem(err);
}

void pdb_read_clear(struct pdb_read *r)
{
    pdb_instance_free(r->inst);
    free(r->reason);
    memset(r, 0, sizeof(*r));
}

/* One file: skipped (not DICOM), added, or recorded as broken.  Fails only
 * when the inventory itself cannot grow. */
static bool scan_file(struct pdb_inventory *cat, const char *path,
                      struct pdb_log *log, struct pdiburn_error **err)
{
    struct pdb_read r;
    if (!pdb_source_read_file(path, &r, err))
        return false;
    bool ok = true;
    if (r.kind == PDB_READ_NOT_DICOM) {
        cat->not_dicom++;
        pdb_warn(log, "'%s': not a DICOM file; skipped", path);
    } else if (r.kind == PDB_READ_BROKEN) {
        ok = pdb_inventory_add_broken(cat, path, r.reason, r.study_uid);
    } else if ((ok = pdb_inventory_add(cat, r.inst))) {
        r.inst = NULL;
    }
    pdb_read_clear(&r);
    return ok || pdb_fail_nomem(err);
}

bool pdb_source_scan(struct pdb_inventory *cat, const char *folder,
                     struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    dcmshim_init();
    struct pdb_file_list list = { 0 };
    bool ok = pdb_source_walk(folder, &list, ctl, err);
    for (size_t i = 0; ok && i < list.nfiles; i++) {
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_SCAN, i, list.nfiles,
                            list.files[i].path, err) &&
             scan_file(cat, list.files[i].path, &ctl->log, err);
    }
    if (ok)
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_SCAN, list.nfiles, list.nfiles,
                            NULL, err);
    pdb_file_list_free(&list);
    return ok;
}
