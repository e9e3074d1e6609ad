/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * model.h - the data every stage shares: instances found by a source,
 * grouped patient -> study -> series -> instance (PS3.3 F.4), and the plan
 * of each instance.  Shared from folder_scan.c to the writers; never
 * installed.
 */
#ifndef PDB_MODEL_H
#define PDB_MODEL_H

#include "dicom.h"

/* ---- scan_keys.c: the attributes the scanner keeps ---------------------- */

struct pdb_key {
    uint32_t tag;
    const char *vr;
    const char *name;
};

/* Every attribute any directory record, page or check needs, ascending. */
extern const struct pdb_key pdb_keys[];
extern const size_t pdb_nkeys;
const struct pdb_key *pdb_key_find(uint32_t tag);

#define TAG_SPECIFIC_CHARSET 0x00080005u
#define TAG_IMAGE_TYPE 0x00080008u
#define TAG_SOP_CLASS 0x00080016u
#define TAG_SOP_INSTANCE 0x00080018u
#define TAG_STUDY_DATE 0x00080020u
#define TAG_CONTENT_DATE 0x00080023u
#define TAG_STUDY_TIME 0x00080030u
#define TAG_CONTENT_TIME 0x00080033u
#define TAG_ACCESSION 0x00080050u
#define TAG_MODALITY 0x00080060u
#define TAG_STUDY_DESCRIPTION 0x00081030u
#define TAG_SERIES_DESCRIPTION 0x0008103Eu
#define TAG_PATIENT_NAME 0x00100010u
#define TAG_PATIENT_ID 0x00100020u
#define TAG_ISSUER 0x00100021u
#define TAG_BIRTH_DATE 0x00100030u
#define TAG_PATIENT_SEX 0x00100040u
#define TAG_STUDY_UID 0x0020000Du
#define TAG_SERIES_UID 0x0020000Eu
#define TAG_STUDY_ID 0x00200010u
#define TAG_SERIES_NUMBER 0x00200011u
#define TAG_INSTANCE_NUMBER 0x00200013u
#define TAG_SAMPLES_PER_PIXEL 0x00280002u
#define TAG_PHOTOMETRIC 0x00280004u
#define TAG_NUMBER_OF_FRAMES 0x00280008u
#define TAG_ROWS 0x00280010u
#define TAG_COLUMNS 0x00280011u
#define TAG_BITS_ALLOCATED 0x00280100u
#define TAG_BITS_STORED 0x00280101u
#define TAG_PIXEL_REPRESENTATION 0x00280103u
#define TAG_LOSSY_COMPRESSION 0x00282110u
#define TAG_PIXEL_DATA 0x7FE00010u

/* ---- the source --------------------------------------------------------- */

enum pdb_pixel_kind {
    PDB_PIXELS_NONE,         /* no pixel data */
    PDB_PIXELS_NATIVE,       /* (7FE0,0010) of defined length */
    PDB_PIXELS_ENCAPSULATED, /* fragments (PS3.5 A.4) */
    PDB_PIXELS_UNKNOWN,      /* deflated, or another element ended the
                                header: not located */
};

/* Where the pixel data sits in the source file. */
struct pdb_pixels {
    enum pdb_pixel_kind kind;
    char vr[3];              /* "OB"/"OW"; "" when read as Implicit VR */
    uint64_t element_offset; /* first byte of the element */
    uint64_t value_offset;
    uint64_t value_length;   /* native data only */
    uint64_t end;            /* first byte after the element */
    uint64_t fragments;      /* encapsulated: items after the offset table */
};

/* What a source file was when it was scanned, to tell at writing whether
 * it changed since (same length rewrites included). */
struct pdb_stamp {
    bool known;                      /* set by the folder scan; instances
                                        from the catalog have none */
    uint64_t dev, ino, size;
    int64_t mtime_sec, mtime_nsec;
    uint64_t head_len;               /* bytes up to the pixel data */
    uint8_t head_sha256[PDB_SHA256_LEN];
};

enum pdb_action {
    PDB_ACTION_COPY,      /* Part 10, Explicit VR LE: copied byte for byte */
    PDB_ACTION_SPLICE,    /* new meta + header re-encoded to Explicit VR LE,
                             then the native pixel bytes of the source */
    PDB_ACTION_TRANSCODE, /* re-encoded or decompressed into the spool */
    PDB_ACTION_SKIP,      /* cannot be made conformant; left out, listed */
};

struct pdb_series;

struct pdb_instance {
    char *path;
    uint64_t size;
    int64_t mtime;             /* of the source file, seconds since 1970 */
    struct pdb_stamp stamp;
    char ts[PDB_UID_MAX + 1];  /* transfer syntax of the data set */
    char sop_class[PDB_UID_MAX + 1];
    char sop_uid[PDB_UID_MAX + 1];
    char study_uid[PDB_UID_MAX + 1];
    char series_uid[PDB_UID_MAX + 1];
    char patient_id[PDB_UID_MAX + 1]; /* raw LO value, "" when absent */
    bool part10;          /* preamble, DICM and meta with our SOP UIDs */
    uint8_t *keys;        /* pdb_keys present in the file, Explicit VR LE */
    size_t keys_len;
    struct pdb_pixels pixels;
    uint64_t header_len;  /* re-encoded header length, for SPLICE */
    long number;          /* Instance Number, or invented */
    bool has_number;
    bool dropped;         /* a byte-identical duplicate of another file */
    unsigned volume;      /* 1-based volume it goes on, 0 before spanning */
    struct pdb_series *series;

