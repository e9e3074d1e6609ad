/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The three name trees of an ISO 9660 image, from its directory records
 * only (ECMA-119 8.4 and 9.1): the primary names, the Joliet names of a
 * Supplementary Volume Descriptor with a UCS-2 escape (Joliet spec 1995),
 * and the Rock Ridge NM names in the primary tree's System Use areas
 * (SUSP 1.10/1.12 SP, CE, ST; RRIP NM, CL, RE).  libarchive shows one tree
 * only; a reader on another OS sees another, so verify reads all three.
 * File contents are never read here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iso_tree.h"

#define SECTOR      2048u
#define DEPTH_MAX   32
#define ENTRIES_MAX 4000000u
#define DIR_MAX     (64u << 20)

struct reader {
    int fd;
    struct pdb_iso_tree *tree;
    bool rock_ridge; /* walking the primary tree for its NM names */
    unsigned skip;   /* SUSP bytes to skip in each area (SP) */
    bool failed;
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
           (uint32_t) p[3] << 24;
}

static bool read_at(int fd, void *buf, size_t len, uint64_t at)
{
    size_t got = 0;
    return pdb_fs_read_at(fd, buf, len, at, &got) && got == len;
}

static bool add_entry(struct pdb_iso_tree *t, const char *parent,
                      const char *name, bool dir)
{
    if (t->n >= ENTRIES_MAX ||
        !pdb_grow(&t->entries, t->n, sizeof(*t->entries)))
        return false;
    char *path = parent[0] ? pdb_format("%s/%s", parent, name) : strdup(name);
    if (!path)
        return false;
    t->entries[t->n].path = path;
    t->entries[t->n].dir = dir;
    t->n++;
    return true;
}

/* UCS-2 big endian (Joliet) as UTF-8. */
static void ucs2_to_utf8(const uint8_t *p, size_t len, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i + 1 < len && k + 4 < n; i += 2) {
        unsigned c = (unsigned) p[i] << 8 | p[i + 1];
        if (c < 0x80) {
            out[k++] = (char) c;
        } else if (c < 0x800) {
            out[k++] = (char) (0xC0 | c >> 6);
            out[k++] = (char) (0x80 | (c & 0x3F));
        } else {
            out[k++] = (char) (0xE0 | c >> 12);
            out[k++] = (char) (0x80 | ((c >> 6) & 0x3F));
            out[k++] = (char) (0x80 | (c & 0x3F));
        }
    }
    out[k] = 0;
}

/* What one directory record says. */
struct record {
    uint32_t extent, size;
    bool dir, multi;
    char name[512];
    bool has_nm, relocated, child_link;
    uint32_t child;
};

static void susp_entries(struct reader *r, const uint8_t *p, size_t len,
                         struct record *rec, int hops);

/* A Continuation Area: more System Use entries elsewhere (SUSP 5.1). */
static void continuation(struct reader *r, const uint8_t *e, struct record *rec,
                         int hops)
{
    uint32_t block = le32(e + 4), off = le32(e + 12), len = le32(e + 20);
    uint8_t *area = len && len <= SECTOR && hops < 8 ? malloc(len) : NULL;
    if (area && read_at(r->fd, area, len, (uint64_t) block * SECTOR + off))
        susp_entries(r, area, len, rec, hops + 1);
    free(area);
}

static void nm_entry(const uint8_t *e, size_t elen, struct record *rec)
{
    if (elen < 5 || (e[4] & 0x06)) /* "." and ".." carry no name */
        return;
    size_t have = rec->has_nm ? strlen(rec->name) : 0;
    size_t add = elen - 5;
    if (have + add >= sizeof(rec->name))
        add = sizeof(rec->name) - 1 - have;
    memcpy(rec->name + have, e + 5, add);
    rec->name[have + add] = 0;
    rec->has_nm = true;
}

