/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unencrypted ZIP files written by us (PKWARE APPNOTE 6.3: 4.3.7 local
 * header, 4.3.12 central directory, 4.3.14-16 ZIP64 end records), so that
 * every local header holds the CRC-32 and both sizes and no entry has a
 * data descriptor: java.util.zip.ZipInputStream, which Java PACS importers
 * use, refuses a stored entry with one.  Stored entries stream and get
 * their CRC patched into the header afterwards (the output is a file);
 * deflated entries are compressed whole first.  ZIP64 where sizes,
 * offsets or the entry count need it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "write.h"
#include "zip_plain.h"

#define U32_MAX  0xFFFFFFFFu
#define BUF_SIZE (1u << 20)

struct cd_entry {
    char *name;
    uint32_t crc, dos_time;
    uint16_t method;
    uint64_t csize, usize, offset;
};

struct pdb_zip_plain {
    int fd;
    uint8_t *buf; /* output not yet written */
    size_t buf_len;
    uint64_t flushed; /* bytes of the file written out */
    uint64_t kicked;  /* of those, the ones the device was asked for */
    struct cd_entry *entries;
    size_t nentries;
    uint64_t zip64_at; /* sizes and offsets from here need ZIP64 */
    /* the stored entry being streamed */
    uint64_t crc_at, left;
    uint32_t crc;
};

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) v;
    p[1] = (uint8_t) (v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t) v);
    put32(p + 4, (uint32_t) (v >> 32));
}

/* Local time as MS-DOS stores it (APPNOTE 4.4.6); 1980 at the earliest. */
static uint32_t dos_time(int64_t when)
{
    time_t t = (time_t) when;
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_year < 80)
        return (0 << 25) | (1 << 21) | (1 << 16);
    return (uint32_t) (tm.tm_year - 80) << 25 |
           (uint32_t) (tm.tm_mon + 1) << 21 | (uint32_t) tm.tm_mday << 16 |
           (uint32_t) tm.tm_hour << 11 | (uint32_t) tm.tm_min << 5 |
           (uint32_t) (tm.tm_sec / 2);
}

static uint64_t position(const struct pdb_zip_plain *w)
{
    return w->flushed + w->buf_len;
}

static bool write_out(struct pdb_zip_plain *w, const void *data, size_t len,
                      struct pdiburn_error **err)
{
    if (!pdb_fs_write_all(w->fd, data, len))
        return pdb_fail(err, PDIBURN_E_MEDIA, "writing the ZIP file: %s",
                        strerror(errno));
    w->flushed += len;
    pdb_writeback_file(w->fd, &w->kicked, w->flushed);
    return true;
}

static bool flush(struct pdb_zip_plain *w, struct pdiburn_error **err)
{
    if (w->buf_len && !write_out(w, w->buf, w->buf_len, err))
        return false;
    w->buf_len = 0;
    return true;
}

static bool emit(struct pdb_zip_plain *w, const void *data, size_t len,
                 struct pdiburn_error **err)
{
    if (w->buf_len + len > BUF_SIZE && !flush(w, err))
        return false;
    if (len >= BUF_SIZE)
        return write_out(w, data, len, err);
    memcpy(w->buf + w->buf_len, data, len);
    w->buf_len += len;
    return true;
}

/* Four bytes written earlier: still in the buffer, or in the file. */
static bool patch32(struct pdb_zip_plain *w, uint64_t at, uint32_t v,
                    struct pdiburn_error **err)
{
    uint8_t b[4];
    put32(b, v);
    if (at >= w->flushed) {
        memcpy(w->buf + (at - w->flushed), b, 4);
        return true;
    }
    if (pwrite(w->fd, b, 4, (off_t) at) != 4)
        return pdb_fail(err, PDIBURN_E_MEDIA,
                        "writing the ZIP file (it must be a file): %s",
                        strerror(errno));
    return true;
}

struct pdb_zip_plain *pdb_zip_plain_open(int fd, struct pdiburn_error **err)
{
    struct pdb_zip_plain *w = calloc(1, sizeof(*w));
    if (w)
        w->buf = malloc(BUF_SIZE);
    if (!w || !w->buf) {
        free(w);
        pdb_fail_nomem(err);
        return NULL;
    }
    w->fd = fd;
    w->zip64_at = U32_MAX;
    return w;
}

void pdb_zip_plain_set_zip64_at(struct pdb_zip_plain *w, uint64_t at)
{
    w->zip64_at = at;
}

