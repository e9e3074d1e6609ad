/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Media on a mounted USB stick (PS3.12 Annex R: FAT16 or FAT32, one File-
 * set at the root).  Checked before anything is written: writable, room
 * enough, no File-set there already unless replacing, every file within
 * FAT's 4 GiB - 1.  Written into a hidden folder on the stick and moved
 * into place entry by entry, DICOMDIR last, so an interrupted copy never
 * leaves a DICOMDIR that points at missing files.  Only what pdiburn
 * writes is ever replaced; nothing else on the stick is touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "write.h"
#include "layout.h"

#define MSDOS_MAGIC 0x4d44u
#define FAT_FILE_MAX 0xFFFFFFFFull /* 4 GiB - 1 */

/* --replace removes the root entries of our media (pdb_root_entries),
 * and nothing else. */
static size_t count_ours(void)
{
    size_t n = 0;
    while (pdb_root_entries[n])
        n++;
    return n;
}

static const char *fs_name(unsigned long type)
{
    switch (type) {
    case 0x2011BAB0u: return "exFAT";
    case 0x5346544Eu:
    case 0x7366746Eu: return "NTFS";
    case 0xEF53u: return "ext4";
    case 0x58465342u: return "XFS";
    case 0x01021994u: return "tmpfs";
    default: return "not FAT";
    }
}

static void warn_file_system(const char *mount, struct pdb_log *log)
{
    struct statfs fs;
    if (statfs(mount, &fs) != 0 || (unsigned long) fs.f_type == MSDOS_MAGIC)
        return;
    pdb_warn(log,
             "'%s' is %s: DICOM media on USB must be FAT16 or FAT32 (PS3.12 "
             "Annex R), and some hospital systems and older computers read "
             "nothing else; format the stick as FAT32 to be safe",
             mount, fs_name((unsigned long) fs.f_type));
}

/* The first root entry of ours already on the stick, or NULL. */
static const char *existing_entry(const char *mount)
{
    for (const char *const *e = pdb_root_entries; *e; e++) {
        char *path = pdb_fs_path_join(mount, *e);
        struct stat st;
        bool found = path && lstat(path, &st) == 0; /* FAT: any case */
        free(path);
        if (found)
            return *e;
    }
    return NULL;
}

bool pdb_usb_check(const char *mount, bool replace,
                   struct pdiburn_error **err)
{
    struct stat st;
    if (stat(mount, &st) != 0 || !S_ISDIR(st.st_mode))
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "'%s' is not a folder: give the stick's mount point",
                        mount);
    if (access(mount, W_OK) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", mount,
                        strerror(errno));
    const char *there = existing_entry(mount);
    if (there && !replace)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "'%s' already holds '%s'%s; --replace replaces the "
                        "media pdiburn writes, and nothing else",
                        mount, there,
                        strcmp(there, "DICOMDIR") == 0 ? " (DICOM media)" : "");
    return true;
}

/* What the nodes from `from` on that are not written ahead take, rounded
 * up to the file system's blocks; what is free; and whether some node is
 * on the stick already. */
static bool measure_room(const char *mount, const struct pdb_content *c,
                         size_t from, uint64_t *need, uint64_t *free_bytes,
                         bool *some_written, struct pdiburn_error **err)
{
    struct statvfs vfs;
    if (statvfs(mount, &vfs) != 0)
        return pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", mount,
                        strerror(errno));
    uint64_t block = vfs.f_frsize ? vfs.f_frsize : 4096;
    *need = 0;
    *some_written = false;
    for (size_t i = 0; i < c->nnodes; i++) {
        const struct pdb_node *n = c->nodes[i];
        *some_written = *some_written || n->written_ahead;
        if (i < from || n->written_ahead)
            continue;
        if (n->size > FAT_FILE_MAX)
            return pdb_fail(err, PDIBURN_E_CAPACITY,
                            "'%s' is larger than a FAT file can be (4 GiB)",
                            n->path);
        *need += (n->size + block - 1) / block * block + block;
    }
    *free_bytes = (uint64_t) vfs.f_bavail * vfs.f_frsize;
    return true;
}

