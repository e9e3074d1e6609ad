/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Directory records against what they stand for (PS3.3 F.5): the keys of
 * a record and of the PATIENT, STUDY and SERIES records above it agree
 * with the file it references (names compared as text, each decoded from
 * its own Specific Character Set, PS3.5 7.5.3); the record type fits the
 * SOP Class (F.4); Type 1 keys are there and not empty; a record without
 * (0008,0005) holds ISO-IR 6 characters only.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "record_rules.h"
#include "text.h"

/* The keys each level of record shares with the file. */
static const enum pdb_head_key patient_keys[] = { PDB_HK_PATIENT_ID,
                                                  PDB_HK_PATIENT_NAME,
                                                  PDB_HK_BIRTH_DATE, PDB_HK_SEX,
                                                  PDB_HK_COUNT };
static const enum pdb_head_key study_keys[] = {
    PDB_HK_STUDY_UID, PDB_HK_STUDY_DATE, PDB_HK_STUDY_TIME,
    PDB_HK_STUDY_ID,  PDB_HK_ACCESSION,  PDB_HK_COUNT
};
static const enum pdb_head_key series_keys[] = {
    PDB_HK_SERIES_UID, PDB_HK_MODALITY, PDB_HK_SERIES_NUMBER, PDB_HK_COUNT
};
static const enum pdb_head_key leaf_keys[] = { PDB_HK_INSTANCE_NUMBER,
                                               PDB_HK_COUNT };

static const enum pdb_head_key *keys_of(const char *type)
{
    if (strcmp(type, "PATIENT") == 0)
        return patient_keys;
    if (strcmp(type, "STUDY") == 0)
        return study_keys;
    if (strcmp(type, "SERIES") == 0)
        return series_keys;
    return leaf_keys;
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((uint8_t) *s >= 0x80 || *s == 0x1B)
            return false;
    return true;
}

/* "093000.000" and "093000" are one time (PS3.5 6.2, TM). */
static void time_of(const char *tm, char *out, size_t n)
{
    size_t k = 0;
    for (; *tm && k + 1 < n; tm++)
        if (*tm != ':')
            out[k++] = *tm;
    out[k] = 0;
    char *dot = strchr(out, '.');
    if (!dot)
        return;
    while (k > 0 && out[k - 1] == '0')
        out[--k] = 0;
    if (out[k - 1] == '.')
        out[k - 1] = 0;
}

/* A person name without the empty trailing components and groups PS3.5
 * 6.2 lets a writer drop: "DOE^JOHN^^^" is "DOE^JOHN". */
static void name_of(const char *pn, char *out, size_t n)
{
    size_t k = 0;
    for (const char *g = pn; k + 1 < n;) {
        const char *eq = strchr(g, '=');
        size_t len = eq ? (size_t) (eq - g) : strlen(g);
        while (len && (g[len - 1] == '^' || g[len - 1] == ' '))
            len--;
        len = len < n - 1 - k ? len : n - 1 - k;
        memcpy(out + k, g, len);
        k += len;
        if (!eq || k + 2 >= n)
            break;
        out[k++] = '=';
        g = eq + 1;
    }
    while (k && out[k - 1] == '=')
        k--;
    out[k] = 0;
}

static bool same_text(const char *a, const char *a_cs, const char *b,
                      const char *b_cs)
{
    if (ascii(a) && ascii(b))
        return strcmp(a, b) == 0;
    char *x = pdb_text_decode(a_cs, (const uint8_t *) a, strlen(a));
    char *y = pdb_text_decode(b_cs, (const uint8_t *) b, strlen(b));
    bool same = x && y ? strcmp(x, y) == 0 : strcmp(a, b) == 0;
    free(x);
    free(y);
    return same;
}

static bool same_name(const char *a, const char *a_cs, const char *b,
                      const char *b_cs)
{
    char na[1024], nb[1024];
    name_of(a, na, sizeof(na));
    name_of(b, nb, sizeof(nb));
    return same_text(na, a_cs, nb, b_cs);
}

static bool same_value(enum pdb_head_key k, const char *a, const char *a_cs,
                       const char *b, const char *b_cs)
{
    char ta[32], tb[32];
    switch (k) {
    case PDB_HK_SERIES_NUMBER:
    case PDB_HK_INSTANCE_NUMBER:
        return strtol(a, NULL, 10) == strtol(b, NULL, 10);
    case PDB_HK_STUDY_TIME:
        time_of(a, ta, sizeof(ta));
        time_of(b, tb, sizeof(tb));
        return strcmp(ta, tb) == 0;
    case PDB_HK_PATIENT_NAME: return same_name(a, a_cs, b, b_cs);
    case PDB_HK_PATIENT_ID:
    case PDB_HK_ACCESSION:
    case PDB_HK_STUDY_ID: return same_text(a, a_cs, b, b_cs);
    default: return strcmp(a, b) == 0;
    }
}

