#!/bin/sh
# An instance lacking a Type 1 key of its directory record that no creator
# may supply (a Basic Text SR without Completion Flag: PS3.3 F.5.24) is
# refused when the media is planned, naming the file and the key (exit 3),
# before anything is written; it used to surface only as "verification
# found differences" after writing (exit 6).  --skip-unsupported leaves it
# out and lists it, and the rest of the study goes on conformant media.
. "$E2E_LIB"
need dciodvfy
defects

expect_status 3 "$PDIBURN" dir --no-verify --from "$D/sr_incomplete" o
expect_in err "sr_incomplete/SR1': CompletionFlag (0040,A491) is missing or empty"
expect_in err "SR DOCUMENT directory record requires it"
nothing_written o

expect_status 0 "$PDIBURN" --json iso --skip-unsupported \
    --from "$D/sr_incomplete" s.iso
"$PYTHON" - out <<'PY' || { cat out; fail "--json with --skip-unsupported"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["skipped"] == 1 and r["instances"] == 1, r
assert any("sr_incomplete/SR1' (SOP Instance" in m and "CompletionFlag" in m
           for m in r["messages"]), r["messages"]
PY
mkdir s
bsdtar -xf s.iso -C s
"$PYTHON" "$CHECK_MEDIUM" s "$D/manifest.json" --folders sr_incomplete \
    --sha256 >check.txt 2>&1 || { cat check.txt; fail "check_medium"; }
dciodvfy_clean s/DICOMDIR
expect_status 0 "$PDIBURN" verify s.iso
