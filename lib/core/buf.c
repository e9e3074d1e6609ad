/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A growable byte buffer for generated content (DICOMDIR, pages, the
 * checksum list).  Invariant: data[len] is always a NUL byte, so a buffer
 * of text can be used as a C string.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static bool reserve(struct pdb_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool pdb_buf_add(struct pdb_buf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return true;
}

bool pdb_buf_add_str(struct pdb_buf *b, const char *s)
{
    return pdb_buf_add(b, s, strlen(s));
}

bool pdb_buf_printf(struct pdb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = pdb_vformat(fmt, ap);
    va_end(ap);
    if (!s) {
        b->failed = true;
        return false;
    }
    bool ok = pdb_buf_add_str(b, s);
    free(s);
    return ok;
}

bool pdb_buf_add_u16(struct pdb_buf *b, uint16_t v)
{
    uint8_t le[2] = { (uint8_t) v, (uint8_t) (v >> 8) };
    return pdb_buf_add(b, le, 2);
}

bool pdb_buf_add_u32(struct pdb_buf *b, uint32_t v)
{
    uint8_t le[4] = { (uint8_t) v, (uint8_t) (v >> 8), (uint8_t) (v >> 16),
                      (uint8_t) (v >> 24) };
    return pdb_buf_add(b, le, 4);
}

void pdb_buf_put_u32(struct pdb_buf *b, size_t at, uint32_t v)
{
    if (b->failed || at + 4 > b->len)
        return;
    b->data[at] = (uint8_t) v;
    b->data[at + 1] = (uint8_t) (v >> 8);
    b->data[at + 2] = (uint8_t) (v >> 16);
    b->data[at + 3] = (uint8_t) (v >> 24);
}

/* The bytes are kept, often for as long as the job (a node's meta
 * information per instance): the room that doubling left over goes back. */
uint8_t *pdb_buf_steal(struct pdb_buf *b, size_t *len)
{
    uint8_t *p = b->failed ? NULL : b->data;
    if (p && b->cap > b->len + 1) {
        uint8_t *fit = realloc(p, b->len + 1);
        p = fit ? fit : p;
    }
    if (len)
        *len = b->len;
    if (b->failed)
        free(b->data);
    memset(b, 0, sizeof(*b));
    return p;
}

void pdb_buf_free(struct pdb_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

/* Arrays that grow by doubling from 8: call before storing element n. */
bool pdb_grow(void *arrayp, size_t n, size_t elem)
{
    bool full = n == 0 || (n >= 8 && (n & (n - 1)) == 0);
    if (!full)
        return true;
    size_t cap = n == 0 ? 8 : n * 2;
    void *p = realloc(*(void **) arrayp, cap * elem);
    if (!p)
        return false;
    *(void **) arrayp = p;
    return true;
}
