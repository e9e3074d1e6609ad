#!/bin/sh
# run.sh - builds synthetic media with tests/tools/viewer_fixture.py in a
# temporary folder and runs viewer.test.js on them in Debian's Chromium:
# the lossless medium, the "lite" (JPEG) medium and, unless PDV_BIG=0, a
# 300-slice CT for the decode timing. Installs nothing: CI installs
# chromium and runs `npm ci` here first. A missing browser or module is a
# skip (exit 77) locally and a failure when CI=true or
# PDIBURN_E2E_REQUIRE_ALL=1 (as .ci/run sets it). Failed runs keep
# their folder (printed) for inspection; ARTIFACTS defaults into it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
fixture="$here/../tools/viewer_fixture.py"

missing() {
    echo "run.sh: $1" >&2
    if [ "${CI:-}" = true ] || [ "${PDIBURN_E2E_REQUIRE_ALL:-0}" = 1 ]; then exit 1; fi
    exit 77
}
[ -x /usr/bin/chromium ] || missing "no /usr/bin/chromium (apt-get install chromium)"
. "$here/node.sh"
find_node || missing "no Node.js 20 or newer (tools/setup-debian.sh installs one in /opt/pdiburn-node)"
[ -d "$here/node_modules/playwright-core" ] || missing "no playwright-core (run: npm ci in tests/browser)"
/usr/bin/python3 -c 'import numpy, pydicom, PIL' 2>/dev/null ||
    missing "python3 needs numpy, pydicom and PIL (python3-numpy python3-pydicom python3-pil)"

work=$(mktemp -d "${TMPDIR:-/tmp}/pdv-browser.XXXXXX")
status=0

run() {
    name=$1; shift
    echo "== $name"
    if ! /usr/bin/python3 "$fixture" "$work/$name" "$@"; then
        echo "run.sh: fixture $name failed" >&2
        status=1
        return
    fi
    # INDEX.HTM and reports are XHTML (PDI web content): well-formed or fail.
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$work/$name/media/INDEX.HTM" "$work/$name"/media/REPORTS/*.HTM ||
            status=1
    fi
    MEDIA_DIR="$work/$name/media" ARTIFACTS="${ARTIFACTS:-$work/artifacts}/$name" \
        "$NODE" "$here/viewer.test.js" || status=1
}

run full
run lite --lite
if [ "${PDV_BIG:-1}" != 0 ]; then run big --big --no-dicom; fi

if [ $status -eq 0 ]; then
    if [ -n "${ARTIFACTS:-}" ]; then rm -rf "$work"; else
        rm -rf "$work/full/media" "$work/lite/media" "$work/big/media"
        echo "screenshots kept in $work/artifacts"
    fi
else
    echo "run.sh: failures; media and artifacts kept in $work" >&2
fi
exit $status
