/* iso_trees IMAGE: the ISO 9660, Joliet and Rock Ridge trees of an image as
 * lib/verify/iso_tree.c reads them, one "<tree>\t/<path>" line each
 * (tree: iso, joliet, rr), for comparison with isoinfo -f, -J -f, -R -f. */
#include <stdio.h>

#include "iso_tree.h"

int main(int argc, char **argv)
{
    static const char *const names[] = { "iso", "joliet", "rr" };
    struct pdb_iso_trees t;
    struct pdiburn_error *err = NULL;
    if (argc != 2 || !pdb_iso_trees_read(argv[1], &t, &err)) {
        fprintf(stderr, "iso_trees: %s\n",
                err ? pdiburn_error_message(err) : "usage: iso_trees IMAGE");
        pdiburn_error_free(err);
        return 1;
    }
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; t.tree[k].present && i < t.tree[k].n; i++)
            printf("%s\t/%s\n", names[k], t.tree[k].entries[i].path);
    pdb_iso_trees_free(&t);
    return 0;
}
