/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Directory records (PS3.3 F.5) for the files on the media: which record
 * type a SOP Class gets, which keys each type carries and of what Type,
 * and the Type 1 keys the File-set Creator may supply when the instance
 * lacks them (PS3.11 D.3.3).  Values are copied byte for byte from the
 * instance together with its Specific Character Set (PS3.3 F.5, PS3.5
 * 7.5.3): names are never converted or flattened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirrecord.h"
#include "dicom.h"

/* ---- record types ------------------------------------------------------- */

struct sop_record {
    const char *prefix; /* SOP Class UID, or its prefix when ending in '.' */
    const char *type;
};

static const struct sop_record sop_records[] = {
    { "1.2.840.10008.5.1.4.1.1.88.59", "KEY OBJECT DOC" },
    { "1.2.840.10008.5.1.4.1.1.88.", "SR DOCUMENT" },
    { "1.2.840.10008.5.1.4.1.1.11.", "PRESENTATION" },
    { "1.2.840.10008.5.1.4.1.1.104.", "ENCAP DOC" },
    { "1.2.840.10008.5.1.4.1.1.9.", "WAVEFORM" },
    { "1.2.840.10008.5.1.4.1.1.481.2", "RT DOSE" },
    { "1.2.840.10008.5.1.4.1.1.481.3", "RT STRUCTURE SET" },
    { "1.2.840.10008.5.1.4.1.1.481.5", "RT PLAN" },
    { "1.2.840.10008.5.1.4.1.1.481.8", "RT PLAN" },
    { "1.2.840.10008.5.1.4.1.1.481.4", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.6", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.7", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.9", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.4.2", "SPECTROSCOPY" },
    { "1.2.840.10008.5.1.4.1.1.66.1", "REGISTRATION" },
    { "1.2.840.10008.5.1.4.1.1.66.3", "REGISTRATION" },
    { "1.2.840.10008.5.1.4.1.1.66.2", "FIDUCIAL" },
    { "1.2.840.10008.5.1.4.1.1.66", "RAW DATA" },
    { "1.2.840.10008.5.1.4.1.1.67", "VALUE MAP" },
};

static bool sop_matches(const char *pattern, const char *uid)
{
    size_t n = strlen(pattern);
    if (pattern[n - 1] == '.')
        return strncmp(pattern, uid, n) == 0;
    return strcmp(pattern, uid) == 0;
}

const char *pdb_records_type_of(const char *sop_class)
{
    for (size_t i = 0; i < sizeof(sop_records) / sizeof(sop_records[0]); i++)
        if (sop_matches(sop_records[i].prefix, sop_class))
            return sop_records[i].type;
    return "IMAGE";
}

/* ---- keys per record type ----------------------------------------------- */

/* '1' required (invented when we may), '2' required, empty if unknown,
 * 'c' copied when present (1C/3). */
struct key_spec {
    uint32_t tag;
    char type;
};

#define END { 0, 0 }

static const struct key_spec patient_keys[] = {
    { 0x00100010, '2' }, { 0x00100020, '1' }, { 0x00100021, 'c' },
    { 0x00100030, 'c' }, { 0x00100040, 'c' }, END
};
static const struct key_spec study_keys[] = {
    { 0x00080020, '1' }, { 0x00080030, '1' }, { 0x00080050, '2' },
    { 0x00081030, '2' }, { 0x0020000D, '1' }, { 0x00200010, '1' }, END
};
static const struct key_spec series_keys[] = {
    { 0x00080060, '1' }, { 0x0008103E, 'c' }, { 0x0020000E, '1' },
    { 0x00200011, '1' }, END
};
/* PS3.11 Table H.3-2, for the DVD, USB and BD profiles. */
static const struct key_spec series_keys_jpeg[] = {
    { 0x00080060, '1' }, { 0x00080080, 'c' }, { 0x00080081, 'c' },
    { 0x0008103E, 'c' }, { 0x00081050, 'c' }, { 0x0020000E, '1' },
    { 0x00200011, '1' }, END
};
/* PS3.11 Table D.3-2: STD-GEN-CD adds Image Type and the Referenced Image
 * Sequence to IMAGE records. */
