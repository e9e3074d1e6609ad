#!/bin/sh
# pdiburn index: the catalog (mode 0600) counts what an independent reader
# (pydicom) finds; a second run reads nothing; added, changed and deleted
# files are read or dropped, not-DICOM and broken ones listed with their
# reason; a catalog outside a read-only archive; two runs at once; a run
# killed half way (SIGKILL) leaves a sound catalog that the next run
# completes, and exports from it pass the independent checks.
. "$E2E_LIB"
need dciodvfy
studies

cp -r "$S" s
"$PYTHON" "$MKARCHIVE" s/archive/extra --bulk 800 >extra.txt

# count ARCHIVE: instances and other files, as pydicom sees them.
count() {
    "$PYTHON" - "$1" <<'PY'
import os, sys
import pydicom
dicom = other = 0
for top, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        if f.startswith(".pdiburn-catalog"):
            continue
        try:
            ds = pydicom.dcmread(os.path.join(top, f), stop_before_pixels=True,
                                 force=True)
            ds.SOPInstanceUID
            dicom += 1
        except Exception:
            other += 1
print(dicom, other)
PY
}

# field FILE KEY: a number of the --json result.
field() {
    "$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

set -- $(count s/archive)
dicom=$1 other=$2
[ "$other" -eq 2 ] || fail "expected the 2 junk files of the samples, pydicom sees $other"

expect_status 0 "$PDIBURN" --json index s/archive
cp out first.json
[ "$(field first.json instances)" -eq "$dicom" ] || fail "instances: $(cat first.json)"
[ "$(field first.json not_dicom)" -eq 2 ] || fail "not DICOM: $(cat first.json)"
[ "$(field first.json added)" -eq $((dicom + 2)) ] || fail "added: $(cat first.json)"
for f in s/archive/.pdiburn-catalog.sqlite*; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is not private"
done

expect_status 0 "$PDIBURN" --json index s/archive
for k in added changed removed; do
    [ "$(field out $k)" -eq 0 ] || fail "second run: $k: $(cat out)"
done

# Between runs: one file added, one changed, one deleted, junk, a truncated
# instance.
"$PYTHON" - s/archive/extra <<'PY'
import sys
import pydicom
d = sys.argv[1]
ds = pydicom.dcmread(d + "/doe-1961/series1/IM0001.dcm")
ds.SOPInstanceUID += ".77"
ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
ds.save_as(d + "/doe-1961/series1/IM0077.dcm")
ds = pydicom.dcmread(d + "/doe-1975/series1/IM0001.dcm")
ds.StudyDescription = "Abdomen, seen again"
ds.save_as(d + "/doe-1975/series1/IM0001.dcm")
raw = open(d + "/doe-1975/series1/IM0002.dcm", "rb").read()
open(d + "/doe-1975/series1/IM0003.dcm", "wb").write(raw[:len(raw) - 100])
PY
rm s/archive/extra/ivanov/series1/IM0002.dcm
echo "not an image" >s/archive/extra/README
expect_status 0 "$PDIBURN" --json index s/archive
[ "$(field out added)" -eq 3 ] || fail "added: $(cat out)"
[ "$(field out changed)" -eq 1 ] || fail "changed: $(cat out)"
[ "$(field out removed)" -eq 1 ] || fail "removed: $(cat out)"
[ "$(field out instances)" -eq "$dicom" ] || fail "instances: $(cat out)"
[ "$(field out broken)" -eq 1 ] || fail "broken: $(cat out)"
expect_status 0 "$PDIBURN" index --problems s/archive
expect_in out "s/archive/extra/doe-1975/series1/IM0003.dcm: truncated"
expect_in out "s/archive/extra/README: not a DICOM file"
expect_in out "s/archive/notes.txt: not a DICOM file"
expect_status 0 "$PDIBURN" find --archive s/archive --description 'seen again'
expect_in out "Abdomen, seen again"

# A catalog that cannot be written: exit 5, naming it.
expect_status 5 "$PDIBURN" index --catalog nowhere/cat.sqlite s/archive
expect_in err "nowhere/cat.sqlite"

# The shared samples stay untouched: the catalog lives elsewhere.
expect_status 0 "$PDIBURN" index --catalog outside.sqlite "$S/archive"
[ -z "$(ls -A "$S/archive" | grep pdiburn)" ] || fail "wrote into the archive"
[ "$(stat -c %a outside.sqlite)" = 600 ] || fail "outside.sqlite not private"

# integrity CATALOG: SQLite's own check, through Python's sqlite3.
integrity() {
    "$PYTHON" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("PRAGMA integrity_check").fetchone()[0])
print(c.execute("SELECT count(*) FROM files WHERE kind = 0").fetchone()[0])' "$1"
}

