/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * source.h - the source stage: where instances come from.  A folder of any
 * layout is walked, DICOM files are told from the rest by their first
 * bytes, and each header is read up to the pixel data, whose place is
 * found without reading it.  What it yields is the inventory (model.h).
 */
#ifndef PDB_SOURCE_H
#define PDB_SOURCE_H

#include "model.h"
#include "dicom.h"

/* ---- sniff.c / folder_scan.c -------------------------------------------- */

enum pdb_sniff {
    PDB_SNIFF_NOT_DICOM,
    PDB_SNIFF_PART10,      /* 128-byte preamble and "DICM" */
    PDB_SNIFF_NO_PREAMBLE, /* "DICM" at the start */
    PDB_SNIFF_DATASET,     /* a bare data set, no meta information */
};
enum pdb_sniff pdb_sniff_bytes(const uint8_t *head, size_t len);

/* Walks `folder` recursively and adds what it finds to the inventory. */
bool pdb_source_scan(struct pdb_inventory *cat, const char *folder,
                     struct pdb_ctl *ctl, struct pdiburn_error **err);

/* What reading one file's header gave (pdb_source_read_file). */
enum pdb_read_kind {
    PDB_READ_INSTANCE,  /* `inst` is set */
    PDB_READ_NOT_DICOM, /* skipped */
    PDB_READ_BROKEN,    /* DICOM, or unreadable, but unusable: `reason` */
};
struct pdb_read {
    enum pdb_read_kind kind;
    struct pdb_instance *inst;
    char *reason;
    char study_uid[PDB_UID_MAX + 1]; /* of a broken file, when it said */
    uint64_t size, ino;              /* as read (fstat) */
    int64_t mtime_ns;
};
/* Reads the header of `path`; thread-safe once dcmshim_init() ran.  Fails
 * only when out of memory.  Free with pdb_read_clear(). */
bool pdb_source_read_file(const char *path, struct pdb_read *out,
                          struct pdiburn_error **err);
void pdb_read_clear(struct pdb_read *r);

/* ---- walk.c: the files of a folder tree --------------------------------- */

/* The name the archive catalog has by default inside the archive; files
 * whose names start with it are left out of every walk. */
#define PDB_CATALOG_NAME ".pdiburn-catalog"

struct pdb_file {
    char *path;
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino;
};
struct pdb_file_list {
    struct pdb_file *files; /* regular files, in walk order */
    size_t nfiles;
    struct pdb_file *dirs;  /* folders, the top one first */
    size_t ndirs;
};
/* Lists the tree under `folder`, reporting PDIBURN_STAGE_LIST progress. */
bool pdb_source_walk(const char *folder, struct pdb_file_list *out,
                     struct pdb_ctl *ctl, struct pdiburn_error **err);
void pdb_file_list_free(struct pdb_file_list *l);
/* The order of paths in a walk: byte order, with '/' before any byte. */
int pdb_source_path_cmp(const char *a, const char *b);

/* pixel_locate.c: locates (7FE0,0010) after the scanner stopped in front of it;
 * fails with PDIBURN_E_DICOM when the file ends inside it. */
bool pdb_pixels_locate(int fd, uint64_t file_size, enum pdb_syntax syn,
                       uint64_t stop_offset, struct pdb_pixels *px,
                       struct pdiburn_error **err);
enum pdb_syntax pdb_syntax_of(const char *ts_uid);

#endif /* PDB_SOURCE_H */
