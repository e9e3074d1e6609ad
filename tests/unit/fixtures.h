/* Synthetic instances and catalogs for the unit tests, built from key
 * values the way the scanner would keep them. */
#ifndef FIXTURES_H
#define FIXTURES_H

#include "model.h"

/* values: pairs of tag and string value, ascending tags, ending with 0;
 * VRs come from the scanner's key table (US values are decimal text). */
struct pdb_instance *fx_instance(const char *path, const uint32_t *tags,
                                 const char *const *values);
/* Adds instances to a inventory and groups it. */
void fx_catalog(struct pdb_inventory *cat, struct pdb_instance **insts,
                size_t n);

#endif
