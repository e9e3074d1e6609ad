#!/bin/sh
# Exports through the archive's catalog (--archive) make the media --from
# makes: judged by check_medium and dciodvfy, and byte for byte against a
# --from export.  A records request by name finds its patient in every
# character set and refuses to guess between two; a stale catalog (a file
# changed, deleted, or added beside the study's files) stops the export
# with exit 3 and no output; an index run going on meanwhile never makes
# media with files missing.
. "$E2E_LIB"
need dciodvfy bsdtar
studies

cp -r "$S" s
"$PYTHON" "$MKARCHIVE" s/archive/extra --bulk 600 >extra.txt
expect_status 0 "$PDIBURN" index s/archive
A=s/archive

# same_chunks A B: the viewer's chunk files of two media hold the same
# frames.  Compared decoded, since igzip has twice been seen (in CI, never
# here) to deflate one frame two ways in two runs; the pixels agreed.
cat >same_chunks.py <<'PY'
import base64, glob, json, os, sys, zlib
def frames(path):
    text = open(path).read()
    chunk = json.loads(text[text.index("(") + 1:text.rindex(")")])
    pixels = [zlib.decompress(base64.b64decode(p)) for p in chunk.pop("pixels")]
    return chunk, pixels
a, b = sys.argv[1:3]
names = sorted(os.path.relpath(p, a)
               for p in glob.glob(a + "/VIEWER/DATA/*/C[0-9]*.JS"))
theirs = sorted(os.path.relpath(p, b)
                for p in glob.glob(b + "/VIEWER/DATA/*/C[0-9]*.JS"))
assert names == theirs, (names, theirs)
for name in names:
    assert frames(os.path.join(a, name)) == frames(os.path.join(b, name)), name
print(len(names), "chunk files hold the same frames")
PY

# same_media A B: equal but for the File-set UID (DICOMDIR, README.TXT
# and SHA256.TXT name it) and the deflate streams of viewer chunks.
same_media() {
    diff -r -x DICOMDIR -x README.TXT -x SHA256.TXT -x 'C[0-9]*.JS' \
        "$1" "$2" >diff.txt ||
        { cat diff.txt >&2; fail "$1 and $2 differ"; }
    "$PYTHON" same_chunks.py "$1" "$2" ||
        fail "the viewer chunks of $1 and $2 differ"
    grep -v "File-set UID" "$1/README.TXT" >r1.txt
    grep -v "File-set UID" "$2/README.TXT" >r2.txt
    cmp -s r1.txt r2.txt || fail "README.TXT of $1 and $2 differ"
}

ct=$(study_uid PID001 CT)
mr=$(study_uid PID001 MR)
b=$(study_uid PID002 SR)

expect_status 0 "$PDIBURN" dir --archive "$A" --patient-id PID001 \
    --since 2024-02-01 by-date
check_medium by-date --studies "$mr" --sha256
dciodvfy_clean by-date/DICOMDIR
expect_status 0 "$PDIBURN" dir --from "$A" --patient-id PID001 \
    --since 2024-02-01 by-date-from
same_media by-date by-date-from

expect_status 0 "$PDIBURN" dir --archive "$A" --study "$ct" --study "$b" two
check_medium two --studies "$ct,$b"
dciodvfy_clean two/DICOMDIR
expect_status 0 "$PDIBURN" dir --from "$A" --study "$ct" --study "$b" two-from
same_media two two-from

expect_status 0 "$PDIBURN" iso --archive "$A" --accession ACC001 acc.iso
mkdir acc
bsdtar -xf acc.iso -C acc
check_medium acc --studies "$ct" --sha256
expect_status 0 "$PDIBURN" verify acc.iso

expect_status 0 "$PDIBURN" zip --archive "$A" --modality SR sr.zip
mkdir sr
bsdtar -xf sr.zip -C sr
check_medium sr --studies "$b"

# The default archive, from the environment.
expect_status 0 env PDIBURN_ARCHIVE="$A" "$PDIBURN" dir --patient-id PID003 env
expect_status 0 "$PDIBURN" dir --from "$A" --patient-id PID003 env-from
same_media env env-from

expect_status 3 "$PDIBURN" iso --archive "$A" --patient-id NOBODY none.iso
expect_in err "no study in the catalog of"
[ ! -e none.iso ] && [ ! -e none.iso.part ] || fail "output after no match"
expect_status 2 "$PDIBURN" dir --archive "$A" --from "$A" both
expect_in err "not both"

# A records request by name: MÜLLER^JÜRGEN is stored in ISO_IR 100 and in
# ISO_IR 192; both studies go on the media, names as the sources have them.
expect_status 0 "$PDIBURN" dir --archive "$A" --name muller \
    --birth-date 1961-04-02 muller
dciodvfy_clean muller/DICOMDIR
"$PYTHON" - muller <<'PY' || fail "the media of P100 are not as expected"
import sys
from pydicom.fileset import FileSet
fs = FileSet(sys.argv[1] + "/DICOMDIR")
studies = {i.StudyInstanceUID for i in fs}
names = {(str(i.load().PatientName), str(i.load().SpecificCharacterSet))
         for i in fs}
