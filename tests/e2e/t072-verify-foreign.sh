#!/bin/sh
# pdiburn verify on media other creators make, as a receiving site or a
# certification lab would check it.  No false alarms: a foreign layout
# (IMAGES/ beside a vendor viewer folder and autorun.inf, no SHA256.TXT)
# with its DICOMDIR from dcmmkdir or dcmgpdir, imaged by xorriso or
# genisoimage, passes, with a "no-checksums" note; SHA256.TXT in BSD
# --tag form is read.  Every defect planted into a copy (with pydicom, by
# tests/tools/foreign_media.py, which first has pydicom confirm it; where
# dciodvfy sees it too, it must) is exit 6 with a problem of the right
# code naming the damaged file in the --json result: pixel data cut short
# or shorter than its image, broken fragments and offset tables,
# transfer syntaxes no profile of the medium allows (JPEG on a CD image,
# Big Endian anywhere), records that contradict their files, an empty
# Type 1 key, an SR under an IMAGE record, non-ASCII without a character
# set.
. "$E2E_LIB"
need dcmmkdir dcmgpdir dcmcjpeg xorriso genisoimage dciodvfy sha256sum
studies
FM="$TOOLS/foreign_media.py"

# findings FILE: the problems of a --json result, one "code<TAB>file" line
# each; notes as "note:code<TAB>file".
findings() {
    "$PYTHON" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    kind = "" if f["severity"] == "problem" else "note:"
    print("%s%s\t%s" % (kind, f["code"], f["file"]))' "$1"
}

# ---- media that must pass --------------------------------------------------
"$PYTHON" "$FM" files "$S" base >/dev/null || fail "foreign_media.py files"
(cd base && dcmmkdir -q +r IMAGES) || fail "dcmmkdir"
dciodvfy_clean base/DICOMDIR
cp -r base gp
rm gp/DICOMDIR
(cd gp && dcmgpdir -q +r IMAGES) || fail "dcmgpdir"
xorriso -as mkisofs -quiet -r -J -V FOREIGN -o xorriso.iso base 2>/dev/null ||
    fail "xorriso"
genisoimage -quiet -r -J -V FOREIGN -o genisoimage.iso base || fail "genisoimage"
for m in base gp xorriso.iso genisoimage.iso; do
    expect_status 0 "$PDIBURN" --json verify "$m"
    findings out >f.txt
    grep -qx 'note:no-checksums	' f.txt || { cat f.txt >&2; fail "$m: no note about the missing SHA256.TXT"; }
    if grep -v '^note:' f.txt; then fail "$m: problems in conformant media"; fi
done
expect_in out '"instances":9'

# SHA256.TXT in BSD --tag form, which sha256sum -c reads too; a wrong
# digest in it is a problem.
cp -r base tagged
(cd tagged && find . -type f | sed 's#^\./##' | LC_ALL=C sort |
    xargs sha256sum --tag) >tagged.txt
mv tagged.txt tagged/SHA256.TXT
(cd tagged && sha256sum --quiet -c SHA256.TXT) || fail "sha256sum -c of the --tag form"
expect_status 0 "$PDIBURN" --json verify tagged
findings out >f.txt
if grep -q no-checksums f.txt; then fail "SHA256.TXT in --tag form not read"; fi
printf 'x' >>tagged/IMAGES/IM000002
expect_status 6 "$PDIBURN" --json verify tagged
findings out | grep -qx 'sha256-mismatch	IMAGES/IM000002' || fail "changed file not found by its --tag digest"

# JPEG Lossless (dcmcjpeg) in a DVD/USB DICOMDIR (dcmmkdir -Pdv): fine in a
# folder, which may be any medium; an image that fits a CD claims
# STD-GEN-CD, which takes none; --profile names the DVD profile instead.
cp -r base jpeg
rm jpeg/DICOMDIR
cine=$(cd jpeg && for f in IMAGES/*; do
    dcmdump +P NumberOfFrames "$f" 2>/dev/null | grep -q '\[10\]' && echo "$f"; done)
[ -n "$cine" ] || fail "no multi-frame file in the sample"
dcmcjpeg +e1 "jpeg/$cine" jpeg/new && mv jpeg/new "jpeg/$cine" || fail "dcmcjpeg"
(cd jpeg && dcmmkdir -q -Pdv +r IMAGES) || fail "dcmmkdir -Pdv"
expect_status 0 "$PDIBURN" --json verify jpeg
expect_in out 'could be STD-GEN-DVD-JPEG, STD-GEN-USB-JPEG or STD-GEN-BD-JPEG, not STD-GEN-CD'
xorriso -as mkisofs -quiet -r -J -o jpeg.iso jpeg 2>/dev/null || fail "xorriso jpeg"
expect_status 6 "$PDIBURN" --json verify jpeg.iso
findings out | grep -qx "ts-not-in-profile	$cine" || fail "JPEG on a CD image not found"
expect_in out 'could be STD-GEN-DVD-JPEG, not STD-GEN-CD'
expect_status 0 "$PDIBURN" verify --profile STD-GEN-DVD-JPEG jpeg.iso
expect_status 2 "$PDIBURN" verify --profile STD-GEN-FLOPPY jpeg.iso

# ---- defects ---------------------------------------------------------------
# plant DEFECT MEDIA CODE JUDGE: JUDGE "file" or "dicomdir" is where
# dciodvfy must report an error too, "-" where it has no rule for it.
plant() {
    d=$1 from=$2 code=$3 judge=$4
    rm -rf "d-$d"
    cp -r "$from" "d-$d"
    fid=$("$PYTHON" "$FM" plant "$d" "d-$d") || fail "$d: not planted"
    expect_status 6 "$PDIBURN" --json verify "d-$d"
    findings out >"d-$d.txt"
    grep -qx "$code	$fid" "d-$d.txt" || {
        cat "d-$d.txt" >&2
        fail "$d: no problem '$code' for $fid"
    }
    case $judge in
    file) target=$fid ;;
    dicomdir) target=DICOMDIR ;;
    *) return 0 ;;
    esac
    dciodvfy "d-$d/$target" >dciodvfy.txt 2>&1 || true
    grep -q '^Error' dciodvfy.txt || fail "$d: dciodvfy sees nothing wrong"
}

plant truncated-pixel-data base truncated-pixel-data file
plant short-pixel-data base short-pixel-data file
plant fragments-cut jpeg truncated-pixel-data file
plant fragment-missing jpeg missing-fragments -
plant offset-table jpeg offset-table -
plant big-endian base ts-in-no-profile -
plant patient-id base record-mismatch -
plant patient-name base record-mismatch -
plant study-date base record-mismatch -
plant series-uid base record-mismatch -
plant charset base record-mismatch dicomdir
plant instance-number-empty base type1-missing dicomdir
plant sr-as-image base record-type -
plant charset-removed base charset-missing dicomdir

# Patient data stays out of the messages unless --verbose.
expect_status 6 "$PDIBURN" verify d-patient-id
if grep -q 'PID00' err; then fail "a Patient ID in the log without --verbose"; fi
expect_status 6 "$PDIBURN" --verbose verify d-patient-id
expect_in err "PID00"
