# pacs.sh -- shared helpers of the end-to-end tests against real PACS
# peers: a private network namespace with only loopback (Orthanc cannot be
# told to listen on 127.0.0.1 alone), Debian's Orthanc started with its own
# configuration and storage, studies uploaded through its REST API, and
# DCMTK's dcmqrscp.  Every server started here is recorded in E2E_PIDS,
# which lib.sh's exit trap stops by pid.  Sourced by tests/e2e/t2*.sh.

# Orthanc, ip and tc live in sbin, which a plain user's PATH may lack.
PATH=$PATH:/usr/sbin:/sbin

# pacs_isolate SCRIPT: re-executes SCRIPT in a new network namespace (as
# root, with unshare) unless already inside one, then brings loopback up.
# Call it before sourcing lib.sh.  Without root or unshare the test is
# skipped, which CI (PDIBURN_E2E_REQUIRE_ALL=1) counts as a failure.
pacs_isolate() {
    if [ "${PDIBURN_NETNS:-0}" != 1 ]; then
        why=""
        if [ "$(id -u)" != 0 ]; then
            why="not root: cannot make a private network namespace"
        elif ! command -v unshare >/dev/null 2>&1 || ! unshare -n true 2>/dev/null; then
            why="unshare -n does not work here"
        fi
        if [ -n "$why" ]; then
            if [ "${PDIBURN_E2E_REQUIRE_ALL:-0}" = 1 ]; then
                echo "FAIL: required for this test: $why" >&2
                exit 1
            fi
            echo "skip: $why"
            exit 77
        fi
        PDIBURN_NETNS=1 exec unshare -n -- sh "$1"
    fi
    ip link set lo up
}

# wait_for CMD...: retries CMD for up to 30 s.
wait_for() {
    tries=0
    until "$@" >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 150 ] || return 1
        sleep 0.2
    done
}

ORTHANC_HTTP=8042
ORTHANC_DICOM=4242
MOVE_PORT=11112
ORTHANC_NODE=ORTHANC@127.0.0.1:$ORTHANC_DICOM

# orthanc_start DIR [LUA_SCRIPT]: Orthanc with its storage in DIR, DICOM
# on 4242 as ORTHANC (called AE title checked), REST on 8042, our AE title
# PDIBURN known at 127.0.0.1:11112 for C-MOVE.  Sets ORTHANC_PID.
orthanc_start() {
    need Orthanc curl
    mkdir -p "$1/db"
    lua=""
    [ -z "${2:-}" ] || lua="\"$2\""
    cat >"$1/orthanc.json" <<JSON
{
  "Name": "pdiburn-e2e",
  "StorageDirectory": "$1/db",
  "IndexDirectory": "$1/db",
  "Plugins": [],
  "LuaScripts": [$lua],
  "HttpServerEnabled": true,
  "HttpPort": $ORTHANC_HTTP,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "DicomServerEnabled": true,
  "DicomAet": "ORTHANC",
  "DicomPort": $ORTHANC_DICOM,
  "DicomCheckCalledAet": true,
  "DicomAlwaysAllowEcho": true,
  "DicomAlwaysAllowFind": true,
  "DicomAlwaysAllowGet": true,
  "DicomAlwaysAllowMove": true,
  "DicomModalities": { "pdiburn": ["PDIBURN", "127.0.0.1", $MOVE_PORT] },
  "SaveJobs": false,
  "StorageCompression": false
}
JSON
    Orthanc "$1/orthanc.json" >"$1/orthanc.log" 2>&1 &
    ORTHANC_PID=$!
    E2E_PIDS="$E2E_PIDS $ORTHANC_PID"
    wait_for curl -sf "http://127.0.0.1:$ORTHANC_HTTP/system" ||
        { cat "$1/orthanc.log" >&2; fail "Orthanc did not start"; }
}

# orthanc_upload FILE_OR_DIR...: stores every file through the REST API.
orthanc_upload() {
    find "$@" -type f | while IFS= read -r f; do
        curl -sf -X POST --data-binary "@$f" \
            "http://127.0.0.1:$ORTHANC_HTTP/instances" >/dev/null ||
            { echo "FAIL: Orthanc refused $f" >&2; exit 1; }
    done
}

# orthanc_study_id STUDY_UID: Orthanc's own identifier of a study.
orthanc_study_id() {
    curl -sf -X POST -H 'Content-Type: application/json' \
        --data "{\"Level\":\"Study\",\"Query\":{\"StudyInstanceUID\":\"$1\"}}" \
        "http://127.0.0.1:$ORTHANC_HTTP/tools/find" |
        "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[0])'
}

# stop_server PID: stops a server this test started, and waits for it.
stop_server() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

DCMQRSCP_PORT=11113
DCMQRSCP_NODE=DCMQRSCP@127.0.0.1:$DCMQRSCP_PORT

# dcmqrscp_start DIR: DCMTK's dcmqrscp with its database in DIR, as
# DCMQRSCP on 11113, knowing PDIBURN at 127.0.0.1:11112 for C-MOVE.
# Sets DCMQRSCP_PID.
dcmqrscp_start() {
    need dcmqrscp echoscu
    mkdir -p "$1/db"
    cat >"$1/dcmqrscp.cfg" <<CFG
NetworkTCPPort = $DCMQRSCP_PORT
MaxPDUSize = 65536
MaxAssociations = 16

HostTable BEGIN
pdiburn = (PDIBURN, 127.0.0.1, $MOVE_PORT)
HostTable END

VendorTable BEGIN
VendorTable END

AETable BEGIN
DCMQRSCP $1/db RW (200, 1024mb) ANY
AETable END
CFG
    # Not --single-process: 3.6.7 crashes after the first association.
    dcmqrscp -c "$1/dcmqrscp.cfg" >"$1/dcmqrscp.log" 2>&1 &
    DCMQRSCP_PID=$!
    E2E_PIDS="$E2E_PIDS $DCMQRSCP_PID"
    wait_for echoscu -aec DCMQRSCP 127.0.0.1 "$DCMQRSCP_PORT" ||
        { cat "$1/dcmqrscp.log" >&2; fail "dcmqrscp did not start"; }
}

# dcmqrscp_upload FILE...: C-STORE with DCMTK's storescu.
dcmqrscp_upload() {
    need storescu
    storescu -aec DCMQRSCP 127.0.0.1 "$DCMQRSCP_PORT" "$@" >storescu.log 2>&1 ||
        { cat storescu.log >&2; fail "storescu into dcmqrscp failed"; }
}
