/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Verifies media by reading every byte of it once: each file is hashed,
 * DICOM files keep their head up to the pixel data (file_head.c) and have
 * their pixel data checked as it streams by (pixel_check.c), the DICOMDIR
 * and SHA256.TXT are kept whole, up to a limit on what is read (never on
 * what an entry claims).  Then the checks of lib/verify/ judge.  Any
 * problem is an error, logged and counted; the media passes only with none
 * (PDIBURN_E_VERIFY otherwise).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "file_head.h"
#include "job.h"
#include "media_reader.h"

#define HEAD_MAX    (16u << 20)  /* a header larger than this is absurd */
/* A DICOMDIR larger than this is absurd (a 25 GB disc of CT slices needs
 * about 30 MB); with its NUL the buffer's doubling stops at 128 MiB. */
#define WHOLE_LIMIT ((128u << 20) - 1)

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
    char key[1024];
    if (v->nfiles == 0)
        return NULL; /* bsearch() wants an array, even an empty one */
    pdb_verify_key(path, key, sizeof(key));
    struct vfile probe = { .key = key };
    return bsearch(&probe, v->files, v->nfiles, sizeof(*v->files), cmp_keys);
}

static bool is_root_file(const char *key, const char *name)
{
    return strcmp(key, name) == 0;
}

/* The DICOMDIR and the checksum list are kept whole, for the checks. */
static bool keep_whole(const struct vfile *f)
{
    return is_root_file(f->key, "DICOMDIR") ||
           is_root_file(f->key, "SHA256.TXT");
}

/* One file as it streams past: its head kept until the pixel data is
 * found (or the whole file, for DICOMDIR and SHA256.TXT), the pixel data
 * checked on the way. */
struct reading {
    struct vfile *f;
    struct pdb_intern *strings;
    bool whole;
    struct pdb_buf keep;
    struct pdb_head head;
    struct pdb_pixcheck pc;
    uint64_t total;
};

static void parse_head(struct reading *r)
{
    pdb_head_parse(r->f, r->strings, r->keep.data, r->keep.len,
                   r->keep.len == r->f->size, &r->head);
    if (r->head.state == PDB_HEAD_DONE && r->head.has_pixels &&
        r->head.encapsulated) {
        pdb_pixcheck_start(&r->pc, &r->head);
        pdb_pixcheck_feed(&r->pc, r->keep.data, r->keep.len, 0);
    }
}

/* Kept: what was read, never what the entry claimed (a ZIP entry of "100
 * bytes" may inflate to gigabytes), up to the limit. */
static void keep_bytes(struct reading *r, const uint8_t *buf, size_t got)
{
    size_t limit = r->whole ? WHOLE_LIMIT : HEAD_MAX;
    size_t room = r->keep.len < limit ? limit - r->keep.len : 0;
    r->f->too_large = r->f->too_large || (r->whole && got > room);
    pdb_buf_add(&r->keep, buf, got < room ? got : room);
}

static void take_chunk(struct reading *r, const uint8_t *buf, size_t got)
{
    uint64_t at = r->total;
    r->total += got;
    bool parsing = r->head.state == PDB_HEAD_MORE;
    if (r->whole || parsing)
        keep_bytes(r, buf, got);
    if (parsing && !r->keep.failed && (got == 0 || r->keep.len >= 132))
        parse_head(r);
    else if (r->pc.active)
        pdb_pixcheck_feed(&r->pc, buf, got, at);
}

/* Reads one file to its end, hashing it. */
static bool hash_file(struct pdb_media *m, struct reading *r, bool fast,
                      uint8_t *buf, size_t size, uint64_t *done,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct pdb_sha256 h;
    struct pdb_xxh x;
    size_t got = 0;
    pdb_sha256_init(&h);
    pdb_xxh_init(&x);
    do {
        if (!pdb_ctl_report(ctl, PDIBURN_STAGE_VERIFY, *done, 0, r->f->path,
                            err) ||
            !pdb_media_read(m, buf, size, &got, err))
            return false;
        if (fast)
            pdb_xxh_update(&x, buf, got);
        else
            pdb_sha256_update(&h, buf, got);
        take_chunk(r, buf, got);
        *done += got;
    } while (got > 0);
    if (fast)
        r->f->xxh = pdb_xxh_final(&x);
    else
        pdb_sha256_final(&h, r->f->sha256);
    r->f->complete = r->total == r->f->size;
    return true;
}

