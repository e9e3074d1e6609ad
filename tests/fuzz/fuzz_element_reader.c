/* Fuzz target for lib/dicom/element_reader.c: arbitrary bytes walked as a
 * data set in each of the three syntaxes (PS3.5 7.1), sequences and items
 * of defined and undefined length followed down, values found by tag and
 * copied out.  The walker promises never to read past the buffer and to
 * report a malformed element instead; the checks here hold it to the
 * shape of what it returns as well. */
#include <string.h>

#include "dicom.h"
#include "fuzz.h"

static void walk(const uint8_t *d, size_t size, enum pdb_syntax syn,
                 int depth);

static void items(const struct pdb_elem *seq, enum pdb_syntax syn, int depth)
{
    size_t pos = 0, last = 0;
    const uint8_t *body;
    size_t len;
    while (pdb_elem_next_item(seq, &pos, syn, &body, &len) > 0) {
        FUZZ_CHECK(pos > last && pos <= seq->len);
        FUZZ_CHECK(body >= seq->value &&
                   len <= seq->len - (size_t) (body - seq->value));
        last = pos;
        walk(body, len, syn, depth + 1);
    }
}

static void check_element(const uint8_t *d, size_t size, size_t pos,
                          const struct pdb_elem *e)
{
    FUZZ_CHECK(e->offset < e->end && e->end == pos && pos <= size);
    FUZZ_CHECK(e->value == d + e->value_offset);
    FUZZ_CHECK(e->value_offset <= size && e->len <= size - e->value_offset);
    FUZZ_CHECK(e->value_offset + e->len + (e->undefined ? 8 : 0) == e->end);
    FUZZ_CHECK(e->vr[2] == 0);
    char s[17];
    if (pdb_elem_string(e, s, sizeof(s)))
        FUZZ_CHECK(strlen(s) <= e->len);
}

static void walk(const uint8_t *d, size_t size, enum pdb_syntax syn,
                 int depth)
{
    size_t pos = 0;
    struct pdb_elem e;
    int rc;
    if (depth > 16)
        return;
    while ((rc = pdb_elem_next(d, size, &pos, syn, &e)) > 0) {
        check_element(d, size, pos, &e);
        if (e.undefined || strcmp(e.vr, "SQ") == 0)
            items(&e, syn, depth);
    }
    FUZZ_CHECK(rc == 0 || rc == -1);
}

static void find(const uint8_t *d, size_t size, enum pdb_syntax syn,
                 uint32_t tag)
{
    struct pdb_elem e;
    char s[65];
    uint16_t v;
    if (pdb_elem_find(d, size, syn, tag, &e))
        FUZZ_CHECK(e.tag == tag && e.value_offset + e.len <= size);
    if (pdb_elem_get_string(d, size, syn, tag, s, sizeof(s)))
        FUZZ_CHECK(strlen(s) < sizeof(s));
    pdb_elem_get_u16(d, size, syn, tag, &v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum pdb_syntax syntaxes[] = { PDB_EXPLICIT_LE,
                                                PDB_IMPLICIT_LE,
                                                PDB_EXPLICIT_BE };
    /* A tag the input itself names, and some every reader looks for. */
    uint32_t own = size >= 4 ? (uint32_t) data[1] << 24 |
                                   (uint32_t) data[0] << 16 |
                                   (uint32_t) data[3] << 8 | data[2]
                             : 0;
    const uint32_t tags[] = { own, 0x00020010, 0x00080018, 0x00100010,
                              0x00280010, 0x7FE00010 };
    for (size_t s = 0; s < 3; s++) {
        walk(data, size, syntaxes[s], 0);
        for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
            find(data, size, syntaxes[s], tags[t]);
    }
    return 0;
}