static const struct key_spec image_keys[] = {
    { 0x00080008, 'c' }, { 0x00081140, 'c' }, { 0x00200013, '1' }, END
};
static const struct key_spec image_keys_jpeg[] = {
    { 0x00080008, 'c' }, { 0x00081140, 'c' }, { 0x00200013, '1' },
    { 0x00200032, 'c' }, { 0x00200037, 'c' }, { 0x00200052, 'c' },
    { 0x00280008, 'c' }, { 0x00280010, '1' }, { 0x00280011, '1' },
    { 0x00280030, 'c' }, { 0x00282112, 'c' }, { 0x00500004, 'c' }, END
};
static const struct key_spec sr_keys[] = {
    { 0x00080023, '1' }, { 0x00080033, '1' }, { 0x00200013, '1' },
    { 0x0040A030, 'c' }, { 0x0040A043, '1' }, { 0x0040A491, '1' },
    { 0x0040A493, '1' }, { 0x0040A730, 'c' }, END
};
static const struct key_spec key_object_keys[] = {
    { 0x00080023, '1' }, { 0x00080033, '1' }, { 0x00200013, '1' },
    { 0x0040A043, '1' }, { 0x0040A730, 'c' }, END
};
static const struct key_spec presentation_keys[] = {
    { 0x00081115, 'c' }, { 0x00200013, '1' }, { 0x00700080, '1' },
    { 0x00700081, '2' }, { 0x00700082, '1' }, { 0x00700083, '1' },
    { 0x00700084, '2' }, END
};
static const struct key_spec encap_keys[] = {
    { 0x00080023, '2' }, { 0x00080033, '2' }, { 0x00200013, '1' },
    { 0x0040A043, '2' }, { 0x00420010, '2' }, { 0x00420012, '1' }, END
};
static const struct key_spec waveform_keys[] = {
    { 0x00080023, '1' }, { 0x00080033, '1' }, { 0x00200013, '1' }, END
};
static const struct key_spec rt_dose_keys[] = {
    { 0x00200013, '1' }, { 0x3004000A, '1' }, END
};
static const struct key_spec rt_structure_keys[] = {
    { 0x00200013, '1' }, { 0x30060002, '1' }, { 0x30060008, '2' },
    { 0x30060009, '2' }, END
};
static const struct key_spec rt_plan_keys[] = {
    { 0x00200013, '1' }, { 0x300A0002, '1' }, { 0x300A0006, '2' },
    { 0x300A0007, '2' }, END
};
static const struct key_spec rt_treatment_keys[] = {
    { 0x00200013, '1' }, { 0x30080250, '2' }, { 0x30080251, '2' }, END
};
static const struct key_spec content_keys[] = {
    { 0x00080023, '1' }, { 0x00080033, '1' }, { 0x00200013, '1' },
    { 0x00700080, '1' }, { 0x00700081, '2' }, { 0x00700084, '2' }, END
};
static const struct key_spec raw_data_keys[] = {
    { 0x00080023, '1' }, { 0x00080033, '1' }, { 0x00200013, '2' }, END
};
static const struct key_spec spectroscopy_keys[] = {
    { 0x00080008, '1' }, { 0x00080023, '1' }, { 0x00080033, '1' },
    { 0x00200013, '1' }, { 0x00280008, '1' }, { 0x00280010, '1' },
    { 0x00280011, '1' }, END
};

struct record_keys {
    const char *type;
    const struct key_spec *keys;
};

static const struct record_keys leaf_keys[] = {
    { "IMAGE", image_keys },
    { "SR DOCUMENT", sr_keys },
    { "KEY OBJECT DOC", key_object_keys },
    { "PRESENTATION", presentation_keys },
    { "ENCAP DOC", encap_keys },
    { "WAVEFORM", waveform_keys },
    { "RT DOSE", rt_dose_keys },
    { "RT STRUCTURE SET", rt_structure_keys },
    { "RT PLAN", rt_plan_keys },
    { "RT TREAT RECORD", rt_treatment_keys },
    { "REGISTRATION", content_keys },
    { "FIDUCIAL", content_keys },
    { "VALUE MAP", content_keys },
    { "RAW DATA", raw_data_keys },
    { "SPECTROSCOPY", spectroscopy_keys },
};

