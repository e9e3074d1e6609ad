/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names on the media: DICOM File IDs (PS3.10 8.2, 8.5: at most 8
 * components of 1-8 characters from A-Z 0-9 _), the File-set ID, and ISO
 * 9660 Level 1 names, which STD-GEN-CD asks of every file on the disc
 * (PS3.12 F.2.2, ECMA-119 7.5 and 7.6).
 */
#include <stdio.h>
#include <string.h>

#include "core.h"
#include "dicom.h"

static bool is_fileid_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool pdb_fileid_component_valid(const char *c, size_t len)
{
    if (len == 0 || len > 8)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_fileid_char(c[i]))
            return false;
    return true;
}

bool pdb_fileid_valid(const char *id)
{
    unsigned components = 0;
    const char *start = id;
    for (const char *p = id;; p++) {
        if (*p != '/' && *p != 0)
            continue;
        if (!pdb_fileid_component_valid(start, (size_t) (p - start)))
            return false;
        if (++components > 8)
            return false;
        if (*p == 0)
            return true;
        start = p + 1;
    }
}

bool pdb_fileid_component(char out[9], const char *prefix, unsigned n,
                          struct pdiburn_error **err)
{
    size_t plen = strlen(prefix);
    unsigned digits = (unsigned) (8 - plen);
    unsigned limit = 1;
    for (unsigned i = 0; i < digits; i++)
        limit *= 10;
    if (plen > 7 || n >= limit)
        return pdb_fail(err, PDIBURN_E_CAPACITY,
                        "more than %u entries named %s in one folder",
                        limit - 1, prefix);
    snprintf(out, 9, "%s%0*u", prefix, (int) digits, n);
    return true;
}

bool pdb_fileset_id_valid(const char *id)
{
    size_t len = strlen(id);
    if (len > 16)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_fileid_char(id[i]))
            return false;
    return true;
}

bool pdb_iso_level1_name_valid(const char *name, bool is_dir)
{
    const char *dot = strchr(name, '.');
    if (is_dir || !dot)
        return pdb_fileid_component_valid(name, strlen(name));
    size_t ext = strlen(dot + 1);
    if (strchr(dot + 1, '.') || ext > 3)
        return false;
    if (!pdb_fileid_component_valid(name, (size_t) (dot - name)))
        return false;
    return ext == 0 || pdb_fileid_component_valid(dot + 1, ext);
}
