/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn iso: write the media as an ISO 9660 image for CD-R
 * (STD-GEN-CD, PS3.11 D; PS3.12 F), then verify it. */
#include "cli.h"

int cmd_iso(int argc, char **argv, const struct global_opts *g)
{
    return cli_export(argc, argv, g, "iso", PDIBURN_TARGET_ISO);
}
