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

/* The same in steps, so that nodes can be written ahead while the content
 * is still being laid out.  Open the folder; write the nodes of the
 * content from `from` on, on a thread of their own once the batch before
 * is written, polling `ctl` for a cancel but reporting no progress (their
 * bytes must be readable now; the content may grow and be reordered
 * meanwhile), and marking each written_ahead; finish, which waits for
 * them, writes every other node with progress and syncs the tree; close,
 * which stops what is written ahead unless finished, and frees.  Close
 * after a failed open too. */
struct pdb_dir_writer;
bool pdb_dir_open(const char *root, struct pdb_ctl *ctl,
                  struct pdb_dir_writer **w, struct pdiburn_error **err);
void pdb_dir_write_ahead(struct pdb_dir_writer *w, struct pdb_content *c,
                         size_t from);
/* Waits for the batch written ahead; false with its error if it failed. */
bool pdb_dir_wait(struct pdb_dir_writer *w, struct pdiburn_error **err);
bool pdb_dir_finish(struct pdb_dir_writer *w, struct pdb_content *content,
                    struct pdiburn_error **err);
void pdb_dir_close(struct pdb_dir_writer *w);

/* writeback.c: the files under the folder `root` (a descriptor) written
 * back while more are written; NULL when that cannot start, and nothing
 * is lost by it but time.  The writer notes how many bytes it has written
 * so far.  Stopping waits for a write-back under way. */
struct pdb_writeback;
struct pdb_writeback *pdb_writeback_start(int root);
void pdb_writeback_note(struct pdb_writeback *w, uint64_t written);
void pdb_writeback_stop(struct pdb_writeback *w);
/* The same for one file written front to back (an image, a ZIP): asks
 * the device for what was written since `*started`, once that is enough
 * to be worth it; no thread, the request does not wait. */
void pdb_writeback_file(int fd, uint64_t *started, uint64_t written);

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
/* Room for the content laid out so far, a warning unless FAT, the hidden
 * folder made.  pdb_usb_end() undoes it, whether it succeeded or not. */
bool pdb_usb_begin(struct pdb_usb *u, const char *mount,
                   const struct pdb_content *c, struct pdb_log *log,
                   struct pdiburn_error **err);
/* Room on the stick mounted at `mount`, now, for the nodes from `from`
 * on that are not written ahead, with those that are on it. */
bool pdb_usb_room_for(const char *mount, const struct pdb_content *c,
                      size_t from, struct pdiburn_error **err);
/* Moves the written media into place, DICOMDIR last. */
bool pdb_usb_commit(struct pdb_usb *u, struct pdiburn_error **err);
/* Removes the hidden folder (and what --replace retired); frees. */
void pdb_usb_end(struct pdb_usb *u);

/* An output being made under a temporary name next to its final one
 * (partial.c). */
struct pdb_partial {
    char *final;     /* the name the user gave */
    char *part;      /* .NAME.XXXXXX.part beside it while being made */
    bool is_dir;
    bool finished;   /* synced, closed, given its final permissions */
    bool placed;     /* renamed to `final` */
    int fd;          /* the open file, -1 for folders and once finished */
};

/* Checks that the output can be made, before any work is done. */
bool pdb_partial_check(const char *final, bool is_dir,
                       struct pdiburn_error **err);
/* ".NAME.": what the partial names of `final` start with. */
char *pdb_partial_prefix(const char *final);
/* Creates a new partial output beside `final`: a file (0600, t->fd open)
 * or a folder (0700), under a name no other file had. */
bool pdb_partial_begin(struct pdb_partial *t, const char *final, bool is_dir,
                       struct pdiburn_error **err);
/* Syncs and closes it, and gives it the permissions the umask allows. */
bool pdb_partial_finish(struct pdb_partial *t, struct pdiburn_error **err);
/* Renames it to its final name, replacing a file of that name (or an empty
 * folder) when `replace`; else, when the name is taken, sets *taken and
 * fails without an error. */
bool pdb_partial_place(struct pdb_partial *t, bool replace, bool *taken,
                       struct pdiburn_error **err);
/* finish + place, replacing. */
bool pdb_partial_commit(struct pdb_partial *t, struct pdiburn_error **err);
/* Removes what was made unless placed, and frees the target; safe on a
 * zeroed target. */
void pdb_partial_abort(struct pdb_partial *t);

/* A small file written whole under a partial name and renamed into place. */
bool pdb_partial_write_file(const char *final, const void *data, size_t len,
                            struct pdiburn_error **err);

/* Outputs that appear together or not at all: the volumes of a job, its
 * label, the notes beside encrypted ZIP files. */
struct pdb_outputs {
    struct pdb_partial **items;
    size_t n;
};
/* Starts one more output of the set; *t stays valid until the set is
 * aborted. */
bool pdb_outputs_begin(struct pdb_outputs *o, const char *final, bool is_dir,
                       struct pdb_partial **t, struct pdiburn_error **err);
/* Finishes every output and renames them all into place; when one rename
 * fails, those already renamed are taken back. */
bool pdb_outputs_commit(struct pdb_outputs *o, struct pdiburn_error **err);
/* Removes every output not in place, and frees the set. */
void pdb_outputs_abort(struct pdb_outputs *o);

/* lock.c: one writer per output. */
struct pdb_lock {
    char *path; /* the lock file, removed when released */
    int fd;
};
/* Takes the lock file `path` (0600, flock), or fails with PDIBURN_E_MEDIA
 * naming `what` when a live run holds it.  A lock left by a run that died
 * is taken over. */
bool pdb_lock_take(struct pdb_lock *l, const char *path, const char *what,
                   struct pdiburn_error **err);
/* The lock of an output file or folder: ".NAME.lock" beside it; partial
 * outputs of NAME left by a run that was killed are removed. */
bool pdb_lock_output(struct pdb_lock *l, const char *final,
                     struct pdb_log *log, struct pdiburn_error **err);
/* Removes the lock file and lets go; safe on a zeroed lock. */
void pdb_lock_release(struct pdb_lock *l);

#endif