static const struct key_spec *keys_of(const char *type,
                                      enum pdb_profile profile)
{
    if (strcmp(type, "IMAGE") == 0 && profile == PDB_PROFILE_JPEG)
        return image_keys_jpeg;
    for (size_t i = 0; i < sizeof(leaf_keys) / sizeof(leaf_keys[0]); i++)
        if (strcmp(leaf_keys[i].type, type) == 0)
            return leaf_keys[i].keys;
    return image_keys;
}

/* Only the Instance Number of a leaf is ours to supply (invent_leaf). */
uint32_t pdb_records_unsupplied_key(const struct pdb_instance *inst,
                                    enum pdb_profile profile)
{
    const struct key_spec *spec =
        keys_of(pdb_records_type_of(inst->sop_class), profile);
    for (; spec->tag; spec++) {
        struct pdb_elem e;
        if (spec->type != '1' || spec->tag == TAG_INSTANCE_NUMBER)
            continue;
        if (!pdb_elem_find(inst->keys, inst->keys_len, PDB_EXPLICIT_LE,
                           spec->tag, &e) ||
            e.len == 0)
            return spec->tag;
    }
    return 0;
}

/* ---- building one record ------------------------------------------------ */

/* Where the keys come from and what to supply when one is missing. */
struct source {
    enum pdb_profile profile;
    const struct pdb_instance *inst;
    const char *what;            /* "study 1.2.3", for warnings */
    const char *(*invent)(const struct source *src, uint32_t tag,
                          char *buf, size_t len);
    const void *ctx;
    unsigned index;              /* 1-based position among its siblings */
    struct pdb_log *log;
};

/* A value is affected by the character set when it holds bytes outside
 * ISO-IR 6: 8-bit characters, or the escapes of ISO 2022 (PS3.5 6.1). */
static bool needs_charset(const uint8_t *v, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (v[i] >= 0x80 || v[i] == 0x1B)
            return true;
    return false;
}

static bool is_text_vr(const char *vr)
{
    static const char *const text[] = { "PN", "LO", "SH", "ST", "LT", "UT",
                                        "UC", "SQ" };
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        if (memcmp(vr, text[i], 2) == 0)
            return true;
    return false;
}

static void warn_invented(const struct source *src, uint32_t tag,
                          const char *value)
{
    const struct pdb_key *k = pdb_key_find(tag);
    pdb_warn(src->log,
             "%s ('%s'): no %s; the DICOMDIR says '%s' instead",
             src->what, src->inst->path, k ? k->name : "value", value);
}

static void warn_missing(const struct source *src, uint32_t tag)
{
    const struct pdb_key *k = pdb_key_find(tag);
    pdb_warn(src->log, "%s ('%s'): required %s is missing; its directory "
             "record leaves it empty",
             src->what, src->inst->path, k ? k->name : "value");
}

/* A Type 1 or 2 key the instance lacks: supplied where the profile lets
 * the creator (PS3.11 D.3.3), else left empty, with a warning. */
static bool put_missing(struct pdb_buf *keys, const struct source *src,
                        const struct key_spec *spec)
{
    const struct pdb_key *k = pdb_key_find(spec->tag);
    char buf[65];
    const char *made = spec->type == '1' && src->invent
                           ? src->invent(src, spec->tag, buf, sizeof(buf))
                           : NULL;
    if (made)
        warn_invented(src, spec->tag, made);
    else if (spec->type == '1')
        warn_missing(src, spec->tag);
    return pdb_elem_put_str(keys, spec->tag, k ? k->vr : "UN",
                            made ? made : "");
}

static bool put_key(struct pdb_buf *keys, const struct source *src,
                    const struct key_spec *spec, bool *charset)
{
    struct pdb_elem e;
    const struct pdb_instance *inst = src->inst;
    bool present = pdb_elem_find(inst->keys, inst->keys_len, PDB_EXPLICIT_LE,
                                 spec->tag, &e) &&
                   (e.len > 0 || spec->type == '2');
    if (!present)
        return spec->type == 'c' || put_missing(keys, src, spec);
    if (is_text_vr(e.vr) && needs_charset(e.value, e.len))
        *charset = true;
    return pdb_buf_add(keys, inst->keys + e.offset, e.end - e.offset);
}

