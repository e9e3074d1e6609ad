# Harness of the end-to-end tests: each runs the built CLI ($PDIBURN) in a
# fresh private folder, kept when the test fails (or with KEEP=1), and
# judges the result with tools that share no code with pdiburn.
# Exit 77 = skipped; with PDIBURN_E2E_REQUIRE_ALL=1 (CI) a missing tool
# fails the test instead, so a missing install step can never pass.
set -eu

T=$(mktemp -d "${TMPDIR:-/tmp}/pdiburn-e2e.XXXXXX")
# Servers a test starts (tests/tools/pacs.sh) are stopped by their pid.
E2E_PIDS=""
trap 'rc=$?; for p in $E2E_PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT
cd "$T"

# Hermetic: no site or user configuration of the machine, and the audit
# trail of every export in this test's own folder.
export PDIBURN_SYSTEM_CONFIG="$T/etc/pdiburn.conf"
export XDG_CONFIG_HOME="$T/xdg/config"
export XDG_STATE_HOME="$T/xdg/state"
export PDIBURN_AUDIT_LOG="$T/audit/audit.log"
unset PDIBURN_CONFIG PDIBURN_ARCHIVE PDIBURN_CATALOG

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

skip() {
    if [ "${PDIBURN_E2E_REQUIRE_ALL:-0}" = 1 ]; then
        fail "required for this test: $*"
    fi
    echo "skip: $*"
    exit 77
}

need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || skip "no $tool"
    done
}

# need_node: NODE is a Node.js 20 or newer for the browser tests
# (tests/browser/node.sh), else the test skips.
need_node() {
    . "$(dirname "$E2E_LIB")/../browser/node.sh"
    find_node || skip "no Node.js 20 or newer (tools/setup-debian.sh installs one in /opt/pdiburn-node)"
}

# expect_status N CMD...: runs CMD with stdout in ./out and stderr in
# ./err; fails unless it exits with N.
# need_playwright: Node.js 20 and playwright-core for the browser tests;
# sets browser_dir (tests/browser).
need_playwright() {
    need_node
    browser_dir=$(cd "$(dirname "$E2E_LIB")/../browser" && pwd)
    [ -d "$browser_dir/node_modules/playwright-core" ] ||
        skip "no playwright-core (run: npm ci in tests/browser)"
}

# need_engine chromium|firefox: that browser is installed, else skip.
need_engine() {
    case $1 in
    chromium) [ -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
        skip "no ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)" ;;
    firefox) [ -x "${FIREFOX:-/usr/bin/firefox-esr}" ] ||
        skip "no ${FIREFOX:-/usr/bin/firefox-esr} (apt-get install firefox-esr)" ;;
    esac
}

# need_webkit: WebKitGTK's MiniBrowser, its WebDriver and python3-selenium
# under xvfb-run; sets browser_dir and driver.
need_webkit() {
    need "$PYTHON" xvfb-run
    browser_dir=$(cd "$(dirname "$E2E_LIB")/../browser" && pwd)
    driver=${WEBKITDRIVER:-/usr/bin/WebKitWebDriver}
    [ -x "$driver" ] || skip "no $driver (apt-get install webkit2gtk-driver)"
    ls /usr/lib/*/webkit2gtk-4.*/MiniBrowser >/dev/null 2>&1 || [ -n "${MINIBROWSER:-}" ] ||
        skip "no MiniBrowser (apt-get install webkit2gtk-driver)"
    "$PYTHON" -c 'import selenium.webdriver.webkitgtk' 2>/dev/null ||
        skip "no selenium for $PYTHON (apt-get install python3-selenium)"
}

