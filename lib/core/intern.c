/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Interned strings: one copy of each distinct value, packed into large
 * blocks, for what thousands of records repeat (a patient's name, a SOP
 * Class, a date) or hold in great numbers (UIDs), instead of one small
 * malloc each.  Freed all at once; never shrinks.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define BLOCK (64u << 10)

struct block {
    struct block *next;
    size_t used, size;
    char data[];
};

struct pdb_intern {
    const char **slots; /* open addressing; NULL = empty */
    size_t nslots, n;
    struct block *blocks;
    bool failed;
};

static size_t hash(const char *s)
{
    size_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char) *s) * 1099511628211u;
    return h;
}

struct pdb_intern *pdb_intern_new(void)
{
    return calloc(1, sizeof(struct pdb_intern));
}

static bool rehash(struct pdb_intern *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 1024;
    const char **slots = calloc(n, sizeof(*slots));
    if (!slots)
        return false;
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        size_t j = hash(t->slots[i]) & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = n;
    return true;
}

static char *store(struct pdb_intern *t, const char *s, size_t len)
{
    struct block *b = t->blocks;
    if (!b || b->size - b->used < len + 1) {
        size_t size = len + 1 > BLOCK ? len + 1 : BLOCK;
        b = malloc(sizeof(*b) + size);
        if (!b)
            return NULL;
        *b = (struct block){ t->blocks, 0, size };
        t->blocks = b;
    }
    char *p = b->data + b->used;
    memcpy(p, s, len + 1);
    b->used += len + 1;
    return p;
}

const char *pdb_intern(struct pdb_intern *t, const char *s)
{
    if (!*s)
        return "";
    if (2 * (t->n + 1) > t->nslots && !rehash(t)) {
        t->failed = true;
        return "";
    }
    size_t i = hash(s) & (t->nslots - 1);
    for (; t->slots[i]; i = (i + 1) & (t->nslots - 1))
        if (strcmp(t->slots[i], s) == 0)
            return t->slots[i];
    char *p = store(t, s, strlen(s));
    if (!p) {
        t->failed = true;
        return "";
    }
    t->slots[i] = p;
    t->n++;
    return p;
}

bool pdb_intern_failed(const struct pdb_intern *t)
{
    return t->failed;
}

void pdb_intern_free(struct pdb_intern *t)
{
    if (!t)
        return;
    while (t->blocks) {
        struct block *next = t->blocks->next;
        free(t->blocks);
        t->blocks = next;
    }
    free(t->slots);
    free(t);
}
