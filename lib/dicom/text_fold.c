/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Search keys of UTF-8 text, and matching them with the wildcards of DICOM
 * queries (PS3.4 C.2.2.2.4: '*' any run, '?' one character).  A key is
 * the text case-folded with its accents stripped, so that "muller" finds
 * "MÜLLER" and "παπαδοπουλος" finds "ΠΑΠΑΔΌΠΟΥΛΟΣ".  Folded: ASCII,
 * Latin-1, Latin Extended-A, combining marks, Greek, Cyrillic and
 * full-width Latin; other scripts (CJK) have no case.
 */
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* U+00C0..U+00FF and U+0100..U+017F: the base letter, '#' for the few
 * folded to two letters (fold_pair), '.' for non-letters. */
static const char latin1[] = "aaaaaa#ceeeeiiii"
                             "dnooooo.ouuuuy##"
                             "aaaaaa#ceeeeiiii"
                             "dnooooo.ouuuuy#y";
static const char latin_ext_a[] = "aaaaaaccccccccdd"
                                  "ddeeeeeeeeeegggg"
                                  "gggghhhhiiiiiiii"
                                  "ii##jjkkklllllll"
                                  "lllnnnnnnnnnoooo"
                                  "oo##rrrrrrssssss"
                                  "ssttttttuuuuuuuu"
                                  "uuuuwwyyyzzzzzzs";

static const char *fold_pair(unsigned cp)
{
    switch (cp) {
    case 0xC6: case 0xE6: return "ae";
    case 0xDE: case 0xFE: return "th";
    case 0xDF: return "ss";
    case 0x132: case 0x133: return "ij";
    case 0x152: case 0x153: return "oe";
    }
    return "";
}

/* Greek with tonos or dialytika, and final sigma, to the plain lower
 * case letter. */
static unsigned greek_base(unsigned cp)
{
    static const struct {
        unsigned from, to;
    } map[] = {
        { 0x386, 0x3B1 }, { 0x388, 0x3B5 }, { 0x389, 0x3B7 },
        { 0x38A, 0x3B9 }, { 0x38C, 0x3BF }, { 0x38E, 0x3C5 },
        { 0x38F, 0x3C9 }, { 0x390, 0x3B9 }, { 0x3AA, 0x3B9 },
        { 0x3AB, 0x3C5 }, { 0x3AC, 0x3B1 }, { 0x3AD, 0x3B5 },
        { 0x3AE, 0x3B7 }, { 0x3AF, 0x3B9 }, { 0x3B0, 0x3C5 },
        { 0x3C2, 0x3C3 }, { 0x3CA, 0x3B9 }, { 0x3CB, 0x3C5 },
        { 0x3CC, 0x3BF }, { 0x3CD, 0x3C5 }, { 0x3CE, 0x3C9 },
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].from == cp)
            return map[i].to;
    if (cp >= 0x391 && cp <= 0x3A9)
        return cp + 0x20;
    return cp;
}

static unsigned cyrillic_lower(unsigned cp)
{
    if (cp == 0x401 || cp == 0x451) /* Ё, ё: searched as Е */
        return 0x435;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    return cp;
}

/* Full-width Latin letters and digits, as Japanese systems store them. */
static unsigned fullwidth(unsigned cp)
{
    if (cp >= 0xFF21 && cp <= 0xFF3A)
        return 'a' + (cp - 0xFF21);
    if (cp >= 0xFF41 && cp <= 0xFF5A)
        return 'a' + (cp - 0xFF41);
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return '0' + (cp - 0xFF10);
    return cp;
}

/* One code point of a UTF-8 string; invalid bytes stand for themselves. */
static unsigned next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    unsigned n = s[0] >= 0xF0 ? 3 : s[0] >= 0xE0 ? 2 : s[0] >= 0xC0 ? 1 : 0;
    unsigned cp = n ? s[0] & (0x3Fu >> n) : s[0];
    for (unsigned i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return s[0];
        }
        cp = cp << 6 | (s[i] & 0x3F);
    }
    *p = s + n + 1;
    return cp;
}

