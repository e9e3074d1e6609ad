/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* zip_plain.h - unencrypted ZIP files with no data descriptors
 * (zip_plain.c), which java.util.zip.ZipInputStream reads. */
#ifndef PDB_ZIP_PLAIN_H
#define PDB_ZIP_PLAIN_H

#include "core.h"

struct pdb_zip_plain;

/* A ZIP file written to `fd`, a regular file: each stored entry's CRC is
 * written into its header once its data went by.  Errors: PDIBURN_E_MEDIA. */
struct pdb_zip_plain *pdb_zip_plain_open(int fd, struct pdiburn_error **err);
/* Sizes and offsets from `at` on get ZIP64 fields (default 2^32 - 1); for
 * tests, which cannot write 4 GB. */
void pdb_zip_plain_set_zip64_at(struct pdb_zip_plain *w, uint64_t at);
/* A stored entry of exactly `size` bytes, given by pdb_zip_plain_data()
 * and closed by pdb_zip_plain_end(); `mtime` in seconds since 1970. */
bool pdb_zip_plain_stored(struct pdb_zip_plain *w, const char *name,
                          uint64_t size, int64_t mtime,
                          struct pdiburn_error **err);
bool pdb_zip_plain_data(struct pdb_zip_plain *w, const void *data, size_t len,
                        struct pdiburn_error **err);
bool pdb_zip_plain_end(struct pdb_zip_plain *w, struct pdiburn_error **err);
/* A deflated entry, compressed whole. */
bool pdb_zip_plain_deflated(struct pdb_zip_plain *w, const char *name,
                            const uint8_t *data, size_t len, int64_t mtime,
                            struct pdiburn_error **err);
/* Writes the central directory when `ok`; frees `w` either way. */
bool pdb_zip_plain_close(struct pdb_zip_plain *w, bool ok,
                         struct pdiburn_error **err);

#endif
