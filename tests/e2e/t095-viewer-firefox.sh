#!/bin/sh
# The viewer of `pdiburn dir` media in a second engine: INDEX.HTM opened
# from file:// in Debian's Firefox ESR, headless, through WebDriver BiDi
# (playwright-core, tests/browser/real.test.js with BROWSER=firefox), with
# security.fileuri.strict_origin_policy on as in a patient's Firefox.  The
# checks of t090 (first image drawn and timed, no console errors, no
# request other than file:/data:/blob:, decoded values, gray levels against
# dcmj2pnm, HU, lengths, navigation, the page with JavaScript off) except
# the readout under the pointer, plus: the policy is in force and the
# request log is alive.  Screenshots go to $ARTIFACTS (else into this
# test's folder, kept with KEEP=1 or on failure).
. "$E2E_LIB"
need dcmj2pnm dcmdump
need_playwright
need_engine firefox
firefox=${FIREFOX:-/usr/bin/firefox-esr}
studies
art=${ARTIFACTS:-$T/artifacts}

expect_status 0 "$PDIBURN" dir --from "$S/archive" media

# kill_profile_users DIR: kills what still runs with a profile below DIR
# (a Firefox that outlived a node killed by timeout).
kill_profile_users() {
    for f in /proc/[0-9]*/cmdline; do
        if tr '\0' ' ' 2>/dev/null <"$f" | grep -F -q -- "--profile $1/"; then
            pid=${f#/proc/}
            kill -9 "${pid%/cmdline}" 2>/dev/null || true
        fi
    done
}

# Firefox profiles go to ./tmp, removed whatever happens to node.
mkdir tmp
set +e
TMPDIR=$T/tmp BROWSER=firefox FIREFOX=$firefox MEDIA_DIR=$T/media MANIFEST=$S/manifest.json \
    ARTIFACTS=$art PAYLOAD=full LABEL=firefox \
    timeout -k 10 400 "$NODE" "$browser_dir/real.test.js" >browser.txt 2>&1
rc=$?
set -e
kill_profile_users "$T/tmp"
rm -rf tmp

grep '^# firefox time to first image' browser.txt || true
if [ "$rc" -ne 0 ]; then
    cat browser.txt >&2
    case $rc in 124 | 137) fail "Firefox test on media timed out after 400 s" ;; esac
    fail "Firefox test on media (exit $rc); screenshots in $art"
fi
tail -1 browser.txt
if [ -n "${ARTIFACTS:-}" ] || [ "${KEEP:-0}" = 1 ]; then
    echo "screenshots: $art"
fi
