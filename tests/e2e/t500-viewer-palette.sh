#!/bin/sh
# PALETTE COLOR images (US, NM, secondary capture; PS3.3 C.7.6.3.1.5-6,
# C.7.9) on the media: no warning, colour in the viewer, INDEX.HTM
# thumbnails and IHE_PDI pages.  Truth: tests/tools/mkpalette.py's RGB from
# pydicom's apply_color_lut, itself checked against DCMTK's dcmj2pnm for
# the tables DCMTK reads (it does not read segmented ones).  Judged by
# pydicom/PIL (JPEG pages), xmllint (XHTML), Chromium, Firefox and WebKit (the
# viewer's R, G, B at zoom 1 within 1 of the truth).
. "$E2E_LIB"
need dcmj2pnm xmllint
need "$PYTHON"
"$PYTHON" "$TOOLS/mkpalette.py" pal >/dev/null

expect_status 0 "$PDIBURN" dir --from pal/src media
expect_in out "0 warning(s)"
! grep -q "not shown" err || fail "palette images left out: $(cat err)"

for f in media/INDEX.HTM media/IHE_PDI/*.HTM; do
    xmllint --noout --valid "$f" || fail "$f is not valid XHTML"
done

for n in 1 2 3; do
    dcmj2pnm +op +Fa "pal/src/PAL0$n.dcm" "dcmtk$n" 2>dcmtk.err ||
        fail "dcmj2pnm PAL0$n: $(cat dcmtk.err)"
done

"$PYTHON" - pal/manifest.json media <<'PY' || fail "palette images on the media"
import glob, json, os, re, sys
import numpy as np
from PIL import Image
man = json.load(open(sys.argv[1]))
media = sys.argv[2]
text = open(os.path.join(media, "VIEWER/DATA/STUDY.JS"), encoding="utf-8").read()
study = json.loads(text[text.index("(") + 1:text.rindex(")")])
series = [se for p in study["patients"] for st in p["studies"] for se in st["series"]]
images = {(im["sop"], im["frame"]): (se, im) for se in series for im in se["images"]}
index = open(os.path.join(media, "INDEX.HTM"), encoding="utf-8").read()
for n, e in enumerate(man, 1):
    truth = np.load(e["rgb"]).astype(int)
    # DCMTK agrees with the truth (not for the segmented tables it lacks)
    if n <= 3:
        for f in range(e["frames"]):
            name = "dcmtk%d.%d.ppm" % (n, f)  # dcmj2pnm +Fa names
            got = np.asarray(Image.open(name).convert("RGB")).astype(int)
            d = np.abs(got - truth[f]).max()
            assert d <= 1, (e["file"], f, "dcmj2pnm differs from pydicom by", d)
    for f in range(e["frames"]):
        se, im = images[(e["sop"], f)]
        assert se["codec"] == "rgb8", se["codec"]
        assert im["photometric"] == "RGB", im["photometric"]
        page = os.path.join(media, "IHE_PDI", se["key"] + ".HTM")
        html = open(page, encoding="utf-8").read()
        assert "Lossy previews" in html, page
        jpgs = sorted(glob.glob(os.path.join(media, "IHE_PDI", se["key"], "*.JPG")))
        k = se["images"].index(im)
        got = np.asarray(Image.open(jpgs[k]).convert("RGB")).astype(int)
        assert got.shape == truth[f].shape, (jpgs[k], got.shape)
        mean = np.abs(got - truth[f]).mean()
        assert mean < 3, (jpgs[k], "JPEG page differs by", mean, "on average")
        assert ("IHE_PDI/%s/I0001.JPG" % se["key"]) in index, "no thumbnail"
print(len(man), "palette instances shown as colour")
PY

# The lite viewer takes them as JPEG previews too.
expect_status 0 "$PDIBURN" dir --viewer lite --from pal/src lite
! grep -q "not shown" err || fail "palette images left out of lite media"
grep -q '"codec":"jpeg"' lite/VIEWER/DATA/STUDY.JS || fail "no JPEG series on lite media"
expect_in lite/INDEX.HTM "and of the viewer on this media are 8-bit JPEG renderings"

# Without a viewer the pages still show them, and promise no viewer.
expect_status 0 "$PDIBURN" dir --viewer none --from pal/src none
! grep -q "not shown" err || fail "palette images left out of pages without viewer"
ls none/IHE_PDI/S0003/I0001.JPG >/dev/null || fail "no page JPEG without viewer"
expect_in none/INDEX.HTM "renderings, not for diagnosis. The DICOM files hold"
! grep -q "The viewer and" none/INDEX.HTM || fail "INDEX.HTM without viewer mentions one"

# The viewer, in two engines.
need_playwright
art=${ARTIFACTS:-$T/artifacts}
for b in chromium firefox; do
    need_engine $b
    mkdir -p tmp
    set +e
    TMPDIR=$T/tmp BROWSER=$b CHECK=palette MEDIA_DIR=$T/media \
        PALETTE=$T/pal/manifest.json ARTIFACTS=$art/$b \
        timeout -k 10 300 "$NODE" "$browser_dir/honest.test.js" >$b.txt 2>&1
    rc=$?
    set -e
    rm -rf tmp
    [ "$rc" -eq 0 ] || { cat $b.txt >&2; fail "$b: palette colour in the viewer (exit $rc)"; }
    tail -1 $b.txt
done

# The third engine: WebKitGTK through WebKitWebDriver (as t097).
need_webkit
set +e
PDV_E2E_TAG=$T MEDIA_DIR=$T/media PALETTE=$T/pal/manifest.json ARTIFACTS=$art/webkit \
    WEBKITDRIVER=$driver timeout -k 10 200 xvfb-run -a "$PYTHON" \
    "$browser_dir/webkit_palette.py" >webkit.txt 2>&1
rc=$?
set -e
kill_tagged "$T"
[ "$rc" -eq 0 ] || { cat webkit.txt >&2; fail "WebKit: palette colour in the viewer (exit $rc)"; }
tail -1 webkit.txt
