/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The transfer syntaxes on the media against the general-purpose
 * application profiles of PS3.11 (D: STD-GEN-CD; H, J, M, N: DVD, USB and
 * BD with JPEG, JPEG 2000 or MPEG; L: ZIP-MAIL) and the media each is for.
 * Against the profile the media claims (--profile; an ISO 9660 image or
 * disc that fits a CD claims STD-GEN-CD) every file must be allowed;
 * without a claim, every file must be allowed by some profile of the
 * medium.  A note says which profiles the media could then claim.
 */
#include <stdio.h>
#include <string.h>

#include "checks.h"

#define CD_MAX      737280000ull /* an 80-minute CD-R: 360,000 sectors */
#define ISOFS_MAGIC 0x9660ul
#define UDF_MAGIC   0x15013346ul
#define MSDOS_MAGIC 0x4d44ul
#define EXFAT_MAGIC 0x2011BAB0ul

enum { CD = 1, DVD = 2, USB = 4, BD = 8, ZIP = 16 };

#define ELE "1.2.840.10008.1.2.1"
#define TS4 "1.2.840.10008.1.2.4."

static const char *const ele[] = { ELE, NULL };
/* DCMTK's checks of AP_GeneralPurposeDVDJPEG and AP_USBandFlashJPEG. */
static const char *const jpeg[] = { ELE, TS4 "70", TS4 "50", TS4 "51", NULL };
static const char *const j2k[] = { ELE, TS4 "90", TS4 "91", NULL };
static const char *const mpeg2ml[] = { ELE, TS4 "100", NULL };
static const char *const mpeg2hl[] = { ELE, TS4 "101", NULL };
static const char *const mpeg4[] = { ELE, TS4 "102", NULL };
static const char *const mpeg4bd[] = { ELE, TS4 "103", NULL };
static const char *const mpeg42d[] = { ELE, TS4 "104", NULL };
static const char *const mpeg43d[] = { ELE, TS4 "105", NULL };
static const char *const mpeg4st[] = { ELE, TS4 "106", NULL };

struct profile {
    const char *name;
    unsigned media;
    const char *const *ts; /* NULL: any (defined in the conformance
                              statement) */
};