/* File IDs use '/' here and '\' as DICOM value separators (PS3.3 F.3.2.2). */
static bool put_file_refs(struct pdb_buf *b, const struct pdb_instance *inst)
{
    char id[PDB_FILEID_MAX];
    snprintf(id, sizeof(id), "%s", inst->file_id);
    for (char *p = id; *p; p++)
        if (*p == '/')
            *p = '\\';
    pdb_elem_put_str(b, 0x00041500, "CS", id);
    pdb_elem_put_str(b, 0x00041510, "UI", inst->sop_class);
    pdb_elem_put_str(b, 0x00041511, "UI", inst->sop_uid);
    return pdb_elem_put_str(b, 0x00041512, "UI", pdb_instance_out_ts(inst));
}

static struct pdb_record *new_record(const char *type,
                                     const struct key_spec *specs,
                                     const struct source *src, bool leaf)
{
    struct pdb_record *r = calloc(1, sizeof(*r));
    struct pdb_buf keys = { 0 };
    bool charset = false;
    if (!r)
        return NULL;
    for (const struct key_spec *s = specs; s->tag; s++)
        put_key(&keys, src, s, &charset);
    pdb_elem_put_str(&r->body, 0x00041430, "CS", type);
    if (leaf)
        put_file_refs(&r->body, src->inst);
    struct pdb_elem cs;
    if (charset && pdb_elem_find(src->inst->keys, src->inst->keys_len,
                                 PDB_EXPLICIT_LE, TAG_SPECIFIC_CHARSET, &cs))
        pdb_buf_add(&r->body, src->inst->keys + cs.offset, cs.end - cs.offset);
    pdb_buf_add(&r->body, keys.data, keys.len);
    bool failed = keys.failed || r->body.failed;
    pdb_buf_free(&keys);
    if (failed) {
        pdb_records_free(r);
        return NULL;
    }
    return r;
}

static void add_child(struct pdb_record *parent, struct pdb_record *child)
{
    if (parent->last_child)
        parent->last_child->next = child;
    else
        parent->child = child;
    parent->last_child = child;
}

/* ---- invented values ---------------------------------------------------- */

static const char *invent_patient(const struct source *src, uint32_t tag,
                                  char *buf, size_t len)
{
    const struct pdb_patient *p = src->ctx;
    if (tag != TAG_PATIENT_ID)
        return NULL;
    snprintf(buf, len, "%s", p->id);
    return buf;
}

/* Study Date and Time from the first instance's own dates when it has
 * them, else the DICOM way of saying "unknown" that readers recognise. */
static const char *invent_study(const struct source *src, uint32_t tag,
                                char *buf, size_t len)
{
    switch (tag) {
    case TAG_STUDY_DATE:
        if (!pdb_instance_string(src->inst, 0x00080021, buf, len) || !buf[0])
            if (!pdb_instance_string(src->inst, TAG_CONTENT_DATE, buf, len) ||
                !buf[0])
                snprintf(buf, len, "19000101");
        return buf;
    case 0x00080030:
        if (!pdb_instance_string(src->inst, 0x00080031, buf, len) || !buf[0])
            if (!pdb_instance_string(src->inst, TAG_CONTENT_TIME, buf, len) ||
                !buf[0])
                snprintf(buf, len, "000000");
        return buf;
    case TAG_STUDY_ID:
        snprintf(buf, len, "ST%06u", src->index);
        return buf;
    case TAG_STUDY_UID:
        snprintf(buf, len, "%s", src->inst->study_uid);
        return buf;
    default: return NULL;
    }
}

static const char *invent_series(const struct source *src, uint32_t tag,
                                 char *buf, size_t len)
{
    const struct pdb_series *s = src->ctx;
    switch (tag) {
    case TAG_SERIES_NUMBER:
        snprintf(buf, len, "%ld", s->number);
        return buf;
    case TAG_MODALITY:
        snprintf(buf, len, "OT");
        return buf;
    case TAG_SERIES_UID:
        snprintf(buf, len, "%s", s->uid);
        return buf;
    default: return NULL;
    }
}

static const char *invent_leaf(const struct source *src, uint32_t tag,
                               char *buf, size_t len)
{
    if (tag != TAG_INSTANCE_NUMBER)
        return NULL;
    snprintf(buf, len, "%ld", src->inst->number);
    return buf;
}

/* ---- the tree ----------------------------------------------------------- */