static bool add_cd_entry(struct pdb_zip_plain *w, const char *name,
                         struct cd_entry **out, struct pdiburn_error **err)
{
    if (!pdb_grow(&w->entries, w->nentries, sizeof(*w->entries)))
        return pdb_fail_nomem(err);
    struct cd_entry *e = &w->entries[w->nentries];
    memset(e, 0, sizeof(*e));
    if (!(e->name = strdup(name)))
        return pdb_fail_nomem(err);
    w->nentries++;
    *out = e;
    return true;
}

/* The local header of `e` (4.3.7); with ZIP64 both sizes go into the
 * extra field, as 4.5.3 demands of a local header. */
static bool local_header(struct pdb_zip_plain *w, const struct cd_entry *e,
                         struct pdiburn_error **err)
{
    bool zip64 = e->usize >= w->zip64_at || e->csize >= w->zip64_at;
    size_t name_len = strlen(e->name);
    uint8_t h[30 + 20];
    put32(h, 0x04034b50);
    put16(h + 4, zip64 ? 45 : e->method ? 20 : 10);
    put16(h + 6, 0); /* no data descriptor, ASCII names */
    put16(h + 8, e->method);
    put32(h + 10, e->dos_time);
    put32(h + 14, e->crc);
    put32(h + 18, zip64 ? U32_MAX : (uint32_t) e->csize);
    put32(h + 22, zip64 ? U32_MAX : (uint32_t) e->usize);
    put16(h + 26, (uint32_t) name_len);
    put16(h + 28, zip64 ? 20 : 0);
    put16(h + 30, 0x0001);
    put16(h + 32, 16);
    put64(h + 34, e->usize);
    put64(h + 42, e->csize);
    return emit(w, h, 30, err) && emit(w, e->name, name_len, err) &&
           (!zip64 || emit(w, h + 30, 20, err));
}

static bool start_entry(struct pdb_zip_plain *w, const char *name,
                        int64_t mtime, uint16_t method, uint64_t csize,
                        uint64_t usize, uint32_t crc,
                        struct pdiburn_error **err)
{
    struct cd_entry *e = NULL;
    if (w->left)
        return pdb_fail(err, PDIBURN_E_INTERNAL,
                        "ZIP: an entry before the last one ended");
    if (!add_cd_entry(w, name, &e, err))
        return false;
    e->dos_time = dos_time(mtime);
    e->method = method;
    e->csize = csize;
    e->usize = usize;
    e->crc = crc;
    e->offset = position(w);
    return local_header(w, e, err);
}

bool pdb_zip_plain_stored(struct pdb_zip_plain *w, const char *name,
                          uint64_t size, int64_t mtime,
                          struct pdiburn_error **err)
{
    if (!start_entry(w, name, mtime, 0, size, size, 0, err))
        return false;
    w->crc_at = w->entries[w->nentries - 1].offset + 14;
    w->left = size;
    w->crc = 0;
    return size > 0 || pdb_zip_plain_end(w, err);
}

bool pdb_zip_plain_data(struct pdb_zip_plain *w, const void *data, size_t len,
                        struct pdiburn_error **err)
{
    if (len > w->left)
        return pdb_fail(err, PDIBURN_E_INTERNAL,
                        "ZIP: more data than the entry's size");
    w->crc = pdb_crc32(w->crc, data, len);
    w->left -= len;
    return emit(w, data, len, err);
}

bool pdb_zip_plain_end(struct pdb_zip_plain *w, struct pdiburn_error **err)
{
    if (w->left)
        return pdb_fail(err, PDIBURN_E_INTERNAL,
                        "ZIP: %llu bytes of the entry missing",
                        (unsigned long long) w->left);
    w->entries[w->nentries - 1].crc = w->crc;
    return patch32(w, w->crc_at, w->crc, err);
}

bool pdb_zip_plain_deflated(struct pdb_zip_plain *w, const char *name,
                            const uint8_t *data, size_t len, int64_t mtime,
                            struct pdiburn_error **err)
{
    uint8_t *z = NULL;
    size_t zlen = 0;
    if (!pdb_deflate(data, len, 6, false, &z, &zlen))
        return pdb_fail_nomem(err);
    uint32_t crc = pdb_crc32(0, data, len);
    bool ok = start_entry(w, name, mtime, 8, zlen, len, crc, err) &&
              emit(w, z, zlen, err);
    free(z);
    return ok;
}

