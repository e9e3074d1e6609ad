/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks of verify, on what verify.c read: the DICOMDIR tree (PS3.3
 * F.3-F.4: offsets at items, no loops, PATIENT/STUDY/SERIES/leaf), each
 * record against its file (PS3.3 F.3.2.2: SOP Class, SOP Instance,
 * transfer syntax; records.c for the keys), File IDs (PS3.10 8.2), every
 * DICOM file referenced exactly once (PS3.11 D.3.3), SHA256.TXT (GNU or
 * BSD form), and the digests written.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "layout.h"
#include "dicom.h"

#define DEPTH_MAX 16

static const char *level_of(const char *type)
{
    if (strcmp(type, "PATIENT") == 0 || strcmp(type, "STUDY") == 0 ||
        strcmp(type, "SERIES") == 0)
        return type;
    return "LEAF";
}

/* The record type a parent of this kind may hold (Table F.4-1); NULL for
 * levels we do not check (private and root-level special records). */
static const char *expected_child(const char *parent)
{
    if (strcmp(parent, "ROOT") == 0)
        return "PATIENT";
    if (strcmp(parent, "PATIENT") == 0)
        return "STUDY";
    if (strcmp(parent, "STUDY") == 0)
        return "SERIES";
    if (strcmp(parent, "SERIES") == 0)
        return "LEAF";
    return NULL;
}

static void count(struct vstate *v, const struct pdb_dir_record *r)
{
    if (strcmp(r->type, "PATIENT") == 0)
        v->sum->patients++;
    else if (strcmp(r->type, "STUDY") == 0)
        v->sum->studies++;
    else if (strcmp(r->type, "SERIES") == 0)
        v->sum->series++;
    else if (r->file_id[0])
        v->sum->instances++;
}

static bool meta_differs(const struct vfile *f, const struct pdb_dir_record *r)
{
    return strcmp(f->sop_uid, r->sop_uid) != 0 ||
           strcmp(f->sop_class, r->sop_class) != 0 || strcmp(f->ts, r->ts) != 0;
}

/* The records walked down to the one at hand: PATIENT, STUDY, SERIES. */
struct path {
    const struct pdb_dir_record *rec[DEPTH_MAX + 2];
    size_t n;
};

static void check_file_ref(struct vstate *v, const struct pdb_dir_record *r,
                           const struct path *above)
{
    if (!pdb_fileid_valid(r->file_id))
        pdb_verify_problem(v, "fileid-invalid", r->file_id,
                           "Referenced File ID '%s' breaks the File ID rules "
                           "(PS3.10 8.2)",
                           r->file_id);
    struct vfile *f = pdb_verify_find(v, r->file_id);
    if (!f) {
        pdb_verify_problem(v, "file-missing", r->file_id,
                           "referenced by the DICOMDIR but missing");
        return;
    }
    f->refs++;
    if (!f->dicom) {
        pdb_verify_problem(v, "not-part10", f->path,
                           "not a DICOM Part 10 file");
        return;
    }
    if (meta_differs(f, r))
        pdb_verify_problem(v, "meta-mismatch", f->path,
                           "its meta information (SOP Instance %s, class %s, "
                           "transfer syntax %s) differs from its directory "
                           "record (%s, %s, %s)",
                           f->sop_uid, f->sop_class, f->ts, r->sop_uid,
                           r->sop_class, r->ts);
    if (f->ds_uid[0] && (strcmp(f->ds_uid, f->sop_uid) != 0 ||
                         strcmp(f->ds_class, f->sop_class) != 0))
        pdb_verify_problem(v, "sop-mismatch", f->path,
                           "SOP UIDs in the data set differ from its meta "
                           "information");
    pdb_verify_check_record_file(v, r, above->rec, above->n, f);
}

static bool enter(struct vstate *v, struct pdb_dir_record *r, uint32_t at,
                  size_t depth)
{
    if (!r) {
        pdb_verify_problem(v, "record-offset", "DICOMDIR",
                           "offset %u points at no record", at);
        return false;
    }
    if (r->reached || depth > DEPTH_MAX) {
        pdb_verify_problem(v, "record-loop", "DICOMDIR",
                           "the records loop at offset %u", at);
        return false;
    }
    r->reached = true;
    return true;
}

