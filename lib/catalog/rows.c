/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A file of the archive as a row of the catalog and back: everything the
 * folder scanner keeps of it (identifiers, transfer syntax, the key blob,
 * where the pixel data sits), so that an instance loaded from a row is
 * the one a fresh scan would make, plus its search fields as UTF-8 text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "text.h"

static bool utf8_into(const struct pdb_instance *inst, uint32_t tag,
                      char *out, size_t len)
{
    char *text = pdb_text_utf8(inst, tag);
    if (!text)
        return false;
    snprintf(out, len, "%s", text);
    free(text);
    return true;
}

static bool key_into(const char *text, char *(*fold)(const char *),
                     char *out, size_t len)
{
    char *key = fold(text);
    if (!key)
        return false;
    snprintf(out, len, "%s", key);
    free(key);
    return true;
}

bool pdb_row_derive(struct pdb_row *row, struct pdiburn_error **err)
{
    const struct pdb_instance *inst = row->read.inst;
    struct pdb_row_text *t = &row->text;
    memset(t, 0, sizeof(*t));
    if (!inst)
        return true;
    pdb_instance_string(inst, TAG_BIRTH_DATE, t->birth_date,
                        sizeof(t->birth_date));
    pdb_instance_string(inst, TAG_PATIENT_SEX, t->sex, sizeof(t->sex));
    pdb_instance_string(inst, TAG_STUDY_DATE, t->study_date,
                        sizeof(t->study_date));
    pdb_instance_string(inst, TAG_STUDY_TIME, t->study_time,
                        sizeof(t->study_time));
    pdb_instance_string(inst, TAG_ACCESSION, t->accession,
                        sizeof(t->accession));
    pdb_instance_string(inst, TAG_MODALITY, t->modality, sizeof(t->modality));
    bool ok = utf8_into(inst, TAG_ISSUER, t->issuer, sizeof(t->issuer)) &&
              utf8_into(inst, TAG_PATIENT_NAME, t->name, sizeof(t->name)) &&
              utf8_into(inst, TAG_STUDY_DESCRIPTION, t->description,
                        sizeof(t->description)) &&
              key_into(t->name, pdb_text_name_key, t->name_key,
                       sizeof(t->name_key)) &&
              key_into(t->description, pdb_text_fold, t->desc_key,
                       sizeof(t->desc_key));
    return ok || pdb_fail_nomem(err);
}

struct pdb_stmt *pdb_row_insert_stmt(struct pdb_db *db,
                                     struct pdiburn_error **err)
{
    return pdb_db_prepare(
        db,
        "INSERT OR REPLACE INTO files(path, size, mtime, ino, kind, reason,"
        " study_uid, ts, sop_class, sop_uid, series_uid, patient_id, part10,"
        " header_len, px_kind, px_vr, px_element, px_value, px_length,"
        " px_end, keys, issuer, patient_name, name_key, birth_date, sex,"
        " study_date, study_time, accession, description, desc_key,"
        " modality) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
        " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
        " ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
        err);
}

static void bind_instance(struct pdb_stmt *st, const struct pdb_instance *i)
{
    pdb_stmt_text(st, 7, i->study_uid);
    pdb_stmt_text(st, 8, i->ts);
    pdb_stmt_text(st, 9, i->sop_class);
    pdb_stmt_text(st, 10, i->sop_uid);
    pdb_stmt_text(st, 11, i->series_uid);
    pdb_stmt_text(st, 12, i->patient_id);
    pdb_stmt_int(st, 13, i->part10);
    pdb_stmt_int(st, 14, (int64_t) i->header_len);
    pdb_stmt_int(st, 15, i->pixels.kind);
    pdb_stmt_text(st, 16, i->pixels.vr);
    pdb_stmt_int(st, 17, (int64_t) i->pixels.element_offset);
    pdb_stmt_int(st, 18, (int64_t) i->pixels.value_offset);
    pdb_stmt_int(st, 19, (int64_t) i->pixels.value_length);
    pdb_stmt_int(st, 20, (int64_t) i->pixels.end);
    pdb_stmt_blob(st, 21, i->keys ? i->keys : (const void *) "",
                  i->keys_len);
}

