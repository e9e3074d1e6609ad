/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pdiburn zip: write the media as a ZIP file (STD-GEN-ZIP-MAIL, PS3.11
 * Annex L, PS3.12 Annex V), optionally AES-256 encrypted, then verify it. */
#include "cli.h"

int cmd_zip(int argc, char **argv, const struct global_opts *g)
{
    return cli_export(argc, argv, g, "zip", PDIBURN_TARGET_ZIP);
}
