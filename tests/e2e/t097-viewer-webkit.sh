#!/bin/sh
# The viewer of `pdiburn dir` media in a third engine: INDEX.HTM opened
# from file:// in WebKitGTK, the engine of Safari (Debian's MiniBrowser
# driven by WebKitWebDriver and python3-selenium under xvfb-run,
# tests/browser/webkit_real.py).  Proven: the first image is drawn (time
# printed, the canvas not uniform), the viewer reports no failure, gray
# levels at zoom 1 equal DCMTK's dcmj2pnm rendering of the DICOM file on
# the medium within +-1 (CT with three windows, MR and a MONOCHROME1 CR
# with the file's own window), on the visible canvas too, the preset list
# is not left to the system theme, and no request leaves the page: the
# browser's proxy is a sink that records every connection (none), and
# sees a canary request the test makes.  Screenshots go to $ARTIFACTS
# (else into this test's folder, kept with KEEP=1 or on failure).  A
# WebDriver command that gets no answer in 60 s fails its check and the
# rest, with the browser's threads in hang-stacks.txt.  Only if the kernel
# log shows the web process crashed inside Mesa's software GL are all the
# checks made once more, and "# webkit: RETRIED" says so.
. "$E2E_LIB"
need dcmj2pnm dcmdump
need_webkit
studies
art=${ARTIFACTS:-$T/artifacts}

expect_status 0 "$PDIBURN" dir --from "$S/archive" media

set +e
PDV_E2E_TAG=$T MEDIA_DIR=$T/media ARTIFACTS=$art WEBKITDRIVER=$driver \
    timeout -k 10 200 xvfb-run -a "$PYTHON" "$browser_dir/webkit_real.py" >browser.txt 2>&1
rc=$?
set -e
kill_tagged "$T"

grep '^# webkit time to first image' browser.txt || true
if [ "$rc" -ne 0 ]; then
    cat browser.txt >&2
    case $rc in 124 | 137) fail "WebKit test on media timed out after 200 s" ;; esac
    fail "WebKit test on media (exit $rc); screenshots in $art"
fi
grep '^# webkit: ' browser.txt
if [ -n "${ARTIFACTS:-}" ] || [ "${KEEP:-0}" = 1 ]; then
    echo "screenshots: $art"
fi