/* What the head and the pixel data of a DICOM file showed; the DICOMDIR
 * is its reader's business. */
static void judge_file(struct vstate *v, struct reading *r)
{
    const struct vfile *f = r->f;
    bool dicomdir = strcmp(f->key, "DICOMDIR") == 0;
    if (!dicomdir && r->head.state == PDB_HEAD_BAD)
        pdb_verify_problem(v, "truncated-data-set", f->path,
                           "the data set ends inside an element at offset "
                           "%zu (PS3.5 7.1)",
                           r->head.stop);
    else if (!dicomdir && r->head.state == PDB_HEAD_MORE && f->dicom &&
             f->complete)
        pdb_verify_note(v, "unchecked-pixel-data", f->path,
                        "its header is larger than %u MB: pixel data not "
                        "checked",
                        HEAD_MAX >> 20);
    else if (!dicomdir && r->head.state == PDB_HEAD_DONE && f->complete)
        pdb_pixcheck_finish(&r->pc, &r->head, v, f);
    free(r->pc.bot);
    free(r->pc.fragments);
}

static bool read_file(struct pdb_media *m, struct vfile *f, struct vstate *v,
                      uint8_t *buf, size_t size, uint64_t *done,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct reading r = { .f = f, .strings = v->strings,
                         .whole = keep_whole(f) };
    bool ok = hash_file(m, &r, v->fast, buf, size, done, ctl, err);
    if (ok)
        judge_file(v, &r);
    else {
        free(r.pc.bot);
        free(r.pc.fragments);
    }
    if (ok && r.whole && f->too_large)
        pdb_verify_problem(v, "too-large", f->path,
                           "larger than %u MB: not read as a %s",
                           (WHOLE_LIMIT + 1) >> 20, f->key);
    else if (ok && r.whole && is_root_file(f->key, "DICOMDIR"))
        v->dicomdir = pdb_buf_steal(&r.keep, &v->dicomdir_len);
    else if (ok && r.whole)
        v->manifest = pdb_buf_steal(&r.keep, &v->manifest_len);
    pdb_buf_free(&r.keep);
    return ok;
}

static void free_names(struct vfile *f)
{
    if (f->key != f->path)
        free(f->key);
    free(f->path);
}

static bool add_file(struct vstate *v, const char *path, uint64_t size,
                     struct vfile **out, struct pdiburn_error **err)
{
    if (!pdb_grow(&v->files, v->nfiles, sizeof(*v->files)))
        return pdb_fail_nomem(err);
    struct vfile *f = &v->files[v->nfiles];
    *f = (struct vfile){ .sop_class = "", .sop_uid = "", .ts = "",
                         .ds_class = "", .ds_uid = "" };
    char key[1024];
    pdb_verify_key(path, key, sizeof(key));
    f->path = strdup(path);
    /* Media made here names its files as their keys: one copy then */
    f->key = f->path && strcmp(f->path, key) == 0 ? f->path : strdup(key);
    f->size = size;
    if (!f->path || !f->key) {
        free_names(f);
        return pdb_fail_nomem(err);
    }
    v->nfiles++;
    *out = f;
    return true;
}

/* A name that leaves the media: unpacked, it would be written outside the
 * folder it is unpacked into ("zip slip"), or over a drive's root. */
static bool escapes(const char *name)
{
    if (name[0] == '/' || name[0] == '\\' ||
        (isalpha((unsigned char) name[0]) && name[1] == ':'))
        return true;
    for (const char *p = name; *p;) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return true;
        p += n + (p[n] != 0);
    }
    return false;
}

/* Entries with such names are problems, and not read. */
static bool name_ok(struct vstate *v, const char *name)
{
    if (!name)
        pdb_verify_problem(v, "entry-name-unreadable", "",
                           "an entry whose name cannot be read as UTF-8");
    else if (escapes(name))
        pdb_verify_problem(v, "entry-name-outside", name,
                           "a name outside the media (absolute, or with "
                           "'..')");
    return name && !escapes(name);
}

