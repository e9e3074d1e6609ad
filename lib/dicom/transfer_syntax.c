/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What each transfer syntax (PS3.5 A, PS3.6 Table A-1) means for
 * STD-GEN-CD, which allows Explicit VR Little Endian only (PS3.11 D.3.1):
 * kept, re-encoded, decompressed by DCMTK or OpenJPEG, or not possible.
 * A syntax not in the table is unknown: nothing can vouch for its bytes.
 */
#include <string.h>

#include "transfer_syntax.h"

struct ts_entry {
    const char *uid;
    enum pdb_ts_kind kind;
    bool lossy;
};

static const struct ts_entry table[] = {
    { "1.2.840.10008.1.2", PDB_TS_NATIVE, false },
    { "1.2.840.10008.1.2.1", PDB_TS_NATIVE, false },
    { "1.2.840.10008.1.2.2", PDB_TS_REENCODE, false },
    { "1.2.840.10008.1.2.1.99", PDB_TS_REENCODE, false },
    { "1.2.840.10008.1.2.4.50", PDB_TS_DCMTK, true },  /* JPEG baseline */
    { "1.2.840.10008.1.2.4.51", PDB_TS_DCMTK, true },  /* JPEG extended */
    { "1.2.840.10008.1.2.4.53", PDB_TS_DCMTK, true },  /* retired, DCMTK has */
    { "1.2.840.10008.1.2.4.55", PDB_TS_DCMTK, true },  /* them all */
    { "1.2.840.10008.1.2.4.57", PDB_TS_DCMTK, false }, /* JPEG lossless */
    { "1.2.840.10008.1.2.4.70", PDB_TS_DCMTK, false }, /* JPEG lossless SV1 */
    { "1.2.840.10008.1.2.4.80", PDB_TS_DCMTK, false }, /* JPEG-LS lossless */
    { "1.2.840.10008.1.2.4.81", PDB_TS_DCMTK, true },  /* JPEG-LS near */
    { "1.2.840.10008.1.2.5", PDB_TS_DCMTK, false },    /* RLE lossless */
    { "1.2.840.10008.1.2.4.90", PDB_TS_J2K, false },
    { "1.2.840.10008.1.2.4.91", PDB_TS_J2K, true },
    /* Not HTJ2K (1.2.840.10008.1.2.4.201-203): DCMTK 3.6.7 does not know
     * these syntaxes and reads such files as Explicit VR LE with no
     * encapsulated pixel data, so they are unknown here too: left out or
     * refused, never copied under a DICOMDIR that names another syntax. */
};

static const struct ts_entry *find(const char *uid)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(table[i].uid, uid) == 0)
            return &table[i];
    return NULL;
}

enum pdb_ts_kind pdb_ts_kind(const char *uid)
{
    const struct ts_entry *e = find(uid);
    return e ? e->kind : PDB_TS_UNSUPPORTED;
}

bool pdb_ts_lossy(const char *uid)
{
    const struct ts_entry *e = find(uid);
    return e && e->lossy;
}

/* PS3.11 H.3.1 and J.3.1: the -JPEG profiles keep JPEG Baseline, Extended
 * and Lossless SV1 as they are; nothing else compressed. */
bool pdb_ts_jpeg_profile(const char *uid)
{
    return strcmp(uid, "1.2.840.10008.1.2.4.50") == 0 ||
           strcmp(uid, "1.2.840.10008.1.2.4.51") == 0 ||
           strcmp(uid, "1.2.840.10008.1.2.4.70") == 0;
}

bool pdb_ts_profile_parse(const char *name, enum pdb_profile *out)
{
    static const struct {
        const char *name;
        enum pdb_profile profile;
    } names[] = {
        { "STD-GEN-CD", PDB_PROFILE_CD },
        { "STD-GEN-DVD-JPEG", PDB_PROFILE_JPEG },
        { "STD-GEN-USB-JPEG", PDB_PROFILE_JPEG },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0) {
            if (out)
                *out = names[i].profile;
            return true;
        }
    return false;
}
