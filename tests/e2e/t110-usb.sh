#!/bin/sh
# pdiburn usb onto a "stick" (a tmpfs mount: vfat cannot be mounted here):
# a warning that it is not FAT; the user's own files untouched and no
# hidden work folder left; a File-set dciodvfy accepts and the pydicom
# checker accepts, with SHA256.TXT complete; STD-GEN-USB-JPEG: JPEG
# Baseline/Extended/Lossless SV1 sources byte-identical with their
# transfer syntax, JPEG-LS, RLE and JPEG 2000 decompressed to Explicit VR
# LE (pydicom file meta), IMAGE records with Rows and Columns equal to the
# source's.  Existing media: exit 5 without --replace and not one byte
# changed (sha256sum of the whole stick); --replace swaps the media
# completely.  Too small a stick: exit 5 "MB free", nothing written.
# Room for the DICOM files, which are written while the pages and viewer
# are made, but not for the rest: exit 5 once they are written, naming
# what the rest needs, and the stick left as it was; the DICOM-only media
# fits.
# SIGINT while writing ahead, writing or verifying: exit 130, no DICOMDIR,
# no hidden folder, and media already on the stick left as it was.
. "$E2E_LIB"
need dciodvfy sha256sum
studies

mkdir stick tiny tight big-stick
mount -t tmpfs -o size=64m tmpfs stick 2>/dev/null || skip "mounting a tmpfs is not permitted"
# Keep the folder of a failed run, as lib.sh does, but unmount first.
trap 'rc=$?; for m in stick tiny tight big-stick; do umount "$T/$m" 2>/dev/null || :; done
      if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then
          echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT

echo "the user's own notes" >stick/mine.txt
mkdir stick/Photos
printf 'not a photo\n' >stick/Photos/IMG_0001.JPG
(cd stick && sha256sum mine.txt Photos/IMG_0001.JPG) >user.sha

# snapshot DIR: every path, type and size, and every file's digest.
snapshot() {
    (cd "$1" && find . -printf '%y %p %s\n' | LC_ALL=C sort &&
        find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}
user_files_intact() {
    (cd stick && sha256sum --quiet -c "$T/user.sha") || fail "the user's files changed ($1)"
}
no_hidden() {
    for f in "$1"/.[!.]* "$1"/..?*; do
        [ ! -e "$f" ] || fail "hidden $f left on the stick ($2)"
    done
}
# media_copy: the stick without the user's files, for the checker, whose
# SHA256.TXT check wants every file listed.
media_copy() {
    rm -rf media
    cp -a stick media
    rm -rf media/mine.txt media/Photos
}

# ---- the default profile: STD-GEN-USB-JPEG --------------------------------
expect_status 0 "$PDIBURN" usb --from "$S/archive" stick
expect_in err "is tmpfs"
expect_in err "FAT32"
user_files_intact "first copy"
no_hidden stick "first copy"
[ ! -e stick/AUTORUN.INF ] && [ ! -e stick/autorun.inf ] || fail "AUTORUN.INF on a stick"
dciodvfy_clean stick/DICOMDIR

# The JPEG profile, judged against the manifest with pydicom.
"$PYTHON" - stick "$S/manifest.json" >kept.txt <<'PY' || fail "STD-GEN-USB-JPEG profile"
import hashlib, json, os, sys
import pydicom
media, manifest = sys.argv[1], sys.argv[2]
KEEP = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.70"}
EXPLICIT = "1.2.840.10008.1.2.1"
man = json.load(open(manifest))
want = {e["sop_instance_uid"]: e for e in man["instances"]
        if e["folder"] == "archive" and not e.get("defect") and not e.get("duplicate_of")}
dd = pydicom.dcmread(os.path.join(media, "DICOMDIR"))
bad, kept, seen_ts = [], [], set()
for r in dd.DirectoryRecordSequence:
    if "ReferencedSOPInstanceUIDInFile" not in r:
        continue
    uid = str(r.ReferencedSOPInstanceUIDInFile)
    e = want.pop(uid, None)
    if e is None:
        bad.append("%s: not expected" % uid)
        continue
    path = os.path.join(media, *list(r.ReferencedFileID))
    ds = pydicom.dcmread(path, stop_before_pixels=True)
    ts = str(ds.file_meta.TransferSyntaxUID)
    rec_ts = str(r.ReferencedTransferSyntaxUIDInFile)
    src_ts = e["transfer_syntax"]
    seen_ts.add(src_ts)
    if rec_ts != ts:
        bad.append("%s: record says %s, file %s" % (uid, rec_ts, ts))
    if src_ts in KEEP:
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if ts != src_ts:
            bad.append("%s: JPEG source %s became %s" % (uid, src_ts, ts))
        elif digest != e["sha256"]:
            bad.append("%s: JPEG source %s not byte-identical" % (uid, src_ts))
        kept.append(uid)
    elif ts != EXPLICIT:
        bad.append("%s: source %s is %s on the stick, not Explicit VR LE" % (uid, src_ts, ts))
    if str(r.DirectoryRecordType).strip() == "IMAGE" and e["rows"]:
        if r.get("Rows") != e["rows"] or r.get("Columns") != e["columns"]:
            bad.append("%s: IMAGE record Rows/Columns %r/%r, source %r/%r"
                       % (uid, r.get("Rows"), r.get("Columns"), e["rows"], e["columns"]))
for uid in want:
    bad.append("%s: missing" % uid)
# The sample has JPEG Baseline and Lossless SV1 to keep, and JPEG-LS, RLE
# and JPEG 2000 to decompress: the check above saw all of them.
for ts in ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
           "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5"):
    if ts not in seen_ts:
        bad.append("no source instance with %s (sample changed?)" % ts)
