/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The content as plain files in a folder: for disc robots that burn a
 * folder, for USB sticks, for tests.  Each file is written in one pass
 * through the reader, each folder created once, files created relative
 * to their folder, and the whole tree made durable in one step.
 *
 * Nodes can be written ahead, on a thread of their own, in batches while
 * the layout goes on: the DICOM files while the pages and viewer are
 * made, the viewer's chunks and the pages' renderings while the rest is.
 * Writing many small files waits on the file system and the device far
 * more than it computes, and making the pages is the other way round
 * (20,000 small instances with pages and viewer: 5.3-5.5 -> 4.8-5.0 s
 * with the first batch, 4.54-4.75 -> 4.38-4.54 s with the second).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write.h"

enum { CHUNK = 1 << 20 };

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

/* One run through nodes: where they go, and how far it got.  A pass
 * written ahead reports no progress (the caller's thread does), only
 * polls for a cancel. */
struct pass {
    struct tree *tree;
    uint8_t *buf;
    uint64_t done;
    struct pdb_ctl *ctl;
    bool quiet;
    struct pdb_writeback *back;
};

static bool go_on(struct pass *p, struct pdb_content *c, const char *item,
                  struct pdiburn_error **err)
{
    return p->quiet ? pdb_ctl_go_on(p->ctl, err)
                    : pdb_ctl_report(p->ctl, PDIBURN_STAGE_WRITE, p->done,
                                     c->bytes, item, err);
}

static bool copy_node(struct pdb_content *c, struct pdb_node *node, int fd,
                      struct pass *p, struct pdiburn_error **err)
{
    struct pdb_node_reader r;
    if (!pdb_node_reader_open(&r, c, node, err))
        return false;
    bool ok = true;
    for (;;) {
        size_t got = 0;
        ok = go_on(p, c, node->path, err) &&
             pdb_node_reader_read(&r, p->buf, CHUNK, &got, err);
        if (!ok || got == 0)
            break;
        if (!pdb_fs_write_all(fd, p->buf, got)) {
            ok = pdb_fail(err, PDIBURN_E_MEDIA, "writing: %s",
                          strerror(errno));
            break;
        }
        p->done += got;
    }
    pdb_node_reader_close(&r);
    return ok;
}

static bool write_node(struct pdb_content *c, struct pdb_node *node,
                       struct pass *p, struct pdiburn_error **err)
{
    int fd = create_file(p->tree, node->path, err);
    bool ok = fd >= 0 &&
              finish_file(fd, copy_node(c, node, fd, p, err), err);
    if (!ok)
        pdb_error_prefix(err, "'%s': ", node->path);
    pdb_writeback_note(p->back, p->done);
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

/* A folder being written, and the nodes written ahead into it. */
struct pdb_dir_writer {
    char *root;
    struct tree tree;
    struct pass pass; /* the caller's thread; its writeback is the tree's */
    /* the batch being written ahead, through a copy of the content that
     * holds only its nodes and leaves its spool file alone (a reader would
     * seal it, and it grows meanwhile); each node is marked written_ahead
     * once it is */
    struct pdb_content view;
    struct pass ahead_pass;
    pthread_t thread;
    bool running, ahead_ok;
    atomic_bool stop;
    struct pdiburn_error *ahead_err;
};

bool pdb_dir_open(const char *root, struct pdb_ctl *ctl,
                  struct pdb_dir_writer **out, struct pdiburn_error **err)
{
    struct pdb_dir_writer *w = calloc(1, sizeof(*w));
    if (!w || !(w->root = strdup(root))) {
        free(w);
        return pdb_fail_nomem(err);
    }
    /* Not O_PATH: syncfs() needs a descriptor open for reading. */
    w->tree = (struct tree) { open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC),
                              NULL, -1 };
    w->pass = (struct pass) { &w->tree, malloc(CHUNK), 0, ctl, false, NULL };
    w->ahead_ok = true;
    *out = w;
    if (w->tree.root < 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", root,
                        strerror(errno));
    if (!w->pass.buf)
        return pdb_fail_nomem(err);
    w->pass.back = pdb_writeback_start(w->tree.root);
    return true;
}

static void *write_ahead(void *arg)
{
    struct pdb_dir_writer *w = arg;
    bool ok = true;
    struct pdb_content *c = &w->view;
    for (size_t i = 0; ok && i < c->nnodes && !atomic_load(&w->stop); i++) {
        ok = write_node(c, c->nodes[i], &w->ahead_pass, &w->ahead_err);
        c->nodes[i]->written_ahead = ok;
    }
    w->ahead_ok = ok;
    return NULL;
}

/* Joins the batch written ahead, if one runs. */
static void join_ahead(struct pdb_dir_writer *w)
{
    if (w->running)
        pthread_join(w->thread, NULL);
    w->running = false;
    w->pass.done += w->ahead_pass.done;
    w->ahead_pass.done = 0;
}

void pdb_dir_write_ahead(struct pdb_dir_writer *w, struct pdb_content *c,
                         size_t from)
{
    join_ahead(w);
    if (!w->ahead_ok)
        return; /* finish() says why */
    size_t n = c->nnodes - from;
    struct pdb_node **nodes = realloc(w->view.nodes,
                                      (n ? n : 1) * sizeof(*nodes));
    if (!nodes)
        return; /* the last pass writes them */
    w->view = *c;
    w->view.nodes = nodes;
    w->view.nnodes = 0;
    w->view.pack = NULL;
    if (!w->ahead_pass.buf)
        w->ahead_pass = (struct pass) { &w->tree, malloc(CHUNK), 0,
                                        w->pass.ctl, true, w->pass.back };
    if (!w->ahead_pass.buf)
        return;
    memcpy(nodes, c->nodes + from, n * sizeof(*nodes));
    w->view.nnodes = n;
    w->running = pthread_create(&w->thread, NULL, write_ahead, w) == 0;
}

bool pdb_dir_wait(struct pdb_dir_writer *w, struct pdiburn_error **err)
{
    join_ahead(w);
    if (w->ahead_ok)
        return true;
    *err = w->ahead_err;
    w->ahead_err = NULL;
    return false;
}

bool pdb_dir_finish(struct pdb_dir_writer *w, struct pdb_content *content,
                    struct pdiburn_error **err)
{
    bool ok = pdb_dir_wait(w, err);
    free(w->ahead_pass.buf);
    w->ahead_pass.buf = NULL;
    for (size_t i = 0; ok && i < content->nnodes; i++)
        if (!content->nodes[i]->written_ahead)
            ok = write_node(content, content->nodes[i], &w->pass, err);
    /* The read-back comes next, at the run's peak of memory. */
    free(w->pass.buf);
    w->pass.buf = NULL;
    pdb_writeback_stop(w->pass.back);
    w->pass.back = NULL;
    if (ok && !sync_tree(w->tree.root, err)) {
        pdb_error_prefix(err, "'%s': ", w->root);
        ok = false;
    }
    return ok;
}

void pdb_dir_close(struct pdb_dir_writer *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    join_ahead(w);
    pdb_writeback_stop(w->pass.back);
    close_tree(&w->tree);
    pdiburn_error_free(w->ahead_err);
    free(w->ahead_pass.buf);
    free(w->view.nodes);
    free(w->pass.buf);
    free(w->root);
    free(w);
}

bool pdb_dir_write(struct pdb_content *content, const char *root,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct pdb_dir_writer *w = NULL;
    bool ok = pdb_dir_open(root, ctl, &w, err) &&
              pdb_dir_finish(w, content, err);
    pdb_dir_close(w);
    return ok;
}
