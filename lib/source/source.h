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
    /* what a broken file still shows, "" where it does not */
    char study_uid[PDB_UID_MAX + 1];
    char patient_id[PDB_UID_MAX + 1], issuer[PDB_UID_MAX + 1];
    char series_uid[PDB_UID_MAX + 1], sop_uid[PDB_UID_MAX + 1];
    bool dicomdir;                   /* NOT_DICOM: a DICOMDIR (PS3.10 8.6) */
    uint64_t size, ino;              /* as read (fstat) */
    int64_t mtime_ns;
    bool tag_list; /* asked: the instance's scanned.tag_list made too */
};
/* Reads the header of `path`; thread-safe once dcmshim_init() ran.  Fails
 * only when out of memory.  Free with pdb_read_clear().  `walked`, when
 * not NULL, is what a walk saw of the file: its size, time and identity
 * are taken as the file's (no second stat); a change after the walk then
 * shows when the file is used.  With `tag_list`, the viewer's list of
 * the file's elements is made too (inst->scanned.tag_list).  Declared
 * after struct pdb_file. */
void pdb_read_clear(struct pdb_read *r);

/* ---- walk.c: the files of a folder tree --------------------------------- */

/* The name the archive catalog has by default inside the archive; files
 * whose names start with it are left out of every walk. */
#define PDB_CATALOG_NAME ".pdiburn-catalog"

struct pdb_file {
    char *path;
    uint64_t size;
    int64_t mtime_ns;
    uint64_t ino, dev;
};
bool pdb_source_read_file(const char *path, const struct pdb_file *walked,
                          bool tag_list, struct pdb_read *out,
                          struct pdiburn_error **err);
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

/* header_walk.c: our own walk of a header before DCMTK reads it. */
#define PDB_MAX_NESTING 64 /* sequences in sequences, PS3.5 7.5 */
struct pdb_walked_head {
    bool has_meta;
    bool meta_ts_present;      /* (0002,0010) is there ... */
    uint32_t meta_ts_len;      /* ... with this many bytes */
    char meta_ts[2 * PDB_UID_MAX + 2]; /* "" when longer */
    char meta_sop_class[PDB_UID_MAX + 1], meta_sop_uid[PDB_UID_MAX + 1];
    /* top-level identifiers, "" when absent or unreadable */
    char patient_id[PDB_UID_MAX + 1], issuer[PDB_UID_MAX + 1];
    char study_uid[PDB_UID_MAX + 1], series_uid[PDB_UID_MAX + 1];
    char sop_uid[PDB_UID_MAX + 1];
    bool too_deep;             /* sequences nested over PDB_MAX_NESTING */
    bool pixels_found;         /* the walk reached (7FE0,0010) */
    uint64_t end;              /* header end: the pixel data, else EOF */
    uint8_t sha256[PDB_SHA256_LEN]; /* of bytes [0, end) */
    /* with `keep`: the file's first pdb_source_head_span() bytes when the
     * walk holds them already, else NULL; the caller frees them */
    uint8_t *bytes;
    size_t bytes_len;
};
/* False, with errno, when the file cannot be read. */
bool pdb_head_walk(int fd, uint64_t size, bool keep,
                   struct pdb_walked_head *h);

/* source_file.c: a source file opened again after the scan, any depth;
 * `name` is what to give DCMTK. */
struct pdb_source_file {
    const char *path;
    int fd;
    const char *name;
    char proc[32];
};
bool pdb_source_file_open(struct pdb_source_file *f, const char *path,
                          struct pdiburn_error **err);
void pdb_source_file_close(struct pdb_source_file *f);
/* Still the file scanned: same file, size and time (stamp_check), and the
 * same header bytes (file_check reads them again). */
bool pdb_source_stamp_check(int fd, const char *path,
                            const struct pdb_stamp *stamp,
                            struct pdiburn_error **err);
bool pdb_source_file_check(const struct pdb_source_file *f,
                           const struct pdb_stamp *stamp,
                           struct pdiburn_error **err);
bool pdb_source_head_matches(const struct pdb_stamp *stamp,
                             const uint8_t digest[PDB_SHA256_LEN],
                             const char *path, struct pdiburn_error **err);
/* How many of a file's first bytes DCMTK should read its header from
 * (dcmshim_source), given where the walk ended; 0: too many, read the
 * file.  head_read: those bytes (NULL when the file holds fewer). */
size_t pdb_source_head_span(uint64_t head_end, uint64_t size);
uint8_t *pdb_source_head_read(int fd, size_t n);
/* file_check, handing back the head it read (*head NULL when the span is
 * 0); free it. */
bool pdb_source_file_check_head(const struct pdb_source_file *f,
                                const struct pdb_stamp *stamp,
                                uint8_t **head, size_t *head_len,
                                struct pdiburn_error **err);

/* instance_check.c: what a scanned instance must be to be planned; an
 * unknown transfer syntax of the meta information becomes its `ts`. */
bool pdb_instance_check(struct pdb_instance *inst, const struct pdb_walked_head *head,
                        struct pdiburn_error **err);

/* pixel_locate.c: locates (7FE0,0010) after the scanner stopped in front of it;
 * fails with PDIBURN_E_DICOM when the file ends inside it. */
bool pdb_pixels_locate(int fd, uint64_t file_size, enum pdb_syntax syn,
                       uint64_t stop_offset, struct pdb_pixels *px,
                       struct pdiburn_error **err);
enum pdb_syntax pdb_syntax_of(const char *ts_uid);

#endif /* PDB_SOURCE_H */
