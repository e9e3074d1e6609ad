/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* transfer_syntax.h - transfer syntaxes and what STD-GEN-CD makes of them. */
#ifndef PDB_TRANSFER_SYNTAX_H
#define PDB_TRANSFER_SYNTAX_H

#include <stdbool.h>

enum pdb_ts_kind {
    PDB_TS_NATIVE,      /* Implicit or Explicit VR Little Endian */
    PDB_TS_REENCODE,    /* Big Endian or Deflated: re-encoded by DCMTK */
    PDB_TS_DCMTK,       /* JPEG, JPEG-LS, RLE: decompressed by DCMTK */
    PDB_TS_J2K,         /* JPEG 2000: decompressed with OpenJPEG */
    PDB_TS_UNSUPPORTED, /* video, unknown: cannot go on a CD */
};

enum pdb_ts_kind pdb_ts_kind(const char *uid);
bool pdb_ts_lossy(const char *uid);
/* Kept as it is by the STD-GEN-DVD-JPEG and -USB-JPEG profiles. */
bool pdb_ts_jpeg_profile(const char *uid);

/* The application profiles pdiburn writes (PS3.11 D, H, J). */
enum pdb_profile {
    PDB_PROFILE_CD,   /* STD-GEN-CD: Explicit VR LE only */
    PDB_PROFILE_JPEG, /* STD-GEN-DVD-JPEG, STD-GEN-USB-JPEG */
};
bool pdb_ts_profile_parse(const char *name, enum pdb_profile *out);

#endif