static void visit(struct vstate *v, const struct pdb_dir_record *r,
                  const char *parent, const struct path *above)
{
    const char *want = expected_child(parent);
    if (want && strcmp(level_of(r->type), want) != 0 &&
        strcmp(r->type, "PRIVATE") != 0)
        pdb_verify_problem(v, "record-level",
                           r->file_id[0] ? r->file_id : "DICOMDIR",
                           "a %s record under %s (offset %u; PS3.3 F.4)",
                           r->type, parent, r->offset);
    count(v, r);
    pdb_verify_check_record(v, r);
    if (r->file_id[0])
        check_file_ref(v, r, above);
}

static void walk(struct vstate *v, const struct pdb_dicomdir *dir,
                 uint32_t first, const char *parent, struct path *above)
{
    for (uint32_t at = first; at;) {
        struct pdb_dir_record *r = pdb_dicomdir_at(dir, at);
        if (!enter(v, r, at, above->n))
            return;
        if (r->in_use)
            visit(v, r, parent, above);
        above->rec[above->n++] = r->in_use ? r : NULL;
        walk(v, dir, r->lower, r->type, above);
        above->n--;
        at = r->next;
    }
}

static void check_fileset(struct vstate *v, const struct pdb_dicomdir *dir)
{
    if (dir->nrecords == 0)
        pdb_verify_problem(v, "dicomdir-empty", "DICOMDIR",
                           "no directory records (PS3.11 D.3.3)");
    if (!pdb_fileset_id_valid(dir->fileset_id))
        pdb_verify_problem(v, "fileset-id", "DICOMDIR",
                           "File-set ID '%s' breaks PS3.10 8.5",
                           dir->fileset_id);
    if (dir->last_root != dir->root_chain_end)
        pdb_verify_problem(v, "last-root-offset", "DICOMDIR",
                           "(0004,1202) names the record at offset %u, but "
                           "the last root record is at %u (PS3.3 F.3.2.1)",
                           dir->last_root, dir->root_chain_end);
}

void pdb_verify_check_dicomdir(struct vstate *v)
{
    if (!v->dicomdir) {
        pdb_verify_problem(v, "no-dicomdir", "",
                           "no DICOMDIR in the root of the media");
        return;
    }
    struct pdb_dicomdir dir;
    struct pdiburn_error *e = NULL;
    if (!pdb_dicomdir_parse(v->dicomdir, v->dicomdir_len, &dir, &e)) {
        const char *msg = pdiburn_error_message(e);
        if (strncmp(msg, "DICOMDIR: ", 10) == 0)
            msg += 10;
        pdb_verify_problem(v, "dicomdir-malformed", "DICOMDIR", "%s", msg);
        pdiburn_error_free(e);
        return;
    }
    v->dicomdir_parsed = true;
    check_fileset(v, &dir);
    struct path above = { .n = 0 };
    walk(v, &dir, dir.first_root, "ROOT", &above);
    for (size_t i = 0; i < dir.nrecords; i++)
        if (dir.records[i].in_use && !dir.records[i].reached)
            pdb_verify_problem(v, "record-unreachable", "DICOMDIR",
                               "record at offset %u (%s) cannot be reached "
                               "from the root",
                               dir.records[i].offset, dir.records[i].type);
    pdb_dicomdir_free(&dir);
}

void pdb_verify_check_unreferenced(struct vstate *v)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (!f->complete)
            pdb_verify_problem(v, "unreadable", f->path,
                               "could not be read to its end");
        /* Without readable records every file would be unreferenced. */
        if (!f->dicom || strcmp(f->key, "DICOMDIR") == 0 || !v->dicomdir_parsed)
            continue;
        if (f->refs == 0)
            pdb_verify_problem(v, "unreferenced", f->path,
                               "a DICOM file no directory record refers to");
        else if (f->refs > 1)
            pdb_verify_problem(v, "referenced-twice", f->path,
                               "referenced by %u directory records", f->refs);
    }
}

static bool parse_hex(const char *hex, uint8_t out[PDB_SHA256_LEN])
{
    for (int i = 0; i < PDB_SHA256_LEN; i++) {
        char byte[3] = { hex[2 * i], hex[2 * i + 1], 0 };
        char *end = NULL;
        out[i] = (uint8_t) strtoul(byte, &end, 16);
        if (!end || *end)
            return false;
    }
    return hex[2 * PDB_SHA256_LEN] == 0 || hex[2 * PDB_SHA256_LEN] == ' ';
}