static void put_cp(struct pdb_buf *b, unsigned cp)
{
    unsigned char u[4];
    size_t n = 0;
    if (cp < 0x80) {
        u[n++] = (unsigned char) cp;
    } else if (cp < 0x800) {
        u[n++] = (unsigned char) (0xC0 | cp >> 6);
        u[n++] = (unsigned char) (0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        u[n++] = (unsigned char) (0xE0 | cp >> 12);
        u[n++] = (unsigned char) (0x80 | (cp >> 6 & 0x3F));
        u[n++] = (unsigned char) (0x80 | (cp & 0x3F));
    } else {
        u[n++] = (unsigned char) (0xF0 | cp >> 18);
        u[n++] = (unsigned char) (0x80 | (cp >> 12 & 0x3F));
        u[n++] = (unsigned char) (0x80 | (cp >> 6 & 0x3F));
        u[n++] = (unsigned char) (0x80 | (cp & 0x3F));
    }
    pdb_buf_add(b, u, n);
}

static void fold_latin(struct pdb_buf *b, unsigned cp)
{
    char c = cp < 0x100 ? latin1[cp - 0xC0] : latin_ext_a[cp - 0x100];
    if (c == '#')
        pdb_buf_add_str(b, fold_pair(cp));
    else if (c == '.')
        put_cp(b, cp);
    else
        pdb_buf_add(b, &c, 1);
}

static void fold_cp(struct pdb_buf *b, unsigned cp)
{
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    if (cp >= 0x300 && cp <= 0x36F) /* combining marks: accents */
        return;
    if (cp >= 0xC0 && cp <= 0x17F) {
        fold_latin(b, cp);
        return;
    }
    put_cp(b, fullwidth(cyrillic_lower(greek_base(cp))));
}

char *pdb_text_fold(const char *utf8)
{
    struct pdb_buf b = { 0 };
    pdb_buf_add_str(&b, "");
    for (const unsigned char *p = (const unsigned char *) utf8; *p;)
        fold_cp(&b, next_cp(&p));
    pdb_buf_add(&b, "", 1);
    return (char *) pdb_buf_steal(&b, NULL);
}

/* ---- wildcards ------------------------------------------------------------ */

static size_t cp_len(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    next_cp(&p);
    return (size_t) ((const char *) p - s);
}

/* Iterative, with one backtrack point per '*': linear in practice, never
 * exponential. */
static bool match_n(const char *pat, size_t plen, const char *text,
                    size_t tlen)
{
    size_t p = 0, t = 0, star = (size_t) -1, resume = 0;
    while (t < tlen) {
        if (p < plen && pat[p] == '*') {
            star = ++p;
            resume = t;
        } else if (p < plen && pat[p] == '?') {
            p++;
            t += cp_len(text + t);
        } else if (p < plen && pat[p] == text[t]) {
            p++;
            t++;
        } else if (star != (size_t) -1) {
            p = star;
            resume += cp_len(text + resume);
            t = resume;
        } else {
            return false;
        }
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

bool pdb_text_wildcard(const char *pattern, const char *text)
{
    return match_n(pattern, strlen(pattern), text, strlen(text));
}

/* ---- person names ------------------------------------------------------- */

/* "family^given^^^" and "a^b==" lose their empty trailing parts. */
static size_t trimmed(const char *s, size_t len, char sep)
{
    while (len && (s[len - 1] == sep || s[len - 1] == ' '))
        len--;
    return len;
}

char *pdb_text_name_key(const char *utf8_pn)
{
    char *key = pdb_text_fold(utf8_pn);
    if (!key)
        return NULL;
    struct pdb_buf b = { 0 };
    pdb_buf_add_str(&b, "");
    for (const char *g = key;;) {
        const char *eq = strchr(g, '=');
        size_t n = eq ? (size_t) (eq - g) : strlen(g);
        pdb_buf_add(&b, g, trimmed(g, n, '^'));
        if (!eq)
            break;
        pdb_buf_add(&b, "=", 1);
        g = eq + 1;
    }
    free(key);
    pdb_buf_add(&b, "", 1);
    char *out = (char *) pdb_buf_steal(&b, NULL);
    if (out)
        out[trimmed(out, strlen(out), '=')] = 0;
    return out;
}

/* Does the pattern match one of the pieces of `s` between separators? */
static bool any_piece(const char *pat, size_t plen, const char *s, size_t len,
                      const char *seps)
{
    for (size_t start = 0;;) {
        size_t n = start;
        while (n < len && !strchr(seps, s[n]))
            n++;
        if (n > start && match_n(pat, plen, s + start, n - start))
            return true;
        if (n >= len)
            return false;
        start = n + 1;
    }
}

#define WORD_SEPS " -^="

bool pdb_text_name_match(const char *pattern_key, const char *name_key)
{
    size_t plen = strlen(pattern_key), len = strlen(name_key);
    if (strchr(pattern_key, '='))
        return match_n(pattern_key, plen, name_key, len);
    if (strchr(pattern_key, '^')) /* a whole name: each group on its own */
        return any_piece(pattern_key, plen, name_key, len, "=");
    if (strpbrk(pattern_key, " -")) /* a whole component */
        return any_piece(pattern_key, plen, name_key, len, "^=");
    return any_piece(pattern_key, plen, name_key, len, WORD_SEPS);
}

/* Whatever the pattern matches (a word, a component, a group, the whole
 * name) begins with a word, and that word begins with the pattern's
 * literal start: so the words of the names can be searched by prefix. */
size_t pdb_text_name_prefix(const char *pattern_key)
{
    return strcspn(pattern_key, "*?" WORD_SEPS);
}

bool pdb_text_name_words(const char *name_key,
                         bool (*fn)(const char *word, size_t len, void *user),
                         void *user)
{
    for (const char *p = name_key; *p;) {
        size_t n = strcspn(p, WORD_SEPS);
        if (n && !fn(p, n, user))
            return false;
        p += n + (p[n] != 0);
    }
    return true;
}
