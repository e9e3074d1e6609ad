#!/bin/sh
# The audit messages reach a syslog collector (a loopback receiver this
# test starts, tools/syslog_receiver.py, and stops by its pid) over UDP
# (RFC 5426), TCP with octet counting (RFC 6587) and TLS (RFC 5425), as
# RFC 5424 messages with PRI <85> (facility 10, notice) for a success and
# <84> for a failure, MSGID IHE+RFC-3881 and the same XML the local log
# holds.  While the collector is down they wait in the spool and the
# export still succeeds; once it is back they all arrive, in order.
. "$E2E_LIB"
studies
need xmllint openssl
RNG=$(dirname "$E2E_LIB")/../audit/dicom-audit-message.rng
LOG=$PDIBURN_AUDIT_LOG
SPOOL=$(dirname "$LOG")/spool
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM

# start_receiver NAME TRANSPORT [args]: a receiver into folder NAME.
start_receiver() {
    name=$1
    transport=$2
    shift 2
    mkdir -p "$name"
    rm -f "$name/port"
    "$PYTHON" "$SYSLOG_RECEIVER" "$transport" "$name" "$@" 2>"$name.log" &
    pid=$!
    pids="$pids $pid"
    eval "${name}_pid=$pid"
    i=0
    while [ ! -f "$name/port" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -f "$name/port" ] || fail "receiver $name did not start"
}

# wait_for NAME COUNT: the receiver has COUNT messages.
wait_for() {
    i=0
    while [ "$(ls "$1"/*.msg 2>/dev/null | wc -l)" -lt "$2" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    got=$(ls "$1"/*.msg 2>/dev/null | wc -l)
    [ "$got" -eq "$2" ] || { cat "$1.log" >&2; fail "$1 has $got messages, not $2"; }
}

collector() {
    cat >site.conf <<EOF
audit_syslog_host = $1
audit_syslog_port = $2
audit_syslog_transport = $3
${4:+audit_syslog_ca = $4}
EOF
}

export_one() {
    expect_status "$1" "$PDIBURN" --config site.conf iso --from "$S/archive" \
        --patient-id PID001 ${2:+--study "$2"} "x$$.iso"
    rm -f "x$$.iso"
}

# check NAME N LINE PRI: message N of NAME is RFC 5424 with that PRI, and
# its XML is line LINE of the log, valid against the schema.
check() {
    "$PYTHON" - "$1/$(printf %04d "$2").msg" "$LOG" "$3" "$4" <<'PY' || fail "message $2 of $1"
import re, sys
raw = open(sys.argv[1], "rb").read()
m = re.match(rb"<(\d+)>1 (\S+) (\S+) pdiburn (\d+) IHE\+RFC-3881 - \xef\xbb\xbf", raw)
assert m, raw[:120]
assert m.group(1).decode() == sys.argv[4], m.group(1)
assert re.match(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d\d:\d\d$", m.group(2))
xml = raw[m.end():].decode("utf-8")
line = open(sys.argv[2], encoding="utf-8").read().splitlines()[int(sys.argv[3]) - 1]
assert xml == line, "syslog and local log differ"
open("check.xml", "w", encoding="utf-8").write(xml)
PY
    xmllint --noout --relaxng "$RNG" check.xml 2>xmllint.txt ||
        { cat xmllint.txt >&2; fail "message $2 of $1 is not valid"; }
}

# UDP
start_receiver udp udp
collector 127.0.0.1 "$(cat udp/port)" udp
export_one 0
wait_for udp 1
check udp 1 1 85
kill "$udp_pid"

# TCP: a success and a failure
start_receiver tcp tcp
collector 127.0.0.1 "$(cat tcp/port)" tcp
export_one 0
export_one 3 1.2.3.4
wait_for tcp 2
check tcp 1 2 85
check tcp 2 3 84
[ -z "$(ls "$SPOOL"/*.msg 2>/dev/null)" ] || fail "sent messages left in the spool"

# TCP collector down: the exports succeed, the messages wait ...
port=$(cat tcp/port)
kill "$tcp_pid"
wait "$tcp_pid" 2>/dev/null || true
export_one 0
expect_in err "audit collector 127.0.0.1:$port (tcp)"
expect_in err "1 message(s) wait in $SPOOL"
export_one 0
[ "$(ls "$SPOOL"/*.msg | wc -l)" -eq 2 ] || fail "spool does not hold 2 messages"
[ "$(stat -c %a "$SPOOL")" = 700 ] || fail "spool not private"
# ... and arrive, oldest first, once it is back.
start_receiver back tcp --port "$port"
expect_status 0 "$PDIBURN" --config site.conf audit --send
expect_in err "2 message(s) sent"
wait_for back 2
check back 1 4 85
check back 2 5 85
"$PYTHON" - "$LOG" back <<'PY' || fail "spooled messages out of order"
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
for n, line in ((1, lines[3]), (2, lines[4])):
    raw = open("%s/%04d.msg" % (sys.argv[2], n), "rb").read()
    assert raw.endswith(line.encode()), n
PY
export_one 0
wait_for back 3
[ -z "$(ls "$SPOOL"/*.msg 2>/dev/null)" ] || fail "spool not emptied"
kill "$back_pid"

# UDP collector down: the refused datagram stays in the spool.
start_receiver gone udp
port=$(cat gone/port)
kill "$gone_pid"
wait "$gone_pid" 2>/dev/null || true
collector 127.0.0.1 "$port" udp
export_one 0
expect_in err "refused"
[ "$(ls "$SPOOL"/*.msg | wc -l)" -eq 1 ] || fail "refused datagram not spooled"
rm -f "$SPOOL"/*.msg

# TLS, with the collector's certificate checked against our CA file.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost -keyout key.pem -out cert.pem \
    2>openssl.txt || { cat openssl.txt >&2; fail "openssl"; }
start_receiver tls tls --cert cert.pem --key key.pem
collector localhost "$(cat tls/port)" tls "$T/cert.pem"
export_one 0
wait_for tls 1
n=$(wc -l <"$LOG")
check tls 1 "$n" 85
"$PYTHON" -c "
import sys
raw = open('tls/0001.msg', 'rb').read()
line = open('$LOG', encoding='utf-8').read().splitlines()[$n - 1]
assert raw.endswith(line.encode())
" || fail "TLS message is not the last logged"
# A certificate we do not trust: nothing is sent, the message waits.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other \
    -keyout other.key -out other.pem 2>openssl.txt
collector localhost "$(cat tls/port)" tls "$T/other.pem"
export_one 0
expect_in err "TLS: handshake"
[ "$(ls "$SPOOL"/*.msg | wc -l)" -eq 1 ] || fail "untrusted collector got it"
[ "$(ls tls/*.msg | wc -l)" -eq 1 ] || fail "sent to an untrusted collector"
kill "$tls_pid"
echo "syslog over UDP, TCP and TLS; spool while down"