print(studies, names)
assert len(studies) == 2, studies
assert {n for n, _ in names} == {"MÜLLER^JÜRGEN"}, names
assert {c for _, c in names} == {"ISO_IR 100", "ISO_IR 192"}, names
assert {i.PatientID for i in fs} == {"P100"}
PY
expect_status 0 "$PDIBURN" dir --from "$A" --name muller \
    --birth-date 1961-04-02 muller-from
same_media muller muller-from

# Two patients of one name: no guess (exit 2), and no output.
expect_status 2 "$PDIBURN" zip --archive "$A" --name 'doe^jane' doe.zip
expect_in err "matches 2 patients"
expect_in err "--patient-id"
[ ! -e doe.zip ] || fail "output after an ambiguous name"
expect_status 2 "$PDIBURN" zip --from "$A" --name 'doe^jane' doe.zip
expect_status 0 "$PDIBURN" dir --archive "$A" --name 'DOE^JANE' \
    --birth-date 19610402 doe
"$PYTHON" -c 'import sys
from pydicom.fileset import FileSet
assert {i.PatientID for i in FileSet(sys.argv[1] + "/DICOMDIR")} == {"P200"}' doe ||
    fail "the wrong Jane Doe"

# One Patient ID for two people: the catalog source gives the pipeline the
# folder's inventory, so both sources end alike.
set +e
"$PDIBURN" dir --archive "$A" --patient-id P600 p600 >/dev/null 2>&1
from_archive=$?
"$PDIBURN" dir --from "$A" --patient-id P600 p600-from >/dev/null 2>&1
from_folder=$?
set -e
[ $from_archive -eq $from_folder ] ||
    fail "P600: exit $from_archive from the archive, $from_folder from the folder"

# A stale catalog: changed, deleted, or a new file beside the study's.
stale() { # what changed, then the export
    expect_status 3 "$PDIBURN" dir --archive "$A" --patient-id P500 stale
    expect_in err "$1"
    expect_in err "run 'pdiburn index"
    [ ! -e stale ] && [ ! -e stale.part ] || fail "output from a stale catalog"
    expect_status 0 "$PDIBURN" index "$A"
}
"$PYTHON" - "$A/extra/ivanov/series1/IM0001.dcm" <<'PY'
import sys
import pydicom
ds = pydicom.dcmread(sys.argv[1])
ds.StudyDescription = "МРТ колена, повторно"
ds.save_as(sys.argv[1])
PY
stale "extra/ivanov/series1/IM0001.dcm' (changed)"
rm "$A/extra/ivanov/series1/IM0002.dcm"
stale "extra/ivanov/series1/IM0002.dcm' (gone)"
"$PYTHON" - "$A/extra/ivanov/series1" <<'PY'
import sys
import pydicom
ds = pydicom.dcmread(sys.argv[1] + "/IM0001.dcm")
ds.SOPInstanceUID += ".9"
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.save_as(sys.argv[1] + "/IM0009.dcm")
PY
stale "extra/ivanov/series1' (folder changed"
expect_status 0 "$PDIBURN" dir --archive "$A" --patient-id P500 fresh
"$PYTHON" -c 'import sys
from pydicom.fileset import FileSet
fs = FileSet(sys.argv[1] + "/DICOMDIR")
assert len(fs) == 2, len(fs)
assert any(str(i.load().StudyDescription).endswith("повторно") for i in fs)' fresh ||
    fail "the refreshed catalog does not export the new files"
dciodvfy_clean fresh/DICOMDIR

# An index run going on while exports read: the bulk study's files all
# change, then exports run while the catalog catches up.  Each export
# either stops as stale (exit 3) or holds every instance; study P100,
# untouched, always exports.
touch "$A"/extra/bulk/*/*
"$PDIBURN" index "$A" >reindex.out 2>&1 &
indexer=$!
i=0
while kill -0 $indexer 2>/dev/null && [ $i -lt 20 ]; do
    i=$((i + 1))
    rm -rf bulk$i p100-$i
    set +e
    "$PDIBURN" --json dir --no-web --archive "$A" --patient-id P700 bulk$i \
        >bulk$i.json 2>bulk$i.err
    status=$?
    set -e
    case $status in
    0) expect_in bulk$i.json '"instances":600' ;;
    3) expect_in bulk$i.json "out of date" ;;
    *) cat bulk$i.err >&2; fail "export during an index run: exit $status" ;;
    esac
    expect_status 0 "$PDIBURN" dir --no-web --archive "$A" --patient-id P100 \
        p100-$i
done
wait $indexer || fail "the index run failed: $(cat reindex.out)"
expect_status 0 "$PDIBURN" --json dir --no-web --archive "$A" \
    --patient-id P700 bulk
expect_in out '"instances":600'
