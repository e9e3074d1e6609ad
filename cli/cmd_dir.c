/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn dir: lay the media out in a new folder, for disc robots and for
 * checking, then verify it. */
#include "cli.h"

int cmd_dir(int argc, char **argv, const struct global_opts *g)
{
    return cli_export(argc, argv, g, "dir", PDIBURN_TARGET_DIR);
}