static bool is_phi(enum pdb_head_key k)
{
    return k != PDB_HK_STUDY_UID && k != PDB_HK_SERIES_UID &&
           k != PDB_HK_MODALITY && k != PDB_HK_SERIES_NUMBER &&
           k != PDB_HK_INSTANCE_NUMBER;
}

static void record_string(const struct pdb_dir_record *r, uint32_t tag,
                          char *out, size_t n)
{
    pdb_elem_get_string(r->body, r->body_len, PDB_EXPLICIT_LE, tag, out, n);
}

static void mismatch(struct vstate *v, const struct pdb_dir_record *r,
                     const struct vfile *f, enum pdb_head_key k,
                     const char *in_record)
{
    uint32_t tag = pdb_head_key_tags[k];
    const char *rv = is_phi(k) ? pdb_log_phi(v->log, in_record) : in_record;
    const char *fv = is_phi(k) ? pdb_log_phi(v->log, f->keys[k]) : f->keys[k];
    pdb_verify_problem(v, "record-mismatch", f->path,
                       "%s (%04X,%04X) of its %s record (offset %u) is '%s', "
                       "the file says '%s' (PS3.3 F.5)",
                       pdb_record_key_name(tag), tag >> 16, tag & 0xFFFF,
                       r->type, r->offset, rv, fv);
}

/* Does another file of the patient carry the record's name? */
static bool name_of_a_file(const struct vstate *v, const char *id,
                           const char *name, const char *cs)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *g = &v->files[i];
        const char *gid = g->keys[PDB_HK_PATIENT_ID];
        const char *gname = g->keys[PDB_HK_PATIENT_NAME];
        const char *gcs = g->keys[PDB_HK_CHARSET] ? g->keys[PDB_HK_CHARSET]
                                                   : "";
        if (gname && (!id[0] || (gid && strcmp(gid, id) == 0)) &&
            same_name(name, cs, gname, gcs))
            return true;
    }
    return false;
}

/* A PATIENT record whose Patient ID, birth date and sex agree with the
 * file, and whose name another file of the patient carries, is of the
 * same person: the name changed between studies (marriage, a corrected
 * spelling), and a writer that shows one of the names, as pdiburn shows
 * the most recent, has made no mistake (PS3.3 F.5: one PATIENT record per
 * Patient ID).  A name no file carries is a mistake. */
static bool same_person(const struct vstate *v, const struct pdb_dir_record *r,
                        const struct vfile *f, const char *name,
                        const char *cs)
{
    char id[PDB_UID_MAX + 1] = "";
    record_string(r, pdb_head_key_tags[PDB_HK_PATIENT_ID], id, sizeof(id));
    if (strcmp(r->type, "PATIENT") != 0 || !name_of_a_file(v, id, name, cs))
        return false;
    static const enum pdb_head_key who[] = { PDB_HK_PATIENT_ID,
                                             PDB_HK_BIRTH_DATE, PDB_HK_SEX };
    char value[256];
    for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
        record_string(r, pdb_head_key_tags[who[i]], value, sizeof(value));
        const char *fv = f->keys[who[i]];
        if (value[0] && fv && fv[0] && strcmp(value, fv) != 0)
            return false;
    }
    return true;
}

static void differs(struct vstate *v, const struct pdb_dir_record *r,
                    const struct vfile *f, enum pdb_head_key k,
                    const char *in_record, const char *cs)
{
    if (k != PDB_HK_PATIENT_NAME || !same_person(v, r, f, in_record, cs)) {
        mismatch(v, r, f, k, in_record);
        return;
    }
    pdb_verify_note(v, "patient-renamed", f->path,
                    "Patient's Name of its PATIENT record (offset %u) is "
                    "'%s', the file says '%s'; Patient ID, birth date and sex "
                    "agree: one patient under another name",
                    r->offset, pdb_log_phi(v->log, in_record),
                    pdb_log_phi(v->log, f->keys[k]));
}

/* One record's keys against the file's, where both have a value. */
static void compare_record(struct vstate *v, const struct pdb_dir_record *r,
                           const struct vfile *f)
{
    char cs[128] = "", value[1024];
    const char *file_cs =
        f->keys[PDB_HK_CHARSET] ? f->keys[PDB_HK_CHARSET] : "";
    record_string(r, 0x00080005, cs, sizeof(cs));
    for (const enum pdb_head_key *k = keys_of(r->type); *k != PDB_HK_COUNT;
         k++) {
        record_string(r, pdb_head_key_tags[*k], value, sizeof(value));
        if (value[0] && f->keys[*k] && f->keys[*k][0] &&
            !same_value(*k, value, cs, f->keys[*k], file_cs))
            differs(v, r, f, *k, value, cs);
    }
}

