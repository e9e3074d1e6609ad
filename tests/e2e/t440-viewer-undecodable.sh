#!/bin/sh
# An image no decoder can show, in a file that is sound DICOM (a JPEG
# codestream cut short, kept as it is by the USB profile), used to abort
# the job at the web stage without naming it (issue 8, item 9).  It goes
# on the media byte for byte, named in a warning and left out of the viewer
# and the pages only.
. "$E2E_LIB"
need dciodvfy
defects

expect_status 0 "$PDIBURN" dir --profile STD-GEN-USB-JPEG \
    --from "$D/viewer_bad" v
expect_in err "viewer_bad/IM2': reading a frame: "
expect_in err "; not shown by the viewer and the pages"
# check_medium expects STD-GEN-CD: its only complaints may be that the two
# JPEG files were kept as they are, which the digests below prove.
set +e
"$PYTHON" "$CHECK_MEDIUM" v "$D/manifest.json" --folders viewer_bad --sha256 \
    >check.txt 2>&1
set -e
grep -q "checks passed" check.txt || { cat check.txt; fail "check_medium did not run"; }
grep '^FAIL' check.txt |
    grep -v -e ": transfer syntax 1.2.840.10008.1.2.4.50 (expected Explicit VR LE)" \
        -e ": re-encoded file keeps the source's ImplementationClassUID" \
        >fails.txt || :
[ ! -s fails.txt ] || { cat fails.txt; fail "check_medium found problems"; }
dciodvfy_clean v/DICOMDIR
expect_status 0 "$PDIBURN" verify v
# Both files on the media as they came; the viewer holds one image.
for i in 1 2; do
    src=$(sha256sum <"$D/viewer_bad/IM$i" | cut -c1-64)
    grep -q "^$src " v/SHA256.TXT || fail "IM$i changed on the media"
done
"$PYTHON" - v/VIEWER/DATA/STUDY.JS <<'PY' || fail "images in the viewer"
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
data = json.loads(text[text.index("{"):text.rindex("}") + 1])
series = [s for p in data["patients"] for st in p["studies"] for s in st["series"]]
images = sum(len(s.get("images", [])) for s in series)
assert all(s["thumb"].startswith("data:image/jpeg") for s in series), "no thumbnail"
assert images == 1, (images, series)
PY