/* "<64 hex>  <path>" (sha256sum) or "SHA256 (<path>) = <64 hex>" (BSD,
 * sha256sum --tag): the path and digest, or NULL. */
static const char *manifest_entry(char *line, uint8_t want[PDB_SHA256_LEN])
{
    size_t len = strlen(line), hex = 2 * PDB_SHA256_LEN;
    if (strncmp(line, "SHA256 (", 8) == 0) {
        if (len < 8 + 1 + 4 + hex || strncmp(line + len - hex - 4, ") = ", 4))
            return NULL;
        line[len - hex - 4] = 0;
        return parse_hex(line + len - hex, want) ? line + 8 : NULL;
    }
    if (len < hex + 3 || line[hex] != ' ' || !parse_hex(line, want))
        return NULL;
    return line + hex + 2; /* "  " or " *" */
}

/* One line; `listed` marks the files named. */
static void check_manifest_line(struct vstate *v, char *line, bool *listed)
{
    uint8_t want[PDB_SHA256_LEN];
    const char *name = manifest_entry(line, want);
    if (!name) {
        pdb_verify_problem(v, "manifest-line", "SHA256.TXT",
                           "unreadable line '%.80s'", line);
        return;
    }
    struct vfile *f = pdb_verify_find(v, name);
    if (!f) {
        pdb_verify_problem(v, "manifest-missing", name,
                           "listed in SHA256.TXT but missing");
        return;
    }
    listed[f - v->files] = true;
    if (memcmp(f->sha256, want, sizeof(want)) != 0)
        pdb_verify_problem(v, "sha256-mismatch", f->path,
                           "its SHA-256 differs from SHA256.TXT");
}

/* Inside one of the folders a medium of ours has at its root. */
static bool in_media_folder(const char *key)
{
    for (const char *const *e = pdb_root_entries; *e; e++) {
        size_t n = strlen(*e);
        if (strncasecmp(key, *e, n) == 0 && key[n] == '/')
            return true;
    }
    return false;
}

/* Files beside the media (a stick's photos) are not its business;
 * anything in its own folders, or any DICOM file, is. */
static void check_unlisted(struct vstate *v, const bool *listed)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (listed[i] || strcmp(f->key, "SHA256.TXT") == 0)
            continue;
        if (in_media_folder(f->key) || f->dicom)
            pdb_verify_problem(v, "not-in-manifest", f->path,
                               "on the media but not in SHA256.TXT");
        else
            pdb_warn(v->log, "%s: beside the media, not part of it", f->path);
    }
}

void pdb_verify_check_manifest(struct vstate *v)
{
    if (!v->manifest) {
        pdb_verify_note(v, "no-checksums", "",
                        "no SHA256.TXT: the files are checked for what they "
                        "are, not against the digests they were written "
                        "with");
        return;
    }
    bool *listed = calloc(v->nfiles + 1, sizeof(bool));
    char *text = malloc(v->manifest_len + 1);
    if (!listed || !text) {
        free(listed);
        free(text);
        pdb_verify_problem(v, "out-of-memory", "SHA256.TXT",
                           "out of memory checking it");
        return;
    }
    memcpy(text, v->manifest, v->manifest_len);
    text[v->manifest_len] = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line;
         line = strtok_r(NULL, "\r\n", &save))
        check_manifest_line(v, line, listed);
    check_unlisted(v, listed);
    free(text);
    free(listed);
}

void pdb_verify_check_expected(struct vstate *v, const struct pdb_content *c)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct pdb_node *n = c->nodes[i];
        const struct vfile *f = pdb_verify_find(v, n->path);
        if (!f)
            pdb_verify_problem(v, "written-missing", n->path,
                               "written but not found on the media");
        else if (!n->hashed || f->size != n->size || f->xxh != n->xxh)
            pdb_verify_problem(v, "written-differs", n->path,
                               "differs from what was written");
    }
    if (v->nfiles != c->nnodes)
        pdb_verify_problem(v, "file-count", "",
                           "the media holds %zu files, %zu were written",
                           v->nfiles, c->nnodes);
}
