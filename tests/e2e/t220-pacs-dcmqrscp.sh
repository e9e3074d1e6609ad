#!/bin/sh
# A second real peer, DCMTK's dcmqrscp, which does not return the optional
# instance counts: pdiburn counts the study at SERIES and IMAGE level
# before it retrieves, by C-GET and by C-MOVE; the media pass the same
# independent checks as any other.
. "$PACS_LIB"
pacs_isolate "$0"
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy
studies
dcmqrscp_start "$T/qr"
dcmqrscp_upload +sd +r "$S/archive/2024/01/patientA"
uid_a=$(study_uid PID001 CT)

expect_status 0 "$PDIBURN" echo "$DCMQRSCP_NODE"
expect_status 0 "$PDIBURN" --json find --pacs "$DCMQRSCP_NODE" --patient-id PID001
"$PYTHON" - "$uid_a" out <<'PY' || fail "find --json"
import json, sys
doc = json.load(open(sys.argv[2]))
[s] = doc["studies"]
assert s["study_uid"] == sys.argv[1] and s["instances"] is None, s
PY

expect_status 0 "$PDIBURN" -v iso --pacs "$DCMQRSCP_NODE" --study "$uid_a" cd.iso
expect_in err "1 study/studies, 12 instance(s)"
mkdir iso && bsdtar -xf cd.iso -C iso
dciodvfy_clean iso/DICOMDIR
check_medium iso --studies "$uid_a" --sha256 --from-network

expect_status 0 "$PDIBURN" dir --pacs "$DCMQRSCP_NODE" --retrieve move \
    --move-port "$MOVE_PORT" --patient-id PID001 media
dciodvfy_clean media/DICOMDIR
check_medium media --studies "$uid_a" --sha256 --from-network

# A study the archive does not hold: nothing to retrieve, exit 3.
expect_status 3 "$PDIBURN" iso --pacs "$DCMQRSCP_NODE" --patient-id NOBODY none.iso
expect_in err "no study matches"
[ ! -e none.iso ] || fail "none.iso written"
