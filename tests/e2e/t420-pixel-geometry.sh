#!/bin/sh
# Pixel data that cannot be what its attributes say is refused at the scan
# (issue 8, items 5 and 10): exit 3 naming the file, web pages or not -
# where it used to fail later without a name, or reach the media as an
# undecodable image, or plan 1.2 TB for a 3 KB file (exit 5).  Bits
# Stored above Bits Allocated, once undefined behaviour in the viewer's
# shift, is refused the same way.
. "$E2E_LIB"
defects

refused() {
    case=$1
    shift
    for web in "" --no-web; do
        # shellcheck disable=SC2086
        expect_status 3 "$PDIBURN" "$@" $web --from "$D/$case" o
        expect_in err "$case/IM2': "
        nothing_written o
    done
}

refused geom_short dir
expect_in err "its pixel data holds 1000 bytes, fewer than Rows 64 x Columns 64 x Samples 1 x Frames 1 x Bits Allocated 16 need"
refused geom_short iso --no-verify
refused geom_frames iso
expect_in err "Number of Frames '99999999999' is not a number of frames"
refused geom_frames dir --dry-run
refused geom_bits dir
expect_in err "Bits Stored 20 does not fit Bits Allocated 16"

# The good instance of each study still goes, alone, when asked for.
mkdir one
cp "$D/geom_short/IM1" one/
expect_status 0 "$PDIBURN" dir --from one good
check_medium_d() {
    "$PYTHON" "$CHECK_MEDIUM" "$1" "$D/manifest.json" --folders geom_short \
        --sha256 >check.txt 2>&1 || { cat check.txt; fail "check_medium $1"; }
}
check_medium_d good
