#!/bin/sh
# Every export, successful or not, leaves one DICOM PS3.15 A.5.3.4 Export
# message per medium in the local audit log: valid against the A.5.1
# schema (tests/audit/dicom-audit-message.rng, checked by xmllint), with
# the media type of the output, the File-set UID of the DICOMDIR, every
# patient and study on the media and their instance counts, as pydicom
# reads them back.  The log is private; an export whose record cannot be
# written is not done (exit 5); `pdiburn audit` lists and filters it;
# diagnostics name no patient without --verbose.
. "$E2E_LIB"
studies
need xmllint bsdtar
RNG=$(dirname "$E2E_LIB")/../audit/dicom-audit-message.rng
LOG=$PDIBURN_AUDIT_LOG

expect_status 0 "$PDIBURN" iso --from "$S/archive" --patient-id PID001 a.iso
cp err iso.err
expect_status 0 "$PDIBURN" dir --from "$S/archive" --patient-id PID001 d
cp err dir.err
expect_status 0 "$PDIBURN" zip --from "$S/archive" --patient-id PID002 z.zip
cp err zip.err
expect_status 3 "$PDIBURN" iso --from "$S/archive" --patient-id PID001 \
    --study 1.2.3.4 none.iso
cp err none.err

[ "$(wc -l <"$LOG")" -eq 4 ] || fail "$(wc -l <"$LOG") messages for 4 exports"
[ "$(stat -c %a "$LOG")" = 600 ] || fail "audit log mode $(stat -c %a "$LOG")"
[ "$(stat -c %a "$(dirname "$LOG")")" = 700 ] || fail "audit folder not 0700"

n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s\n' "$line" >"msg$n.xml"
    xmllint --noout --relaxng "$RNG" "msg$n.xml" 2>xmllint.txt ||
        { cat xmllint.txt >&2; fail "message $n is not valid PS3.15 A.5.1"; }
done <"$LOG"

mkdir iso && bsdtar -xf a.iso -C iso
mkdir zip && bsdtar -xf z.zip -C zip

# What each message says against what the media hold.
"$PYTHON" - "$S/manifest.json" <<'PY' || fail "audit messages disagree with the media"
import collections, glob, json, os, re, sys
import xml.etree.ElementTree as ET
import pydicom

manifest = json.load(open(sys.argv[1]))
names = {i["patient_id"]: i["patient_name"] for i in manifest["instances"]}

def media(root):
    """(File-set UID, {patient: name}, {study: {sop class: count}})"""
    dicomdir = [p for p in glob.glob(root + "/*") if p.lower().endswith("dicomdir")][0]
    uid = pydicom.dcmread(dicomdir).file_meta.MediaStorageSOPInstanceUID
    patients, studies = {}, collections.defaultdict(collections.Counter)
    for path in glob.glob(root + "/**/*", recursive=True):
        if not os.path.isfile(path) or path == dicomdir:
            continue
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:
            continue
        if "SOPClassUID" not in ds or "StudyInstanceUID" not in ds:
            continue
        patients[ds.PatientID] = names[ds.PatientID]
        studies[ds.StudyInstanceUID][ds.SOPClassUID] += 1
    return uid, patients, studies

def code(el, name):
    c = el.find(name)
    return c.get("csd-code") if c is not None else None

