/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Verifies media by reading every byte of it once: each file is hashed,
 * DICOM files keep their meta information and SOP UIDs, the DICOMDIR and
 * SHA256.TXT are kept whole.  Then checks.c compares.  Any
 * difference is an error, logged and counted; the media passes only with
 * none (PDIBURN_E_VERIFY otherwise).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "job.h"
#include "media_reader.h"
#include "checks.h"
#include "dicom.h"

#define HEAD_SIZE 65536u
#define WHOLE_LIMIT (512u << 20) /* a DICOMDIR larger than this is absurd */

void pdb_verify_key(const char *path, char *out, size_t len)
{
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    while (*path == '/')
        path++;
    size_t n = 0;
    for (; *path && n + 1 < len; path++)
        out[n++] = (char) (*path >= 'a' && *path <= 'z' ? *path - 32 : *path);
    out[n] = 0;
    char *version = strrchr(out, ';'); /* ISO 9660 "NAME.EXT;1" */
    if (version && !strchr(version, '/'))
        *version = 0;
    n = strlen(out);
    if (n && out[n - 1] == '.') /* "DICOMDIR." */
        out[n - 1] = 0;
}

static int cmp_keys(const void *a, const void *b)
{
    return strcmp(((const struct vfile *) a)->key,
                  ((const struct vfile *) b)->key);
}

struct vfile *pdb_verify_find(const struct vstate *v, const char *path)
{
    if (v->nfiles == 0)
        return NULL; /* bsearch() wants an array, even an empty one */
    char key[1024];
    pdb_verify_key(path, key, sizeof(key));
    struct vfile probe = { .key = key };
    return bsearch(&probe, v->files, v->nfiles, sizeof(*v->files), cmp_keys);
}

void pdb_verify_problem(struct vstate *v, const char *fmt, ...)
{
    if (v->sum->problems++ >= 100)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *msg = pdb_vformat(fmt, ap);
    va_end(ap);
    pdb_log(v->log, PDIBURN_LOG_ERROR, "%s", msg ? msg : "out of memory");
    free(msg);
}

/* Meta information (always Explicit VR LE) and the data set's own SOP
 * UIDs, from the first bytes of a Part 10 file. */
static void read_dicom_head(struct vfile *f, const uint8_t *h, size_t len)
{
    if (len < 132 || memcmp(h + 128, "DICM", 4) != 0)
        return;
    f->dicom = true;
    size_t pos = 132, start = 132;
    struct pdb_elem e;
    while (pos + 4 <= len && pdb_le16(h + pos) == 0x0002 &&
           pdb_elem_next(h, len, &pos, PDB_EXPLICIT_LE, &e) > 0)
        ;
    const uint8_t *m = h + start;
    size_t mlen = pos - start;
    pdb_elem_get_string(m, mlen, PDB_EXPLICIT_LE, 0x00020002, f->sop_class,
                        sizeof(f->sop_class));
    pdb_elem_get_string(m, mlen, PDB_EXPLICIT_LE, 0x00020003, f->sop_uid,
                        sizeof(f->sop_uid));
    pdb_elem_get_string(m, mlen, PDB_EXPLICIT_LE, 0x00020010, f->ts,
                        sizeof(f->ts));
    if (strcmp(f->ts, PDB_TS_DEFLATED) == 0)
        return;
    enum pdb_syntax syn = strcmp(f->ts, PDB_TS_IMPLICIT_LE) == 0 ? PDB_IMPLICIT_LE
                          : strcmp(f->ts, PDB_TS_EXPLICIT_BE) == 0
                              ? PDB_EXPLICIT_BE
                              : PDB_EXPLICIT_LE;
    pdb_elem_get_string(h + pos, len - pos, syn, 0x00080016, f->ds_class,
                        sizeof(f->ds_class));
    pdb_elem_get_string(h + pos, len - pos, syn, 0x00080018, f->ds_uid,
                        sizeof(f->ds_uid));
}

static bool is_root_file(const char *key, const char *name)
{
    return strcmp(key, name) == 0;
}

/* The DICOMDIR and the checksum list are kept whole, for the checks. */
static bool keep_whole(const struct vfile *f)
{
    return (is_root_file(f->key, "DICOMDIR") ||
            is_root_file(f->key, "SHA256.TXT")) &&
           f->size < WHOLE_LIMIT;
}

/* Reads one file to its end, hashing it; `keep` gets its head, or all of
 * it when `whole`. */
