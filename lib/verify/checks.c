/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks of verify, on what verify.c read: the DICOMDIR tree (PS3.3
 * F.3-F.4: offsets at items, no loops, PATIENT/STUDY/SERIES/leaf), each
 * record against its file (PS3.3 F.3.2.2: SOP Class, SOP Instance,
 * transfer syntax), File IDs (PS3.10 8.2), every DICOM file referenced
 * exactly once (PS3.11 D.3.3), SHA256.TXT, and the digests written.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "layout.h"
#include "dicom.h"

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

static void check_file_ref(struct vstate *v, const struct pdb_dir_record *r)
{
    if (!pdb_fileid_valid(r->file_id))
        pdb_verify_problem(v,
                           "DICOMDIR: Referenced File ID '%s' breaks the "
                           "File ID rules (PS3.10 8.2)",
                           r->file_id);
    struct vfile *f = pdb_verify_find(v, r->file_id);
    if (!f) {
        pdb_verify_problem(v, "%s: referenced by the DICOMDIR but missing",
                           r->file_id);
        return;
    }
    f->refs++;
    if (!f->dicom) {
        pdb_verify_problem(v, "%s: not a DICOM Part 10 file", f->path);
        return;
    }
    if (strcmp(f->sop_uid, r->sop_uid) != 0 ||
        strcmp(f->sop_class, r->sop_class) != 0 || strcmp(f->ts, r->ts) != 0)
        pdb_verify_problem(v,
                           "%s: its meta information (SOP Instance %s, class "
                           "%s, transfer syntax %s) differs from its directory "
                           "record (%s, %s, %s)",
                           f->path, f->sop_uid, f->sop_class, f->ts, r->sop_uid,
                           r->sop_class, r->ts);
    if (f->ds_uid[0] && (strcmp(f->ds_uid, f->sop_uid) != 0 ||
                         strcmp(f->ds_class, f->sop_class) != 0))
        pdb_verify_problem(v,
                           "%s: SOP UIDs in the data set differ from its meta "
                           "information",
                           f->path);
}

static void walk(struct vstate *v, const struct pdb_dicomdir *dir,
                 uint32_t first, const char *parent, int depth)
{
    const char *want = expected_child(parent);
    for (uint32_t at = first; at;) {
        struct pdb_dir_record *r = pdb_dicomdir_at(dir, at);
        if (!r) {
            pdb_verify_problem(v, "DICOMDIR: offset %u points at no record",
                               at);
            return;
        }
        if (r->reached || depth > 16) {
            pdb_verify_problem(v, "DICOMDIR: the records loop at offset %u",
                               at);
            return;
        }
        r->reached = true;
        const char *level = level_of(r->type);
        if (r->in_use && want && strcmp(level, want) != 0 &&
            strcmp(r->type, "PRIVATE") != 0)
            pdb_verify_problem(v, "DICOMDIR: a %s record under %s", r->type,
                               parent);
        if (r->in_use) {
            count(v, r);
            if (r->file_id[0])
                check_file_ref(v, r);
        }
        walk(v, dir, r->lower, r->type, depth + 1);
        at = r->next;
    }
}

void pdb_verify_check_dicomdir(struct vstate *v)
{
    if (!v->dicomdir) {
        pdb_verify_problem(v, "no DICOMDIR in the root of the media");
        return;
    }
    struct pdb_dicomdir dir;
    struct pdiburn_error *e = NULL;
    if (!pdb_dicomdir_parse(v->dicomdir, v->dicomdir_len, &dir, &e)) {
        pdb_verify_problem(v, "%s", pdiburn_error_message(e));
        pdiburn_error_free(e);
        return;
    }
    if (dir.nrecords == 0)
        pdb_verify_problem(v, "DICOMDIR: no directory records (PS3.11 D.3.3)");
    if (!pdb_fileset_id_valid(dir.fileset_id))
        pdb_verify_problem(v, "DICOMDIR: File-set ID '%s' breaks PS3.10 8.5",
                           dir.fileset_id);
    walk(v, &dir, dir.first_root, "ROOT", 0);
    for (size_t i = 0; i < dir.nrecords; i++)
        if (dir.records[i].in_use && !dir.records[i].reached)
            pdb_verify_problem(v,
                               "DICOMDIR: record at offset %u (%s) cannot be "
                               "reached from the root",
                               dir.records[i].offset, dir.records[i].type);
    pdb_dicomdir_free(&dir);
}

void pdb_verify_check_unreferenced(struct vstate *v)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (!f->complete)
            pdb_verify_problem(v, "%s: could not be read to its end", f->path);
        if (!f->dicom || strcmp(f->key, "DICOMDIR") == 0)
            continue;
        if (f->refs == 0)
            pdb_verify_problem(v,
                               "%s: a DICOM file no directory record refers "
                               "to",
                               f->path);
        else if (f->refs > 1)
            pdb_verify_problem(v, "%s: referenced by %u directory records",
                               f->path, f->refs);
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
    return true;
}

/* One "<64 hex>  <path>" line; `listed` marks the files named. */
static void check_manifest_line(struct vstate *v, const char *line,
                                bool *listed)
{
    uint8_t want[PDB_SHA256_LEN];
    size_t len = strlen(line);
    if (len < 2 * PDB_SHA256_LEN + 3 || !parse_hex(line, want) ||
        line[2 * PDB_SHA256_LEN] != ' ') {
        pdb_verify_problem(v, "SHA256.TXT: unreadable line '%.80s'", line);
        return;
    }
    const char *name = line + 2 * PDB_SHA256_LEN + 2; /* "  " or " *" */
    struct vfile *f = pdb_verify_find(v, name);
    if (!f) {
        pdb_verify_problem(v, "%s: listed in SHA256.TXT but missing", name);
        return;
    }
    listed[f - v->files] = true;
    if (memcmp(f->sha256, want, sizeof(want)) != 0)
        pdb_verify_problem(v, "%s: its SHA-256 differs from SHA256.TXT",
                           f->path);
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

void pdb_verify_check_manifest(struct vstate *v)
{
    if (!v->manifest)
        return; /* optional: media of other creators rarely have one */
    bool *listed = calloc(v->nfiles + 1, sizeof(bool));
    if (!listed) {
        pdb_verify_problem(v, "out of memory checking SHA256.TXT");
        return;
    }
    char *text = (char *) v->manifest;
    for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n"))
        check_manifest_line(v, line, listed);
    /* Files beside the media (a stick's photos) are not its business;
     * anything in its own folders, or any DICOM file, is. */
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (listed[i] || strcmp(f->key, "SHA256.TXT") == 0)
            continue;
        if (in_media_folder(f->key) || f->dicom)
            pdb_verify_problem(v, "%s: on the media but not in SHA256.TXT",
                               f->path);
        else
            pdb_warn(v->log, "%s: beside the media, not part of it",
                     f->path);
    }
    free(listed);
}

void pdb_verify_check_expected(struct vstate *v, const struct pdb_content *c)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct pdb_node *n = c->nodes[i];
        const struct vfile *f = pdb_verify_find(v, n->path);
        if (!f)
            pdb_verify_problem(v, "%s: written but not found on the media",
                               n->path);
        else if (!n->hashed || f->size != n->size ||
                 f->xxh != n->xxh)
            pdb_verify_problem(v, "%s: differs from what was written", n->path);
    }
    if (v->nfiles != c->nnodes)
        pdb_verify_problem(v, "the media holds %zu files, %zu were written",
                           v->nfiles, c->nnodes);
}