for b in bad:
    print("FAIL: " + b, file=sys.stderr)
print("\n".join(kept))
sys.exit(1 if bad else 0)
PY
[ -s kept.txt ] || fail "no JPEG instance kept"

# The independent checker expects STD-GEN-CD (Explicit VR LE everywhere):
# its only complaints may be the JPEG instances kept on purpose, whose
# bytes were proven identical above.
media_copy
set +e
"$PYTHON" "$CHECK_MEDIUM" media "$S/manifest.json" --sha256 >check.txt 2>&1
set -e
grep '^FAIL' check.txt >fails.txt || :
while read -r uid; do
    grep -v -F -e "instance $uid: transfer syntax 1.2.840.10008.1.2.4." \
        -e "instance $uid: re-encoded file keeps the source's ImplementationClassUID" \
        fails.txt >fails2.txt || :
    mv fails2.txt fails.txt
done <kept.txt
[ ! -s fails.txt ] || { cat fails.txt >&2; fail "check_medium found problems on the stick"; }
grep -q "checks passed" check.txt || { cat check.txt >&2; fail "check_medium did not run"; }

# ---- existing media: refused without --replace, untouched ---------------
snapshot stick >before.txt
expect_status 5 "$PDIBURN" usb --from "$S/archive" --patient-id PID003 stick
expect_in err "--replace"
snapshot stick >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the stick changed without --replace"; }

# STD-GEN-CD on request: then the checker applies as it is.
expect_status 0 "$PDIBURN" usb --replace --profile STD-GEN-CD --from "$S/archive" stick
media_copy
check_medium media --sha256
user_files_intact "STD-GEN-CD copy"

# --replace with another selection: the old media is gone completely
# (the checker finds PID003's instances only, and every file of the media
# folders listed in SHA256.TXT: nothing stale), the user's files stay.
expect_status 0 "$PDIBURN" usb --replace --from "$S/archive" --patient-id PID003 stick
user_files_intact "--replace"
no_hidden stick "--replace"
[ ! -e stick/REPORTS ] || fail "REPORTS/ of the old media left behind"
media_copy
check_medium media --patients PID003 --sha256
dciodvfy_clean stick/DICOMDIR

# ---- a stick too small -------------------------------------------------------
mount -t tmpfs -o size=4m tmpfs tiny
echo "keep me" >tiny/keep.txt
snapshot tiny >before.txt
expect_status 5 "$PDIBURN" usb --from "$S/archive" tiny
expect_in err "MB free"
snapshot tiny >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the small stick changed"; }

# ---- room for the DICOM files, not for the pages and viewer ----------------
# The sample media: DICOMDIR, README.TXT and DICOM/ need 13.4 MB by
# pdiburn's count, the web content 11.4 MB more.
mount -t tmpfs -o size=19m tmpfs tight
echo "keep me" >tight/keep.txt
snapshot tight >before.txt
expect_status 5 "$PDIBURN" usb --from "$S/archive" tight
expect_in err "mostly the pages and viewer, needs"
no_hidden tight "no room for the web content"
snapshot tight >after.txt
cmp -s before.txt after.txt || { diff before.txt after.txt >&2; fail "the tight stick changed"; }
expect_status 0 "$PDIBURN" usb --no-web --from "$S/archive" tight
expect_status 0 "$PDIBURN" verify tight

# ---- SIGINT while writing and while verifying ---------------------------------
big_source big 400
mount -t tmpfs -o size=700m tmpfs big-stick
echo "the user's own notes" >big-stick/mine.txt

# interrupt_at STAGE [OPTIONS]: run, SIGINT the moment STAGE shows; the
# stick must be exactly as before.
interrupt_at() {
    stage=$1
    shift
    snapshot big-stick >before.txt
    set +e
    "$PYTHON" "$INTERRUPT_AT" "$stage" out err -- \
        "$PDIBURN" --progress=always usb "$@" --from big big-stick
    status=$?
    set -e
    [ $status -eq 130 ] || { cat err >&2; fail "exit $status, not 130, at $stage"; }
    expect_in err "cancelled"
    no_hidden big-stick "cancelled at $stage"
    snapshot big-stick >after.txt
    cmp -s before.txt after.txt ||
        { diff before.txt after.txt >&2; fail "the stick changed when cancelled at $stage"; }
}

interrupt_at writing
[ ! -e big-stick/DICOMDIR ] || fail "DICOMDIR after a cancelled copy"
# While the pages and viewer are made, and the DICOM files written ahead.
interrupt_at preparing
[ ! -e big-stick/DICOMDIR ] || fail "DICOMDIR after a cancelled copy"
interrupt_at verifying
[ ! -e big-stick/DICOMDIR ] || fail "DICOMDIR after a cancelled copy"

# Media already there, --replace cancelled: the old media stays whole.
expect_status 0 "$PDIBURN" usb --from "$S/archive" --patient-id PID004 big-stick
interrupt_at writing --replace
interrupt_at verifying --replace
expect_status 0 "$PDIBURN" verify big-stick