static void bind_text(struct pdb_stmt *st, const struct pdb_row_text *t)
{
    const char *values[] = { t->issuer,     t->name,        t->name_key,
                             t->birth_date, t->sex,         t->study_date,
                             t->study_time, t->accession,   t->description,
                             t->desc_key,   t->modality };
    for (int i = 0; i < (int) (sizeof(values) / sizeof(values[0])); i++)
        pdb_stmt_text(st, 22 + i, values[i]);
}

bool pdb_row_insert(struct pdb_stmt *st, const struct pdb_row *row,
                    struct pdiburn_error **err)
{
    const struct pdb_read *r = &row->read;
    enum pdb_row_kind kind = r->kind == PDB_READ_INSTANCE ? PDB_ROW_INSTANCE
                             : r->kind == PDB_READ_NOT_DICOM
                                 ? PDB_ROW_NOT_DICOM
                                 : PDB_ROW_BROKEN;
    pdb_stmt_text(st, 1, row->rel);
    pdb_stmt_int(st, 2, (int64_t) r->size);
    pdb_stmt_int(st, 3, r->mtime_ns);
    pdb_stmt_int(st, 4, (int64_t) r->ino);
    pdb_stmt_int(st, 5, kind);
    pdb_stmt_text(st, 6, kind == PDB_ROW_NOT_DICOM ? "not a DICOM file"
                                                   : r->reason);
    pdb_stmt_text(st, 7, r->study_uid);
    if (r->inst) {
        bind_instance(st, r->inst);
        bind_text(st, &row->text);
    }
    return pdb_stmt_run(st, err);
}

static void load_pixels(struct pdb_stmt *st, struct pdb_pixels *px)
{
    px->kind = (enum pdb_pixel_kind) pdb_stmt_col_int(st, 12);
    snprintf(px->vr, sizeof(px->vr), "%s", pdb_stmt_col_text(st, 13));
    px->element_offset = (uint64_t) pdb_stmt_col_int(st, 14);
    px->value_offset = (uint64_t) pdb_stmt_col_int(st, 15);
    px->value_length = (uint64_t) pdb_stmt_col_int(st, 16);
    px->end = (uint64_t) pdb_stmt_col_int(st, 17);
}

static void load_uid(struct pdb_stmt *st, int col, char out[PDB_UID_MAX + 1])
{
    snprintf(out, PDB_UID_MAX + 1, "%s", pdb_stmt_col_text(st, col));
}

struct pdb_instance *pdb_row_load(struct pdb_stmt *st, const char *root)
{
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    size_t len = 0;
    const void *keys = pdb_stmt_col_blob(st, 18, &len);
    if (!inst || !(inst->path = pdb_fs_path_join(root,
                                                 pdb_stmt_col_text(st, 0))) ||
        !(inst->keys = malloc(len ? len : 1))) {
        pdb_instance_free(inst);
        return NULL;
    }
    if (len)
        memcpy(inst->keys, keys, len);
    inst->keys_len = len;
    inst->size = (uint64_t) pdb_stmt_col_int(st, 1);
    inst->mtime = pdb_stmt_col_int(st, 19) / 1000000000; /* mtime_ns */
    load_uid(st, 4, inst->study_uid);
    load_uid(st, 5, inst->ts);
    load_uid(st, 6, inst->sop_class);
    load_uid(st, 7, inst->sop_uid);
    load_uid(st, 8, inst->series_uid);
    load_uid(st, 9, inst->patient_id);
    inst->part10 = pdb_stmt_col_int(st, 10) != 0;
    inst->header_len = (uint64_t) pdb_stmt_col_int(st, 11);
    load_pixels(st, &inst->pixels);
    return inst;
}