# Two runs at once: each waits while another holds the catalog's lock,
# neither breaks the catalog. A holder of our own, released once both
# runs say they wait (or after two minutes), makes the wait certain on a
# machine fast enough to finish one run before the next starts.
"$PYTHON" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open("held", "w").close()
def waiting(name):
    try:
        return "waiting for another index run" in open(name).read()
    except OSError:
        return False
end = time.time() + 120
while time.time() < end and not all(map(waiting, sys.argv[2:])):
    time.sleep(0.05)' twice.sqlite-lock run1.err run2.err &
holder=$!
while [ ! -e held ]; do sleep 0.05; done
"$PDIBURN" -v index --catalog twice.sqlite s/archive >run1.out 2>run1.err &
one=$!
"$PDIBURN" -v index --catalog twice.sqlite s/archive >run2.out 2>run2.err &
two=$!
wait $holder
wait $one || fail "first concurrent run: $(cat run1.err)"
wait $two || fail "second concurrent run: $(cat run2.err)"
cat run1.err run2.err >runs.err
expect_in runs.err "waiting for another index run"
integrity twice.sqlite >check.txt
[ "$(sed -n 1p check.txt)" = ok ] || fail "integrity: $(cat check.txt)"
[ "$(sed -n 2p check.txt)" -eq "$dicom" ] || fail "rows: $(cat check.txt)"

# Killed half way: SIGKILL once its first batch is committed, as a crash
# or a power cut would stop it.
"$PYTHON" - killed.sqlite "$PDIBURN" index --catalog killed.sqlite \
    s/archive >kill.txt 2>&1 <<'PY' || { cat kill.txt >&2; fail "no kill"; }
import os, signal, sqlite3, subprocess, sys, time
catalog, cmd = sys.argv[1], sys.argv[2:]
child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
while child.poll() is None:
    try:
        db = sqlite3.connect("file:%s?mode=ro" % catalog, uri=True)
        rows = db.execute("SELECT count(*) FROM files").fetchone()[0]
        db.close()
    except sqlite3.Error:
        rows = 0
    if rows:
        child.send_signal(signal.SIGKILL)
        sys.exit(0 if child.wait() == -signal.SIGKILL else 1)
    time.sleep(0.001)
sys.exit("the index run ended before it could be killed")
PY
integrity killed.sqlite >check.txt
[ "$(sed -n 1p check.txt)" = ok ] || fail "integrity after kill: $(cat check.txt)"
rows=$(sed -n 2p check.txt)
[ "$rows" -ge 1 ] && [ "$rows" -lt "$dicom" ] || fail "rows after kill: $rows"
# Until a run has finished, exports refuse the catalog.
expect_status 3 "$PDIBURN" dir --catalog killed.sqlite --patient-id P100 early
expect_in err "no index run has finished"
expect_status 0 "$PDIBURN" --json index --catalog killed.sqlite s/archive
[ "$(field out instances)" -eq "$dicom" ] || fail "resumed: $(cat out)"
[ "$(field out added)" -lt $((dicom + 3)) ] || fail "read everything again: $(cat out)"

# The resumed catalog exports like the folder.
pid001=$(study_uid PID001 CT)
expect_status 0 "$PDIBURN" dir --archive s/archive --catalog killed.sqlite \
    --study "$pid001" resumed
check_medium resumed --studies "$pid001"
dciodvfy_clean resumed/DICOMDIR

# Ctrl-C: exit 130, and the catalog goes on working.
set +e
"$PYTHON" "$INTERRUPT_AT" "reading headers" int.out int.err -- \
    "$PDIBURN" --progress=always index --catalog interrupted.sqlite s/archive
status=$?
set -e
[ $status -eq 130 ] || { cat int.err >&2; fail "exit $status, not 130"; }
expect_in int.err "cancelled"
expect_status 0 "$PDIBURN" index --catalog interrupted.sqlite s/archive
