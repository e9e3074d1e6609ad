#!/bin/sh
# The site configuration: the system file, the user's (XDG), --config or
# $PDIBURN_CONFIG, the environment and the options override each other
# key by key; `pdiburn config` says where each value came from; a bad
# file is exit 2 naming file and line; the old three-key files still
# work; institution, address and contact reach README.TXT and INDEX.HTM.
. "$E2E_LIB"
studies
need xmllint

mkdir -p etc xdg/config/pdiburn
cat >etc/pdiburn.conf <<'EOF'
# the system's file, old style: three keys at the top
institution = System Hospital
contact = system desk
spool = /var/tmp

[pacs main]
aet = MAINPACS
host = pacs.example
port = 104
EOF
cat >xdg/config/pdiburn/pdiburn.conf <<'EOF'
contact = User Desk, +1 555 0100
viewer = lite

[pacs main]
    calling_aet = MYAE
    retrieve = move
    move_port = 11113
EOF
cat >site.conf <<'EOF'
address = 1 Main Street, Springfield
audit_syslog_host = collector.example
audit_syslog_transport = udp
EOF

# Each layer wins key by key, and says where the value came from.
expect_status 0 "$PDIBURN" --json --config site.conf config
"$PYTHON" - "$T" <<'PY' || fail "config --json is wrong"
import json, sys
t = sys.argv[1]
c = json.load(open("out"))
s = c["settings"]
def at(key, value, origin):
    assert s[key]["value"] == value, (key, s[key])
    assert s[key]["origin"] == origin, (key, s[key])
at("institution", "System Hospital", t + "/etc/pdiburn.conf:2")
at("contact", "User Desk, +1 555 0100", t + "/xdg/config/pdiburn/pdiburn.conf:1")
at("viewer", "lite", t + "/xdg/config/pdiburn/pdiburn.conf:2")
at("address", "1 Main Street, Springfield", "site.conf:1")
at("audit_syslog_port", "514", "default (by transport)")
at("audit_log", t + "/audit/audit.log", "environment (PDIBURN_AUDIT_LOG)")
assert s["media"]["value"] is None
p = c["pacs"]["main"]
assert p["aet"]["value"] == "MAINPACS" and p["aet"]["origin"].endswith("etc/pdiburn.conf:7")
assert p["calling_aet"]["value"] == "MYAE"
assert p["retrieve"]["value"] == "move" and p["move_port"]["value"] == "11113"
assert c["files"] == [t + "/etc/pdiburn.conf",
                      t + "/xdg/config/pdiburn/pdiburn.conf", "site.conf"]
PY

# PDIBURN_CONFIG stands in for --config; --config wins over it.
PDIBURN_CONFIG=site.conf expect_status 0 "$PDIBURN" config address
[ "$(cat out)" = "1 Main Street, Springfield" ] || fail "PDIBURN_CONFIG not read"
printf 'address = Elsewhere\n' >other.conf
PDIBURN_CONFIG=site.conf expect_status 0 "$PDIBURN" --config other.conf config address
[ "$(cat out)" = "Elsewhere" ] || fail "--config does not win over PDIBURN_CONFIG"

# The text form reads back as a configuration file.
expect_status 0 "$PDIBURN" --config site.conf config
expect_in out "institution = System Hospital"
expect_in out "$T/etc/pdiburn.conf:2"
grep -v '^#' out | grep -q . || fail "config printed no settings"
cp out echo.conf
PDIBURN_SYSTEM_CONFIG=/nonexistent XDG_CONFIG_HOME=$T/none \
    expect_status 0 "$PDIBURN" --config echo.conf config institution

# Options win over every file: README.TXT and INDEX.HTM show the result.
expect_status 0 "$PDIBURN" --config site.conf dir --from "$S/archive" \
    --patient-id PID001 --contact "Option Desk" --no-verify media
expect_in media/README.TXT "Institution: System Hospital"
expect_in media/README.TXT "Address:     1 Main Street, Springfield"
expect_in media/README.TXT "Contact:     Option Desk"
xmllint --noout media/INDEX.HTM || fail "INDEX.HTM not well-formed"
expect_in media/INDEX.HTM "1 Main Street, Springfield"
expect_in media/INDEX.HTM "Option Desk"

# Bad files: exit 2, naming file and line.
bad() {
    printf "$1" >bad.conf
    expect_status 2 "$PDIBURN" --config bad.conf config
    expect_in err "bad.conf:$2: $3"
}
bad 'institution = x\nbogus = 1\n' 2 "bogus: unknown key"
bad 'viewer = fancy\n' 1 "viewer 'fancy': use auto, full, lite or none"
bad '# ok\n\n[archive]\npath = /x\n' 4 "unknown section"
bad '[pacs main]\nport = 99999\n' 2 "port '99999'"
bad '[pacs main]\naet = MUCH_TOO_LONG_AE_TITLE\n' 2 "aet 'MUCH_TOO_LONG_AE_TITLE': an AE title"
bad 'institution\n' 1 "expected 'key = value'"
bad "contact = $(head -c 300 /dev/zero | tr '\0' x)\n" 1 "line too long"
bad 'audit_syslog_transport = carrier-pigeon\n' 1 "audit_syslog_transport 'carrier-pigeon': use udp, tcp or tls"
# ... and a bad file stops an export before it reads anything.
printf 'media = floppy\n' >bad.conf
expect_status 2 "$PDIBURN" --config bad.conf iso --from "$S/archive" x.iso
expect_in err "bad.conf:1: media 'floppy'"
[ ! -e x.iso ] || fail "exported despite a bad configuration"
# A named file that does not exist is an error; a missing system or user
# file is not.
expect_status 2 "$PDIBURN" --config missing.conf config
expect_in err "missing.conf"
PDIBURN_SYSTEM_CONFIG=/nonexistent XDG_CONFIG_HOME=$T/none \
    expect_status 0 "$PDIBURN" config
expect_in out "# files read: none"
# The system file has its say when the environment points nowhere else.
expect_status 2 "$PDIBURN" config nosuchkey
echo "configuration precedence, origins and errors as documented"
