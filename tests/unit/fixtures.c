/* Synthetic instances and catalogs for the unit tests. */
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "dicom.h"
#include "select.h"

static void put(struct pdb_buf *b, uint32_t tag, const char *value)
{
    const struct pdb_key *k = pdb_key_find(tag);
    const char *vr = k ? k->vr : "LO";
    if (strcmp(vr, "US") == 0)
        pdb_elem_put_us(b, tag, (uint16_t) atoi(value));
    else
        pdb_elem_put_str(b, tag, vr, value);
}

struct pdb_instance *fx_instance(const char *path, const uint32_t *tags,
                                 const char *const *values)
{
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    struct pdb_buf b = { 0 };
    for (size_t i = 0; tags[i]; i++)
        put(&b, tags[i], values[i]);
    inst->keys = pdb_buf_steal(&b, &inst->keys_len);
    inst->path = strdup(path);
    strcpy(inst->ts, PDB_TS_EXPLICIT_LE);
    pdb_instance_take_ids(inst);
    inst->part10 = true;
    return inst;
}

void fx_catalog(struct pdb_inventory *cat, struct pdb_instance **insts,
                size_t n)
{
    memset(cat, 0, sizeof(*cat));
    for (size_t i = 0; i < n; i++) {
        pdb_grow(&cat->instances, cat->ninstances, sizeof(*cat->instances));
        cat->instances[cat->ninstances++] = insts[i];
    }
    pdb_group_build(cat, NULL);
}
