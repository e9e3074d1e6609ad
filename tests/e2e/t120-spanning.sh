#!/bin/sh
# Spanning: pdiburn iso --max-size makes NAME_1.iso ... NAME_n.iso (n >= 2)
# and no NAME.iso; --dry-run plans the same volumes (text and --json
# volume_list) and writes nothing.  Each image, read with isoinfo and
# bsdtar, is a complete File-set: volume label ending in _k, dciodvfy
# clean, the pydicom checker and sha256sum happy, "disc k of n" in
# README.TXT and "Disc k of n" in INDEX.HTM.  pydicom's FileSet finds
# disjoint volumes whose union is exactly the archive selection of the
# manifest, each with its own File-set UID, every study whole on the
# volume the plan gave it.  --media cd with a small selection gives one
# image under the given name; an instance bigger than --max-size is exit 5
# naming the file, with nothing written.
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy sha256sum
studies

max=12000000

# ---- the plan -------------------------------------------------------------
expect_status 0 "$PDIBURN" iso --max-size $max --dry-run --from "$S/archive" x.iso
cp out plan.txt
n=$(grep -c '^volume [0-9]* of ' plan.txt) || fail "no volumes in the plan"
[ "$n" -ge 2 ] || { cat plan.txt >&2; fail "$n volume(s) planned, expected several"; }
grep -q "^volume $n of $n: x_$n.iso" plan.txt || { cat plan.txt >&2; fail "plan names"; }
[ -z "$(ls -A | grep -E '^\.?x.*\.(iso|part|lock)$')" ] || fail "--dry-run wrote $(ls -A)"

expect_status 0 "$PDIBURN" -q iso --max-size $max --dry-run --from "$S/archive" x.iso
cmp -s out plan.txt || fail "--quiet --dry-run does not print the plan"

expect_status 0 "$PDIBURN" --json iso --max-size $max --dry-run --from "$S/archive" x.iso
cp out plan.json
[ -z "$(ls -A | grep -E '^\.?x.*\.(iso|part|lock)$')" ] || fail "--json --dry-run wrote $(ls -A)"
"$PYTHON" - plan.json "$n" <<'PY' || fail "--json --dry-run volume_list"
import json, sys
r = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert r["ok"] is True and r["volumes"] == n, (r["ok"], r["volumes"], n)
assert len(r["volume_list"]) == n, len(r["volume_list"])
# The totals are the selection's, whatever the volumes.
assert r["instances"] == sum(v["instances"] for v in r["volume_list"]), r
assert r["patients"] >= 1 and r["studies"] >= n, r
for k, v in enumerate(r["volume_list"], 1):
    assert v["output"] == "x_%d.iso" % k, v["output"]
    assert v["studies"] >= 1 and v["instances"] >= 1, v
    assert len(v["contents"]) == v["studies"], v
PY

# ---- the images -------------------------------------------------------------
expect_status 0 "$PDIBURN" iso --max-size $max --from "$S/archive" x.iso
[ ! -e x.iso ] || fail "x.iso written besides the volumes"
[ ! -e "x_$((n + 1)).iso" ] || fail "more volumes than planned"
[ -z "$(ls -A | grep -E '\.(part|lock)$')" ] || fail "partial files left: $(ls -A)"

k=1
while [ $k -le "$n" ]; do
    img=x_$k.iso
    [ -f "$img" ] || fail "$img missing"
    size=$(wc -c <"$img")
    [ "$size" -le $max ] || fail "$img has $size bytes, more than $max"
    isoinfo -d -i "$img" >info.txt || fail "isoinfo $img"
    grep -q "^Volume id: .*_$k\$" info.txt || { cat info.txt >&2; fail "$img: volume id without _$k"; }
    mkdir "v$k"
    bsdtar -xf "$img" -C "v$k" || fail "bsdtar $img"
    dciodvfy_clean "v$k/DICOMDIR"
    (cd "v$k" && sha256sum --quiet -c SHA256.TXT) || fail "sha256sum -c on $img"
    grep -q -i "disc $k of $n" "v$k/README.TXT" || fail "$img: README.TXT does not say disc $k of $n"
    grep -q "Disc $k of $n" "v$k/INDEX.HTM" || fail "$img: INDEX.HTM does not say Disc $k of $n"
    expect_status 0 "$PDIBURN" verify "$img"
    k=$((k + 1))
