#!/bin/sh
# The viewer on real media in a real browser: `pdiburn dir`, `pdiburn iso`
# read back by bsdtar, and `pdiburn dir --viewer=lite` on the sample
# archive, each opened as INDEX.HTM from file:// in Debian's Chromium
# (playwright-core, tests/browser/real.test.js).  Proven per medium: no
# console errors and no request other than file:/data:/blob:; the first
# image is drawn (time printed); every image of mkstudy's manifest is in
# the viewer; decoded values equal the generator's .npy arrays; gray levels
# at zoom 1 equal DCMTK's dcmj2pnm rendering of the DICOM file on the
# medium within +-1 for the same window (lite: the same picture within
# JPEG loss); HU at known pixels from the .npy and the file's rescale
# (dcmdump); lengths from the file's Pixel Spacing (dcmdump); navigation
# shows the instance with the generator's Instance Number and its pixels;
# with JavaScript off the page names every patient and study; xmllint
# accepts every XHTML file.  Screenshots go to $ARTIFACTS (else into this
# test's folder, kept with KEEP=1 or on failure).
. "$E2E_LIB"
need xmllint bsdtar dcmj2pnm dcmdump
need_playwright
need_engine chromium
studies
art=${ARTIFACTS:-$T/artifacts}

expect_status 0 "$PDIBURN" dir --from "$S/archive" media
expect_status 0 "$PDIBURN" iso --from "$S/archive" cd.iso
mkdir iso
bsdtar -xf cd.iso -C iso
chmod -R u+w iso
expect_status 0 "$PDIBURN" dir --viewer=lite --from "$S/archive" lite

status=0
for m in media iso lite; do
    find "$m" -type f -iname '*.htm' -exec xmllint --noout {} + ||
        fail "$m: xmllint rejects an XHTML file"
    payload=full
    [ "$m" != lite ] || payload=lite
    set +e
    MEDIA_DIR=$T/$m MANIFEST=$S/manifest.json ARTIFACTS=$art/$m PAYLOAD=$payload LABEL=$m \
        "$NODE" "$browser_dir/real.test.js" >"browser-$m.txt" 2>&1
    rc=$?
    set -e
    grep '^# .*time to first image' "browser-$m.txt" || true
    if [ "$rc" -ne 0 ]; then
        cat "browser-$m.txt" >&2
        echo "FAIL: browser test on $m (exit $rc)" >&2
        status=1
    else
        tail -1 "browser-$m.txt"
    fi
done
[ "$status" -eq 0 ] || fail "browser tests failed; screenshots in $art"
if [ -n "${ARTIFACTS:-}" ] || [ "${KEEP:-0}" = 1 ]; then
    echo "screenshots: $art"
fi
