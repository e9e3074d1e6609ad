/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* content.h - the files of one volume, and reading them for a writer
 * (content.c, node_reader.c, manifest.c). */
#ifndef PDB_CONTENT_H
#define PDB_CONTENT_H

#include "model.h"

enum pdb_seg_kind {
    PDB_SEG_MEM,    /* bytes in memory */
    PDB_SEG_FILE,   /* a range of a file: source or spool */
    PDB_SEG_HEADER, /* the re-encoded header of a source file, made again
                       when read so that no copy of it stays in memory */
};

struct pdb_seg {
    enum pdb_seg_kind kind;
    const uint8_t *mem;  /* MEM */
    const char *path;    /* FILE, HEADER; borrowed from the instance */
    uint64_t offset, length;
};

#define PDB_MAX_SEGS 4

struct pdb_node {
    char *path;          /* as written to folders, ZIP, Rock Ridge and
                            Joliet; the ISO 9660 name is its upper case */
    uint64_t size;
    struct pdb_seg segs[PDB_MAX_SEGS];
    unsigned nsegs;
    uint8_t *owned;      /* memory the node's MEM segments point into */
    bool is_manifest;    /* SHA256.TXT: made when read, from the others */
    bool hashed;         /* sha256 and xxh hold digests of all bytes read */
    uint8_t sha256[PDB_SHA256_LEN];
    uint64_t xxh;
    const struct pdb_instance *inst; /* DICOM files */
    int64_t mtime;       /* seconds since 1970; 0: made by this run */
    bool spooled;        /* owned holds the path of a spool file to remove */
};

struct pdb_content {
    struct pdb_node **nodes;
    size_t nnodes;
    uint64_t bytes;      /* sum of node sizes */
    struct pdb_ctl *ctl; /* readers poll it for cancellation */
};

bool pdb_content_add_mem(struct pdb_content *c, const char *path,
                         uint8_t *data, size_t len,
                         struct pdiburn_error **err); /* takes data */
/* Writes `data` to a new private file `name` in `spool` and adds a node
 * that reads it from there; pdb_content_free() removes the file. */
bool pdb_content_add_spooled(struct pdb_content *c, const char *path,
                             const char *spool, const char *name,
                             const uint8_t *data, size_t len,
                             struct pdiburn_error **err);
/* What an instance as planned takes on the media, in bytes. */
uint64_t pdb_content_instance_size(const struct pdb_instance *inst);
bool pdb_content_add_instance(struct pdb_content *c,
                              const struct pdb_instance *inst,
                              struct pdiburn_error **err);
/* SHA256.TXT, listing every node added before it; add it last. */
bool pdb_content_add_manifest(struct pdb_content *c, const char *path,
                              struct pdiburn_error **err);
void pdb_content_free(struct pdb_content *c);
/* Names valid for ISO 9660 Level 1 (upper-cased), depth <= 8. */
bool pdb_content_check_names(const struct pdb_content *c,
                             struct pdiburn_error **err);

/* Sequential reading of a node, hashing what passes through. */
struct pdb_node_reader {
    struct pdb_content *content;
    struct pdb_node *node;
    unsigned seg;
    uint64_t seg_pos;
    int fd;
    uint8_t *made;       /* HEADER or manifest bytes made at open */
    uint64_t head_left;  /* header bytes of a source still to hash */
    struct pdb_sha256 head;
    uint64_t done;
    struct pdb_sha256 hash;
    struct pdb_xxh fast;
};

bool pdb_node_reader_open(struct pdb_node_reader *r, struct pdb_content *c,
                          struct pdb_node *node, struct pdiburn_error **err);
/* Fills buf with min(len, bytes left); *got == 0 at the end. */
bool pdb_node_reader_read(struct pdb_node_reader *r, void *buf, size_t len,
                          size_t *got, struct pdiburn_error **err);
/* Records the digest when every byte was read. */
void pdb_node_reader_close(struct pdb_node_reader *r);

/* manifest.c: the bytes of SHA256.TXT, sha256sum format. */
uint64_t pdb_manifest_size(const struct pdb_content *c,
                           const struct pdb_node *manifest);
bool pdb_manifest_make(const struct pdb_content *c,
                       const struct pdb_node *manifest, uint8_t **out,
                       struct pdiburn_error **err);

#endif
