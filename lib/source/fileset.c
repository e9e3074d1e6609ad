/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * File-sets inside a source folder (PS3.10 8.6, PS3.3 F.3): an outside
 * disc copied to disk, or media pdiburn made.  Its DICOMDIR is read with
 * verify's parser and never taken as an instance; its records say which
 * files the File-set holds, found whatever case a copy gave their names
 * (ISO 9660 read without Rock Ridge: lower case, ";1").  Files it does not
 * reference are still read, with a warning; files it references that are
 * missing are broken files of their study.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileset.h"
#include "verify.h"

static bool is_dicomdir_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* as a copied ISO 9660 name may show it */
    return strcasecmp(base, "DICOMDIR") == 0 ||
           strcasecmp(base, "DICOMDIR.") == 0 ||
           strcasecmp(base, "DICOMDIR;1") == 0 ||
           strcasecmp(base, "DICOMDIR.;1") == 0;
}

/* Upper case, without an ISO 9660 version (";1") or a lone final dot. */
static void normalise(char *name)
{
    for (char *p = name; *p; p++)
        *p = (char) toupper((unsigned char) *p);
    char *semi = strrchr(name, ';');
    char *slash = strrchr(name, '/');
    if (semi && (!slash || semi > slash))
        *semi = 0;
    size_t n = strlen(name);
    if (n > 1 && name[n - 1] == '.')
        name[n - 1] = 0;
}

