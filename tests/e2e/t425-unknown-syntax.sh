#!/bin/sh
# An unknown transfer syntax (HTJ2K, 1.2.840.10008.1.2.4.201, which DCMTK
# 3.6.7 reads as Explicit VR LE) never reaches the media under a DICOMDIR
# that names another syntax (issue 8, item 6): exit 3 naming the file, even
# with --no-web --no-verify; --skip-unsupported leaves it out and lists it.
. "$E2E_LIB"
need dciodvfy
defects

for opts in "" "--no-web --no-verify"; do
    # shellcheck disable=SC2086
    expect_status 3 "$PDIBURN" dir $opts --from "$D/unknown_ts" o
    expect_in err "unknown_ts/IM2': transfer syntax 1.2.840.10008.1.2.4.201 cannot go on the media"
    nothing_written o
done

expect_status 0 "$PDIBURN" --json dir --skip-unsupported --from "$D/unknown_ts" s
"$PYTHON" - out <<'PY' || { cat out; fail "--json with --skip-unsupported"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["skipped"] == 1 and r["instances"] == 1, r
assert any("unknown_ts/IM2' (SOP Instance" in m and "left out" in m
           for m in r["messages"]), r["messages"]
PY
"$PYTHON" "$CHECK_MEDIUM" s "$D/manifest.json" --folders unknown_ts --sha256 \
    >check.txt 2>&1 || { cat check.txt; fail "check_medium"; }
dciodvfy_clean s/DICOMDIR
# Every file says the syntax its record says, and none is HTJ2K.
"$PYTHON" - s <<'PY' || fail "transfer syntaxes on the media"
import os, sys
from pydicom import dcmread
root = sys.argv[1]
d = dcmread(os.path.join(root, "DICOMDIR"))
for r in d.DirectoryRecordSequence:
    if "ReferencedFileID" not in r:
        continue
    f = dcmread(os.path.join(root, *r.ReferencedFileID))
    ts = f.file_meta.TransferSyntaxUID
    assert ts == r.ReferencedTransferSyntaxUIDInFile == "1.2.840.10008.1.2.1", ts
PY
expect_status 0 "$PDIBURN" verify s
