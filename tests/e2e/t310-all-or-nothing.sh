#!/bin/sh
# A job's output files appear all together or not at all (issue 8, item
# 13).  A label that cannot be written (its folder missing; a file system
# too small for it) is exit 5 and leaves no image either.  Six volumes
# onto a file system that holds about two: exit 5, not one volume, partial
# file or lock left, --json lists no volume, and the audit log records
# no medium of the run as exported.  Folders (pdiburn dir)
# alike.  Discs are made one by one (stdio: pseudo-drives, one file per
# disc): when disc 3 fails, discs 1-2 are burnt and complete (pdiburn
# verify), and --json lists exactly those.
. "$E2E_LIB"
studies

max=5000000 # six volumes of the sample archive

# ---- the label fails: no image ----------------------------------------------------
expect_status 5 "$PDIBURN" iso --label missing/label.pdf --from "$S/archive" \
    --patient-id PID004 x.iso
expect_in err "missing"
[ ! -e x.iso ] || fail "x.iso made although its label could not be"

mkdir small label
if ! mount -t tmpfs -o size=8m tmpfs small 2>/dev/null; then
    echo "no tmpfs mount here: the full file systems are not tried"
    exit 0
fi
mount -t tmpfs -o size=4k tmpfs label
trap 'rc=$?; umount "$T/small" "$T/label" 2>/dev/null || :
      if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then
          echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT

expect_status 5 "$PDIBURN" iso --label label/label.pdf --from "$S/archive" x.iso
expect_in err "label"
[ ! -e x.iso ] || fail "x.iso left although the label failed"
[ -z "$(ls -A label)" ] || fail "left in the label's folder: $(ls -A label)"
ls -A | grep -E '^\.x\.iso\.' && fail "partial image or lock left"

# ---- volume 3 of 6 does not fit: none appears --------------------------------------
expect_status 0 "$PDIBURN" iso --max-size $max --dry-run --from "$S/archive" small/x.iso
[ "$(grep -c '^volume [0-9] of 6:' out)" -eq 6 ] || fail "not six volumes planned: $(cat out)"
before=$(cat "$PDIBURN_AUDIT_LOG" 2>/dev/null | wc -l)
expect_status 5 "$PDIBURN" --json iso --max-size $max --from "$S/archive" small/x.iso
# The audit trail agrees: no medium of the run exported.
tail -n +$((before + 1)) "$PDIBURN_AUDIT_LOG" >failed-audit.txt
"$PYTHON" - failed-audit.txt <<'PY' || fail "the audit says a removed volume was exported"
import sys, xml.etree.ElementTree as ET
lines = [l for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
assert lines, "no audit message for the failed run"
for l in lines:
    ev = ET.fromstring(l).find("EventIdentification")
    assert ev.get("EventOutcomeIndicator") != "0", ev.attrib
PY
"$PYTHON" - out <<'PY' || fail "--json after the failure"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and r["exit_status"] == 5, r
assert "No space left on device" in r["message"], r["message"]
assert r["volume_list"] == [] and r["volumes"] == 0, (r["volume_list"], r["volumes"])
PY
[ -z "$(ls -A small)" ] || fail "left on the full file system: $(ls -A small)"

expect_status 5 "$PDIBURN" dir --max-size $max --from "$S/archive" small/media
[ -z "$(ls -A small)" ] || fail "left on the full file system: $(ls -A small)"

# The same six volumes with room for all: they all appear.
umount small
mount -t tmpfs -o size=64m tmpfs small
expect_status 0 "$PDIBURN" iso --max-size $max --from "$S/archive" small/x.iso
[ "$(ls small | grep -c '^x_[1-6]\.iso$')" -eq 6 ] || fail "not six images: $(ls -A small)"
[ "$(ls -A small | wc -l)" -eq 6 ] || fail "more than the images: $(ls -A small)"
umount small

# ---- discs: each complete when burnt; --json lists those burnt ----------------------
mount -t tmpfs -o size=8m tmpfs small
expect_status 5 "$PDIBURN" --json burn --max-size $max --drive "stdio:$T/small/d_%u.iso" \
    --from "$S/archive" </dev/null
cp out burn.json
"$PYTHON" - burn.json "$T/small" <<'PY' >listed.txt || fail "--json after disc failure"
import json, os, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and r["exit_status"] == 5, r
listed = [v["output"] for v in r["volume_list"]]
assert r["volumes"] == len(listed) >= 1, (r["volumes"], listed)
want = ["stdio:%s/d_%d.iso" % (sys.argv[2], k) for k in range(1, len(listed) + 1)]
assert listed == want, (listed, want)
print("\n".join(p[len("stdio:"):] for p in listed))
PY
while IFS= read -r disc; do
    "$PDIBURN" -q verify "$disc" || fail "$disc, listed as burnt, does not verify"
done <listed.txt
n=$(wc -l <listed.txt)
[ "$n" -lt 6 ] || fail "all six discs listed although the run failed"
