/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The content of one volume (IHE PDI media layout, PS3.12 F): DICOMDIR at
 * the root, README.TXT, the DICOM files under DICOM/, and SHA256.TXT,
 * which lists all of them and so must be written last.
 */
#include <stdlib.h>

#include "dirrecord.h"
#include "web.h"

static bool add_dicomdir(const struct pdb_inventory *cat,
                         const struct pdb_volume *vol, struct pdb_content *out,
                         struct pdb_log *log, struct pdiburn_error **err)
{
    struct pdb_record *roots = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0;
    bool ok = pdb_records_build(cat, vol->profile, log, &roots, err) &&
              pdb_dicomdir_encode(roots, vol->fileset_id, vol->fileset_uid,
                                  &bytes, &len, err);
    pdb_records_free(roots);
    return ok && pdb_content_add_mem(out, "DICOMDIR", bytes, len, err);
}


const char *const pdb_root_entries[] = {
    "DICOMDIR", "DICOM",   "README.TXT", "SHA256.TXT", "INDEX.HTM",
    "IHE_PDI",  "VIEWER",  "REPORTS",    "AUTORUN.INF", NULL,
};

/* Counts for README.TXT, which comes before the files it counts. */
static void count(const struct pdb_inventory *cat, struct pdb_volume *vol)
{
    for (size_t p = 0; p < cat->npatients; p++) {
        const struct pdb_patient *pat = cat->patients[p];
        vol->patients++;
        for (size_t s = 0; s < pat->nstudies; s++) {
            vol->studies++;
            vol->series += pat->studies[s]->nseries;
            for (size_t e = 0; e < pat->studies[s]->nseries; e++) {
                const struct pdb_series *se = pat->studies[s]->series[e];
                for (size_t i = 0; i < se->ninstances; i++)
                    vol->instances += pdb_instance_on_media(se->instances[i]);
            }
        }
    }
}

typedef bool (*instance_fn)(void *ctx, struct pdb_instance *inst,
                            struct pdiburn_error **err);

/* fn for each instance on the media, in the order of the DICOMDIR. */
static bool each_on_media(const struct pdb_inventory *cat, instance_fn fn,
                          void *ctx, struct pdiburn_error **err)
{
    for (size_t p = 0; p < cat->npatients; p++) {
        const struct pdb_patient *pat = cat->patients[p];
        for (size_t s = 0; s < pat->nstudies; s++) {
            const struct pdb_study *st = pat->studies[s];
            for (size_t e = 0; e < st->nseries; e++) {
                const struct pdb_series *se = st->series[e];
                for (size_t i = 0; i < se->ninstances; i++)
                    if (pdb_instance_on_media(se->instances[i]) &&
                        !fn(ctx, se->instances[i], err))
                        return false;
            }
        }
    }
    return true;
}

struct spliced {
    struct pdb_instance **list;
    size_t n;
};

static bool note_spliced(void *ctx, struct pdb_instance *inst,
                         struct pdiburn_error **err)
{
    struct spliced *sp = ctx;
    if (inst->action != PDB_ACTION_SPLICE)
        return true;
    if (!pdb_grow(&sp->list, sp->n, sizeof(*sp->list)))
        return pdb_fail_nomem(err);
    sp->list[sp->n++] = inst;
    return true;
}

static bool add_one(void *ctx, struct pdb_instance *inst,
                    struct pdiburn_error **err)
{
    return pdb_content_add_instance(ctx, inst, err);
}

/* Spliced instances get their headers made ahead, on all cores. */
static bool add_instances(const struct pdb_inventory *cat,
                          struct pdb_content *out, struct pdiburn_error **err)
{
    struct spliced sp = { NULL, 0 };
    bool ok = each_on_media(cat, note_spliced, &sp, err) &&
              pdb_header_pack(out, cat, sp.list, sp.n, err) &&
              each_on_media(cat, add_one, out, err);
    free(sp.list);
    return ok;
}

bool pdb_layout_dicom(const struct pdb_inventory *cat, struct pdb_volume *vol,
                      const struct pdb_web_options *web, const char *spool,
                      struct pdb_content *out, size_t *from,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    uint8_t *readme = NULL;
    size_t readme_len = 0;
    count(cat, vol);
    vol->web = web != NULL;
    vol->viewer = web && web->mode != PDB_VIEWER_NONE;
    bool ok = (!spool || pdb_content_spool(out, spool, err)) &&
              add_dicomdir(cat, vol, out, &ctl->log, err) &&
              pdb_readme_make(vol, &readme, &readme_len, err) &&
              pdb_content_add_mem(out, "README.TXT", readme, readme_len, err);
    *from = out->nnodes;
    return ok && add_instances(cat, out, err) &&
           pdb_content_check_names(out, err) && pdb_content_flush(out, err);
}

bool pdb_layout_rest(const struct pdb_inventory *cat,
                     const struct pdb_volume *vol,
                     const struct pdb_web_options *web, const char *spool,
                     struct pdb_content *out, struct pdb_ctl *ctl,
                     struct pdiburn_error **err)
{
    return (!web || pdb_web_build(cat, vol, web, spool, out, ctl, err)) &&
           pdb_content_add_manifest(out, "SHA256.TXT", err) &&
           pdb_content_check_names(out, err) && pdb_content_seal(out, err);
}
