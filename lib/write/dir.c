/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The content as plain files in a folder: for disc robots that burn a
 * folder, for USB sticks, for tests.  Each file is written in one pass
 * through the reader and synced, then its folder.
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

static int create_file(const char *path, struct pdiburn_error **err)
{
    char *dir = pdb_fs_dirname(path);
    if (!dir) {
        pdb_fail_nomem(err);
        return -1;
    }
    bool ok = pdb_fs_mkdirs(dir, 0777, err);
    free(dir);
    int fd = ok ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)
                : -1;
    if (ok && fd < 0)
        pdb_fail(err, PDIBURN_E_MEDIA, "creating: %s", strerror(errno));
    return fd;
}

/* Synced before it counts as written: a stick may be pulled next. */
static bool finish_file(int fd, bool ok, struct pdiburn_error **err)
{
    if (ok && fsync(fd) != 0)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "syncing: %s", strerror(errno));
    if (close(fd) != 0 && ok)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "closing: %s", strerror(errno));
    return ok;
}

static bool write_node(struct pdb_content *c, struct pdb_node *node,
                       const char *root, uint8_t *buf, size_t size,
                       uint64_t *done, struct pdb_ctl *ctl,
                       struct pdiburn_error **err)
{
    char *path = pdb_fs_path_join(root, node->path);
    if (!path)
        return pdb_fail_nomem(err);
    int fd = create_file(path, err);
    bool ok = fd >= 0 &&
              finish_file(fd, copy_node(c, node, fd, buf, size, done, ctl,
                                        err),
                          err);
    if (!ok)
        pdb_error_prefix(err, "'%s': ", path);
    free(path);
    return ok;
}

/* Folders are synced once everything in them is written. */
static bool sync_dirs(const struct pdb_content *c, const char *root)
{
    bool ok = pdb_fs_sync_dir(root);
    for (size_t i = 0; ok && i < c->nnodes; i++) {
        char *path = pdb_fs_path_join(root, c->nodes[i]->path);
        char *dir = path ? pdb_fs_dirname(path) : NULL;
        ok = dir && pdb_fs_sync_dir(dir);
        free(dir);
        free(path);
    }
    return ok;
}

bool pdb_dir_write(struct pdb_content *content, const char *root,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    if (!buf)
        return pdb_fail_nomem(err);
    uint64_t done = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < content->nnodes; i++)
        ok = write_node(content, content->nodes[i], root, buf, CHUNK, &done,
                        ctl, err);
    free(buf);
    if (ok && !sync_dirs(content, root))
        return pdb_fail(err, PDIBURN_E_MEDIA, "syncing folders under '%s': %s",
                        root, strerror(errno));
    return ok;
}