static const struct profile profiles[] = {
    { "STD-GEN-CD", CD, ele },
    { "STD-GEN-DVD-JPEG", DVD, jpeg },
    { "STD-GEN-DVD-J2K", DVD, j2k },
    { "STD-GEN-USB-JPEG", USB, jpeg },
    { "STD-GEN-USB-J2K", USB, j2k },
    { "STD-GEN-BD-JPEG", BD, jpeg },
    { "STD-GEN-BD-J2K", BD, j2k },
    { "STD-GEN-BD-MPEG2-MPML", BD, mpeg2ml },
    { "STD-GEN-BD-MPEG2-MPHL", BD, mpeg2hl },
    { "STD-GEN-BD-MPEG4-HPLV41", BD, mpeg4 },
    { "STD-GEN-BD-MPEG4-HPLV41BD", BD, mpeg4bd },
    { "STD-GEN-BD-MPEG4-HPLV42-2D", BD, mpeg42d },
    { "STD-GEN-BD-MPEG4-HPLV42-3D", BD, mpeg43d },
    { "STD-GEN-BD-MPEG4-HPLV42-STEREO", BD, mpeg4st },
    { "STD-GEN-ZIP-MAIL", ZIP, NULL },
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

static const struct profile *find(const char *name)
{
    for (size_t i = 0; i < NPROFILES; i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    return NULL;
}

bool pdb_profile_known(const char *name)
{
    return find(name) != NULL;
}

static bool allows(const struct profile *p, const char *ts)
{
    if (!p->ts)
        return true;
    for (const char *const *t = p->ts; *t; t++)
        if (strcmp(*t, ts) == 0)
            return true;
    return false;
}

static const char *ts_name(const char *uid)
{
    static const struct {
        const char *uid, *name;
    } names[] = {
        { "1.2.840.10008.1.2", "Implicit VR Little Endian" },
        { ELE, "Explicit VR Little Endian" },
        { "1.2.840.10008.1.2.2", "Explicit VR Big Endian" },
        { "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian" },
        { "1.2.840.10008.1.2.5", "RLE Lossless" },
        { TS4 "50", "JPEG Baseline" },
        { TS4 "51", "JPEG Extended" },
        { TS4 "57", "JPEG Lossless" },
        { TS4 "70", "JPEG Lossless SV1" },
        { TS4 "80", "JPEG-LS Lossless" },
        { TS4 "81", "JPEG-LS Near-Lossless" },
        { TS4 "90", "JPEG 2000 Lossless" },
        { TS4 "91", "JPEG 2000" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i].uid, uid) == 0)
            return names[i].name;
    return "transfer syntax";
}

/* The media this can be, from what it is and, for a folder, the file
 * system it is on (a mounted disc or stick; anything else is a copy). */
static unsigned media_of(const struct vstate *v)
{
    bool fits_cd = v->media_size && v->media_size <= CD_MAX;
    if (v->kind == PDB_MEDIA_ZIP)
        return ZIP;
    if (v->kind == PDB_MEDIA_ISO || v->fs_type == ISOFS_MAGIC)
        return (fits_cd ? CD : 0) | DVD;
    if (v->fs_type == UDF_MAGIC)
        return DVD | BD;
    if (v->fs_type == MSDOS_MAGIC || v->fs_type == EXFAT_MAGIC)
        return USB;
    return CD | DVD | USB | BD;
}

/* What the media claims: as told, or STD-GEN-CD for a disc that fits a
 * CD (IHE PDI puts STD-GEN-CD on CDs); NULL when nothing is claimed. */
static const struct profile *claim_of(const struct vstate *v, bool *implied)
{
    *implied = false;
    if (v->profile)
        return find(v->profile);
    if ((media_of(v) & CD) &&
        (v->kind == PDB_MEDIA_ISO || v->fs_type == ISOFS_MAGIC)) {
        *implied = true;
        return find("STD-GEN-CD");
    }
    return NULL;
}

static bool is_instance(const struct vfile *f)
{
    return f->dicom && strcmp(f->key, "DICOMDIR") != 0 && f->ts[0];
}

static bool fits(const struct vstate *v, const struct profile *p)
{
    for (size_t k = 0; k < v->nfiles; k++)
        if (is_instance(&v->files[k]) && !allows(p, v->files[k].ts))
            return false;
    return true;
}

/* "A, B or C[, not STD-GEN-CD]": the profiles of `media` that allow every
 * file's transfer syntax; *all when every one of them does. */
static void could_be(const struct vstate *v, unsigned media, char *out,
                     size_t n, bool *all)
{
    const char *yes[NPROFILES];
    size_t count = 0, len = 0;
    *all = true;
    for (size_t i = 0; i < NPROFILES; i++) {
        if (!(profiles[i].media & media))
            continue;
        if (fits(v, &profiles[i]))
            yes[count++] = profiles[i].name;
        else
            *all = false;
    }
    out[0] = 0;
    for (size_t i = 0; i < count && len < n; i++) {
        const char *sep = i == 0 ? "" : i + 1 == count ? " or " : ", ";
        len += (size_t) snprintf(out + len, n - len, "%s%s", sep, yes[i]);
    }
    len = strlen(out);
    if (count && (media & CD) && !fits(v, find("STD-GEN-CD")))
        snprintf(out + len, n - len, ", not STD-GEN-CD");
}

static void against_claim(struct vstate *v, const struct profile *claim,
                          bool implied, const char *could)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (!is_instance(f) || allows(claim, f->ts))
            continue;
        pdb_verify_problem(v, "ts-not-in-profile", f->path,
                           "%s (%s) is not allowed by %s%s; the media could "
                           "be %s (PS3.11)",
                           ts_name(f->ts), f->ts, claim->name,
                           implied ? ", which an image that fits a CD claims "
                                     "(--profile names another)"
                                   : "",
                           could);
    }
}

static bool any_allows(unsigned media, const char *ts)
{
    for (size_t i = 0; i < NPROFILES; i++)
        if ((profiles[i].media & media) && allows(&profiles[i], ts))
            return true;
    return false;
}

/* Without a claim: a file no profile of the medium allows.  A ZIP may
 * hold anything its conformance statement names (PS3.11 L.3.1), so there
 * it is a note. */
static void against_media(struct vstate *v, unsigned media)
{
    unsigned others = media == ZIP ? CD | DVD | USB | BD : media;
    for (size_t i = 0; i < v->nfiles; i++) {
        const struct vfile *f = &v->files[i];
        if (!is_instance(f) || any_allows(others, f->ts))
            continue;
        if (media == ZIP)
            pdb_verify_note(v, "ts-zip-only", f->path,
                            "%s (%s): STD-GEN-ZIP-MAIL leaves it to the "
                            "conformance statement; no disc or USB profile "
                            "allows it",
                            ts_name(f->ts), f->ts);
        else
            pdb_verify_problem(v, "ts-in-no-profile", f->path,
                               "%s (%s) is allowed by no general-purpose "
                               "profile of this medium (PS3.11: STD-GEN-CD "
                               "takes Explicit VR Little Endian only, DVD, "
                               "USB and BD add JPEG, JPEG 2000 or MPEG)",
                               ts_name(f->ts), f->ts);
    }
}

void pdb_verify_check_profiles(struct vstate *v)
{
    unsigned media = media_of(v);
    bool implied = false, all = true;
    char could[1100];
    could_be(v, media, could, sizeof(could), &all);
    const struct profile *claim = claim_of(v, &implied);
    if (claim)
        against_claim(v, claim, implied, could);
    else
        against_media(v, media);
    if (!all && could[0])
        pdb_verify_note(v, "profiles", "", "the media could be %s", could);
    else if (!all)
        pdb_verify_note(v, "profiles", "",
                        "no general-purpose profile of this medium allows "
                        "every file on it");
}
