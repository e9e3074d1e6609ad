/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* write.h - the writers of a volume's content, and output that appears under
 * its final name only when complete (iso.c, dir.c, partial.c). */
#ifndef PDB_WRITE_H
#define PDB_WRITE_H

#include "content.h"

/* An ISO 9660 image of the content into fd. */
bool pdb_iso_write(struct pdb_content *content, const char *volume_id, int fd,
                   struct pdb_ctl *ctl, struct pdiburn_error **err);

/* The image being made, for a writer that reads it itself (burn.c):
 * the content streams through libisofs' writing thread. */
struct pdb_iso;
struct burn_source;
bool pdb_iso_open(struct pdb_content *content, const char *volume_id,
                  struct pdb_iso **iso, struct pdiburn_error **err);
struct burn_source *pdb_iso_source(struct pdb_iso *iso);
uint64_t pdb_iso_size(struct pdb_iso *iso);
/* A file of the content could not be read: stop writing. */
bool pdb_iso_failed(struct pdb_iso *iso);
/* Stops the writing thread unless `ok`, frees; false with the error of a
 * failed stream, which says more than libisofs would. */
bool pdb_iso_close(struct pdb_iso *iso, bool ok, struct pdiburn_error **err);

/* The content as files under `root`, an existing empty folder; every file
 * and folder synced before returning. */
bool pdb_dir_write(struct pdb_content *content, const char *root,
                   struct pdb_ctl *ctl, struct pdiburn_error **err);

/* A ZIP file of the content into fd, AES-256 encrypted with a
 * passphrase (NULL: not encrypted). */
bool pdb_zip_write(struct pdb_content *content, int fd, const char *passphrase,
                   struct pdb_ctl *ctl, struct pdiburn_error **err);

/* usb.c: media on a mounted USB stick. */
struct pdb_usb {
    char *mount;  /* the stick */
    char *hidden; /* <mount>/.pdiburn-XXXXXX, private */
    char *tree;   /* <hidden>/new: the media is written here */
};

/* Before any work: a writable folder without media of ours on it, unless
 * `replace`. */
bool pdb_usb_check(const char *mount, bool replace,
                   struct pdiburn_error **err);
/* Room for the content, a warning unless FAT, the hidden folder made. */
bool pdb_usb_begin(struct pdb_usb *u, const char *mount,
                   const struct pdb_content *c, struct pdb_log *log,
                   struct pdiburn_error **err);
/* Moves the written media into place, DICOMDIR last. */
bool pdb_usb_commit(struct pdb_usb *u, struct pdiburn_error **err);
/* Removes the hidden folder (and what --replace retired); frees. */
void pdb_usb_end(struct pdb_usb *u);

/* An output being made under a temporary name next to its final one. */
struct pdb_partial {
    char *final;     /* the name the user gave */
    char *part;      /* FINAL.part while being made */
    bool is_dir;
    int fd;          /* the open image file, -1 for folders */
};

/* Checks that the output can be made, before any work is done. */
bool pdb_partial_check(const char *final, bool is_dir,
                       struct pdiburn_error **err);
/* Creates FINAL.part: a file (0600, locked) or a folder (0700). */
bool pdb_partial_begin(struct pdb_partial *t, const char *final, bool is_dir,
                       struct pdiburn_error **err);
/* Syncs, gives the output the permissions the umask allows and renames it
 * into place. */
bool pdb_partial_commit(struct pdb_partial *t, struct pdiburn_error **err);
/* Removes what was made unless committed, and frees the target; safe on
 * a zeroed target. */
void pdb_partial_abort(struct pdb_partial *t);

/* A small file written whole under FINAL.part and renamed into place. */
bool pdb_partial_write_file(const char *final, const void *data, size_t len,
                            struct pdiburn_error **err);

#endif
