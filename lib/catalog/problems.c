/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files of the archive that are not usable instances, as the last
 * index run found them: not DICOM, or DICOM that cannot be read (truncated,
 * malformed, unreadable), each with its reason (pdiburn index --problems).
 */
#include <stdlib.h>

#include "catalog.h"

bool pdiburn_catalog_problems(struct pdiburn_catalog *cat,
                              pdiburn_problem_fn fn, void *user,
                              struct pdiburn_error **err)
{
    if (!cat->db)
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "the catalog was opened for an index run");
    struct pdb_stmt *st = pdb_db_prepare(
        cat->db,
        "SELECT path, reason, kind FROM files WHERE kind <> 0 ORDER BY path",
        err);
    if (!st)
        return false;
    int got;
    bool ok = true;
    while (ok && (got = pdb_stmt_step(st, err)) == 1) {
        char *path = pdb_fs_path_join(cat->root, pdb_stmt_col_text(st, 0));
        ok = path != NULL || pdb_fail_nomem(err);
        if (ok)
            fn(path, pdb_stmt_col_text(st, 1),
               pdb_stmt_col_int(st, 2) == PDB_ROW_BROKEN, user);
        free(path);
    }
    pdb_stmt_free(st);
    return ok && got == 0;
}
