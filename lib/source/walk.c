/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Lists the regular files and folders of a folder tree, depth first, names
 * in byte order, with size, modification time and inode: the same folder
 * always lists the same way, so media made twice from it are laid out
 * alike and the catalog can tell what changed.  A folder's time is taken
 * before it is read: a file added while it is read makes it newer.  Any
 * depth: the walk keeps its own stack, and opens each folder through
 * pdb_fs_open_deep(), so neither the C stack nor PATH_MAX limits it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"

/* Work to do, as a stack: folders to list and files to take. */
struct pending {
    char *path;
    struct stat st;
};

struct walk {
    struct pdb_file_list *out;
    struct pdb_ctl *ctl;
    struct pdiburn_error **err;
    struct pending *stack;
    size_t n;
};

static bool add(struct pdb_file **list, size_t *n, char *path,
                const struct stat *st)
{
    if (!pdb_grow(list, *n, sizeof(**list)))
        return false;
    (*list)[(*n)++] = (struct pdb_file){
        path, (uint64_t) st->st_size,
        (int64_t) st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
        (uint64_t) st->st_ino, (uint64_t) st->st_dev
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

static bool read_names(DIR *d, char ***names, size_t *n)
{
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (skipped_name(de->d_name))
            continue;
        char *name = strdup(de->d_name);
        if (!name || !pdb_grow(names, *n, sizeof(char *))) {
            free(name);
            return false;
        }
        (*names)[(*n)++] = name;
    }
    if (*n > 1)
        qsort(*names, *n, sizeof(char *), compare_names);
    return true;
}

static bool push(struct walk *w, char *path, const struct stat *st)
{
    if (!path || !pdb_grow(&w->stack, w->n, sizeof(*w->stack))) {
        free(path);
        return false;
    }
    w->stack[w->n++] = (struct pending){ path, *st };
    return true;
}

/* One lstat per entry, relative to its folder; a second stat only for
 * symbolic links, which are followed to files but not to folders. */
static bool visit(struct walk *w, int dfd, const char *dir, const char *name)
{
    struct stat lst, st;
    char *path = pdb_fs_path_join(dir, name);
    if (!path)
        return false;
    bool found = fstatat(dfd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0;
    bool link = found && S_ISLNK(lst.st_mode);
    if (!found || (link && fstatat(dfd, name, &st, 0) != 0)) {
        pdb_warn(&w->ctl->log, "'%s': %s; skipped", path, strerror(errno));
        free(path);
        return true;
    }
    if (!link)
        st = lst;
    if (S_ISDIR(st.st_mode) && link) { /* a link could lead in a circle */
        pdb_warn(&w->ctl->log, "'%s': link to a folder not followed", path);
        free(path);
        return true;
    }
    if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))
        return push(w, path, &st);
    free(path);
    return true;
}

/* Lists `dir` onto the stack, last name first, so the first pops first. */
static bool expand(struct walk *w, const char *dir)
{
    int fd = pdb_fs_open_deep(dir, O_RDONLY | O_DIRECTORY);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return pdb_fail(w->err, PDIBURN_E_IO, "reading folder '%s': %s", dir,
                        strerror(e));
    }
    char **names = NULL;
    size_t n = 0;
    bool ok = read_names(d, &names, &n);
    for (size_t i = n; ok && i > 0; i--)
        ok = visit(w, dirfd(d), dir, names[i - 1]);
    closedir(d);
    free_names(names, n);
    return ok || pdb_fail_nomem(w->err);
}

/* A folder joins the list before it is read; a file as it is taken. */
static bool take(struct walk *w, struct pending p)
{
    struct pdb_file_list *o = w->out;
    if (S_ISDIR(p.st.st_mode)) {
        if (!add(&o->dirs, &o->ndirs, p.path, &p.st)) {
            free(p.path);
            return pdb_fail_nomem(w->err);
        }
        return expand(w, p.path);
    }
    if (!add(&o->files, &o->nfiles, p.path, &p.st)) {
        free(p.path);
        return pdb_fail_nomem(w->err);
    }
    return pdb_ctl_report(w->ctl, PDIBURN_STAGE_LIST, o->nfiles, 0, NULL,
                          w->err);
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
    struct walk w = { out, ctl, err, NULL, 0 };
    bool ok = push(&w, strdup(folder), &st) || pdb_fail_nomem(err);
    while (ok && w.n > 0)
        ok = take(&w, w.stack[--w.n]);
    for (size_t i = 0; i < w.n; i++)
        free(w.stack[i].path);
    free(w.stack);
    return ok;
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
