#!/bin/sh
# SIGINT cancels cleanly at any stage: exit 130, no output under any name,
# the private spool removed.  The signal goes the moment the progress
# shows the stage (tools/interrupt_at.py); a stage that ended first is a
# failure, never a pass.
. "$E2E_LIB"
studies

# A source big enough to take a while: many copies of one CT slice, each
# with its own SOP Instance UID, in Implicit VR as archives hold them.
"$PYTHON" - "$S/archive" big <<'PY'
import glob, os, sys
import pydicom
src = sorted(glob.glob(os.path.join(sys.argv[1], "2024/01/patientA/series 1/*")))[0]
ds = pydicom.dcmread(src)
os.makedirs(sys.argv[2])
for i in range(400):
    ds.SOPInstanceUID = "1.2.826.0.1.3680043.10.1234.99.%d" % (i + 1)
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.InstanceNumber = i + 1
    ds.save_as(os.path.join(sys.argv[2], "f%04d" % i))
PY
mkdir spool

# interrupt_at STAGE OUTPUT: run, SIGINT the moment STAGE shows.
interrupt_at() {
    set +e
    "$PYTHON" "$INTERRUPT_AT" "$1" out err -- \
        "$PDIBURN" --progress=always iso --spool spool --from big "$2"
    status=$?
    set -e
    [ $status -eq 130 ] || { cat err >&2; fail "exit $status, not 130, at $1"; }
    expect_in err "cancelled"
    [ ! -e "$2" ] && [ ! -e "$2.part" ] || fail "output left at $1"
    [ -z "$(ls -A spool)" ] || fail "spool left at $1"
}

interrupt_at "reading headers" a.iso
interrupt_at "writing" b.iso
interrupt_at "verifying" c.iso