static bool read_whole(const char *path, uint8_t **data, size_t *len)
{
    int fd = pdb_fs_open_deep(path, O_RDONLY);
    struct stat st;
    bool ok = fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0;
    *data = ok ? malloc((size_t) st.st_size) : NULL;
    size_t got = 0;
    ok = *data && pdb_fs_read_at(fd, *data, (size_t) st.st_size, 0, &got) &&
         got == (size_t) st.st_size;
    *len = got;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* ---- the references, from the record tree -------------------------------- */

struct keys {
    char patient_id[PDB_UID_MAX + 1], study_uid[PDB_UID_MAX + 1];
    char series_uid[PDB_UID_MAX + 1];
};

static bool add_ref(struct pdb_fileset *set, const struct pdb_dir_record *r,
                    const struct keys *k)
{
    if (!pdb_grow(&set->refs, set->nrefs, sizeof(*set->refs)))
        return false;
    struct pdb_fileset_ref *ref = &set->refs[set->nrefs];
    memset(ref, 0, sizeof(*ref));
    if (!(ref->file_id = strdup(r->file_id)))
        return false;
    normalise(ref->file_id);
    memcpy(ref->patient_id, k->patient_id, sizeof(ref->patient_id));
    memcpy(ref->study_uid, k->study_uid, sizeof(ref->study_uid));
    memcpy(ref->series_uid, k->series_uid, sizeof(ref->series_uid));
    snprintf(ref->sop_uid, sizeof(ref->sop_uid), "%s", r->sop_uid);
    set->nrefs++;
    return true;
}

/* The keys a record hands down to the records below it. */
static struct keys keys_below(const struct pdb_dir_record *r, struct keys k)
{
    uint32_t tag = strcmp(r->type, "PATIENT") == 0  ? 0x00100020u
                   : strcmp(r->type, "STUDY") == 0  ? 0x0020000Du
                   : strcmp(r->type, "SERIES") == 0 ? 0x0020000Eu
                                                    : 0;
    char *out = tag == 0x00100020u   ? k.patient_id
                : tag == 0x0020000Du ? k.study_uid
                                     : k.series_uid;
    if (tag)
        pdb_elem_get_string(r->body, r->body_len, PDB_EXPLICIT_LE, tag, out,
                            PDB_UID_MAX + 1);
    return k;
}

/* Depth first from `first`; a record met twice (a loop) or a tree deeper
 * than any DICOMDIR has ends the walk there. */
static bool walk_records(struct pdb_fileset *set, struct pdb_dicomdir *dir,
                         uint32_t first, struct keys k, int depth)
{
    for (uint32_t at = first; at && depth < 16;) {
        struct pdb_dir_record *r = pdb_dicomdir_at(dir, at);
        if (!r || r->reached)
            return true;
        r->reached = true;
        if (r->in_use && r->file_id[0] && !add_ref(set, r, &k))
            return false;
        if (!walk_records(set, dir, r->lower, keys_below(r, k), depth + 1))
            return false;
        at = r->next;
    }
    return true;
}

static int cmp_refs(const void *a, const void *b)
{
    return strcmp(((const struct pdb_fileset_ref *) a)->file_id,
                  ((const struct pdb_fileset_ref *) b)->file_id);
}

/* The DICOMDIR at `path` read into a new File-set; false with *why when it
 * cannot be read (a warning), or with *err when memory runs out. */
static bool read_fileset(const char *path, struct pdb_fileset *set,
                         struct pdiburn_error **why, struct pdiburn_error **err)
{
    uint8_t *data = NULL;
    size_t len = 0;
    struct pdb_dicomdir dir;
    if (!read_whole(path, &data, &len)) {
        free(data);
        return pdb_fail(why, PDIBURN_E_IO, "%s", strerror(errno ? errno : EIO));
    }
    /* The records' bodies point into data: it lives until the walk ends. */
    bool ok = pdb_dicomdir_parse(data, len, &dir, why);
    if (!ok) {
        free(data);
        return false;
    }
    struct keys none = { "", "", "" };
    ok = walk_records(set, &dir, dir.first_root, none, 0);
    pdb_dicomdir_free(&dir);
    free(data);
    if (!ok)
        return pdb_fail_nomem(err);
    if (set->nrefs > 1)
        qsort(set->refs, set->nrefs, sizeof(*set->refs), cmp_refs);
    return true;
}

static void free_set(struct pdb_fileset *set)
{
    for (size_t i = 0; i < set->nrefs; i++)
        free(set->refs[i].file_id);
    free(set->refs);
    free(set->root);
    free(set->dicomdir);
    memset(set, 0, sizeof(*set));
}

static bool add_fileset(struct pdb_filesets *sets, const char *path,
                        struct pdb_log *log, struct pdiburn_error **err)
{
    struct pdb_fileset set = { 0 };
    struct pdiburn_error *why = NULL;
    set.dicomdir = strdup(path);
    set.root = pdb_fs_dirname(path);
    bool ok = set.dicomdir && set.root &&
              pdb_grow(&sets->sets, sets->n, sizeof(*sets->sets));
    if (ok && read_fileset(path, &set, &why, err)) {
        sets->sets[sets->n++] = set;
        return true;
    }
    if (why)
        pdb_warn(log,
                 "'%s': not a DICOMDIR that can be read (%s); its folder "
                 "is read file by file",
                 path, pdiburn_error_message(why));
    free_set(&set);
    pdiburn_error_free(why);
    return why || (ok ? false : pdb_fail_nomem(err));
}

bool pdb_filesets_find(const struct pdb_file_list *files,
                       struct pdb_filesets *sets, struct pdb_log *log,
                       struct pdiburn_error **err)
{
    for (size_t i = 0; i < files->nfiles; i++)
        if (is_dicomdir_name(files->files[i].path) &&
            !add_fileset(sets, files->files[i].path, log, err))
            return false;
    return true;
}

/* ---- matching the walk ------------------------------------------------------
 */

/* `path` relative to `root` when inside it, else NULL. */
static const char *inside(const char *root, const char *path)
{
    size_t n = strlen(root);
    if (strcmp(root, ".") == 0 && path[0] != '/')
        return path;
    if (strncmp(path, root, n) != 0)
        return NULL;
    if (n && root[n - 1] == '/')
        return path + n;
    return path[n] == '/' ? path + n + 1 : NULL;
}

const struct pdb_fileset *pdb_filesets_holding(const struct pdb_filesets *sets,
                                               const char *path)
{
    const struct pdb_fileset *best = NULL;
    for (size_t i = 0; i < sets->n; i++)
        if (inside(sets->sets[i].root, path) &&
            (!best || strlen(sets->sets[i].root) > strlen(best->root)))
            best = &sets->sets[i];
    return best;
}

static struct pdb_fileset_ref *find_ref(const struct pdb_fileset *set,
                                        const char *path)
{
    char *rel = strdup(inside(set->root, path));
    if (!rel)
        return NULL;
    normalise(rel);
    struct pdb_fileset_ref key = { .file_id = rel };
    struct pdb_fileset_ref *ref =
        set->nrefs ? bsearch(&key, set->refs, set->nrefs, sizeof(key), cmp_refs)
                   : NULL;
    free(rel);
    return ref;
}

const struct pdb_fileset_ref *pdb_filesets_ref(const struct pdb_filesets *sets,
                                               const char *path)
{
    const struct pdb_fileset *set = pdb_filesets_holding(sets, path);
    return set ? find_ref(set, path) : NULL;
}

/* Marks the reference of a file of the walk; false when there is none. */
static bool referenced(const struct pdb_filesets *sets, const char *path,
                       const struct pdb_fileset **holder)
{
    *holder = pdb_filesets_holding(sets, path);
    struct pdb_fileset_ref *ref = *holder ? find_ref(*holder, path) : NULL;
    if (ref)
        ref->found = true;
    return !*holder || ref;
}

static bool add_missing(struct pdb_inventory *cat,
                        const struct pdb_fileset *set,
                        const struct pdb_fileset_ref *ref)
{
    if (!pdb_grow(&cat->broken, cat->nbroken, sizeof(*cat->broken)))
        return false;
    struct pdb_broken *b = &cat->broken[cat->nbroken];
    memset(b, 0, sizeof(*b));
    b->path = pdb_fs_path_join(set->root, ref->file_id);
    b->reason = pdb_format("referenced by '%s' but not there", set->dicomdir);
    if (!b->path || !b->reason) {
        free(b->path);
        free(b->reason);
        return false;
    }
    memcpy(b->patient_id, ref->patient_id, sizeof(b->patient_id));
    memcpy(b->study_uid, ref->study_uid, sizeof(b->study_uid));
    memcpy(b->series_uid, ref->series_uid, sizeof(b->series_uid));
    memcpy(b->sop_uid, ref->sop_uid, sizeof(b->sop_uid));
    cat->nbroken++;
    return true;
}

bool pdb_filesets_reconcile(struct pdb_filesets *sets,
                            struct pdb_inventory *cat, struct pdb_log *log,
                            struct pdiburn_error **err)
{
    const struct pdb_fileset *holder = NULL;
    for (size_t i = 0; i < cat->ninstances; i++)
        if (!referenced(sets, cat->instances[i]->path, &holder))
            pdb_warn(log, "'%s' is not referenced by '%s'; read anyway",
                     cat->instances[i]->path, holder->dicomdir);
    for (size_t i = 0; i < cat->nbroken; i++)
        referenced(sets, cat->broken[i].path, &holder);
    for (size_t s = 0; s < sets->n; s++)
        for (size_t r = 0; r < sets->sets[s].nrefs; r++)
            if (!sets->sets[s].refs[r].found &&
                !add_missing(cat, &sets->sets[s], &sets->sets[s].refs[r]))
                return pdb_fail_nomem(err);
    return true;
}

void pdb_filesets_free(struct pdb_filesets *sets)
{
    for (size_t i = 0; i < sets->n; i++)
        free_set(&sets->sets[i]);
    free(sets->sets);
    memset(sets, 0, sizeof(*sets));
}
