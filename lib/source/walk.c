/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Lists the regular files and folders of a folder tree, depth first, names
 * in byte order, with size, modification time and inode: the same folder
 * always lists the same way, so media made twice from it are laid out
 * alike and the catalog can tell what changed.  A folder's time is taken
 * before it is read: a file added while it is read makes it newer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source.h"

struct walk {
    struct pdb_file_list *out;
    struct pdb_ctl *ctl;
    struct pdiburn_error **err;
};

static bool add(struct pdb_file **list, size_t *n, const char *path,
                const struct stat *st)
{
    char *copy = strdup(path);
    if (!copy || !pdb_grow(list, *n, sizeof(**list))) {
        free(copy);
        return false;
    }
    (*list)[(*n)++] = (struct pdb_file){
        copy, (uint64_t) st->st_size,
        (int64_t) st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
        (uint64_t) st->st_ino
    };
    return true;
}

/* Our own catalog (and its journal files) is no part of the archive. */
static bool skipped_name(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
           strncmp(name, PDB_CATALOG_NAME, strlen(PDB_CATALOG_NAME)) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool read_names(const char *dir, char ***names, size_t *n,
                       struct pdiburn_error **err)
{
    DIR *d = opendir(dir);
    if (!d)
        return pdb_fail(err, PDIBURN_E_IO, "reading folder '%s': %s", dir,
                        strerror(errno));
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (skipped_name(de->d_name))
            continue;
        char *name = strdup(de->d_name);
        ok = name && pdb_grow(names, *n, sizeof(char *));
        if (ok)
            (*names)[(*n)++] = name;
        else
            free(name);
    }
    closedir(d);
    if (!ok)
        return pdb_fail_nomem(err);
    qsort(*names, *n, sizeof(char *), compare_names);
    return true;
}

static bool walk_dir(struct walk *w, const char *dir, const struct stat *st);

/* One lstat() per entry; a second stat() only for symbolic links, which
 * are followed to files but not to folders. */
static bool visit(struct walk *w, const char *path)
{
    struct stat lst, st;
    if (lstat(path, &lst) != 0 ||
        (S_ISLNK(lst.st_mode) && stat(path, &st) != 0)) {
        pdb_warn(&w->ctl->log, "'%s': %s; skipped", path, strerror(errno));
        return true;
    }
    if (!S_ISLNK(lst.st_mode))
        st = lst;
    if (S_ISDIR(st.st_mode)) {
        if (S_ISLNK(lst.st_mode)) { /* a link could lead in a circle */
            pdb_warn(&w->ctl->log, "'%s': link to a folder not followed",
                     path);
            return true;
        }
        return walk_dir(w, path, &st);
    }
    if (!S_ISREG(st.st_mode))
        return true;
    struct pdb_file_list *o = w->out;
    return (add(&o->files, &o->nfiles, path, &st) || pdb_fail_nomem(w->err)) &&
           pdb_ctl_report(w->ctl, PDIBURN_STAGE_LIST, o->nfiles, 0, NULL,
                          w->err);
}

static bool walk_dir(struct walk *w, const char *dir, const struct stat *st)
{
    struct pdb_file_list *o = w->out;
    if (!add(&o->dirs, &o->ndirs, dir, st))
        return pdb_fail_nomem(w->err);
    char **names = NULL;
    size_t n = 0;
    bool ok = read_names(dir, &names, &n, w->err);
    for (size_t i = 0; ok && i < n; i++) {
        char *path = pdb_fs_path_join(dir, names[i]);
        ok = path ? visit(w, path) : pdb_fail_nomem(w->err);
        free(path);
    }
    free_names(names, n);
    return ok;
}

bool pdb_source_walk(const char *folder, struct pdb_file_list *out,
                     struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct stat st;
    if (stat(folder, &st) != 0)
        return pdb_fail(err, PDIBURN_E_IO, "source '%s': %s", folder,
                        strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return pdb_fail(err, PDIBURN_E_IO, "source '%s': not a folder",
                        folder);
    struct walk w = { out, ctl, err };
    return walk_dir(&w, folder, &st);
}

void pdb_file_list_free(struct pdb_file_list *l)
{
    for (size_t i = 0; i < l->nfiles; i++)
        free(l->files[i].path);
    for (size_t i = 0; i < l->ndirs; i++)
        free(l->dirs[i].path);
    free(l->files);
    free(l->dirs);
    memset(l, 0, sizeof(*l));
}

/* Byte order with '/' first: the order in which the walk lists paths. */
int pdb_source_path_cmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *) a;
    const unsigned char *q = (const unsigned char *) b;
    while (*p && *p == *q) {
        p++;
        q++;
    }
    unsigned x = *p == '/' ? 1 : *p, y = *q == '/' ? 1 : *q;
    return (x > y) - (x < y);
}
