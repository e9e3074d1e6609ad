/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * core.h - the core stage: what every other stage builds on and nothing
 * DICOM: errors, buffers, file-system helpers, digests, UIDs, the job's
 * log, progress and cancel flag.  Each block belongs to the file named in
 * its comment.  Never installed; internal names are pdb_<module>_<verb>.
 */
#ifndef PDB_CORE_H
#define PDB_CORE_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdiburn/pdiburn.h"

#define PDB_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Our Implementation Class UID: a UUID-derived UID (PS3.5 B.2), fixed for
 * this implementation; the version name changes with each release. */
#define PDB_IMPLEMENTATION_UID "2.25.160185916925718532046414207356451342207"
#define PDB_IMPLEMENTATION_NAME "PDIBURN_" PDIBURN_VERSION_SHORT

#define PDB_UID_MAX 64

/* ---- error.c ------------------------------------------------------------ */

/* Set *err (when err is non-NULL) and return false, so callers can write
 * `return pdb_fail(err, ...)`.  Setting an error twice is a bug. */
bool pdb_fail(struct pdiburn_error **err, enum pdiburn_code code,
              const char *fmt, ...) PDB_PRINTF(3, 4);
bool pdb_fail_nomem(struct pdiburn_error **err);
/* Prepend context: "writing 'x.iso': " + the old message. */
void pdb_error_prefix(struct pdiburn_error **err, const char *fmt, ...)
    PDB_PRINTF(2, 3);
char *pdb_vformat(const char *fmt, va_list ap);
char *pdb_format(const char *fmt, ...) PDB_PRINTF(1, 2);

/* ---- buf.c -------------------------------------------------------------- */

struct pdb_buf {
    uint8_t *data;
    size_t len, cap;
    bool failed; /* an allocation failed; later adds are ignored */
};

bool pdb_buf_add(struct pdb_buf *b, const void *data, size_t len);
bool pdb_buf_add_str(struct pdb_buf *b, const char *s);
bool pdb_buf_printf(struct pdb_buf *b, const char *fmt, ...) PDB_PRINTF(2, 3);
bool pdb_buf_add_u16(struct pdb_buf *b, uint16_t v);
bool pdb_buf_add_u32(struct pdb_buf *b, uint32_t v);
void pdb_buf_put_u32(struct pdb_buf *b, size_t at, uint32_t v);
/* Hands the bytes to the caller (free()), or NULL after a failed add. */
uint8_t *pdb_buf_steal(struct pdb_buf *b, size_t *len);
void pdb_buf_free(struct pdb_buf *b);
/* Arrays that grow by doubling from 8: call before storing element n of
 * *arrayp (a pointer to the array pointer); false when out of memory. */
bool pdb_grow(void *arrayp, size_t n, size_t elem);

/* ---- uid.c -------------------------------------------------------------- */

/* A new UUID-derived UID "2.25.<decimal>" (PS3.5 B.2), out >= 65 bytes. */
bool pdb_uid_new(char out[PDB_UID_MAX + 1], struct pdiburn_error **err);
bool pdb_uid_valid(const char *uid);

/* ---- hash.c: SHA-256 (nettle), XXH3 (libxxhash) ------------------------- */

#define PDB_SHA256_LEN 32

struct pdb_sha256 {
    _Alignas(16) uint8_t state[128]; /* nettle's context lives here */
};
void pdb_sha256_init(struct pdb_sha256 *h);
void pdb_sha256_update(struct pdb_sha256 *h, const void *data, size_t len);
void pdb_sha256_final(struct pdb_sha256 *h, uint8_t out[PDB_SHA256_LEN]);
void pdb_hex(const uint8_t *bytes, size_t n, char *out);

/* XXH3-64: the read-back check right after writing. */
struct pdb_xxh {
    _Alignas(64) uint8_t state[640];
};
void pdb_xxh_init(struct pdb_xxh *h);
void pdb_xxh_update(struct pdb_xxh *h, const void *data, size_t len);
uint64_t pdb_xxh_final(struct pdb_xxh *h);

/* ---- deflate.c: libdeflate -------------------------------------------- */

/* Compresses `in` whole, as raw DEFLATE or (`zlib`) a zlib stream, into a
 * new buffer (free()); false when out of memory. */
bool pdb_deflate(const void *in, size_t len, int level, bool zlib,
                 uint8_t **out, size_t *out_len);
/* CRC-32 of ISO 3309 as ZIP uses it; start with crc = 0. */
uint32_t pdb_crc32(uint32_t crc, const void *data, size_t len);

/* ---- fsutil.c ----------------------------------------------------------- */

char *pdb_fs_path_join(const char *a, const char *b);
/* open(path, flags | O_CLOEXEC) for a path of any length (-1, errno). */
int pdb_fs_open_deep(const char *path, int flags);
/* The name DCMTK can open `path` by, once it is open as `fd`: `path`, or
 * /proc/self/fd/N (in buf) when it is longer than PATH_MAX. */
const char *pdb_fs_fd_name(const char *path, int fd, char buf[32]);
/* mkdir -p with mode; existing folders are fine. */
bool pdb_fs_mkdirs(const char *path, unsigned mode, struct pdiburn_error **err);
/* A new private (0700) folder "<parent>/<prefix>XXXXXX". */
char *pdb_fs_private_dir(const char *parent, const char *prefix,
                         struct pdiburn_error **err);
