/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* robot.h - job files for disc robots' hot folders (robot.c). */
#ifndef PDB_ROBOT_H
#define PDB_ROBOT_H

#include "run.h"

/* --robot "ptburn:FOLDER" or "epson:FOLDER" (or none), for an output the
 * robot can burn (PTBurn takes images and folders, Epson TD Bridge folders
 * only), named by lines a job file can hold. */
bool pdb_robot_check(const struct pdiburn_job *job,
                     struct pdiburn_error **err);

/* One "Key=Value" CRLF line of a job file; PDIBURN_E_USAGE when the value
 * holds a control character (CR, LF ...), which would end the line early
 * and start a key of the value's choosing. */
bool pdb_robot_line(struct pdb_buf *b, const char *key, const char *value,
                    struct pdiburn_error **err);

/* A job name: "PDB" YYYYMMDDhhmmss "_" 9 random [A-Z0-9] "_" volume, at
 * most 32 characters. */
void pdb_robot_job_id(unsigned volume, char out[40]);

/* After every volume is in place: its printable label (PTBurn) and one
 * job per volume in the hot folder, each job file appearing whole. */
bool pdb_robot_submit(const struct run *r, struct pdiburn_error **err);

#endif