/* The central directory header of `e` (4.3.12) with the ZIP64 fields its
 * values need, in the order 4.5.3 gives. */
static bool central_header(struct pdb_zip_plain *w, const struct cd_entry *e,
                           struct pdiburn_error **err)
{
    uint8_t h[46], x[4 + 24];
    size_t xl = 4;
    bool big_u = e->usize >= w->zip64_at, big_c = e->csize >= w->zip64_at,
         big_o = e->offset >= w->zip64_at;
    const uint64_t vals[] = { e->usize, e->csize, e->offset };
    const bool big[] = { big_u, big_c, big_o };
    for (int i = 0; i < 3; i++)
        if (big[i]) {
            put64(x + xl, vals[i]);
            xl += 8;
        }
    put16(x, 0x0001);
    put16(x + 2, (uint32_t) (xl - 4));
    bool zip64 = xl > 4;
    uint16_t needed = zip64 ? 45 : e->method ? 20 : 10;
    size_t name_len = strlen(e->name);
    put32(h, 0x02014b50);
    put16(h + 4, 3 << 8 | needed); /* made on Unix: modes below */
    put16(h + 6, needed);
    put16(h + 8, 0);
    put16(h + 10, e->method);
    put32(h + 12, e->dos_time);
    put32(h + 16, e->crc);
    put32(h + 20, big_c ? U32_MAX : (uint32_t) e->csize);
    put32(h + 24, big_u ? U32_MAX : (uint32_t) e->usize);
    put16(h + 28, (uint32_t) name_len);
    put16(h + 30, zip64 ? (uint32_t) xl : 0);
    put16(h + 32, 0);
    put16(h + 34, 0);
    put16(h + 36, 0);
    put32(h + 38, (uint32_t) 0100644 << 16);
    put32(h + 42, big_o ? U32_MAX : (uint32_t) e->offset);
    return emit(w, h, 46, err) && emit(w, e->name, name_len, err) &&
           (!zip64 || emit(w, x, xl, err));
}

/* ZIP64 end of central directory record and locator (4.3.14, 4.3.15). */
static bool zip64_end(struct pdb_zip_plain *w, uint64_t cd_at, uint64_t cd_len,
                      struct pdiburn_error **err)
{
    uint8_t r[56 + 20];
    uint64_t at = position(w);
    put32(r, 0x06064b50);
    put64(r + 4, 44);
    put16(r + 12, 3 << 8 | 45);
    put16(r + 14, 45);
    put32(r + 16, 0);
    put32(r + 20, 0);
    put64(r + 24, w->nentries);
    put64(r + 32, w->nentries);
    put64(r + 40, cd_len);
    put64(r + 48, cd_at);
    put32(r + 56, 0x07064b50);
    put32(r + 60, 0);
    put64(r + 64, at);
    put32(r + 72, 1);
    return emit(w, r, sizeof(r), err);
}

static bool finish(struct pdb_zip_plain *w, struct pdiburn_error **err)
{
    uint64_t cd_at = position(w);
    for (size_t i = 0; i < w->nentries; i++)
        if (!central_header(w, &w->entries[i], err))
            return false;
    uint64_t cd_len = position(w) - cd_at;
    bool zip64 =
        w->nentries >= 0xFFFF || cd_at >= w->zip64_at || cd_len >= w->zip64_at;
    if (zip64 && !zip64_end(w, cd_at, cd_len, err))
        return false;
    uint8_t r[22];
    put32(r, 0x06054b50);
    put16(r + 4, 0);
    put16(r + 6, 0);
    put16(r + 8, zip64 ? 0xFFFF : (uint32_t) w->nentries);
    put16(r + 10, zip64 ? 0xFFFF : (uint32_t) w->nentries);
    put32(r + 12, zip64 ? U32_MAX : (uint32_t) cd_len);
    put32(r + 16, zip64 ? U32_MAX : (uint32_t) cd_at);
    put16(r + 20, 0);
    return emit(w, r, sizeof(r), err) && flush(w, err);
}

bool pdb_zip_plain_close(struct pdb_zip_plain *w, bool ok,
                         struct pdiburn_error **err)
{
    if (!w)
        return false;
    ok = ok && finish(w, err);
    for (size_t i = 0; i < w->nentries; i++)
        free(w->entries[i].name);
    free(w->entries);
    free(w->buf);
    free(w);
    return ok;
}