/* rm -r that never follows symbolic links; true when path is gone. */
bool pdb_fs_remove_tree(const char *path);
bool pdb_fs_file_size(const char *path, uint64_t *size,
                      struct pdiburn_error **err);
/* Reads up to `len` bytes at `offset`; *got < len only at end of file. */
bool pdb_fs_read_at(int fd, void *buf, size_t len, uint64_t offset,
                    size_t *got);
/* Writes everything or fails with errno set. */
bool pdb_fs_write_all(int fd, const void *buf, size_t len);
bool pdb_fs_sync_dir(const char *path);
/* The folder holding `path` ("." when none). */
char *pdb_fs_dirname(const char *path);
/* The last component of `path` (a pointer into it). */
const char *pdb_fs_basename(const char *path);
/* The process umask, read without changing it (umask(2) cannot read
 * without writing, which races with other threads creating files); the
 * private 077 when the kernel does not say. */
unsigned pdb_fs_umask(void);
/* `n` random characters of [A-Za-z0-9] into out (not terminated). */
void pdb_fs_random_name(char *out, size_t n);
/* Creates `<dir>/<prefix>XXXXXX<suffix>` under a name nobody has: a file
 * (O_CREAT|O_EXCL|O_NOFOLLOW, 0600, *fd open read-write) or, with fd
 * NULL, a folder (0700).  Returns the malloc'd path, or NULL with errno
 * set. */
char *pdb_fs_create_unique(const char *dir, const char *prefix,
                           const char *suffix, int *fd);


/* ---- intern.c: one copy of each distinct string ----------------------- */

struct pdb_intern;
struct pdb_intern *pdb_intern_new(void); /* NULL when out of memory */
/* The one copy of `s`, valid until pdb_intern_free(); "" for "", and ""
 * when out of memory, which pdb_intern_failed() then tells. */
const char *pdb_intern(struct pdb_intern *t, const char *s);
bool pdb_intern_failed(const struct pdb_intern *t);
void pdb_intern_free(struct pdb_intern *t);

/* ---- work_queue.c: many small items, results taken in order ------------ */

/* Items 0..n-1 in batches of `batch`: work(ctx, i) runs on any thread
 * (the caller's included) and leaves its result in item i's slot; take()
 * then gets each batch on the caller's thread, in item order, while the
 * next batch is worked on, and clear() empties the batch's slots after
 * take (or untaken, after a failure).  At most two batches are in hand:
 * item i may use slot i % (2 * batch).  Slots must start empty, and a
 * skipped item's slot stays as it was. */
/* CPUs this process may use (at most 16). */
unsigned pdb_cpu_count(void);

struct pdb_work {
    size_t n, batch;
    unsigned threads; /* 0: pdb_cpu_count() */
    bool (*work)(void *ctx, size_t i); /* false: out of memory */
    bool (*take)(void *ctx, size_t first, size_t count,
                 struct pdiburn_error **err);
    void (*clear)(void *ctx, size_t first, size_t count);
    void *ctx;
};
/* False when work() ran out of memory or take() failed (its error). */
bool pdb_work_run(const struct pdb_work *w, struct pdiburn_error **err);

/* ---- control.c: log, progress, cancel ----------------------------------- */

struct pdb_log {
    pdiburn_log_fn fn;
    void *user;
    bool phi_allowed;
    uint64_t warnings;
};

void pdb_log(struct pdb_log *log, enum pdiburn_log_level level,
             const char *fmt, ...) PDB_PRINTF(3, 4);
#define pdb_warn(log, ...) pdb_log((log), PDIBURN_LOG_WARNING, __VA_ARGS__)
#define pdb_info(log, ...) pdb_log((log), PDIBURN_LOG_INFO, __VA_ARGS__)
#define pdb_debug(log, ...) pdb_log((log), PDIBURN_LOG_DEBUG, __VA_ARGS__)
/* Patient data in a message: the value when allowed, else a placeholder. */
const char *pdb_log_phi(const struct pdb_log *log, const char *value);

/* Progress and cancellation, shared by every stage of one job. */
struct pdb_ctl {
    struct pdb_log log;
    pdiburn_progress_fn progress;
    void *progress_user;
    atomic_bool cancelled;
    uint64_t last_report_ms;
    enum pdiburn_stage last_stage;
};

/* Polls the cancel flag and reports progress (throttled). */
bool pdb_ctl_report(struct pdb_ctl *ctl, enum pdiburn_stage stage,
                    uint64_t done, uint64_t total, const char *item,
                    struct pdiburn_error **err);
/* The same with every field of the progress given. */
bool pdb_ctl_report_progress(struct pdb_ctl *ctl,
                             const struct pdiburn_progress *p,
                             struct pdiburn_error **err);
bool pdb_ctl_cancelled(struct pdb_ctl *ctl);
/* False, with PDIBURN_E_CANCELLED, once cancelled. */
bool pdb_ctl_go_on(struct pdb_ctl *ctl, struct pdiburn_error **err);

#endif /* PDB_CORE_H */
