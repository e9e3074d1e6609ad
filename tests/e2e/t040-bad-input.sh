#!/bin/sh
# Bad input: truncated files, conflicting duplicates, one study under two
# Patient IDs, video on a CD.  Each is exit 3 with a message naming the
# files, and nothing is left under any name.  --skip-unsupported leaves
# the video out and says so.
. "$E2E_LIB"
studies

nothing_left() {
    [ ! -e "$1" ] || fail "$1 left behind"
    no_partial "$1"
    [ -z "$(ls spool)" ] || fail "spool not emptied"
}
mkdir spool

expect_status 3 "$PDIBURN" iso --spool spool --from "$S/bad_truncated" a.iso
expect_in err "bad_truncated/CT002.dcm': truncated"
nothing_left a.iso

expect_status 3 "$PDIBURN" iso --spool spool --from "$S/bad_truncated_header" b.iso
expect_in err "bad_truncated_header/CT002.dcm'"
nothing_left b.iso

expect_status 3 "$PDIBURN" dir --spool spool --from "$S/bad_conflict" c
expect_in err "is used by two different files"
expect_in err "bad_conflict/a/IM1"
expect_in err "bad_conflict/b/IM1"
nothing_left c

expect_status 3 "$PDIBURN" dir --spool spool --from "$S/bad_patient" d
expect_in err "is filed under two Patient IDs"
expect_in err "bad_patient/IM1.dcm"
# Patient IDs are patient data: shown with --verbose only.
if grep -q "PID_BADPAT" err; then fail "Patient ID in a message without --verbose"; fi
nothing_left d

expect_status 3 "$PDIBURN" iso --spool spool --from "$S/unsupported" e.iso
expect_in err "cannot go on the media"
expect_in err "VIDEO1"
nothing_left e.iso

expect_status 0 "$PDIBURN" iso --spool spool --skip-unsupported \
    --from "$S/unsupported" f.iso
expect_in err "VIDEO1"
expect_in err "left out"
mkdir f
bsdtar -xf f.iso -C f
check_medium f --patients PID_VIDEO --exclude-kind video

# A broken file of another study is named, but does not stop this one.
mkdir mixed
cp -r "$S/bad_truncated" mixed/
cp -r "$S/archive/misc" mixed/
expect_status 0 "$PDIBURN" dir --spool spool --from mixed --patient-id PID004 g
expect_in err "CT002.dcm': truncated"
expect_in err "not part of the selection"

expect_status 3 "$PDIBURN" iso --from "$T/no-such-folder" h.iso
expect_in err "no-such-folder"