static void susp_entries(struct reader *r, const uint8_t *p, size_t len,
                         struct record *rec, int hops)
{
    for (size_t pos = 0; pos + 4 <= len;) {
        const uint8_t *e = p + pos;
        size_t elen = e[2];
        if (elen < 4 || pos + elen > len)
            return;
        if (memcmp(e, "NM", 2) == 0)
            nm_entry(e, elen, rec);
        else if (memcmp(e, "CE", 2) == 0 && elen >= 28)
            continuation(r, e, rec, hops);
        else if (memcmp(e, "RE", 2) == 0)
            rec->relocated = true;
        else if (memcmp(e, "CL", 2) == 0 && elen >= 12) {
            rec->child_link = true;
            rec->child = le32(e + 4);
        } else if (memcmp(e, "ST", 2) == 0)
            return;
        pos += elen;
    }
}

/* Parses a directory record; false for "." and "..". */
static bool parse_record(struct reader *r, const uint8_t *d, size_t len,
                         struct record *rec)
{
    memset(rec, 0, sizeof(*rec));
    size_t name_len = d[32];
    if (33 + name_len > len || name_len == 0 || (name_len == 1 && d[33] <= 1))
        return false;
    rec->extent = le32(d + 2);
    rec->size = le32(d + 10);
    rec->dir = d[25] & 0x02;
    rec->multi = d[25] & 0x80;
    if (r->tree->kind == PDB_TREE_JOLIET) {
        ucs2_to_utf8(d + 33, name_len, rec->name, sizeof(rec->name));
        return true;
    }
    memcpy(rec->name, d + 33, name_len);
    rec->name[name_len] = 0;
    if (r->rock_ridge) {
        size_t su = 33 + name_len + !(name_len & 1) + r->skip;
        char iso_name[256];
        memcpy(iso_name, rec->name, name_len + 1);
        rec->name[0] = 0;
        if (su < len)
            susp_entries(r, d + su, len - su, rec, 0);
        if (!rec->has_nm) /* no NM: readers show the ISO 9660 name */
            memcpy(rec->name, iso_name, name_len + 1);
    }
    return true;
}

static void walk(struct reader *r, uint32_t extent, uint32_t size,
                 const char *path, int depth);

static void take(struct reader *r, struct record *rec, const char *path,
                 int depth)
{
    if (rec->multi || rec->relocated)
        return; /* not the last extent; or shown where CL points */
    bool dir = rec->dir || rec->child_link;
    if (!add_entry(r->tree, path, rec->name, dir)) {
        r->failed = true;
        return;
    }
    if (!dir)
        return;
    char *sub = strdup(r->tree->entries[r->tree->n - 1].path);
    uint32_t extent = rec->extent, size = rec->size;
    if (rec->child_link) { /* RRIP 4.1.5.1: the real one is elsewhere */
        uint8_t self[SECTOR];
        extent = rec->child;
        size = read_at(r->fd, self, SECTOR, (uint64_t) extent * SECTOR)
                   ? le32(self + 10)
                   : 0;
    }
    if (sub)
        walk(r, extent, size, sub, depth + 1);
    free(sub);
}

static void walk(struct reader *r, uint32_t extent, uint32_t size,
                 const char *path, int depth)
{
    uint8_t *d =
        depth <= DEPTH_MAX && size <= DIR_MAX ? malloc(size + 1) : NULL;
    if (!d || !read_at(r->fd, d, size, (uint64_t) extent * SECTOR)) {
        free(d);
        r->failed = true;
        return;
    }
    for (size_t pos = 0; pos < size && !r->failed;) {
        size_t len = d[pos];
        if (len == 0) { /* records do not cross sectors: skip the rest */
            pos = (pos / SECTOR + 1) * SECTOR;
            continue;
        }
        struct record rec;
        if (len >= 34 && pos + len <= size &&
            parse_record(r, d + pos, len, &rec))
            take(r, &rec, path, depth);
        pos += len;
    }
    free(d);
}