static const struct pdb_instance *first_planned(const struct pdb_series *s)
{
    for (size_t i = 0; i < s->ninstances; i++)
        if (pdb_instance_on_media(s->instances[i]))
            return s->instances[i];
    return NULL;
}

static struct pdb_record *series_record(const struct pdb_series *s,
                                        unsigned index,
                                        enum pdb_profile profile,
                                        struct pdb_log *log)
{
    char what[96];
    snprintf(what, sizeof(what), "series %s", s->uid);
    struct source src = { profile, first_planned(s), what, invent_series, s,
                          index, log };
    struct pdb_record *rec = new_record(
        "SERIES", profile == PDB_PROFILE_JPEG ? series_keys_jpeg : series_keys,
        &src, false);
    for (size_t i = 0; rec && i < s->ninstances; i++) {
        const struct pdb_instance *inst = s->instances[i];
        if (!pdb_instance_on_media(inst))
            continue;
        snprintf(what, sizeof(what), "instance %s", inst->sop_uid);
        const char *type = pdb_records_type_of(inst->sop_class);
        struct source leaf = { profile, inst, what, invent_leaf, NULL, 0, log };
        struct pdb_record *r = new_record(type, keys_of(type, profile), &leaf,
                                          true);
        if (!r) {
            pdb_records_free(rec);
            return NULL;
        }
        add_child(rec, r);
    }
    return rec;
}

static const struct pdb_instance *first_in_study(const struct pdb_study *st)
{
    for (size_t i = 0; i < st->nseries; i++)
        if (first_planned(st->series[i]))
            return first_planned(st->series[i]);
    return NULL;
}

static struct pdb_record *study_record(const struct pdb_study *st,
                                       unsigned index,
                                       enum pdb_profile profile,
                                       struct pdb_log *log)
{
    char what[96];
    snprintf(what, sizeof(what), "study %s", st->uid);
    struct source src = { profile, first_in_study(st), what, invent_study, st,
                          index, log };
    struct pdb_record *rec = new_record("STUDY", study_keys, &src, false);
    unsigned n = 0;
    for (size_t i = 0; rec && i < st->nseries; i++) {
        if (!first_planned(st->series[i]))
            continue;
        struct pdb_record *r = series_record(st->series[i], ++n, profile, log);
        if (!r) {
            pdb_records_free(rec);
            return NULL;
        }
        add_child(rec, r);
    }
    return rec;
}

static const struct pdb_instance *first_of_patient(const struct pdb_patient *p)
{
    for (size_t i = 0; i < p->nstudies; i++)
        if (first_in_study(p->studies[i]))
            return first_in_study(p->studies[i]);
    return NULL;
}

static struct pdb_record *patient_record(const struct pdb_patient *p,
                                         enum pdb_profile profile,
                                         struct pdb_log *log)
{
    /* A renamed patient's record shows the most recent name. */
    struct source src = { profile, p->shown ? p->shown : first_of_patient(p),
                          "patient",
                          invent_patient, p, 0, log };
    struct pdb_record *rec = new_record("PATIENT", patient_keys, &src, false);
    unsigned n = 0;
    for (size_t i = 0; rec && i < p->nstudies; i++) {
        if (!first_in_study(p->studies[i]))
            continue;
        struct pdb_record *r = study_record(p->studies[i], ++n, profile, log);
        if (!r) {
            pdb_records_free(rec);
            return NULL;
        }
        add_child(rec, r);
    }
    return rec;
}

bool pdb_records_build(const struct pdb_inventory *cat,
                       enum pdb_profile profile, struct pdb_log *log,
                       struct pdb_record **roots, struct pdiburn_error **err)
{
    struct pdb_record head = { 0 };
    for (size_t i = 0; i < cat->npatients; i++) {
        if (!first_of_patient(cat->patients[i]))
            continue;
        struct pdb_record *r = patient_record(cat->patients[i], profile, log);
        if (!r) {
            pdb_records_free(head.child);
            return pdb_fail_nomem(err);
        }
        add_child(&head, r);
    }
    *roots = head.child;
    return true;
}

void pdb_records_free(struct pdb_record *r)
{
    while (r) {
        struct pdb_record *next = r->next;
        pdb_records_free(r->child);
        pdb_buf_free(&r->body);
        free(r);
        r = next;
    }
}
