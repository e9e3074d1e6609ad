#!/bin/sh
# A series split over discs, on lite media (8-bit JPEG previews): each
# volume's INDEX.HTM, IHE_PDI pages and viewer say "Disc k of n", the split
# series says which of its images are on this disc and on which disc the
# others are; the pages say their pictures are lossy previews; the lite
# viewer offers preview contrast only, labelled so (issue 10 items 3, 4).
# The banner says "Disc k of n · this series also on disc m", the image
# corner "Part: images a–b of t (rest on disc m)".
# Facts from outside pdiburn: which instances each volume holds, from its
# DICOMDIR read by pydicom; gray levels from dcmj2pnm with the file's own
# window.  Judged by xmllint, pydicom, Chromium and Firefox.
. "$E2E_LIB"
need xmllint dcmj2pnm
studies

expect_status 0 "$PDIBURN" dir --viewer lite --max-size 5000000 \
    --patient-id PID001 --from "$S/archive" sp
n=$(ls -d sp_* | wc -l)
[ "$n" -ge 2 ] || fail "$n volume(s), expected a split"

for k in $(seq 1 "$n"); do
    for f in sp_$k/INDEX.HTM sp_$k/IHE_PDI/*.HTM; do
        xmllint --noout --valid "$f" || fail "$f is not valid XHTML"
        expect_in "$f" "Lossy previews"
    done
    expect_in sp_$k/INDEX.HTM "Disc $k of $n."
    expect_in sp_$k/INDEX.HTM "disc $k of $n</h1>"
done

# Each volume's share of every series, by the DICOMDIRs; the split series
# and, per volume, the sentence it must show and dcmj2pnm's gray levels of
# its first image there.
"$PYTHON" - "$n" <<'PY' || fail "split series on the volumes"
import json, os, re, subprocess, sys
import numpy as np
import pydicom
from pydicom.fileset import FileSet
n = int(sys.argv[1])
where = {}  # series UID -> [(instance number, volume, path)]
for k in range(1, n + 1):
    fs = FileSet(pydicom.dcmread("sp_%d/DICOMDIR" % k))
    for inst in fs:
        if inst.DirectoryRecordType != "IMAGE":
            continue
        ds = inst.load()
        where.setdefault(ds.SeriesInstanceUID, []).append(
            (int(ds.InstanceNumber), k, inst.path))
split = [u for u, l in where.items() if len({v for _, v, _ in l}) > 1]
assert split, "no series on more than one volume"
uid = split[0]
order = sorted(where[uid])
total = len(order)

def rng(a, b, verb):
    s = "image %d" % a if a == b else "images %d\u2013%d" % (a, b)
    return s + ((" is" if a == b else " are") if verb else "")

def read_pgm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return np.frombuffer(data[m.end():], dtype=np.uint8).reshape(h, w)

for k in sorted({v for _, v, _ in order}):
    ranks = [i + 1 for i, (_, v, _) in enumerate(order) if v == k]
    first, last = ranks[0], ranks[-1]
    assert ranks == list(range(first, last + 1)), ("not one run", ranks)
    prev = max([v for _, v, _ in order[:first - 1]] or [0])
    nxt = min([v for _, v, _ in order[last:]] or [0])
    note = "This disc holds %s of the %d of this series" % (rng(first, last, False), total)
    if first > 1:
        note += "; %s on disc %d" % (rng(1, first - 1, True), prev)
    if last < total:
        note += "; %s on disc %d" % (rng(last + 1, total, True), nxt)
    note += "."
    index = open("sp_%d/INDEX.HTM" % k, encoding="utf-8").read()
    assert note in index, ("INDEX.HTM of disc %d lacks" % k, note)
    text = open("sp_%d/VIEWER/DATA/STUDY.JS" % k, encoding="utf-8").read()
    study = json.loads(text[text.index("(") + 1:text.rindex(")")])
    se = [s for p in study["patients"] for st in p["studies"]
          for s in st["series"] if s["uid"] == uid][0]
    assert se["split"] == {"first": first, "last": last, "total": total,
                           "prevDisc": prev, "nextDisc": nxt}, se["split"]
    page = open("sp_%d/IHE_PDI/%s.HTM" % (k, se["key"]), encoding="utf-8").read()
    assert note in page, ("IHE_PDI page of disc %d lacks" % k, note)
    # dcmj2pnm with the file's own window (CT default otherwise)
    path = os.path.join("sp_%d" % k, order[first - 1][2])
    ds = pydicom.dcmread(path)
    win = ["+Wi", "1"] if "WindowCenter" in ds else ["+Ww", "40", "400"]
    subprocess.run(["dcmj2pnm"] + win + ["+op", path, "ref%d.pgm" % k], check=True)
    g = read_pgm("ref%d.pgm" % k)
    h, w = g.shape
    pts = [(2, 2), (w // 2, h // 2), (w // 4, h // 3), (w - 3, h - 3)]
    others = [d for d in (prev, nxt) if d]
    part = "Part: %s of %d (rest on %s %s)" % (
        rng(first, last, False), total, "discs" if len(others) > 1 else "disc",
        " and ".join(map(str, others)))
    json.dump({"seriesUid": uid, "disc": "Disc %d of %d" % (k, n), "note": note,
               "part": part,
               "others": ("discs " if len(others) > 1 else "disc ") +
                         " and ".join(map(str, others)),
               "here": last - first + 1,
               "pixel": {"index": 0, "points": [
                   {"col": c, "row": r, "gray": int(g[r, c])} for c, r in pts]}},
              open("expect%d.json" % k, "w"), ensure_ascii=False)
    print("disc %d: %s" % (k, note))
PY

need_playwright
art=${ARTIFACTS:-$T/artifacts}
for b in chromium firefox; do
    need_engine $b
    for e in expect*.json; do
        k=${e#expect}
        k=${k%.json}
        mkdir -p tmp
        set +e
        TMPDIR=$T/tmp BROWSER=$b CHECK=split MEDIA_DIR=$T/sp_$k EXPECT=$T/$e \
            LABEL="$b disc $k" ARTIFACTS=$art/$b \
            timeout -k 10 300 "$NODE" "$browser_dir/honest.test.js" >$b$k.txt 2>&1
        rc=$?
        set -e
        rm -rf tmp
        [ "$rc" -eq 0 ] || { cat $b$k.txt >&2; fail "$b, disc $k (exit $rc)"; }
        tail -1 $b$k.txt
    done
done
