/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pixel data of a file as it streams past verify: native data as long
 * as Rows x Columns x Samples per Pixel x Number of Frames x Bits
 * Allocated says (PS3.5 8.1.1, PS3.3 C.7.6.3) and all of it in the file;
 * encapsulated data (PS3.5 A.4) as a Basic Offset Table item and fragment
 * items up to the sequence delimiter, at least one fragment per frame,
 * and a non-empty offset table with one entry per frame, the first 0,
 * each at the start of a fragment.  Item headers are read as they pass,
 * so a file is still read once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_head.h"

#define ITEM          0xFFFEE000u
#define SEQ_END       0xFFFEE0DDu
#define BOT_MAX       (64u << 20)
#define FRAGMENTS_MAX (1u << 24)

void pdb_pixcheck_start(struct pdb_pixcheck *pc, const struct pdb_head *hd)
{
    memset(pc, 0, sizeof(*pc));
    pc->head = *hd;
    pc->active = true;
    pc->next = hd->value_offset;
}

static void broken(struct pdb_pixcheck *pc, const char *what, uint64_t at)
{
    snprintf(pc->bad, sizeof(pc->bad), "%s at offset %llu", what,
             (unsigned long long) at);
    pc->active = false;
}

static void add_fragment(struct pdb_pixcheck *pc, uint64_t item)
{
    if (pc->nfragments >= FRAGMENTS_MAX ||
        !pdb_grow(&pc->fragments, pc->nfragments, sizeof(uint64_t))) {
        broken(pc, "too many fragments to check", item);
        return;
    }
    pc->fragments[pc->nfragments++] = item - pc->first_fragment;
}

/* The first item is the Basic Offset Table, the others fragments. */
static void item_header(struct pdb_pixcheck *pc)
{
    uint32_t tag = (uint32_t) pdb_le16(pc->hdr) << 16 | pdb_le16(pc->hdr + 2);
    uint32_t len = pdb_le32(pc->hdr + 4);
    uint64_t at = pc->next;
    pc->have = 0;
    pc->next += 8;
    if (tag == SEQ_END && pc->seen_bot) {
        pc->ended = true;
        pc->active = false;
    } else if (tag != ITEM) {
        broken(pc, "no item where the next fragment should begin", at);
    } else if (len == 0xFFFFFFFFu) {
        broken(pc, "a fragment of undefined length", at);
    } else if (!pc->seen_bot) {
        pc->seen_bot = true;
        pc->bot_len = len;
        pc->in_bot = len > 0;
        pc->first_fragment = pc->next + len;
        if (len > BOT_MAX || (len && !(pc->bot = malloc(len))))
            broken(pc, "an offset table too large to check", at);
    } else {
        add_fragment(pc, at);
        pc->next += len;
    }
}

/* Consumes the due bytes at the start of [p, p + n): of the offset table
 * or of an item header; returns how many it used. */
static size_t consume(struct pdb_pixcheck *pc, const uint8_t *p, size_t n)
{
    if (pc->in_bot) {
        size_t take = pc->bot_len - pc->bot_have;
        take = take < n ? take : n;
        memcpy(pc->bot + pc->bot_have, p, take);
        pc->bot_have += (uint32_t) take;
        pc->in_bot = pc->bot_have < pc->bot_len;
        pc->next += take;
        return take;
    }
    size_t take = 8 - pc->have < n ? 8 - pc->have : n;
    memcpy(pc->hdr + pc->have, p, take);
    pc->have += (unsigned) take;
    if (pc->have == 8)
        item_header(pc);
    return take;
}

void pdb_pixcheck_feed(struct pdb_pixcheck *pc, const uint8_t *data, size_t len,
                       uint64_t at)
{
    uint64_t end = at + len;
    while (pc->active) {
        uint64_t want = pc->next + (pc->in_bot ? 0 : pc->have);
        if (want < at || want >= end)
            return; /* before this piece (seen already) or after it */
        size_t used = consume(pc, data + (want - at), (size_t) (end - want));
        if (!used)
            return;
    }
}