bool pdb_usb_room_for(const char *mount, const struct pdb_content *c,
                      size_t from, struct pdiburn_error **err)
{
    uint64_t need = 0, free_bytes = 0;
    bool more = false;
    if (!measure_room(mount, c, from, &need, &free_bytes, &more, err))
        return false;
    if (need <= free_bytes)
        return true;
    double free_mb = (double) free_bytes / 1e6, need_mb = (double) need / 1e6;
    if (!more)
        return pdb_fail(err, PDIBURN_E_CAPACITY,
                        "'%s' has %.0f MB free; the media needs %.0f MB",
                        mount, free_mb, need_mb);
    return pdb_fail(err, PDIBURN_E_CAPACITY,
                    "'%s' has %.0f MB free with the DICOM files on it; the "
                    "rest of the media, mostly the pages and viewer, needs "
                    "%.0f MB more (--no-web leaves them out)",
                    mount, free_mb, need_mb);
}

bool pdb_usb_begin(struct pdb_usb *u, const char *mount,
                   const struct pdb_content *c, struct pdb_log *log,
                   struct pdiburn_error **err)
{
    memset(u, 0, sizeof(*u));
    warn_file_system(mount, log);
    if (!pdb_usb_room_for(mount, c, 0, err))
        return false;
    u->mount = strdup(mount);
    u->hidden = u->mount ? pdb_fs_private_dir(mount, ".pdiburn-", err) : NULL;
    u->tree = u->hidden ? pdb_fs_path_join(u->hidden, "new") : NULL;
    if (!u->tree || mkdir(u->tree, 0700) != 0) {
        if (u->tree)
            pdb_fail(err, PDIBURN_E_MEDIA, "'%s': %s", u->tree,
                     strerror(errno));
        else if (!*err)
            pdb_fail_nomem(err);
        return false;
    }
    return true;
}

/* Moves an old entry of ours out of the way, into the hidden folder. */
static bool retire(const struct pdb_usb *u, const char *name,
                   struct pdiburn_error **err)
{
    char *old = pdb_fs_path_join(u->mount, name);
    char *away = pdb_format("%s/old-%s", u->hidden, name);
    struct stat st;
    bool ok = old && away;
    if (ok && lstat(old, &st) == 0 && rename(old, away) != 0)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "replacing '%s': %s", old,
                      strerror(errno));
    if (!old || !away)
        ok = pdb_fail_nomem(err);
    free(old);
    free(away);
    return ok;
}

static bool move_in(const struct pdb_usb *u, const char *name,
                    struct pdiburn_error **err)
{
    char *from = pdb_fs_path_join(u->tree, name);
    char *to = pdb_fs_path_join(u->mount, name);
    struct stat st;
    bool ok = from && to;
    if (ok && lstat(from, &st) == 0 && rename(from, to) != 0)
        ok = pdb_fail(err, PDIBURN_E_MEDIA, "moving '%s' into place: %s", to,
                      strerror(errno));
    if (!from || !to)
        ok = pdb_fail_nomem(err);
    free(from);
    free(to);
    return ok;
}

bool pdb_usb_commit(struct pdb_usb *u, struct pdiburn_error **err)
{
    size_t n = count_ours();
    /* DICOMDIR, first in the list, goes first out and last in: the stick
     * never shows one that points at files not yet there. */
    for (size_t i = 0; i < n; i++)
        if (!retire(u, pdb_root_entries[i], err))
            return false;
    for (size_t i = n; i-- > 0;)
        if (!move_in(u, pdb_root_entries[i], err))
            return false;
    if (!pdb_fs_sync_dir(u->mount))
        return pdb_fail(err, PDIBURN_E_MEDIA, "syncing '%s': %s", u->mount,
                        strerror(errno));
    return true;
}

void pdb_usb_end(struct pdb_usb *u)
{
    if (u->hidden)
        pdb_fs_remove_tree(u->hidden);
    if (u->mount)
        pdb_fs_sync_dir(u->mount);
    free(u->tree);
    free(u->hidden);
    free(u->mount);
    memset(u, 0, sizeof(*u));
}