static bool hash_file(struct pdb_media *m, struct vfile *f, bool fast,
                      bool whole, struct pdb_buf *keep, uint8_t *buf,
                      size_t size,
                      uint64_t *done, struct pdb_ctl *ctl,
                      struct pdiburn_error **err)
{
    struct pdb_sha256 h;
    struct pdb_xxh x;
    uint64_t total = 0;
    size_t got = 0;
    pdb_sha256_init(&h);
    pdb_xxh_init(&x);
    do {
        if (!pdb_ctl_report(ctl, PDIBURN_STAGE_VERIFY, *done, 0, f->path,
                            err) ||
            !pdb_media_read(m, buf, size, &got, err))
            return false;
        if (fast)
            pdb_xxh_update(&x, buf, got);
        else
            pdb_sha256_update(&h, buf, got);
        size_t room = keep->len < HEAD_SIZE ? HEAD_SIZE - keep->len : 0;
        pdb_buf_add(keep, buf, whole ? got : (got < room ? got : room));
        total += got;
        *done += got;
    } while (got > 0);
    if (fast)
        f->xxh = pdb_xxh_final(&x);
    else
        pdb_sha256_final(&h, f->sha256);
    f->complete = total == f->size;
    return true;
}

static bool read_file(struct pdb_media *m, struct vfile *f, struct vstate *v,
                      uint8_t *buf, size_t size, uint64_t *done,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    bool whole = keep_whole(f);
    struct pdb_buf keep = { 0 };
    bool ok = hash_file(m, f, v->fast, whole, &keep, buf, size, done, ctl,
                        err);
    if (ok)
        read_dicom_head(f, keep.data, keep.len);
    if (ok && whole && is_root_file(f->key, "DICOMDIR"))
        v->dicomdir = pdb_buf_steal(&keep, &v->dicomdir_len);
    else if (ok && whole)
        v->manifest = pdb_buf_steal(&keep, &v->manifest_len);
    pdb_buf_free(&keep);
    return ok;
}

static bool add_file(struct vstate *v, const char *path, uint64_t size,
                     struct vfile **out, struct pdiburn_error **err)
{
    if (!pdb_grow(&v->files, v->nfiles, sizeof(*v->files)))
        return pdb_fail_nomem(err);
    struct vfile *f = &v->files[v->nfiles];
    memset(f, 0, sizeof(*f));
    char key[1024];
    pdb_verify_key(path, key, sizeof(key));
    f->path = strdup(path);
    f->key = strdup(key);
    f->size = size;
    if (!f->path || !f->key) {
        free(f->path);
        free(f->key);
        return pdb_fail_nomem(err);
    }
    v->nfiles++;
    *out = f;
    return true;
}

static bool read_media(const char *path, const char *passphrase,
                       struct vstate *v, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    struct pdb_media *m = NULL;
    if (!pdb_media_open(path, passphrase, &m, err))
        return false;
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    uint64_t done = 0;
    bool ok = buf || pdb_fail_nomem(err);
    const char *name;
    uint64_t size;
    int rc = 0;
    while (ok && (rc = pdb_media_next(m, &name, &size, err)) > 0) {
        struct vfile *f = NULL;
        ok = add_file(v, name, size, &f, err) &&
             read_file(m, f, v, buf, CHUNK, &done, ctl, err);
        v->sum->bytes += size;
    }
    free(buf);
    pdb_media_close(m);
    return ok && rc == 0;
}

static void free_state(struct vstate *v)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        free(v->files[i].path);
        free(v->files[i].key);
    }
    free(v->files);
    free(v->dicomdir);
    free(v->manifest);
}

bool pdb_verify_media(const char *path, const char *passphrase,
                      const struct pdb_content *expected,
                      struct pdb_ctl *ctl, struct pdiburn_summary *sum,
                      struct pdiburn_error **err)
{
    struct vstate v = { .log = &ctl->log, .sum = sum, .fast = expected };
    sum->problems = 0;
    sum->bytes = 0;
    bool ok = read_media(path, passphrase, &v, ctl, err);
    if (ok) {
        sum->files = v.nfiles;
        qsort(v.files, v.nfiles, sizeof(*v.files), cmp_keys);
        pdb_verify_check_dicomdir(&v);
        pdb_verify_check_unreferenced(&v);
        /* Right after writing, every file is compared with its digest as
         * written, SHA256.TXT included: the list is then right too. */
        if (!v.fast)
            pdb_verify_check_manifest(&v);
        if (expected)
            pdb_verify_check_expected(&v, expected);
    }
    free_state(&v);
    if (ok && sum->problems)
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "'%s': %llu problem(s) found", path,
                        (unsigned long long) sum->problems);
    return ok;
}

bool pdiburn_job_verify(struct pdiburn_job *job, const char *media,
                        struct pdiburn_error **err)
{
    memset(&job->summary, 0, sizeof(job->summary));
    job->ctl.log.warnings = 0;
    bool ok = pdb_verify_media(media, job->options[PDIBURN_OPT_PASSPHRASE],
                               NULL, &job->ctl, &job->summary, err);
    job->summary.warnings = job->ctl.log.warnings;
    return ok;
}
