#!/bin/sh
# Selection: by patient and date range, study UIDs, accession, modality;
# exactly the matching studies land on the media, whole.  No match is exit
# 3 with a message that says what was searched.
. "$E2E_LIB"
need dciodvfy
studies
ct=$(study_uid PID001 CT)
mr=$(study_uid PID001 MR)
b=$(study_uid PID002 SR)

expect_status 0 "$PDIBURN" dir --from "$S/archive" --patient-id PID001 \
    --since 2024-02-01 --until 2024-12-31 by-date
check_medium by-date --studies "$mr"

expect_status 0 "$PDIBURN" dir --from "$S/archive" --study "$ct" \
    --study "$b" two
check_medium two --studies "$ct,$b"
dciodvfy_clean two/DICOMDIR

expect_status 0 "$PDIBURN" dir --from "$S/archive" --accession ACC001 acc
check_medium acc --studies "$ct"

# --modality takes whole studies: the SR, PDF and images of patient B.
expect_status 0 "$PDIBURN" dir --from "$S/archive" --modality SR modality
check_medium modality --studies "$b"

expect_status 3 "$PDIBURN" iso --from "$S/archive" --patient-id NOBODY \
    --since 2020-01-01 none.iso
expect_in err "no study matches patient ID (hidden; --verbose shows it), study date from 20200101"
! grep -q NOBODY err || fail "the patient ID shows without --verbose"
expect_status 3 "$PDIBURN" -v iso --from "$S/archive" --patient-id NOBODY \
    --since 2020-01-01 none.iso
expect_in err "no study matches patient ID NOBODY, study date from 20200101"
[ ! -e none.iso ] || fail "output after no match"
no_partial none.iso

expect_status 2 "$PDIBURN" iso --from "$S/archive" --since yesterday x.iso
expect_in err "is not a date"
expect_status 2 "$PDIBURN" iso --from "$S/archive"
expect_in err "no output given"