static bool read_media(struct pdb_media *m, struct vstate *v,
                       struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    uint64_t done = 0;
    bool ok = buf || pdb_fail_nomem(err);
    const char *name;
    uint64_t size;
    int rc = 0;
    while (ok && (rc = pdb_media_next(m, &name, &size, err)) > 0) {
        struct vfile *f = NULL;
        uint64_t before = done;
        if (!name_ok(v, name))
            continue;
        ok = add_file(v, name, size, &f, err) &&
             read_file(m, f, v, buf, CHUNK, &done, ctl, err);
        v->sum->bytes += done - before;
    }
    free(buf);
    return ok && rc == 0;
}

static bool open_and_read(const struct pdb_verify_args *a, struct vstate *v,
                          struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct pdb_media *m = NULL;
    if (!pdb_media_open(a->path, a->passphrase, &m, err))
        return false;
    v->kind =
        (enum pdb_media_kind) pdb_media_kind(m, &v->media_size, &v->fs_type);
    bool ok = read_media(m, v, ctl, err);
    pdb_media_close(m);
    return ok;
}

static void free_state(struct vstate *v)
{
    for (size_t i = 0; i < v->nfiles; i++)
        free_names(&v->files[i]);
    pdb_intern_free(v->strings);
    free(v->files);
    free(v->dicomdir);
    free(v->manifest);
}

static void check_all(struct vstate *v, const struct pdb_content *expected)
{
    if (v->nfiles > 1) /* qsort(NULL, 0) is undefined */
        qsort(v->files, v->nfiles, sizeof(*v->files), cmp_keys);
    pdb_verify_check_dicomdir(v);
    pdb_verify_check_unreferenced(v);
    pdb_verify_check_name_trees(v);
    pdb_verify_check_profiles(v);
    /* Right after writing, every file is compared with its digest as
     * written, SHA256.TXT included: the list is then right too. */
    if (!v->fast)
        pdb_verify_check_manifest(v);
    if (expected)
        pdb_verify_check_expected(v, expected);
}

bool pdb_verify_media(const struct pdb_verify_args *a, struct pdb_ctl *ctl,
                      struct pdiburn_summary *sum, struct pdiburn_error **err)
{
    struct vstate v = { .log = &ctl->log,
                        .sum = sum,
                        .fast = a->expected,
                        .findings = a->findings,
                        .path = a->path,
                        .profile = a->profile };
    sum->problems = 0;
    sum->bytes = 0;
    v.strings = pdb_intern_new();
    bool ok = (v.strings || pdb_fail_nomem(err)) &&
              open_and_read(a, &v, ctl, err) &&
              (!pdb_intern_failed(v.strings) || pdb_fail_nomem(err));
    if (ok) {
        sum->files = v.nfiles;
        check_all(&v, a->expected);
    }
    free_state(&v);
    if (ok && sum->problems)
        return pdb_fail(err, PDIBURN_E_VERIFY, "'%s': %llu problem(s) found",
                        a->path, (unsigned long long) sum->problems);
    return ok;
}

bool pdiburn_job_verify(struct pdiburn_job *job, const char *media,
                        struct pdiburn_error **err)
{
    memset(&job->summary, 0, sizeof(job->summary));
    pdb_findings_clear(&job->findings);
    job->ctl.log.warnings = 0;
    struct pdb_verify_args a = {
        .path = media,
        .passphrase = job->options[PDIBURN_OPT_PASSPHRASE],
        .profile = job->options[PDIBURN_OPT_VERIFY_PROFILE],
        .findings = &job->findings,
    };
    bool ok = pdb_verify_media(&a, &job->ctl, &job->summary, err);
    job->summary.warnings = job->ctl.log.warnings;
    return ok;
}

size_t pdiburn_job_finding_count(const struct pdiburn_job *job)
{
    return job->findings.n;
}

const struct pdiburn_finding *pdiburn_job_finding(const struct pdiburn_job *job,
                                                  size_t index)
{
    return index < job->findings.n ? &job->findings.items[index] : NULL;
}