static void check_type(struct vstate *v, const struct pdb_dir_record *r,
                       const struct vfile *f)
{
    const char *sop = r->sop_class[0] ? r->sop_class : f->sop_class;
    const char *want = pdb_record_type_of_class(sop);
    if (want ? strcmp(want, r->type) == 0
             : !pdb_record_type_is_specific(r->type))
        return;
    pdb_verify_problem(v, "record-type", f->path,
                       "SOP Class %s is referenced by a%s %s record; PS3.3 "
                       "F.4 gives it %s records",
                       sop, r->type[0] == 'I' || r->type[0] == 'E' ? "n" : "",
                       r->type, want ? want : "IMAGE");
}

void pdb_verify_check_record_file(struct vstate *v,
                                  const struct pdb_dir_record *leaf,
                                  const struct pdb_dir_record *const *above,
                                  size_t nabove, const struct vfile *f)
{
    check_type(v, leaf, f);
    compare_record(v, leaf, f);
    for (size_t i = 0; i < nabove; i++)
        if (above[i] && keys_of(above[i]->type) != leaf_keys)
            compare_record(v, above[i], f);
}

/* ---- any record -------------------------------------------------------- */

static const char *file_of(const struct pdb_dir_record *r)
{
    return r->file_id[0] ? r->file_id : "DICOMDIR";
}

static void check_type1(struct vstate *v, const struct pdb_dir_record *r)
{
    const uint32_t *keys = pdb_record_type1_keys(r->type);
    for (; keys && *keys; keys++) {
        struct pdb_elem e;
        char text[2];
        bool there =
            pdb_elem_find(r->body, r->body_len, PDB_EXPLICIT_LE, *keys, &e);
        /* Padding alone is empty too; a sequence needs an item. */
        if (there && e.len > 0 &&
            (strcmp(e.vr, "SQ") == 0 || !pdb_elem_string(&e, text, 2) ||
             text[0]))
            continue;
        pdb_verify_problem(v, "type1-missing", file_of(r),
                           "%s record at offset %u: %s (%04X,%04X) is Type 1 "
                           "but %s (PS3.3 F.5)",
                           r->type, r->offset, pdb_record_key_name(*keys),
                           *keys >> 16, *keys & 0xFFFF,
                           there ? "empty" : "missing");
    }
}

static bool text_vr(const char *vr)
{
    static const char *const vrs[] = { "PN", "LO", "SH", "ST", "LT", "UT",
                                       "UC", "CS", "AE", "DA", "TM", "DT",
                                       "IS", "DS", "AS", "UI" };
    for (size_t i = 0; i < sizeof(vrs) / sizeof(vrs[0]); i++)
        if (strcmp(vr, vrs[i]) == 0)
            return true;
    return false;
}

/* The first element, nested ones included, holding bytes outside ISO-IR 6
 * (8-bit characters or ISO 2022 escapes); 0 when none. */
static uint32_t first_non_ascii(const uint8_t *d, size_t len, int depth)
{
    size_t pos = 0;
    struct pdb_elem e;
    while (pdb_elem_next(d, len, &pos, PDB_EXPLICIT_LE, &e) > 0) {
        if (strcmp(e.vr, "SQ") == 0 && depth < 8) {
            size_t ipos = 0;
            const uint8_t *body;
            size_t blen;
            while (pdb_elem_next_item(&e, &ipos, PDB_EXPLICIT_LE, &body,
                                      &blen) > 0) {
                uint32_t t = first_non_ascii(body, blen, depth + 1);
                if (t)
                    return t;
            }
        } else if (text_vr(e.vr)) {
            for (uint32_t i = 0; i < e.len; i++)
                if (e.value[i] >= 0x80 || e.value[i] == 0x1B)
                    return e.tag;
        }
    }
    return 0;
}

static void check_charset(struct vstate *v, const struct pdb_dir_record *r)
{
    char cs[128];
    record_string(r, 0x00080005, cs, sizeof(cs));
    if (cs[0]) /* empty: the default repertoire, as if absent */
        return;
    uint32_t tag = first_non_ascii(r->body, r->body_len, 0);
    if (tag)
        pdb_verify_problem(v, "charset-missing", file_of(r),
                           "%s record at offset %u: (%04X,%04X) holds "
                           "characters outside ISO-IR 6, and the record has "
                           "no Specific Character Set (PS3.3 F.5, PS3.5 "
                           "7.5.3)",
                           r->type, r->offset, tag >> 16, tag & 0xFFFF);
}

void pdb_verify_check_record(struct vstate *v, const struct pdb_dir_record *r)
{
    check_type1(v, r);
    check_charset(v, r);
}
