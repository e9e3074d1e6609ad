/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every File ID of an ISO 9660 image looked up in each of its name trees
 * the way the readers of that tree look names up (PS3.12 F.1.2.1; PS3.10
 * 8.2 Note 4 leaves alternate names to the media): ISO 9660 in upper case
 * with the version ";1" and an optional "." dropped; Joliet as Windows
 * does, regardless of case, ";1" and a trailing "." dropped; Rock Ridge
 * as Linux and macOS do, in exact case.
 */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "iso_tree.h"

/* One component as the tree's readers compare it. */
static size_t component(enum pdb_iso_tree_kind kind, const char *c, size_t len,
                        char *out)
{
    size_t n = len;
    if (kind != PDB_TREE_ROCK_RIDGE) {
        const char *semi = memchr(c, ';', len);
        if (semi)
            n = (size_t) (semi - c);
        if (n > 1 && c[n - 1] == '.')
            n--;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = kind == PDB_TREE_JOLIET && c[i] >= 'a' && c[i] <= 'z'
                     ? (char) (c[i] - 32)
                     : c[i];
    return n;
}

static char *lookup_name(enum pdb_iso_tree_kind kind, const char *path)
{
    size_t len = strlen(path), k = 0;
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t) (slash - p) : strlen(p);
        k += component(kind, p, n, out + k);
        if (slash)
            out[k++] = '/';
        p += n + (slash != NULL);
    }
    out[k] = 0;
    return out;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The tree's file names as its readers match them, sorted. */
static char **names_of(const struct pdb_iso_tree *t, size_t *n)
{
    char **names = calloc(t->n + 1, sizeof(char *));
    *n = 0;
    for (size_t i = 0; names && i < t->n; i++)
        if (!t->entries[i].dir &&
            (names[*n] = lookup_name(t->kind, t->entries[i].path)) != NULL)
            (*n)++;
    if (names)
        qsort(names, *n, sizeof(char *), cmp_names);
    return names;
}

static const char *how(enum pdb_iso_tree_kind kind)
{
    switch (kind) {
    case PDB_TREE_ISO9660:
        return "in upper case with ';1' (PS3.12 F.1.2.1), as readers "
               "without Joliet or Rock Ridge do";
    case PDB_TREE_JOLIET:
        return "as Windows does: any case, ';1' and a trailing '.' dropped";
    default: return "as Linux and macOS do: in exact case";
    }
}

static void check_tree(struct vstate *v, const struct pdb_iso_tree *t)
{
    size_t n = 0;
    char **names = names_of(t, &n);
    for (size_t i = 0; names && i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (!f->refs && strcmp(f->key, "DICOMDIR") != 0)
            continue;
        char *want = lookup_name(t->kind, f->key);
        if (want && !bsearch(&want, names, n, sizeof(char *), cmp_names))
            pdb_verify_problem(v, "fileid-not-in-tree", f->key,
                               "not found in the %s tree, looked up %s",
                               pdb_iso_tree_name(t->kind), how(t->kind));
        free(want);
    }
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}

void pdb_verify_check_name_trees(struct vstate *v)
{
    struct pdb_iso_trees trees;
    struct pdiburn_error *e = NULL;
    if (v->kind != PDB_MEDIA_ISO)
        return;
    if (!pdb_iso_trees_read(v->path, &trees, &e)) {
        pdb_verify_problem(v, "iso-directories", "", "%s",
                           pdiburn_error_message(e));
        pdiburn_error_free(e);
        return;
    }
    for (int k = 0; k < 3; k++)
        if (trees.tree[k].present)
            check_tree(v, &trees.tree[k]);
    pdb_iso_trees_free(&trees);
}
