/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The folder source: walks a folder of any layout, tells DICOM files from
 * the rest, and reads each header up to the pixel data (never the pixels)
 * into the inventory.  Files that are not DICOM are counted and named in a
 * warning; DICOM files that cannot be used are recorded as broken, with
 * the reason, for the selection to judge.
 */
#include <dirent.h>
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

struct path_list {
    char **paths;
    size_t n, cap;
};

static bool list_add(struct path_list *l, char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **p = realloc(l->paths, cap * sizeof(*p));
        if (!p)
            return false;
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n++] = path;
    return true;
}

static void list_free(struct path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static bool walk(const char *dir, struct path_list *out, struct pdb_log *log,
                 struct pdiburn_error **err);

static bool visit(const char *path, struct path_list *out,
                  struct pdb_log *log, struct pdiburn_error **err)
{
    struct stat lst, st;
    if (lstat(path, &lst) != 0 || stat(path, &st) != 0) {
        pdb_warn(log, "'%s': %s; skipped", path, strerror(errno));
        return true;
    }
    if (S_ISDIR(st.st_mode)) {
        if (S_ISLNK(lst.st_mode)) { /* a link could lead in a circle */
            pdb_warn(log, "'%s': link to a folder not followed", path);
            return true;
        }
        return walk(path, out, log, err);
    }
    if (!S_ISREG(st.st_mode))
        return true;
    char *copy = strdup(path);
    if (!copy || !list_add(out, copy)) {
        free(copy);
        return pdb_fail_nomem(err);
    }
    return true;
}

/* Depth first, names in byte order: the same folder always scans the same
 * way, so media made twice from it are laid out alike. */
static bool walk(const char *dir, struct path_list *out, struct pdb_log *log,
                 struct pdiburn_error **err)
{
    DIR *d = opendir(dir);
    if (!d)
        return pdb_fail(err, PDIBURN_E_IO, "reading folder '%s': %s", dir,
                        strerror(errno));
    struct path_list names = { 0 };
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *name = strdup(de->d_name);
        ok = name && list_add(&names, name);
        if (!ok)
            free(name);
    }
    closedir(d);
    if (!ok) {
        list_free(&names);
        return pdb_fail_nomem(err);
    }
    qsort(names.paths, names.n, sizeof(char *), compare_names);
    for (size_t i = 0; ok && i < names.n; i++) {
        char *path = pdb_fs_path_join(dir, names.paths[i]);
        ok = path ? visit(path, out, log, err) : pdb_fail_nomem(err);
        free(path);
    }
    list_free(&names);
    return ok;
}

static bool catalog_add(struct pdb_inventory *cat, struct pdb_instance *inst)
{
    if (cat->ninstances == cat->cap) {
        size_t cap = cat->cap ? cat->cap * 2 : 256;
        struct pdb_instance **p = realloc(cat->instances, cap * sizeof(*p));
        if (!p)
            return false;
        cat->instances = p;
        cat->cap = cap;
    }
    cat->instances[cat->ninstances++] = inst;
    return true;
}

static bool catalog_add_broken(struct pdb_inventory *cat, const char *path,
                               const char *reason, const char *study_uid)
{
    if (cat->nbroken == cat->broken_cap) {
        size_t cap = cat->broken_cap ? cat->broken_cap * 2 : 16;
        struct pdb_broken *p = realloc(cat->broken, cap * sizeof(*p));
        if (!p)
            return false;
        cat->broken = p;
        cat->broken_cap = cap;
    }
    struct pdb_broken *b = &cat->broken[cat->nbroken];
    b->path = strdup(path);
    b->reason = strdup(reason);
    snprintf(b->study_uid, sizeof(b->study_uid), "%s", study_uid);
    if (!b->path || !b->reason) {
        free(b->path);
        free(b->reason);
        return false;
    }
    cat->nbroken++;
    return true;
}

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

static enum pdb_sniff sniff_file(int fd, uint64_t *size)
{
    struct stat st;
    uint8_t head[132];
    size_t got = 0;
    if (fstat(fd, &st) != 0 || !pdb_fs_read_at(fd, head, sizeof(head), 0, &got))
        return PDB_SNIFF_NOT_DICOM;
    *size = (uint64_t) st.st_size;
    return pdb_sniff_bytes(head, got);
}

/* One file: skipped (not DICOM), added, or recorded as broken.  Fails only
 * when the inventory itself cannot grow. */
static bool scan_file(struct pdb_inventory *cat, const char *path,
                      struct pdb_log *log, struct pdiburn_error **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return catalog_add_broken(cat, path, strerror(errno), "") ||
               pdb_fail_nomem(err);
    uint64_t size = 0;
    enum pdb_sniff kind = sniff_file(fd, &size);
    if (kind == PDB_SNIFF_NOT_DICOM) {
        close(fd);
        cat->not_dicom++;
        pdb_warn(log, "'%s': not a DICOM file; skipped", path);
        return true;
    }
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    struct pdiburn_error *why = NULL;
    bool ok = inst && (inst->path = strdup(path)) != NULL;
    if (ok) {
        inst->size = size;
        if (read_header(inst, kind, fd, &why))
            ok = catalog_add(cat, inst);
        else
            ok = catalog_add_broken(cat, path, pdiburn_error_message(why),
                                    inst->study_uid);
    }
    close(fd);
    if (!ok || why)
        pdb_instance_free(inst);
    pdiburn_error_free(why);
    return ok || pdb_fail_nomem(err);
}

bool pdb_source_scan(struct pdb_inventory *cat, const char *folder,
                     struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct stat st;
    if (stat(folder, &st) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "source '%s': %s", folder,
                        strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return pdb_fail(err, PDIBURN_E_IO, "source '%s': not a folder",
                        folder);
    dcmshim_init();
    struct path_list files = { 0 };
    bool ok = walk(folder, &files, &ctl->log, err);
    for (size_t i = 0; ok && i < files.n; i++) {
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_SCAN, i, files.n,
                            files.paths[i], err) &&
             scan_file(cat, files.paths[i], &ctl->log, err);
    }
    if (ok)
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_SCAN, files.n, files.n, NULL,
                            err);
    list_free(&files);
    return ok;
}
