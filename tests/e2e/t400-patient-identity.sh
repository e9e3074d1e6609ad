#!/bin/sh
# Patients are never mixed (issue 8, item 1).  One Patient ID for two
# people (another issuer, birth date and sex) stops the job, naming both
# identities and their files, birth dates and sexes only with --verbose;
# --issuer chooses one, and the DICOMDIR, pages and label then show that
# person only.  One person under two names (all else equal) is a warning
# listing the names, and the PATIENT record takes the most recent study's.
. "$E2E_LIB"
defects
need dciodvfy pdftotext

for cmd in "dir --from $D/two_patients" \
    "dir --from $D/two_patients --patient-id PID_SHARED"; do
    # shellcheck disable=SC2086
    expect_status 3 "$PDIBURN" $cmd o
    expect_in err "Patient ID (hidden; --verbose shows it) belongs to two different patients"
    expect_in err "their Issuer of Patient ID, birth date, sex differ"
    expect_in err "issuer 'HOSP_A'"
    expect_in err "issuer 'HOSP_B'"
    expect_in err "two_patients/a/IM1'"
    expect_in err "two_patients/b/IM1'"
    expect_in err "--issuer"
    if grep -q -e 19500101 -e 19800202 -e PID_SHARED err; then
        fail "patient data in a message without --verbose"
    fi
    nothing_written o
done
expect_status 3 "$PDIBURN" --verbose dir --from "$D/two_patients" o
expect_in err "born 19500101, sex F"
expect_in err "born 19800202, sex M"
nothing_written o

# --issuer: the study of one person, and nothing of the other.
study_a=$(manifest_uid "$D/manifest.json" two_patients/a/IM1 study_uid)
expect_status 0 "$PDIBURN" dir --from "$D/two_patients" --issuer HOSP_A \
    --label a.pdf a
"$PYTHON" "$CHECK_MEDIUM" a "$D/manifest.json" --studies "$study_a" \
    --sha256 >check.txt 2>&1 || { cat check.txt; fail "check_medium on a"; }
dciodvfy_clean a/DICOMDIR
"$PYTHON" - a <<'PY' || fail "PATIENT record of --issuer HOSP_A"
import sys
from pydicom import dcmread
d = dcmread(sys.argv[1] + "/DICOMDIR")
pats = [r for r in d.DirectoryRecordSequence if r.DirectoryRecordType == "PATIENT"]
assert len(pats) == 1, pats
p = pats[0]
assert (str(p.PatientName), p.PatientID, p.IssuerOfPatientID, p.PatientBirthDate,
        p.PatientSex) == ("Alpha^Anna", "PID_SHARED", "HOSP_A", "19500101", "F"), p
PY
pdftotext a.pdf a.txt
expect_in a.txt "Alpha"
if grep -q Beta a.txt a/INDEX.HTM a/VIEWER/DATA/STUDY.JS; then
    fail "the other patient shows on the media or its label"
fi
expect_status 0 "$PDIBURN" iso --from "$D/two_patients" --issuer HOSP_B \
    --label b.pdf b.iso
pdftotext b.pdf b.txt
expect_in b.txt "Beta"
if grep -q Alpha b.txt; then fail "label of HOSP_B names Alpha"; fi
expect_status 0 "$PDIBURN" verify b.iso

# One person renamed: a warning listing both names (with --verbose), the
# newest name on the record, the pages and the label.
expect_status 0 "$PDIBURN" dir --from "$D/renamed" --label r.pdf r
expect_in err "appears under 2 names"
expect_in err "renamed/s1/IM1'"
expect_in err "renamed/s2/IM1'"
if grep -q Maria err; then fail "names in a message without --verbose"; fi
"$PYTHON" "$CHECK_MEDIUM" r "$D/manifest.json" --folders renamed --sha256 \
    >check.txt 2>&1 || { cat check.txt; fail "check_medium on r"; }
dciodvfy_clean r/DICOMDIR
"$PYTHON" - r <<'PY' || fail "PATIENT record of the renamed patient"
import sys
from pydicom import dcmread
d = dcmread(sys.argv[1] + "/DICOMDIR")
pats = [r for r in d.DirectoryRecordSequence if r.DirectoryRecordType == "PATIENT"]
studies = [r for r in d.DirectoryRecordSequence if r.DirectoryRecordType == "STUDY"]
assert len(pats) == 1 and len(studies) == 2, (pats, studies)
assert str(pats[0].PatientName) == "Married^Maria", pats[0].PatientName
PY
# verify tells the rename from a wrong name: a note, not a problem.
expect_status 0 "$PDIBURN" verify r
expect_in err "[patient-renamed]"
pdftotext r.pdf r.txt
expect_in r.txt "Married"
expect_in r/INDEX.HTM "Married"
if grep -q Maiden r.txt r/INDEX.HTM; then fail "the old name on the label or pages"; fi
expect_status 0 "$PDIBURN" --verbose dir --from "$D/renamed" r2
expect_in err "'Maiden^Maria' in '"
expect_in err "'Married^Maria' in '"
