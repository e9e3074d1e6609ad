/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attribute values as text people read: converted to UTF-8 from the
 * instance's Specific Character Set (PS3.5 6.1, through the shim, which
 * knows ISO 2022 escapes), person names and dates formatted for pages.
 * The raw bytes stay untouched on the media; this is only for display.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "text.h"
#include "dicom.h"

/* DCMTK on glibc cannot convert ISO 2022 IR 87 (Japanese), but with IR 6
 * as the initial set, values in it are plain ISO-2022-JP, which glibc's
 * iconv knows (PS3.5 6.1.2.5.3: the escapes ESC $ B and ESC ( B, ESC ( J). */
static char *iso2022_jp(const uint8_t *value, size_t len)
{
    iconv_t cd = iconv_open("UTF-8", "ISO-2022-JP-2");
    if (cd == (iconv_t) -1)
        return NULL;
    size_t cap = 4 * len + 1, left = cap - 1;
    char *out = malloc(cap), *dst = out, *src = (char *) value;
    bool ok = out && iconv(cd, &src, &len, &dst, &left) != (size_t) -1 &&
              iconv(cd, NULL, NULL, &dst, &left) != (size_t) -1;
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *dst = 0;
    return out;
}

/* Undecodable bytes: what is printable ASCII, rather than nothing. */
static char *ascii_only(const uint8_t *value, size_t len)
{
    char *ascii = malloc(len + 1);
    for (size_t i = 0; ascii && i < len; i++)
        ascii[i] = value[i] >= 0x20 && value[i] < 0x7F ? (char) value[i] : '?';
    if (ascii)
        ascii[len] = 0;
    return ascii;
}

char *pdb_text_decode(const char *charset, const uint8_t *value, size_t len)
{
    char msg[256], *out = NULL;
    dcmshim_init(); /* DCMTK logs to stderr until told not to */
    if (dcmshim_to_utf8(charset, (const char *) value, len, &out, msg,
                        sizeof(msg)) == DCMSHIM_OK)
        return out;
    if (strstr(charset, "ISO 2022 IR 87"))
        return iso2022_jp(value, len);
    return NULL;
}

char *pdb_text_utf8(const struct pdb_instance *inst, uint32_t tag)
{
    struct pdb_elem e;
    char charset[128] = "";
    if (!pdb_elem_find(inst->keys, inst->keys_len, PDB_EXPLICIT_LE, tag, &e))
        return strdup("");
    pdb_instance_string(inst, TAG_SPECIFIC_CHARSET, charset, sizeof(charset));
    size_t len = e.len;
    while (len && (e.value[len - 1] == ' ' || e.value[len - 1] == 0))
        len--;
    char *out = pdb_text_decode(charset, e.value, len);
    return out ? out : ascii_only(e.value, len);
}

/* "Family^Given^Middle^Prefix^Suffix" as "Family, Given Middle Prefix
 * Suffix"; without a family name, no comma: "^John" is "John". */
static void person_group(struct pdb_buf *b, const char *g, size_t len)
{
    const char *end = g + len;
    const char *caret = memchr(g, '^', len);
    size_t family = caret ? (size_t) (caret - g) : len;
    pdb_buf_add(b, g, family);
    if (!caret)
        return;
    const char *sep = family ? ", " : "";
    for (const char *p = caret + 1; p < end;) {
        const char *next = memchr(p, '^', (size_t) (end - p));
        size_t n = next ? (size_t) (next - p) : (size_t) (end - p);
        if (n) {
            pdb_buf_add_str(b, sep);
            sep = " ";
        }
        pdb_buf_add(b, p, n);
        p += n + 1;
    }
}

char *pdb_text_person(const char *pn)
{
    struct pdb_buf b = { 0 };
    bool opened = false;
    pdb_buf_add_str(&b, "");
    for (const char *p = pn;;) {
        const char *eq = strchr(p, '=');
        size_t n = eq ? (size_t) (eq - p) : strlen(p);
        if (n && p != pn) {
            pdb_buf_add_str(&b, opened ? "; " : b.len ? " (" : "(");
            opened = true;
        }
        person_group(&b, p, n);
        if (!eq)
            break;
        p = eq + 1;
    }
    if (opened)
        pdb_buf_add_str(&b, ")");
    return (char *) pdb_buf_steal(&b, NULL);
}

void pdb_text_date(const char *da, char *out, size_t len)
{
    bool digits = strlen(da) == 8 && strspn(da, "0123456789") == 8;
    if (digits)
        snprintf(out, len, "%.4s-%.2s-%.2s", da, da + 4, da + 6);
    else
        snprintf(out, len, "%s", da);
}