static bool is_fragment_start(const struct pdb_pixcheck *pc, uint64_t off)
{
    size_t lo = 0, hi = pc->nfragments; /* fragments ascend */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pc->fragments[mid] == off)
            return true;
        if (pc->fragments[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* An empty table is allowed; a non-empty one has an entry per frame, the
 * first 0, ascending, each at a fragment's first byte (PS3.5 A.4). */
static const char *offset_table(const struct pdb_pixcheck *pc, unsigned frames,
                                char *why, size_t n)
{
    uint32_t entries = pc->bot_len / 4;
    if (!pc->bot_len)
        return NULL;
    if (pc->bot_len % 4 || entries != frames) {
        snprintf(why, n,
                 "its Basic Offset Table has %u bytes, not 4 for "
                 "each of %u frames",
                 pc->bot_len, frames);
        return why;
    }
    for (uint32_t i = 0; i < entries; i++) {
        uint32_t off = pdb_le32(pc->bot + 4 * i);
        bool ascending =
            i == 0 ? off == 0 : off > pdb_le32(pc->bot + 4 * i - 4);
        if (!ascending || !is_fragment_start(pc, off)) {
            snprintf(why, n,
                     "Basic Offset Table entry %u (%u) is not the "
                     "start of a fragment after the last",
                     i + 1, off);
            return why;
        }
    }
    return NULL;
}

static void finish_encapsulated(struct pdb_pixcheck *pc,
                                const struct pdb_head *hd, struct vstate *v,
                                const struct vfile *f)
{
    unsigned frames = hd->frames ? hd->frames : 1;
    char why[160];
    if (pc->bad[0] && strstr(pc->bad, "too"))
        pdb_verify_note(v, "unchecked-pixel-data", f->path,
                        "pixel data not checked: %s", pc->bad);
    else if (pc->bad[0])
        pdb_verify_problem(v, "broken-fragments", f->path,
                           "encapsulated pixel data broken: %s (PS3.5 A.4)",
                           pc->bad);
    else if (!pc->ended)
        pdb_verify_problem(v, "truncated-pixel-data", f->path,
                           "the file ends inside its encapsulated pixel data "
                           "(%zu fragments read, no sequence delimiter)",
                           pc->nfragments);
    else if (pc->nfragments < frames)
        pdb_verify_problem(v, "missing-fragments", f->path,
                           "%zu fragment(s) for %u frame(s): every frame "
                           "needs at least one (PS3.5 A.4)",
                           pc->nfragments, frames);
    else if (offset_table(pc, frames, why, sizeof(why)))
        pdb_verify_problem(v, "offset-table", f->path, "%s (PS3.5 A.4)", why);
}

static void finish_native(const struct pdb_head *hd, struct vstate *v,
                          const struct vfile *f)
{
    uint64_t want = pdb_head_pixel_bytes(hd);
    uint64_t len = hd->value_len;
    if (!hd->rows || !hd->columns || !hd->bits)
        pdb_verify_problem(v, "pixel-module", f->path,
                           "pixel data without Rows, Columns or Bits "
                           "Allocated (PS3.3 C.7.6.3)");
    else if (hd->value_offset + len > f->size)
        pdb_verify_problem(v, "truncated-pixel-data", f->path,
                           "the file ends %llu bytes into its pixel data of "
                           "%llu bytes",
                           (unsigned long long) (f->size - hd->value_offset),
                           (unsigned long long) len);
    else if (len < want)
        pdb_verify_problem(v, "short-pixel-data", f->path,
                           "Pixel Data has %llu bytes; %u x %u, %u sample(s), "
                           "%u frame(s) of %u bits need %llu (PS3.5 8.1.1)",
                           (unsigned long long) len, hd->rows, hd->columns,
                           hd->samples ? hd->samples : 1,
                           hd->frames ? hd->frames : 1, hd->bits,
                           (unsigned long long) want);
}

void pdb_pixcheck_finish(struct pdb_pixcheck *pc, const struct pdb_head *hd,
                         struct vstate *v, const struct vfile *f)
{
    if (hd->has_pixels && hd->encapsulated)
        finish_encapsulated(pc, hd, v, f);
    else if (hd->has_pixels)
        finish_native(hd, v, f);
    free(pc->bot);
    free(pc->fragments);
    memset(pc, 0, sizeof(*pc));
}
