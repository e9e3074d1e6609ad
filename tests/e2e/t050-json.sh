#!/bin/sh
# --json: exactly one JSON object on stdout, nothing on stderr, counts that
# match the sample archive, warnings carried inside; failures too.
. "$E2E_LIB"
studies

expect_status 0 "$PDIBURN" --json iso --no-web --from "$S/archive" cd.iso
[ ! -s err ] || { cat err >&2; fail "stderr not empty with --json"; }
"$PYTHON" - out "$S/manifest.json" <<'PY' || fail "JSON result"
import json, sys
r = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))
want = {i["sop_instance_uid"] for i in m["instances"]
        if i["folder"] == "archive" and i["kind"] != "junk"}
assert r["ok"] is True and r["exit_status"] == 0, r
assert r["command"] == "iso" and r["output"] == "cd.iso", r
assert r["instances"] == len(want), (r["instances"], len(want))
assert r["patients"] == 5 and r["studies"] == 6, r
assert r["copied"] + r["reencoded"] == r["instances"], r
assert r["files"] == r["instances"] + 3, r   # DICOMDIR, README, SHA256
assert r["warnings"] == 7, r
assert r["warnings"] == len(r["messages"]) > 0, r
assert any("not a DICOM file" in w for w in r["messages"]), r
assert r["problems"] == 0, r
PY

expect_status 3 "$PDIBURN" --json iso --from "$S/archive" --study 1.2.3 x.iso
"$PYTHON" -c '
import json, sys
r = json.load(open("out"))
assert r["ok"] is False and r["exit_status"] == 3, r
assert r["error"] == "E_NOMATCH", r
assert "study 1.2.3" in r["message"], r
' || fail "JSON error result"

# Without --json: a one-line summary on stdout, warnings on stderr.
expect_status 0 "$PDIBURN" dir --from "$S/archive" media
expect_in out "media: 5 patient(s), 6 study/studies"
expect_in err "warning:"
expect_status 0 "$PDIBURN" -q dir --from "$S/archive" quiet
[ ! -s out ] && [ ! -s err ] || fail "--quiet printed something"
