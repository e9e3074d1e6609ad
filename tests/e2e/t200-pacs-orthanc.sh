#!/bin/sh
# A real PACS, Debian's Orthanc, in a private network namespace: C-ECHO
# (and what it says when the called AE title is wrong or nothing listens),
# C-FIND with the PACS's instance counts, and media made from its studies
# by C-GET and by C-MOVE, judged by the same independent checks as media
# made from a folder.
. "$PACS_LIB"
pacs_isolate "$0"
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy
studies
orthanc_start "$T/orthanc"
orthanc_upload "$S/archive/2024/01/patientA" "$S/archive/PATIENT_B"
uid_a=$(study_uid PID001 CT)

expect_status 0 "$PDIBURN" echo "$ORTHANC_NODE"
expect_in out "C-ECHO answered"
expect_status 4 "$PDIBURN" echo "NOBODY@127.0.0.1:$ORTHANC_DICOM"
expect_in err "association rejected: called AE title not recognized"
expect_status 4 "$PDIBURN" echo "ORTHANC@127.0.0.1:4299"
expect_in err "connection refused"
expect_status 2 "$PDIBURN" echo "ORTHANC@127.0.0.1"

# find: the table, and JSON with the PACS's own instance counts.
expect_status 0 "$PDIBURN" find --pacs "$ORTHANC_NODE" --patient-id PID001
expect_in out "$uid_a"
expect_status 0 "$PDIBURN" --json find --pacs "$ORTHANC_NODE" --name 'M*ller*'
"$PYTHON" - "$uid_a" "$S/manifest.json" out <<'PY' || fail "find --json"
import json, sys
doc = json.load(open(sys.argv[3]))
m = json.load(open(sys.argv[2]))
want = len({i["sop_instance_uid"] for i in m["instances"]
            if i["study_uid"] == sys.argv[1] and i["folder"] == "archive"})
studies = {s["study_uid"]: s for s in doc["studies"]}
assert doc["ok"] and doc["source"] == "pacs", doc
assert studies[sys.argv[1]]["instances"] == want, (studies, want)
assert studies[sys.argv[1]]["patient_id"] == "PID001"
PY

# iso by C-GET: a conformant image holding exactly the study.
expect_status 0 "$PDIBURN" --json iso --pacs "$ORTHANC_NODE" --study "$uid_a" \
    --spool "$T" cd.iso
"$PYTHON" -c 'import json, sys; r = json.load(sys.stdin)["retrieve"]; \
assert r["instances"] > 0 and r["mb_per_second"] > 0, r' <out ||
    fail "no retrieve rates in --json"
[ -z "$(find "$T" -maxdepth 1 -name 'pdiburn-spool-*')" ] || fail "spool left"
mkdir iso && bsdtar -xf cd.iso -C iso
dciodvfy_clean iso/DICOMDIR
check_medium iso --studies "$uid_a" --sha256 --from-network

# dir by C-MOVE to our own storage SCP, the PACS knowing our AE title.
expect_status 0 "$PDIBURN" dir --pacs "$ORTHANC_NODE" --retrieve move \
    --move-port "$MOVE_PORT" --patient-id PID001 media
dciodvfy_clean media/DICOMDIR
check_medium media --studies "$uid_a" --sha256 --from-network
expect_in out "retrieved"

# A node named in the site configuration: its AE title, address, retrieve
# method and move port come from the [pacs NAME] section.
cat >site.conf <<CONF
[pacs archive]
aet = ORTHANC
host = 127.0.0.1
port = $ORTHANC_DICOM
calling_aet = PDIBURN
retrieve = move
move_port = $MOVE_PORT
CONF
expect_status 0 "$PDIBURN" --config site.conf echo archive
expect_status 0 "$PDIBURN" --config site.conf find --pacs archive \
    --patient-id PID001
expect_in out "PID001"
expect_status 0 "$PDIBURN" --config site.conf dir --pacs archive \
    --patient-id PID001 named
check_medium named --studies "$uid_a" --sha256 --from-network
expect_status 2 "$PDIBURN" --config site.conf echo nosuchnode
expect_in err "no [pacs nosuchnode] in the site configuration"
echo "ok"