/* The SP entry of the root's "." record says Rock Ridge (SUSP 5.3). */
static bool sp_in_root(int fd, const uint8_t *root, unsigned *skip)
{
    uint8_t d[SECTOR];
    if (!read_at(fd, d, SECTOR, (uint64_t) le32(root + 2) * SECTOR))
        return false;
    size_t len = d[0], su = 34; /* "." has a one-byte name and no pad */
    if (len < su + 7 || memcmp(d + su, "SP", 2) != 0 || d[su + 4] != 0xBE ||
        d[su + 5] != 0xEF)
        return false;
    *skip = d[su + 6];
    return true;
}

static bool walk_tree(int fd, const uint8_t *vd, struct pdb_iso_tree *t,
                      bool rock_ridge, unsigned skip)
{
    struct reader r = { fd, t, rock_ridge, skip, false };
    const uint8_t *root = vd + 156;
    t->present = true;
    walk(&r, le32(root + 2), le32(root + 10), "", 0);
    return !r.failed;
}

static bool is_joliet(const uint8_t *vd)
{
    const uint8_t *esc = vd + 88;
    return esc[0] == '%' && esc[1] == '/' &&
           (esc[2] == '@' || esc[2] == 'C' || esc[2] == 'E');
}

/* The Primary and a Joliet Supplementary Volume Descriptor (ECMA-119 8). */
static bool descriptors(int fd, uint8_t pvd[SECTOR], uint8_t svd[SECTOR],
                        bool *joliet)
{
    bool primary = false;
    uint8_t vd[SECTOR];
    *joliet = false;
    for (uint64_t s = 16; s < 16 + 64; s++) {
        if (!read_at(fd, vd, SECTOR, s * SECTOR) || memcmp(vd + 1, "CD001", 5))
            return false;
        if (vd[0] == 255)
            break;
        if (vd[0] == 1 && !primary) {
            memcpy(pvd, vd, SECTOR);
            primary = true;
        } else if (vd[0] == 2 && is_joliet(vd) && !*joliet) {
            memcpy(svd, vd, SECTOR);
            *joliet = true;
        }
    }
    return primary;
}

static bool read_trees(int fd, struct pdb_iso_trees *t)
{
    uint8_t pvd[SECTOR], svd[SECTOR];
    bool joliet = false;
    unsigned skip = 0;
    t->tree[PDB_TREE_ISO9660].kind = PDB_TREE_ISO9660;
    t->tree[PDB_TREE_JOLIET].kind = PDB_TREE_JOLIET;
    t->tree[PDB_TREE_ROCK_RIDGE].kind = PDB_TREE_ROCK_RIDGE;
    if (!descriptors(fd, pvd, svd, &joliet))
        return false;
    bool ok = walk_tree(fd, pvd, &t->tree[PDB_TREE_ISO9660], false, 0);
    if (ok && joliet)
        ok = walk_tree(fd, svd, &t->tree[PDB_TREE_JOLIET], false, 0);
    if (ok && sp_in_root(fd, pvd + 156, &skip))
        ok = walk_tree(fd, pvd, &t->tree[PDB_TREE_ROCK_RIDGE], true, skip);
    return ok;
}

bool pdb_iso_trees_read(const char *image, struct pdb_iso_trees *t,
                        struct pdiburn_error **err)
{
    memset(t, 0, sizeof(*t));
    int fd = open(image, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return pdb_fail(err, PDIBURN_E_IO, "'%s': %s", image, strerror(errno));
    bool ok = read_trees(fd, t);
    close(fd);
    if (!ok) {
        pdb_iso_trees_free(t);
        return pdb_fail(err, PDIBURN_E_VERIFY,
                        "'%s': its ISO 9660 directories cannot be read", image);
    }
    return true;
}

void pdb_iso_trees_free(struct pdb_iso_trees *t)
{
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < t->tree[k].n; i++)
            free(t->tree[k].entries[i].path);
        free(t->tree[k].entries);
    }
    memset(t, 0, sizeof(*t));
}

const char *pdb_iso_tree_name(enum pdb_iso_tree_kind kind)
{
    static const char *const names[] = { "ISO 9660", "Joliet", "Rock Ridge" };
    return names[kind];
}