def check(n, want_media, root, outcome="0"):
    m = ET.parse("msg%d.xml" % n).getroot()
    ev = m.find("EventIdentification")
    assert code(ev, "EventID") == "110106" and ev.get("EventActionCode") == "R"
    assert ev.get("EventOutcomeIndicator") == outcome, ev.attrib
    assert re.search(r"T\d\d:\d\d:\d\d[+-]\d\d:\d\d$", ev.get("EventDateTime"))
    ap = m.findall("ActiveParticipant")
    assert [a.get("UserIsRequestor") for a in ap].count("true") == 1
    src = [a for a in ap if code(a, "RoleIDCode") == "110153"]
    assert len(src) == 2, "user and process"
    dest = [a for a in ap if code(a, "RoleIDCode") == "110154"]
    assert len(dest) == 1, "exactly one media participant"
    assert code(dest[0].find("MediaIdentifier"), "MediaType") == want_media
    objs = m.findall("ParticipantObjectIdentification")
    pats = {o.get("ParticipantObjectID"): o.findtext("ParticipantObjectName")
            for o in objs if o.get("ParticipantObjectTypeCode") == "1"}
    for o in objs:
        if o.get("ParticipantObjectTypeCode") == "1":
            assert o.get("ParticipantObjectTypeCodeRole") == "1"
            assert code(o, "ParticipantObjectIDTypeCode") == "2"
    studies = {}
    for o in objs:
        if o.get("ParticipantObjectTypeCode") != "2":
            continue
        assert o.get("ParticipantObjectTypeCodeRole") == "3"
        assert code(o, "ParticipantObjectIDTypeCode") == "110180"
        d = o.find("ParticipantObjectDescription")
        studies[o.get("ParticipantObjectID")] = collections.Counter(
            {s.get("UID"): int(s.get("NumberOfInstances"))
             for s in d.findall("SOPClass")})
    if root is None:
        return dest[0], pats, studies, ev
    uid, want_pats, want_studies = media(root)
    assert dest[0].get("AlternativeUserID") == uid, (dest[0].attrib, uid)
    assert pats == want_pats, (pats, want_pats)
    assert studies == dict(want_studies), (studies, dict(want_studies))
    return dest[0], pats, studies, ev

d, _, _, _ = check(1, "110032", "iso")                 # CD
assert d.get("UserID") == "file://" + os.getcwd() + "/a.iso", d.get("UserID")
check(2, "110037", "d")                                # a folder: its URI
check(3, "110031", "zip")                              # ZIP: Email
d, pats, studies, ev = check(4, "110032", None, "8")   # failed
assert not pats and not studies
assert "no study matches" in ev.findtext("EventOutcomeDescription")
PY

# pdiburn audit lists them, filtered by patient and by date.
expect_status 0 "$PDIBURN" --json audit --patient-id PID002
"$PYTHON" -c '
import json; a = json.load(open("out"))
e = a["exports"]
assert len(e) == 1 and e[0]["media_type"] == "Email", e
assert e[0]["patients"][0]["id"] == "PID002" and e[0]["result"] == "ok"
' || fail "audit --patient-id"
expect_status 0 "$PDIBURN" --json audit --since 2000-01-01
"$PYTHON" -c '
import json; a = json.load(open("out"))
assert [e["result"] for e in a["exports"]] == ["ok", "ok", "ok", "failed"], a
' || fail "audit --since"
expect_status 0 "$PDIBURN" audit --since 2999-01-01
[ "$(wc -l <out)" -eq 1 ] || fail "an export from the future"
expect_status 0 "$PDIBURN" audit --patient-id PID001
expect_in out "patient PID001"
expect_status 2 "$PDIBURN" audit --since yesterday

# An audit log that cannot be written stops the export before it starts.
PDIBURN_AUDIT_LOG=/proc/pdiburn/audit.log expect_status 5 \
    "$PDIBURN" iso --from "$S/archive" --patient-id PID001 b.iso
expect_in err "nothing was exported"
[ ! -e b.iso ] || fail "exported without an audit log"
no_partial b.iso
# ... but a dry run discloses nothing and needs none.
PDIBURN_AUDIT_LOG=/proc/pdiburn/audit.log expect_status 0 \
    "$PDIBURN" iso --dry-run --from "$S/archive" --patient-id PID001 b.iso

# No patient name or ID in the diagnostics without --verbose.
"$PYTHON" - "$S/manifest.json" iso.err dir.err zip.err none.err <<'PY' || fail "patient data in diagnostics"
import json, sys
m = json.load(open(sys.argv[1]))
phi = {i["patient_id"] for i in m["instances"] if i["patient_id"]}
for i in m["instances"]:
    for part in i["patient_name"].split("^"):
        if len(part) > 2:
            phi.add(part)
for f in sys.argv[2:]:
    text = open(f, encoding="utf-8", errors="replace").read()
    leaked = [p for p in phi if p in text]
    assert not leaked, (f, leaked)
PY
# With --verbose they may show (and here do: the no-match names the ID).
expect_status 3 "$PDIBURN" -v iso --from "$S/archive" --patient-id PID001 \
    --study 1.2.3.4 none.iso
expect_in err "PID001"
echo "audit messages valid, complete and private"
