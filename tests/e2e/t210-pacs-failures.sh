#!/bin/sh
# A PACS that fails: a wrong called AE title, nothing listening, a peer
# that never answers, a study deleted between the C-FIND and the C-GET,
# and Orthanc killed half way through the transfer.  Each is exit 4 with a
# message naming the node and what failed; nothing is written and the
# spool is gone.
. "$PACS_LIB"
pacs_isolate "$0"
. "$E2E_LIB"
need tc
studies
big_source big 24
# A study of its own, so that deleting patient A's leaves it alone.
"$PYTHON" - big <<'PY'
import glob, sys
import pydicom
for f in glob.glob(sys.argv[1] + "/*"):
    ds = pydicom.dcmread(f)
    ds.StudyInstanceUID = "1.2.826.0.1.3680043.10.1234.99.1"
    ds.SeriesInstanceUID = "1.2.826.0.1.3680043.10.1234.99.2"
    ds.save_as(f)
PY
uid_big=1.2.826.0.1.3680043.10.1234.99.1

# Orthanc's find filter stops pdiburn (SIGSTOP) before it reads the
# C-FIND's answer, so the test can delete the study at exactly that point.
cat >"$T/stop.lua" <<LUA
function IncomingFindRequestFilter(query, origin)
  local f = io.open("$T/stop.pid", "r")
  if f ~= nil then
    local pid = f:read("*l")
    f:close()
    os.remove("$T/stop.pid")
    os.execute("kill -STOP " .. pid)
  end
  return query
end
LUA
orthanc_start "$T/orthanc" "$T/stop.lua"
orthanc_upload "$S/archive/2024/01/patientA" big
uid_a=$(study_uid PID001 CT)
mkdir spool

nothing_written() {
    [ ! -e "$1" ] || fail "$1 was written"
    no_partial "$1"
    [ -z "$(ls spool)" ] || fail "the spool was left: $(ls spool)"
}

expect_status 4 "$PDIBURN" iso --pacs "WRONG@127.0.0.1:$ORTHANC_DICOM" \
    --study "$uid_a" --spool spool cd.iso
expect_in err "PACS 'WRONG@127.0.0.1:$ORTHANC_DICOM': association rejected: called AE title not recognized"
nothing_written cd.iso

expect_status 4 "$PDIBURN" dir --pacs ORTHANC@127.0.0.1:4299 --study "$uid_a" \
    --spool spool media
expect_in err "connection refused"
nothing_written media

# A peer that takes the connection and never answers.
"$PYTHON" -c '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 4300))
s.listen(5)
time.sleep(120)' &
E2E_PIDS="$E2E_PIDS $!"
wait_for "$PYTHON" -c 'import socket; socket.create_connection(("127.0.0.1", 4300))'
expect_status 4 "$PDIBURN" echo --acse-timeout 2 SILENT@127.0.0.1:4300
expect_in err "no answer within 2 s (timeout)"

# The study disappears between the C-FIND and the C-GET.
id_a=$(orthanc_study_id "$uid_a")
sh -c 'echo $$ >"$1/stop.pid"; shift; exec "$@"' sh "$T" \
    "$PDIBURN" iso --pacs "$ORTHANC_NODE" --study "$uid_a" --spool spool \
    cd.iso >out 2>err &
pid=$!
wait_for grep -q '^State:.*T' "/proc/$pid/status" || fail "pdiburn not stopped"
curl -sf -X DELETE "http://127.0.0.1:$ORTHANC_HTTP/studies/$id_a" >/dev/null
kill -CONT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 4 ] || { cat err >&2; fail "exit $rc after the study was deleted"; }
expect_in err "study $uid_a is incomplete: the C-FIND counted"
nothing_written cd.iso

# Orthanc killed while the instances flow (loopback slowed so that the
# kill lands half way; the burst must exceed loopback's 64 KB MTU): the
# association drops, nothing is written.
tc qdisc add dev lo root tbf rate 16mbit burst 128kb latency 400ms
"$PDIBURN" iso --pacs "$ORTHANC_NODE" --study "$uid_big" --spool spool \
    cd.iso >out 2>err &
pid=$!
wait_for sh -c 'ls spool/*/pacs/00000001' || fail "no instance arrived"
kill -9 "$ORTHANC_PID"
rc=0
wait "$pid" || rc=$?
tc qdisc del dev lo root
[ "$rc" -eq 4 ] || { cat err >&2; fail "exit $rc after the PACS died"; }
expect_in err "PACS '$ORTHANC_NODE'"
expect_in err "dropped the association"
nothing_written cd.iso