    /* the plan */
    enum pdb_action action;
    char file_id[PDB_FILEID_MAX];
    uint64_t out_size;
    char *spool;          /* TRANSCODE: the re-encoded data set */
    uint64_t spool_size;
    uint64_t header_at;   /* SPLICE: 1 + the header's offset in the
                             content's spool file; 0: made when read */
    /* What the scan made that later steps would make again: kept by
     * pdb_inventory_add() in the inventory's file (scanned_headers.c) */
    struct {
        uint8_t *header;       /* header_len bytes: the re-encoding */
        char *tag_list;        /* the viewer's list of the elements */
        uint64_t header_at;    /* once kept: 1 + offsets in that file */
        uint64_t tag_list_at;  /*   (0: not kept) */
        uint32_t tag_list_len;
    } scanned;
};

struct pdb_study;

struct pdb_series {
    char uid[PDB_UID_MAX + 1];
    long number;          /* Series Number, or invented */
    bool has_number;
    struct pdb_instance **instances;
    size_t ninstances;
    struct pdb_study *study;
    /* A series split over volumes (lib/plan/volume_share.c): instances
     * first..last (1-based, in series order) of the `total` on media are
     * on this volume, the others on prev/next (0: none).  total 0 when the
     * whole series is here. */
    struct {
        size_t first, last, total;
        unsigned prev_volume, next_volume;
    } part;
};

struct pdb_patient;

struct pdb_study {
    char uid[PDB_UID_MAX + 1];
    char date[9];         /* Study Date, "" when absent */
    char time[17];
    struct pdb_series **series;
    size_t nseries;
    struct pdb_patient *patient;
    bool selected;
};

struct pdb_patient {
    char id[PDB_UID_MAX + 1]; /* as on the media (may be invented) */
    bool invented;            /* the images carry no Patient ID */
    /* whose patient attributes (name, birth date, sex, issuer) the PATIENT
     * record, pages and labels show: the most recent study's */
    const struct pdb_instance *shown;
    struct pdb_study **studies;
    size_t nstudies;
};

/* A file that looked like DICOM but could not be used, with whatever
 * identifiers could still be read from it ("" when not). */
struct pdb_broken {
    char *path;
    char *reason;
    char patient_id[PDB_UID_MAX + 1];
    char issuer[PDB_UID_MAX + 1];
    char study_uid[PDB_UID_MAX + 1];
    char series_uid[PDB_UID_MAX + 1];
    char sop_uid[PDB_UID_MAX + 1];
};

struct pdb_inventory {
    struct pdb_instance **instances; /* every usable instance found */
    size_t ninstances, cap;
    struct pdb_broken *broken;
    size_t nbroken;                  /* grown by pdb_grow() */
    uint64_t not_dicom;              /* files skipped as not DICOM */
    uint64_t unidentified; /* broken files tied to no patient or study */
    struct pdb_study **studies;      /* all, built by pdb_group_build() */
    size_t nstudies;
    struct pdb_patient **patients; /* selected only, pdb_group_patients() */
    size_t npatients;
    bool is_view; /* pdb_inventory_share(): owns no instances */
    struct pdb_scanned_headers *scanned; /* NULL: none kept; views share */
    bool scan_tag_lists; /* the scan also makes the viewer's tag lists */
};

void pdb_inventory_free(struct pdb_inventory *cat);
/* Adds (taking ownership) / records; false when out of memory. */
bool pdb_inventory_add(struct pdb_inventory *cat, struct pdb_instance *inst);
bool pdb_inventory_add_broken(struct pdb_inventory *cat, const char *path,
                              const char *reason, const char *study_uid);
/* The same with every identifier the file still shows (the fields of
 * `ids` but its path and reason, which are copied from the arguments). */
bool pdb_inventory_add_broken_ids(struct pdb_inventory *cat,
                                  const char *path, const char *reason,
                                  const struct pdb_broken *ids);
void pdb_instance_free(struct pdb_instance *inst);

/* scanned_headers.c: what the scan made of each header (inst->scanned),
 * kept in a private file in `dir` for the splice and the viewer.  Open:
 * false only when out of memory (no file is no error: it is all made
 * again when needed).  Keep: called for each instance added; takes what
 * inst->scanned holds.  Reads: a malloc'd copy when kept, else false. */
struct pdb_scanned_headers;
bool pdb_scanned_headers_open(struct pdb_inventory *cat, const char *dir);
void pdb_scanned_headers_keep(struct pdb_inventory *cat,
                              struct pdb_instance *inst);
bool pdb_scanned_headers_read(const struct pdb_inventory *cat,
                              const struct pdb_instance *inst,
                              uint8_t **bytes, size_t *len);
bool pdb_scanned_tag_list_read(const struct pdb_inventory *cat,
                               const struct pdb_instance *inst, char **text);
void pdb_scanned_headers_close(struct pdb_inventory *cat);

/* Copies the UIDs and Patient ID of the key blob into their fields. */
void pdb_instance_take_ids(struct pdb_instance *inst);

/* Goes on the media: planned, neither a merged duplicate nor skipped. */
bool pdb_instance_on_media(const struct pdb_instance *inst);

/* The transfer syntax of an instance as it is on the media. */
const char *pdb_instance_out_ts(const struct pdb_instance *inst);

/* Key values of an instance (Explicit VR LE blob). */
bool pdb_instance_string(const struct pdb_instance *inst, uint32_t tag,
                         char *out, size_t outlen);
bool pdb_instance_u16(const struct pdb_instance *inst, uint32_t tag,
                      uint16_t *out);
bool pdb_instance_int(const struct pdb_instance *inst, uint32_t tag, long *out);

/* Image Pixel attributes: 0 where absent, but 1 sample and 1 frame. */
struct pdb_geometry {
    unsigned rows, columns, samples, bits_allocated, frames;
};
void pdb_instance_geometry(const struct pdb_instance *inst,
                           struct pdb_geometry *g);

#endif /* PDB_MODEL_H */
