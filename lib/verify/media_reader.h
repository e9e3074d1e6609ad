/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* media_reader.h - reading the files of existing media (media_reader.c). */
#ifndef PDB_MEDIA_READER_H
#define PDB_MEDIA_READER_H

#include "core.h"

struct pdb_media;

/* A folder, or an ISO 9660 or ZIP image file; `passphrase` opens an
 * encrypted ZIP (may be NULL). */
bool pdb_media_open(const char *path, const char *passphrase,
                    struct pdb_media **m, struct pdiburn_error **err);
/* 1: the next regular file, *path valid until the next call (NULL for an
 * image entry whose name cannot be read as UTF-8), *size as the media
 * claims it; 0: no more; -1: the media cannot be read on (error set). */
int pdb_media_next(struct pdb_media *m, const char **path, uint64_t *size,
                   struct pdiburn_error **err);
/* Reads on in the current file; *got == 0 at its end. */
bool pdb_media_read(struct pdb_media *m, void *buf, size_t len, size_t *got,
                    struct pdiburn_error **err);
void pdb_media_close(struct pdb_media *m);

/* What the media is: PDB_MEDIA_FOLDER, _ISO or _ZIP (checks.h), its size
 * (the image file, or the folder's file system) and, for a folder, the
 * type of its file system (statfs f_type, 0 when unknown). */
int pdb_media_kind(const struct pdb_media *m, uint64_t *size,
                   unsigned long *fs_type);

#endif
