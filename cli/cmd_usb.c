/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn usb: copy the media onto a mounted USB stick (PS3.12 Annex R,
 * STD-GEN-USB-JPEG unless --profile says otherwise), then verify it. */
#include "cli.h"

int cmd_usb(int argc, char **argv, const struct global_opts *g)
{
    return cli_export(argc, argv, g, "usb", PDIBURN_TARGET_USB);
}
