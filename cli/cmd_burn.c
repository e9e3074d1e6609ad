/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn burn: write the media onto a disc in an optical drive, one
 * blank disc per volume, close it, read it back, eject it. */
#include "cli.h"

int cmd_burn(int argc, char **argv, const struct global_opts *g)
{
    return cli_export(argc, argv, g, "burn", PDIBURN_TARGET_DISC);
}
