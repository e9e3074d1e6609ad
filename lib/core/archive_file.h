/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* archive_file.h - ISO 9660 and ZIP files through libarchive
 * (archive_file.c): read entry by entry, or a ZIP written entry by entry. */
#ifndef PDB_ARCHIVE_FILE_H
#define PDB_ARCHIVE_FILE_H

#include "core.h"

/* ---- reading an ISO 9660 image or a ZIP file ---------------------------- */

struct pdb_archive_reader;

/* `passphrase` opens an encrypted ZIP (may be NULL).  PDIBURN_E_IO when
 * the file cannot be opened as either. */
bool pdb_archive_reader_open(const char *path, const char *passphrase,
                             struct pdb_archive_reader **r,
                             struct pdiburn_error **err);
/* 1: the next regular file, *path (UTF-8) valid until the next call, or
 * NULL when its name cannot be read as UTF-8; *size as the entry claims
 * it, which the data need not match.  0: no more; -1: the file cannot be
 * read on (PDIBURN_E_VERIFY). */
int pdb_archive_reader_next(struct pdb_archive_reader *r, const char **path,
                            uint64_t *size, struct pdiburn_error **err);
/* Reads on in the current entry; *got == 0 at its end. */
bool pdb_archive_reader_read(struct pdb_archive_reader *r, void *buf,
                             size_t len, size_t *got,
                             struct pdiburn_error **err);
void pdb_archive_reader_close(struct pdb_archive_reader *r);

/* ---- writing a ZIP file ----------------------------------------------------
 */

struct pdb_zip_writer;

/* A ZIP file written to `fd`, AES-256 encrypted when `passphrase` is not
 * NULL.  Errors are PDIBURN_E_MEDIA. */
struct pdb_zip_writer *pdb_zip_writer_open(int fd, const char *passphrase,
                                           struct pdiburn_error **err);
/* Starts an entry of `size` bytes, modified at `mtime` (seconds since
 * 1970): stored, or deflated when `deflate`. */
bool pdb_zip_writer_entry(struct pdb_zip_writer *w, const char *name,
                          uint64_t size, int64_t mtime, bool deflate,
                          struct pdiburn_error **err);
bool pdb_zip_writer_data(struct pdb_zip_writer *w, const void *buf, size_t len,
                         const char *name, struct pdiburn_error **err);
/* Finishes the file when `ok`, else only releases it; frees `w`. */
bool pdb_zip_writer_close(struct pdb_zip_writer *w, bool ok,
                          struct pdiburn_error **err);

#endif