# kill_tagged TAG: kills what still runs with PDV_E2E_TAG=TAG in its
# environment (a browser that outlived a test killed by timeout).
kill_tagged() {
    for f in /proc/[0-9]*/environ; do
        if tr '\0' '\n' 2>/dev/null <"$f" | grep -F -x -q -- "PDV_E2E_TAG=$1"; then
            pid=${f#/proc/}
            kill -9 "${pid%/environ}" 2>/dev/null || true
        fi
    done
}

expect_status() {
    want=$1
    shift
    set +e
    "$@" >out 2>err
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        echo "command: $*" >&2
        echo "--- stdout" >&2
        cat out >&2
        echo "--- stderr" >&2
        cat err >&2
        fail "exit status $got, expected $want"
    fi
}

# partials_of NAME: what pdiburn makes beside an output NAME while writing
# it (.NAME.XXXXXX.part, .NAME.lock), one a line; nothing once it is done.
partials_of() {
    dir=$(dirname -- "$1")
    base=$(basename -- "$1" | sed 's/[].[*^$\\]/\\&/g')
    ls -A "$dir" 2>/dev/null |
        grep -E "^\.$base\.([A-Za-z0-9]{6}\.part|lock)\$" || true
}

# no_partial NAME: no partial output or lock of NAME is left.
no_partial() {
    left=$(partials_of "$1")
    [ -z "$left" ] && [ ! -e "$1.part" ] || fail "left beside $1: $left"
}

# expect_in FILE TEXT: the file contains the text.
expect_in() {
    grep -F -q -- "$2" "$1" || {
        cat "$1" >&2
        fail "'$1' does not say '$2'"
    }
}

# The sample studies, generated once per build and shared read-only.
studies() {
    need "$PYTHON"
    cache=$STUDIES_CACHE
    mkdir -p "$cache"
    (
        flock 9
        if [ ! -f "$cache/done" ]; then
            rm -rf "$cache/s"
            "$PYTHON" "$MKSTUDY" "$cache/s" >/dev/null
            touch "$cache/done"
        fi
    ) 9>"$cache/lock"
    S=$cache/s
}

# The defective sources of tests/tools/mkdefects.py in $D, generated once
# per build and version of the generator, shared read-only.
defects() {
    need "$PYTHON"
    cache=$STUDIES_CACHE
    stamp=defects-$(sha256sum "$MKDEFECTS" "$MKSTUDY" | sha256sum | cut -c1-16)
    mkdir -p "$cache"
    (
        flock 9
        if [ ! -f "$cache/$stamp" ]; then
            rm -rf "$cache/d" "$cache"/defects-*
            "$PYTHON" "$MKDEFECTS" "$cache/d" >/dev/null
            touch "$cache/$stamp"
        fi
    ) 9>"$cache/lock"
    D=$cache/d
}

# manifest_uid MANIFEST PATH KEY: a value of the manifest entry of PATH
# (relative to the manifest's folder), e.g. study_uid.
manifest_uid() {
    "$PYTHON" - "$1" "$2" "$3" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(next(i[sys.argv[3]] for i in m["instances"] if i["path"] == sys.argv[2]))
PY
}

# nothing_written OUTPUT: no output under its name or a temporary one.
nothing_written() {
    [ ! -e "$1" ] && [ ! -e "$1.part" ] || fail "$1 written although the job failed"
}

# big_source DIR COUNT: a source big enough to take a while, COUNT copies
# of one CT slice of the samples, each with its own SOP Instance UID, in
# Implicit VR as archives hold them.
big_source() {
    "$PYTHON" - "$S/archive" "$1" "$2" <<'PY'
import glob, os, sys
import pydicom
src = sorted(glob.glob(os.path.join(sys.argv[1], "2024/01/patientA/series 1/*")))[0]
ds = pydicom.dcmread(src)
os.makedirs(sys.argv[2])
for i in range(int(sys.argv[3])):
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1234.99.%d" % (i + 1)
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    ds.save_as(os.path.join(sys.argv[2], "f%04d" % i))
PY
}

# check_medium MEDIA [options]: the independent pydicom checker.
check_medium() {
    media=$1
    shift
    "$PYTHON" "$CHECK_MEDIUM" "$media" "$S/manifest.json" "$@" >check.txt 2>&1 || {
        cat check.txt >&2
        fail "check_medium found problems in $media"
    }
}

# dciodvfy_clean FILE: no "Error" lines from dicom3tools.
dciodvfy_clean() {
    dciodvfy "$1" >dciodvfy.txt 2>&1 || true
    if grep -q "^Error" dciodvfy.txt; then
        cat dciodvfy.txt >&2
        fail "dciodvfy reports errors in $1"
    fi
}

# study_uid PATIENT_ID MODALITY: the study of that patient with a series of
# that modality, from the manifest.
study_uid() {
    "$PYTHON" - "$S/manifest.json" "$1" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
uids = sorted({i["study_uid"] for i in m["instances"]
               if i["folder"] == "archive" and i["patient_id"] == sys.argv[2]
               and i["modality"] == sys.argv[3]})
print(uids[0])
PY
}
