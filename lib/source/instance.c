/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Instances and the inventory that owns them: reading key values from the
 * Explicit VR LE blob the scanner kept, and freeing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "dicom.h"

bool pdb_instance_string(const struct pdb_instance *inst, uint32_t tag,
                         char *out, size_t outlen)
{
    return pdb_elem_get_string(inst->keys, inst->keys_len, PDB_EXPLICIT_LE, tag,
                               out, outlen);
}

bool pdb_instance_u16(const struct pdb_instance *inst, uint32_t tag,
                      uint16_t *out)
{
    return pdb_elem_get_u16(inst->keys, inst->keys_len, PDB_EXPLICIT_LE, tag,
                            out);
}

/* IS values (Instance Number, Number of Frames ...). */
bool pdb_instance_int(const struct pdb_instance *inst, uint32_t tag, long *out)
{
    char text[32];
    if (!pdb_instance_string(inst, tag, text, sizeof(text)) || !text[0])
        return false;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    while (end && *end == ' ')
        end++;
    if (!end || *end)
        return false;
    *out = v;
    return true;
}

void pdb_instance_free(struct pdb_instance *inst)
{
    if (!inst)
        return;
    free(inst->path);
    free(inst->keys);
    free(inst->spool);
    free(inst->scanned.header);
    free(inst->scanned.tag_list);
    free(inst);
}

static void free_patients(struct pdb_inventory *cat)
{
    for (size_t i = 0; i < cat->npatients; i++) {
        free(cat->patients[i]->studies);
        free(cat->patients[i]);
    }
    free(cat->patients);
    cat->patients = NULL;
    cat->npatients = 0;
}

bool pdb_inventory_add(struct pdb_inventory *cat, struct pdb_instance *inst)
{
    if (cat->ninstances == cat->cap) {
        size_t cap = cat->cap ? cat->cap * 2 : 256;
        struct pdb_instance **p = realloc(cat->instances, cap * sizeof(*p));
        if (!p)
            return false;
        cat->instances = p;
        cat->cap = cap;
    }
    cat->instances[cat->ninstances++] = inst;
    pdb_scanned_headers_keep(cat, inst);
    return true;
}

bool pdb_inventory_add_broken_ids(struct pdb_inventory *cat,
                                  const char *path, const char *reason,
                                  const struct pdb_broken *ids)
{
    if (!pdb_grow(&cat->broken, cat->nbroken, sizeof(*cat->broken)))
        return false;
    struct pdb_broken *b = &cat->broken[cat->nbroken];
    *b = *ids;
    b->path = strdup(path);
    b->reason = strdup(reason);
    if (!b->path || !b->reason) {
        free(b->path);
        free(b->reason);
        return false;
    }
    cat->nbroken++;
    return true;
}

bool pdb_inventory_add_broken(struct pdb_inventory *cat, const char *path,
                              const char *reason, const char *study_uid)
{
    struct pdb_broken ids = { 0 };
    snprintf(ids.study_uid, sizeof(ids.study_uid), "%s", study_uid);
    return pdb_inventory_add_broken_ids(cat, path, reason, &ids);
}

void pdb_inventory_free(struct pdb_inventory *cat)
{
    for (size_t i = 0; !cat->is_view && i < cat->ninstances; i++)
        pdb_instance_free(cat->instances[i]);
    free(cat->instances);
    for (size_t i = 0; i < cat->nbroken; i++) {
        free(cat->broken[i].path);
        free(cat->broken[i].reason);
    }
    free(cat->broken);
    for (size_t i = 0; i < cat->nstudies; i++) {
        for (size_t j = 0; j < cat->studies[i]->nseries; j++) {
            free(cat->studies[i]->series[j]->instances);
            free(cat->studies[i]->series[j]);
        }
        free(cat->studies[i]->series);
        free(cat->studies[i]);
    }
    free(cat->studies);
    free_patients(cat);
    if (!cat->is_view)
        pdb_scanned_headers_close(cat);
    memset(cat, 0, sizeof(*cat));
}

void pdb_instance_geometry(const struct pdb_instance *inst,
                           struct pdb_geometry *g)
{
    uint16_t rows = 0, cols = 0, samples = 1, bits = 0;
    long frames = 1;
    pdb_instance_u16(inst, TAG_ROWS, &rows);
    pdb_instance_u16(inst, TAG_COLUMNS, &cols);
    pdb_instance_u16(inst, TAG_SAMPLES_PER_PIXEL, &samples);
    pdb_instance_u16(inst, TAG_BITS_ALLOCATED, &bits);
    pdb_instance_int(inst, TAG_NUMBER_OF_FRAMES, &frames);
    *g = (struct pdb_geometry){ rows, cols, samples, bits,
                                frames > 0 ? (unsigned) frames : 1 };
}

void pdb_instance_take_ids(struct pdb_instance *inst)
{
    pdb_instance_string(inst, TAG_SOP_CLASS, inst->sop_class,
                        sizeof(inst->sop_class));
    pdb_instance_string(inst, TAG_SOP_INSTANCE, inst->sop_uid,
                        sizeof(inst->sop_uid));
    pdb_instance_string(inst, TAG_STUDY_UID, inst->study_uid,
                        sizeof(inst->study_uid));
    pdb_instance_string(inst, TAG_SERIES_UID, inst->series_uid,
                        sizeof(inst->series_uid));
    pdb_instance_string(inst, TAG_PATIENT_ID, inst->patient_id,
                        sizeof(inst->patient_id));
}

bool pdb_instance_on_media(const struct pdb_instance *inst)
{
    return !inst->dropped && inst->action != PDB_ACTION_SKIP;
}

const char *pdb_instance_out_ts(const struct pdb_instance *inst)
{
    return inst->action == PDB_ACTION_COPY ? inst->ts : PDB_TS_EXPLICIT_LE;
}
