#!/bin/sh
# --robot: a job file per volume in a disc robot's hot folder, written
# after the media are in place and appearing whole (no .part left).
# PTBurn (.JRQ): CRLF Key=Value lines naming the image (or folder) under
# --robot-path, copies, speed, close, verify, reject a used disc, and a
# label JPEG that Pillow decodes as a 120 mm disc at 300 dpi with text on
# it.  Epson TD Bridge (.JDF): upper-case keys, the folder, the disc type
# of --media, the volume label equal to the DICOMDIR's File-set ID.  Job
# IDs are unique, at most 32 characters of [A-Za-z0-9_].  Misuse is exit 2
# (5 for a missing hot folder) with nothing written; --dry-run sends no job.
. "$E2E_LIB"
need isoinfo
studies

# ---- PTBurn, images, split over volumes --------------------------------------
mkdir hot
expect_status 0 "$PDIBURN" iso --robot ptburn:hot --robot-path '\\pacs\robot' \
    --copies 2 --speed 8x --max-size 12000000 --from "$S/archive" x.iso
n=$(ls x_*.iso | wc -l)
[ "$n" -ge 2 ] || fail "no split"
[ "$(ls hot | wc -l)" -eq "$n" ] || { ls hot >&2; fail "not one job per volume"; }
[ -z "$(ls hot | grep -v '\.JRQ$')" ] || { ls hot >&2; fail "something besides .JRQ files"; }
"$PYTHON" - hot "$n" <<'PY' || fail "PTBurn jobs"
import os, re, sys
from PIL import Image
hot, n = sys.argv[1], int(sys.argv[2])
ids, images = set(), set()
for name in sorted(os.listdir(hot)):
    raw = open(os.path.join(hot, name), "rb").read()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), name
    keys = dict(l.split("=", 1) for l in raw.decode("ascii").split("\r\n") if l)
    assert name == keys["JobID"] + ".JRQ", (name, keys)
    assert re.fullmatch(r"[A-Za-z0-9_]{1,32}", keys["JobID"]), keys["JobID"]
    ids.add(keys["JobID"])
    for k, v in [("Copies", "2"), ("BurnSpeed", "8"), ("CloseDisc", "YES"),
                 ("VerifyDisc", "YES"), ("RejectIfNotBlank", "YES"),
                 ("ImageType", "MODE_1_2048")]:
        assert keys.get(k) == v, (k, keys)
    m = re.fullmatch(r"\\\\pacs\\robot\\(x_\d+\.iso)", keys["ImageFile"])
    assert m and os.path.isfile(m.group(1)), keys["ImageFile"]
    images.add(m.group(1))
    m = re.fullmatch(r"\\\\pacs\\robot\\(x_\d+-LABEL\.JPG)", keys["PrintLabel"])
    assert m, keys["PrintLabel"]
    im = Image.open(m.group(1))
    assert im.format == "JPEG" and im.size == (1417, 1417), (im.format, im.size)
    gray = im.convert("L")
    dark = sum(1 for p in gray.getdata() if p < 100)
    assert 0.001 < dark / (1417 * 1417) < 0.2, dark   # rings and text, on white
    assert gray.getpixel((0, 0)) > 240
assert len(ids) == n and len(images) == n, (ids, images)
PY
for img in x_*.iso; do isoinfo -d -i "$img" >/dev/null || fail "isoinfo $img"; done

# ---- PTBurn, a folder ------------------------------------------------------------
rm -f hot/*
expect_status 0 "$PDIBURN" dir --robot ptburn:hot --no-web --from "$S/archive" \
    --patient-id PID004 --volume-id ROBOT_TEST d
job=$(ls hot/*.JRQ)
expect_in "$job" "Data=$(pwd)/d"
expect_in "$job" "DataImageType=ISOLEVEL1"
expect_in "$job" "VolumeName=ROBOT_TEST"
grep -q "PrintLabel=$(pwd)/d-LABEL.JPG" "$job" || fail "no label for the folder"
[ -f d-LABEL.JPG ] || fail "d-LABEL.JPG missing"

# ---- Epson TD Bridge ---------------------------------------------------------------
rm -f hot/*
expect_status 0 "$PDIBURN" dir --robot epson:hot --media dvd --copies 3 \
    --from "$S/archive" --patient-id PID004 e
job=$(ls hot/*.JDF)
"$PYTHON" - "$job" "$(pwd)/e" <<'PY' || fail "Epson job"
import sys
from pydicom import dcmread
raw = open(sys.argv[1], "rb").read().decode("ascii")
keys = dict(l.split("=", 1) for l in raw.split("\r\n") if l)
assert all(k == k.upper() for k in keys), keys
assert keys["DATA"] == sys.argv[2], keys
assert keys["DISC_TYPE"] == "DVD" and keys["COPIES"] == "3", keys
fileset_id = dcmread(sys.argv[2] + "/DICOMDIR").FileSetID
assert keys["VOLUME_LABEL"] == fileset_id, (keys, fileset_id)
assert sys.argv[1].endswith("/" + keys["JOB_ID"] + ".JDF")
PY
[ ! -e e-LABEL.JPG ] || fail "a JPEG label for Epson, which cannot print it"

# ---- misuse ------------------------------------------------------------------------
rm -f hot/*
expect_status 2 "$PDIBURN" iso --robot epson:hot --from "$S/archive" y.iso
expect_in err "folders"
expect_status 5 "$PDIBURN" iso --robot ptburn:no-such-folder --from "$S/archive" y.iso
expect_in err "no-such-folder"
expect_status 2 "$PDIBURN" zip --robot ptburn:hot --from "$S/archive" y.zip
expect_status 2 "$PDIBURN" iso --robot ptburn:hot --copies 0 --from "$S/archive" y.iso
expect_status 2 "$PDIBURN" iso --robot robo:hot --from "$S/archive" y.iso
expect_status 2 "$PDIBURN" iso --copies 2 --from "$S/archive" y.iso
expect_in err "go with --robot"
expect_status 2 "$PDIBURN" usb --robot ptburn:hot --from "$S/archive" hot
expect_status 2 "$PDIBURN" burn --robot ptburn:hot --drive "stdio:$T/y.iso" --from "$S/archive"
expect_in err "--robot is not an option of this command (only of iso, dir)"
expect_status 2 "$PDIBURN" iso --robot ptburn:hot --from "$S/archive" "$(printf 'y\nJobID=x.iso')"
expect_in err "line break"
[ -z "$(ls y* 2>/dev/null)" ] || fail "written: $(ls y*)"
expect_status 0 "$PDIBURN" iso --robot ptburn:hot --dry-run --from "$S/archive" y.iso
[ -z "$(ls hot)" ] || fail "--dry-run sent a job"
