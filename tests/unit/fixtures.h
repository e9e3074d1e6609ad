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

/* A new private folder under /tmp (free() the name; remove it with
 * pdb_fs_remove_tree()). */
char *fx_temp_dir(void);
/* Writes `rel` under `root`, making its folders; returns the full path. */
char *fx_write_file(const char *root, const char *rel, const void *data,
                    size_t len);
/* Asserts that `err` is set, with `code` and `part` in its message, and
 * frees it. */
void fx_expect_error(struct pdiburn_error *err, enum pdiburn_code code,
                     const char *part);

#endif