done

# The volumes together: the archive selection, each instance once; own
# File-set UIDs; studies where the plan put them.
"$PYTHON" - "$CHECK_MEDIUM" "$S/manifest.json" plan.json "$n" >studies.txt <<'PY' || fail "volumes"
import argparse, json, os, re, sys
from pydicom.fileset import FileSet
sys.path.insert(0, os.path.dirname(sys.argv[1]))
import check_medium
man = json.load(open(sys.argv[2]))
plan = json.load(open(sys.argv[3]))
n = int(sys.argv[4])
expected = check_medium.expected_instances(man, argparse.Namespace(
    patients=None, studies=None, folders=None, exclude_kind=None))
study_of = {e["sop_instance_uid"]: e["study_uid"] for e in man["instances"]}
seen, fs_uids, actual = {}, set(), {}
for k in range(1, n + 1):
    fs = FileSet("v%d/DICOMDIR" % k)
    assert fs.UID not in fs_uids, "volume %d reuses File-set UID %s" % (k, fs.UID)
    fs_uids.add(fs.UID)
    for inst in fs:
        uid = inst.SOPInstanceUID
        assert uid not in seen, "%s on volumes %d and %d" % (uid, seen[uid], k)
        seen[uid] = k
        actual.setdefault(study_of[uid], set()).add(k)
missing = set(expected) - set(seen)
extra = set(seen) - set(expected)
assert not missing, "missing from every volume: %s" % sorted(missing)
assert not extra, "not expected: %s" % sorted(extra)
planned = {}
for k, v in enumerate(plan["volume_list"], 1):
    for line in v["contents"]:
        planned.setdefault(re.match(r"study (\S+) ", line).group(1), set()).add(k)
assert planned == actual, "plan %r, media %r" % (planned, actual)
# Every study of the sample is smaller than a volume: each is whole.
for study, vols in sorted(actual.items()):
    assert len(vols) == 1, "study %s split over volumes %s" % (study, sorted(vols))
for k in range(1, n + 1):
    print(",".join(sorted(s for s, v in actual.items() if k in v)))
PY
k=1
while read -r list; do
    check_medium "v$k" --studies "$list" --sha256
    k=$((k + 1))
done <studies.txt

# ---- one CD is enough: one image, under the name given ------------------
expect_status 0 "$PDIBURN" iso --media cd --from "$S/archive" y.iso
[ -f y.iso ] || fail "y.iso missing"
[ -z "$(ls y_*.iso 2>/dev/null)" ] || fail "a single volume was numbered"
isoinfo -d -i y.iso >info.txt
if grep -q '^Volume id: .*_1$' info.txt; then fail "a single volume labelled _1"; fi
mkdir y
bsdtar -xf y.iso -C y
if grep -q -i "disc 1 of" y/README.TXT y/INDEX.HTM; then fail "a single volume says 'disc 1 of'"; fi
check_medium y --sha256

# ---- an instance that fits no volume ----------------------------------------
# The US multi-frame instance (2.3 MB) alone, volumes of 2 MB.
mkdir us
cp "$S/archive/PATIENT_B/Studie 1/US/cine" us/
expect_status 5 "$PDIBURN" iso --max-size 2000000 --dry-run --from us big.iso
expect_in err "us/cine"
expect_status 5 "$PDIBURN" iso --max-size 2000000 --from us big.iso
expect_in err "us/cine"
[ -z "$(ls big* 2>/dev/null)" ] || fail "written: $(ls big*)"

expect_status 2 "$PDIBURN" iso --max-size 1000 --from "$S/archive" small.iso
expect_in err "1 MiB"
