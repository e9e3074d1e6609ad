/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The folder source: tells DICOM files from the rest, walks each header
 * ourselves (header_walk.c) and then reads it with DCMTK up to the pixel
 * data (never the pixels) into the inventory.  Files that are not DICOM
 * are counted and named in a warning; DICOM files that cannot be used are
 * recorded as broken, with the reason and whatever identifiers could be
 * read, for the selection to judge.  File-sets in the folder are read
 * through their DICOMDIRs (fileset.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dicom.h"
#include "fileset.h"
#include "shim_status.h"

/* The identifiers of a file that could not be used: those DCMTK read when
 * it got that far, else those our own walk passed. */
static void broken_ids(struct pdb_read *out, const struct pdb_walked_head *h,
                       const struct pdb_instance *inst)
{
    static const char none[PDB_UID_MAX + 1] = "";
    const char *sop = inst && inst->sop_uid[0] ? inst->sop_uid
                      : h && h->sop_uid[0]     ? h->sop_uid
                      : h                      ? h->meta_sop_uid
                                               : none;
#define PICK(field) (inst && inst->field[0] ? inst->field : h ? h->field : none)
    snprintf(out->patient_id, sizeof(out->patient_id), "%s",
             PICK(patient_id));
    snprintf(out->study_uid, sizeof(out->study_uid), "%s", PICK(study_uid));
    snprintf(out->series_uid, sizeof(out->series_uid), "%s",
             PICK(series_uid));
#undef PICK
    snprintf(out->sop_uid, sizeof(out->sop_uid), "%s", sop);
    if (inst && inst->keys)
        pdb_instance_string(inst, TAG_ISSUER, out->issuer,
                            sizeof(out->issuer));
    else if (h)
        snprintf(out->issuer, sizeof(out->issuer), "%s", h->issuer);
}

static bool read_broken(struct pdb_read *out, const char *reason,
                        const struct pdb_walked_head *h,
                        const struct pdb_instance *inst)
{
    out->kind = PDB_READ_BROKEN;
    out->reason = strdup(reason);
    broken_ids(out, h, inst);
    return out->reason != NULL;
}

static bool read_header(struct pdb_instance *inst, enum pdb_sniff kind, int fd,
                        const struct pdb_walked_head *walked, bool tag_list,
                        struct pdiburn_error **err)
{
    uint32_t *tags = malloc(pdb_nkeys * sizeof(*tags));
    if (!tags)
        return pdb_fail_nomem(err);
    for (size_t i = 0; i < pdb_nkeys; i++)
        tags[i] = pdb_keys[i].tag;
    struct dcmshim_header h;
    char msg[512], name[32];
    struct dcmshim_source src = {
        pdb_fs_fd_name(inst->path, fd, name), NULL,
        pdb_source_head_span(inst->stamp.head_len, inst->size), inst->size
    };
    uint8_t *head = walked->bytes ? NULL
                                  : pdb_source_head_read(fd, src.head_len);
    src.head = walked->bytes ? walked->bytes : head;
    enum dcmshim_status st = dcmshim_read_header(&src, tags, pdb_nkeys,
                                                 tag_list, &h, msg,
                                                 sizeof(msg));
    free(head);
    free(tags);
    if (st != DCMSHIM_OK)
        return pdb_shim_fail(err, st, NULL, msg); /* the caller names it */
    inst->keys = h.keys;
    inst->keys_len = h.keys_len;
    h.keys = NULL;
    snprintf(inst->ts, sizeof(inst->ts), "%s", h.ts_uid);
    inst->header_len = h.encoded_len;
    inst->scanned.header = h.encoded;
    inst->scanned.tag_list = h.tag_list;
    h.encoded = NULL;
    h.tag_list = NULL;
    pdb_instance_take_ids(inst);
    inst->part10 = kind == PDB_SNIFF_PART10 && h.has_meta &&
                   strcmp(h.meta_sop_uid, inst->sop_uid) == 0 &&
                   strcmp(h.meta_sop_class, inst->sop_class) == 0;
    bool ok = true;
    if (h.stopped && strcmp(inst->ts, PDB_TS_DEFLATED) != 0)
        ok = pdb_pixels_locate(fd, inst->size, pdb_syntax_of(inst->ts),
                               h.stop_offset, &inst->pixels, err);
    else
        inst->pixels.kind = h.stopped ? PDB_PIXELS_UNKNOWN : PDB_PIXELS_NONE;
    dcmshim_header_free(&h);
    return ok;
}

static void take_stamp(struct pdb_instance *inst, const struct stat *st,
                       const struct pdb_walked_head *head)
{
    struct pdb_stamp *s = &inst->stamp;
    *s = (struct pdb_stamp){ true,
                             (uint64_t) st->st_dev,
                             (uint64_t) st->st_ino,
                             (uint64_t) st->st_size,
                             st->st_mtim.tv_sec,
                             st->st_mtim.tv_nsec,
                             head->end,
                             { 0 } };
    memcpy(s->head_sha256, head->sha256, sizeof(s->head_sha256));
}

/* A file that looks like DICOM and walks: read by DCMTK and checked. */
static bool read_dicom(const char *path, int fd, const struct stat *st,
                       enum pdb_sniff kind, const struct pdb_walked_head *head,
                       struct pdb_read *out)
{
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    if (!inst || !(inst->path = strdup(path))) {
        free(inst);
        return false;
    }
    inst->size = (uint64_t) st->st_size;
    inst->mtime = out->mtime_ns / 1000000000;
    take_stamp(inst, st, head);
    struct pdiburn_error *why = NULL;
    if (read_header(inst, kind, fd, head, out->tag_list, &why) &&
        pdb_instance_check(inst, head, &why)) {
        out->kind = PDB_READ_INSTANCE;
        out->inst = inst;
        return true;
    }
    bool ok = pdiburn_error_code(why) != PDIBURN_E_NOMEM &&
              read_broken(out, pdiburn_error_message(why), head, inst);
    pdb_instance_free(inst);
    pdiburn_error_free(why);
    return ok;
}

/* Our own walk first: it names a file DCMTK could not survive, and
 * tells a DICOMDIR (PS3.10 8.6, no instance) from the rest. */
static bool judge_walked(const char *path, int fd, const struct stat *st,
                         enum pdb_sniff kind,
                         const struct pdb_walked_head *head,
                         struct pdb_read *out)
{
    if (strcmp(head->meta_sop_class, PDB_SOP_DICOMDIR) == 0) {
        out->kind = PDB_READ_NOT_DICOM;
        out->dicomdir = true;
        return true;
    }
    if (head->too_deep) {
        char why[96];
        snprintf(why, sizeof(why),
                 "sequences nested deeper than %d levels; not read",
                 PDB_MAX_NESTING);
        return read_broken(out, why, head, NULL);
    }
    return read_dicom(path, fd, st, kind, head, out);
}

static bool read_walked(const char *path, int fd, const struct stat *st,
                        enum pdb_sniff kind, struct pdb_read *out)
{
    struct pdb_walked_head head;
    if (!pdb_head_walk(fd, (uint64_t) st->st_size, true, &head))
        return errno != ENOMEM && read_broken(out, strerror(errno), NULL,
                                              NULL);
    bool ok = judge_walked(path, fd, st, kind, &head, out);
    free(head.bytes); /* DCMTK has read from it */
    return ok;
}

/* What the walk saw, as fstat() would tell it. */
static void walked_stat(const struct pdb_file *f, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_size = (off_t) f->size;
    st->st_mtim.tv_sec = (time_t) (f->mtime_ns / 1000000000);
    st->st_mtim.tv_nsec = (long) (f->mtime_ns % 1000000000);
    st->st_ino = (ino_t) f->ino;
    st->st_dev = (dev_t) f->dev;
}

static bool read_open(const char *path, int fd, const struct pdb_file *walked,
                      struct pdb_read *out)
{
    struct stat st;
    uint8_t first[132];
    size_t got = 0;
    if (walked)
        walked_stat(walked, &st);
    if ((!walked && fstat(fd, &st) != 0) ||
        !pdb_fs_read_at(fd, first, sizeof(first), 0, &got))
        return read_broken(out, strerror(errno), NULL, NULL);
    out->size = (uint64_t) st.st_size;
    out->mtime_ns = (int64_t) st.st_mtim.tv_sec * 1000000000 +
                    st.st_mtim.tv_nsec;
    out->ino = (uint64_t) st.st_ino;
    if (st.st_size == 0)
        return read_broken(out, "an empty file", NULL, NULL);
    enum pdb_sniff kind = pdb_sniff_bytes(first, got);
    if (kind == PDB_SNIFF_NOT_DICOM) {
        out->kind = PDB_READ_NOT_DICOM;
        return true;
    }
    return read_walked(path, fd, &st, kind, out);
}

bool pdb_source_read_file(const char *path, const struct pdb_file *walked,
                          bool tag_list, struct pdb_read *out,
                          struct pdiburn_error **err)
{
    memset(out, 0, sizeof(*out));
    out->tag_list = tag_list;
    int fd = pdb_fs_open_deep(path, O_RDONLY);
    if (fd < 0)
        return read_broken(out, strerror(errno), NULL, NULL) ||
               pdb_fail_nomem(err);
    bool ok = read_open(path, fd, walked, out);
    close(fd);
    return ok || pdb_fail_nomem(err);
}

void pdb_read_clear(struct pdb_read *r)
{
    pdb_instance_free(r->inst);
    free(r->reason);
    memset(r, 0, sizeof(*r));
}

/* ---- the scan of a folder -------------------------------------------------- */

struct scan {
    struct pdb_inventory *cat;
    struct pdb_log *log;
    struct pdb_ctl *ctl;
    const struct pdb_file_list *list;
    struct pdb_read *reads; /* the slots of two batches */
    struct pdb_filesets sets;
};

/* An instance of a File-set damaged beyond recognition as DICOM. */
static bool referenced_not_dicom(struct scan *sc, const char *path,
                                 const struct pdb_fileset *set,
                                 const struct pdb_fileset_ref *ref)
{
    struct pdb_broken ids = { 0 };
    snprintf(ids.patient_id, sizeof(ids.patient_id), "%s", ref->patient_id);
    snprintf(ids.study_uid, sizeof(ids.study_uid), "%s", ref->study_uid);
    snprintf(ids.series_uid, sizeof(ids.series_uid), "%s", ref->series_uid);
    snprintf(ids.sop_uid, sizeof(ids.sop_uid), "%s", ref->sop_uid);
    char *why = pdb_format("not a DICOM file, though '%s' references it",
                           set->dicomdir);
    bool ok = why && pdb_inventory_add_broken_ids(sc->cat, path, why, &ids);
    free(why);
    return ok;
}

/* Not DICOM: inside a File-set that is its web content, README and the
 * like, counted quietly; elsewhere named. */
static bool not_dicom(struct scan *sc, const char *path,
                      const struct pdb_read *r)
{
    const struct pdb_fileset *set = pdb_filesets_holding(&sc->sets, path);
    const struct pdb_fileset_ref *ref = pdb_filesets_ref(&sc->sets, path);
    if (r->dicomdir) {
        pdb_info(sc->log, "'%s': a DICOMDIR, not an instance", path);
        return true;
    }
    if (ref)
        return referenced_not_dicom(sc, path, set, ref);
    sc->cat->not_dicom++;
    if (set)
        pdb_debug(sc->log, "'%s': not a DICOM file; skipped", path);
    else
        pdb_warn(sc->log, "'%s': not a DICOM file; skipped", path);
    return true;
}

static bool add_broken(struct pdb_inventory *cat, const char *path,
                       const struct pdb_read *r)
{
    struct pdb_broken ids = { 0 };
    memcpy(ids.patient_id, r->patient_id, sizeof(ids.patient_id));
    memcpy(ids.issuer, r->issuer, sizeof(ids.issuer));
    memcpy(ids.study_uid, r->study_uid, sizeof(ids.study_uid));
    memcpy(ids.series_uid, r->series_uid, sizeof(ids.series_uid));
    memcpy(ids.sop_uid, r->sop_uid, sizeof(ids.sop_uid));
    return pdb_inventory_add_broken_ids(cat, path, r->reason, &ids);
}

/* One file read: skipped (not DICOM), added, or recorded as broken.
 * Fails only when memory runs out. */
static bool merge(struct scan *sc, const char *path, struct pdb_read *r,
                  struct pdiburn_error **err)
{
    bool ok = true;
    if (r->kind == PDB_READ_NOT_DICOM)
        ok = not_dicom(sc, path, r);
    else if (r->kind == PDB_READ_BROKEN)
        ok = add_broken(sc->cat, path, r);
    else if ((ok = pdb_inventory_add(sc->cat, r->inst)))
        r->inst = NULL;
    return ok || pdb_fail_nomem(err);
}

/* Headers are read on all cores (pdb_work), each file into its own slot,
 * and merged here in the walk's order: the inventory, its warnings and
 * the first error are those of reading one file after the other. */
#define BATCH 256

static struct pdb_read *slot(struct scan *sc, size_t i)
{
    return &sc->reads[i % (2 * BATCH)];
}

static bool read_one(void *ctx, size_t i)
{
    struct scan *sc = ctx;
    const struct pdb_file *f = &sc->list->files[i];
    return pdb_source_read_file(f->path, f, sc->cat->scan_tag_lists,
                                slot(sc, i), NULL);
}

static bool take_batch(void *ctx, size_t first, size_t n,
                       struct pdiburn_error **err)
{
    struct scan *sc = ctx;
    bool ok = true;
    for (size_t i = first; ok && i < first + n; i++) {
        const char *path = sc->list->files[i].path;
        ok = pdb_ctl_report(sc->ctl, PDIBURN_STAGE_SCAN, i,
                            sc->list->nfiles, path, err) &&
             merge(sc, path, slot(sc, i), err);
    }
    return ok;
}

static void clear_batch(void *ctx, size_t first, size_t n)
{
    struct scan *sc = ctx;
    for (size_t i = first; i < first + n; i++)
        pdb_read_clear(slot(sc, i));
}

static bool read_all(struct scan *sc, struct pdiburn_error **err)
{
    struct pdb_work w = { sc->list->nfiles, BATCH, 0, read_one, take_batch,
                          clear_batch, sc };
    sc->reads = calloc(2 * BATCH, sizeof(*sc->reads));
    bool ok = sc->reads ? pdb_work_run(&w, err) : pdb_fail_nomem(err);
    free(sc->reads);
    return ok && pdb_ctl_report(sc->ctl, PDIBURN_STAGE_SCAN, sc->list->nfiles,
                                sc->list->nfiles, NULL, err);
}

bool pdb_source_scan(struct pdb_inventory *cat, const char *folder,
                     struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    dcmshim_init(); /* once, before any worker reads */
    struct pdb_file_list list = { 0 };
    struct scan sc = { cat, &ctl->log, ctl, &list, NULL, { 0 } };
    bool ok = pdb_source_walk(folder, &list, ctl, err) &&
              pdb_filesets_find(&list, &sc.sets, &ctl->log, err) &&
              read_all(&sc, err) &&
              pdb_filesets_reconcile(&sc.sets, cat, &ctl->log, err);
    pdb_filesets_free(&sc.sets);
    pdb_file_list_free(&list);
    return ok;
}
