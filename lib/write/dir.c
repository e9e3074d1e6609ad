/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The content as plain files in a folder: for disc robots that burn a
 * folder, for USB sticks, for tests.  Each file is written in one pass
 * through the reader, each folder created once, files created relative
 * to their folder, and the whole tree made durable in one step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

static bool copy_node(struct pdb_content *c, struct pdb_node *node, int fd,
                      uint8_t *buf, size_t size, uint64_t *done,
                      struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct pdb_node_reader r;
    if (!pdb_node_reader_open(&r, c, node, err))
        return false;
    bool ok = true;
    for (;;) {
        size_t got = 0;
        ok = pdb_ctl_report(ctl, PDIBURN_STAGE_WRITE, *done, c->bytes,
                            node->path, err) &&
             pdb_node_reader_read(&r, buf, size, &got, err);
        if (!ok || got == 0)
            break;
        if (!pdb_fs_write_all(fd, buf, got)) {
            ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing: %s",
                          strerror(errno));
            break;
        }
        *done += got;
    }
    pdb_node_reader_close(&r);
    return ok;
}

/* Where the files go: the root, and the folder the last file went into,
 * kept open so that files are created relative to it. */
struct tree {
    int root;
    char *folder; /* relative to root; "" for the root itself */
    int folder_fd;
};

/* mkdir -p relative to the root: one mkdirat() for a folder whose parent
 * exists, which is every folder but the first of each branch. */
static bool make_folder(int root, char *rel)
{
    if (mkdirat(root, rel, 0777) == 0 || errno == EEXIST)
        return true;
    char *slash = strrchr(rel, '/');
    if (errno != ENOENT || !slash)
        return false;
    *slash = '\0';
    bool ok = make_folder(root, rel);
    *slash = '/';
    return ok && (mkdirat(root, rel, 0777) == 0 || errno == EEXIST);
}

static bool enter_folder(struct tree *t, const char *rel,
                         struct pdiburn_error **err)
{
    if (t->folder && strcmp(t->folder, rel) == 0)
        return true;
    if (t->folder_fd >= 0 && t->folder_fd != t->root)
        close(t->folder_fd);
    free(t->folder);
    t->folder = strdup(rel);
    t->folder_fd = -1;
    if (!t->folder)
        return pdb_fail_nomem(err);
    if (!*rel) {
        t->folder_fd = t->root;
        return true;
    }
    if (make_folder(t->root, t->folder))
        t->folder_fd = openat(t->root, rel,
                              O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return t->folder_fd >= 0 ||
           pdb_fail(err, PDIBURN_E_MEDIA, "creating the folder: %s",
                    strerror(errno));
}

static int create_file(struct tree *t, const char *path,
                       struct pdiburn_error **err)
{
    const char *slash = strrchr(path, '/');
    char *rel = slash ? strndup(path, (size_t) (slash - path)) : strdup("");
    bool ok = rel ? enter_folder(t, rel, err) : pdb_fail_nomem(err);
    free(rel);
    int fd = ok ? openat(t->folder_fd, slash ? slash + 1 : path,
                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         0666)
                : -1;
    if (ok && fd < 0)
        pdb_fail(err, PDIBURN_E_MEDIA, "creating: %s", strerror(errno));
    return fd;
}

static bool finish_file(int fd, bool ok, struct pdiburn_error **err)
{
    if (close(fd) != 0 && ok)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "closing: %s", strerror(errno));
    return ok;
}

static bool write_node(struct pdb_content *c, struct pdb_node *node,
                       struct tree *t, uint8_t *buf, size_t size,
                       uint64_t *done, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    int fd = create_file(t, node->path, err);
    bool ok = fd >= 0 &&
              finish_file(fd, copy_node(c, node, fd, buf, size, done, ctl,
                                        err),
                          err);
    if (!ok)
        pdb_error_prefix(err, "'%s': ", node->path);
    return ok;
}

/* The tree is durable in one step, before it counts as written (a stick
 * may be pulled next): syncfs() writes back every file and folder of the
 * file system and reports the write errors of any of them, where a sync
 * per file and per folder cost two flushes a file (on FAT on flash, each
 * a round of small writes). */
static bool sync_tree(int root, struct pdiburn_error **err)
{
    return syncfs(root) == 0 ||
           pdb_fail(err, PDIBURN_E_MEDIA, "writing back: %s", strerror(errno));
}

static void close_tree(struct tree *t)
{
    if (t->folder_fd >= 0 && t->folder_fd != t->root)
        close(t->folder_fd);
    if (t->root >= 0)
        close(t->root);
    free(t->folder);
}

bool pdb_dir_write(struct pdb_content *content, const char *root,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    /* Not O_PATH: syncfs() needs a descriptor open for reading. */
    struct tree t = { open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC), NULL,
                      -1 };
    if (t.root < 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", root,
                        strerror(errno));
    uint8_t *buf = malloc(CHUNK);
    bool ok = buf || pdb_fail_nomem(err);
    uint64_t done = 0;
    struct pdb_writeback *back = pdb_writeback_start(t.root);
    for (size_t i = 0; ok && i < content->nnodes; i++) {
        ok = write_node(content, content->nodes[i], &t, buf, CHUNK, &done,
                        ctl, err);
        pdb_writeback_note(back, done);
    }
    pdb_writeback_stop(back);
    free(buf);
    if (ok && !sync_tree(t.root, err)) {
        pdb_error_prefix(err, "'%s': ", root);
        ok = false;
    }
    close_tree(&t);
    return ok;
}
