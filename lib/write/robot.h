/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* robot.h - job files for disc robots' hot folders (robot.c). */
#ifndef PDB_ROBOT_H
#define PDB_ROBOT_H

#include "run.h"

/* "ptburn:FOLDER" or "epson:FOLDER" (or NULL: no robot), for an output
 * the robot can burn: PTBurn takes images and folders, Epson TD Bridge
 * folders only. */
bool pdb_robot_check(const char *spec, enum pdiburn_target target,
                     struct pdiburn_error **err);

/* After every volume is in place: its printable label (PTBurn) and one
 * job per volume in the hot folder, each job file appearing whole. */
bool pdb_robot_submit(const struct run *r, struct pdiburn_error **err);

#endif
