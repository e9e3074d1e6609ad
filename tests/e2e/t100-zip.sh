#!/bin/sh
# pdiburn zip: a STD-GEN-ZIP-MAIL file that unzip, 7z and bsdtar all accept,
# DICOMDIR at its root, every name 8.3, DICOM files stored and web files
# deflated (7z -slt); extracted by bsdtar it is a File-set that dciodvfy
# and the pydicom checker accept, with a SHA256.TXT sha256sum accepts.
# A changed byte fails pdiburn verify (and unzip's CRC check).
# java.util.zip.ZipInputStream (Java PACS importers) reads every entry,
# with the names, sizes and CRCs that unzip, 7z and bsdtar list: no entry
# has a data descriptor, every local header holds its sizes and CRC.
# Encrypted (--passphrase-file, or --encrypt asked on a pseudo-terminal):
# 7z opens it with the passphrase and not with another, bsdtar cannot read
# it without, an unencrypted NAME-README-FIRST.TXT beside it names 7-Zip,
# and the passphrase shows in no output.  --encrypt without a terminal and
# encryption of anything but a ZIP are usage errors; a full disk is exit 5
# with nothing left behind.
. "$E2E_LIB"
need unzip 7z bsdtar dciodvfy sha256sum setsid javac java
studies

# ---- plain ZIP ----------------------------------------------------------
expect_status 0 "$PDIBURN" zip --from "$S/archive" out.zip
no_partial out.zip
unzip -t out.zip >unzip.txt 2>&1 || { cat unzip.txt >&2; fail "unzip -t"; }
7z t out.zip >7z.txt 2>&1 || { cat 7z.txt >&2; fail "7z t"; }
bsdtar -tf out.zip >names.txt || fail "bsdtar -tf"

grep -qx DICOMDIR names.txt || fail "no DICOMDIR at the root of the ZIP"
# PS3.11 Annex L: no long names.  Every component is NAME or NAME.EXT
# with NAME 1..8 and EXT 1..3 characters; nothing absolute, no "..".
awk -F/ '{
    if ($0 ~ /^\// || $0 ~ /\\/) { print; next }
    for (i = 1; i <= NF; i++) {
        if ($i == "" && i == NF) continue       # a folder entry "x/"
        n = split($i, p, ".")
        if ($i == ".." || n > 2 || length(p[1]) < 1 || length(p[1]) > 8 ||
            (n == 2 && (length(p[2]) < 1 || length(p[2]) > 3))) { print; next }
    }
}' names.txt >long.txt
[ ! -s long.txt ] || { cat long.txt >&2; fail "names that are not 8.3"; }

# Stored DICOM (a mail gateway or viewer can read them in place), deflated
# web content.
7z l -slt out.zip >slt.txt || fail "7z l -slt"
awk '/^Path = /{p = substr($0, 8)} /^Method = /{print substr($0, 10) "\t" p}' \
    slt.txt >methods.txt
grep -q '	DICOM/' methods.txt || fail "no DICOM/ entries"
grep -q '	INDEX.HTM$' methods.txt || fail "no INDEX.HTM"
grep -q '	VIEWER/' methods.txt || fail "no VIEWER/ entries"
if grep '	DICOM/' methods.txt | grep -v '^Store	'; then
    fail "DICOM files compressed"
fi
if grep -E '	(INDEX\.HTM|VIEWER/|IHE_PDI/)' methods.txt | grep -v '^Deflate	'; then
    fail "web files not deflated"
fi
[ "$(grep -c '^Store	' methods.txt)" -eq \
  "$(grep -c '	DICOM/' methods.txt)" ] || fail "stored entries other than DICOM/"

# Java's streaming reader, compiled here, against the other readers.
mkdir jv
javac -d jv "$TOOLS/ZipList.java" || fail "javac ZipList.java"
java -cp jv ZipList out.zip >java.txt || fail "ZipInputStream stops reading out.zip"
[ "$(wc -l <java.txt)" -eq "$(wc -l <names.txt)" ] || fail "Java reads $(wc -l <java.txt) entries, bsdtar lists $(wc -l <names.txt)"
awk -F'\t' '{ print $1 "\t" $2 "\t" toupper($3) }' java.txt | sort >java-sorted.txt
awk '/^Path = /{p = substr($0, 8)} /^Size = /{s = substr($0, 8)}
     /^CRC = /{print p "\t" s "\t" substr($0, 7)}' slt.txt | sort >7z-sorted.txt
diff 7z-sorted.txt java-sorted.txt || fail "Java and 7z read different names, sizes or CRCs"
unzip -Zl out.zip | awk 'NF >= 10 && $1 ~ /^-/ { print $NF "\t" $4 }' | sort >unzip-sizes.txt
cut -f1,2 java-sorted.txt | diff unzip-sizes.txt - || fail "Java and unzip list different sizes"
# General purpose bit 3 (data descriptor) is set on no entry.
"$PYTHON" - out.zip <<'PY' || fail "entries with a data descriptor"
import sys, zipfile
bad = [i.filename for i in zipfile.ZipFile(sys.argv[1]).infolist() if i.flag_bits & 8]
sys.exit("data descriptor: %s" % bad[:5] if bad else 0)
PY

mkdir x
bsdtar -xf out.zip -C x || fail "bsdtar -xf"
dciodvfy_clean x/DICOMDIR
check_medium x --sha256
(cd x && sha256sum --quiet -c SHA256.TXT) || fail "sha256sum -c"
expect_status 0 "$PDIBURN" verify out.zip

# One changed byte inside a stored DICOM file: unzip's CRC and pdiburn
# verify both see it.
cp out.zip bad.zip
"$PYTHON" - bad.zip >victim.txt <<'PY'
import struct, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    info = [i for i in z.infolist() if i.filename.startswith("DICOM/")][-1]
with open(path, "r+b") as f:
    f.seek(info.header_offset)
    head = f.read(30)
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    at = info.header_offset + 30 + name_len + extra_len + info.file_size // 2
    f.seek(at)
    b = f.read(1)
    f.seek(at)
    f.write(bytes([b[0] ^ 0xFF]))
print(info.filename)
PY
victim=$(cat victim.txt)
if unzip -tq bad.zip >/dev/null 2>&1; then fail "unzip -t accepts the changed byte"; fi
expect_status 6 "$PDIBURN" verify bad.zip
expect_in err "$victim"

# ---- encrypted with a passphrase file -----------------------------------
pass='Corr3ct-Horse-Battery'
printf '%s\n' "$pass" >pw
expect_status 0 "$PDIBURN" -v zip --passphrase-file pw --from "$S/archive" enc.zip
cat out err >enc-output.txt
expect_status 0 "$PDIBURN" --json zip --passphrase-file pw --from "$S/archive" enc2.zip
cat out err >>enc-output.txt
if grep -F -q -- "$pass" enc-output.txt; then fail "the passphrase was printed"; fi
if grep -F -q -- "$pass" enc.zip enc-README-FIRST.TXT; then
    fail "the passphrase is stored in the clear"
fi
no_partial enc.zip

7z t "-p$pass" enc.zip >7z.txt 2>&1 || { cat 7z.txt >&2; fail "7z t with the passphrase"; }
if 7z t -pWRONG-pass-123 enc.zip >/dev/null 2>&1; then fail "7z t with a wrong passphrase succeeds"; fi
7z l -slt enc.zip >slt.txt || fail "7z l -slt enc.zip"
grep -q '^Method = AES-256 Store' slt.txt || fail "DICOM files not AES-256 encrypted"
if grep -q '^Encrypted = -' slt.txt; then fail "an entry of enc.zip is not encrypted"; fi

# Without the passphrase bsdtar gets nothing readable (it writes a file of
# zeros and fails); no terminal, so it cannot ask.
mkdir noenc
if setsid -w bsdtar -xf enc.zip -C noenc DICOMDIR </dev/null >/dev/null 2>&1; then
    fail "bsdtar extracts DICOMDIR without the passphrase"
fi
if [ -f noenc/DICOMDIR ] && grep -q DICM noenc/DICOMDIR; then
    fail "DICOMDIR readable without the passphrase"
fi
mkdir dec
7z x "-p$pass" -odec enc.zip >/dev/null || fail "7z x with the passphrase"
check_medium dec --sha256

# verify opens it with the passphrase file, and without one says it is
# unreadable rather than passing.
expect_status 0 "$PDIBURN" verify --passphrase-file pw enc.zip
expect_status 6 "$PDIBURN" verify enc.zip
printf 'WRONG-pass-123\n' >wrong
expect_status 6 "$PDIBURN" verify --passphrase-file wrong enc.zip
expect_status 2 "$PDIBURN" verify --passphrase-file no-such-file enc.zip
expect_in err "no-such-file"

# The note beside it: plain text, names 7-Zip, not inside the ZIP.
[ -f enc-README-FIRST.TXT ] || fail "no enc-README-FIRST.TXT"
expect_in enc-README-FIRST.TXT "7-Zip"
expect_in enc-README-FIRST.TXT "AES-256"
if grep -q README-FIRST names.txt; then fail "README-FIRST inside the plain ZIP"; fi
[ ! -e out-README-FIRST.TXT ] || fail "README-FIRST beside an unencrypted ZIP"

# ---- encrypted, asked on a terminal (a pseudo-terminal) ------------------
# Echo is off while the passphrase is typed: it never appears on screen.
cat >ask.py <<'PY'
import os, pty, select, sys, time
pw = sys.argv[1].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
buf = b""
def read_until(token):
    global buf
    end = time.time() + 120
    while token not in buf:
        r, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if not r:
            sys.exit("pty: no %r; got %r" % (token, buf))
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            chunk = b""
        if not chunk:
            sys.exit("pty: ended before %r; got %r" % (token, buf))
        buf += chunk
read_until(b"Passphrase for the ZIP file:")
os.write(fd, pw + b"\n")
read_until(b"The same passphrase again:")
os.write(fd, pw + b"\n")
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    buf += chunk
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(buf)
sys.exit(os.waitstatus_to_exitcode(status))
PY
tpass='Typed-at-the-Terminal-9'
expect_status 0 "$PYTHON" ask.py "$tpass" "$PDIBURN" zip --encrypt \
    --from "$S/archive/misc" tty.zip
if grep -F -q -- "$tpass" out err; then fail "the typed passphrase was echoed"; fi
7z t "-p$tpass" tty.zip >7z.txt 2>&1 || { cat 7z.txt >&2; fail "7z t tty.zip"; }
[ -f tty-README-FIRST.TXT ] || fail "no tty-README-FIRST.TXT"

# ---- usage errors ---------------------------------------------------------
# No terminal (new session, stdin not a tty): exit 2, pointing at
# --passphrase-file, and nothing written.
set +e
setsid -w "$PDIBURN" zip --encrypt --from "$S/archive" notty.zip </dev/null >out 2>err
status=$?
set -e
[ "$status" -eq 2 ] || { cat err >&2; fail "--encrypt without a terminal: exit $status, not 2"; }
expect_in err "--passphrase-file"
no_partial notty.zip
[ ! -e notty.zip ] && [ ! -e notty-README-FIRST.TXT ] ||
    fail "--encrypt without a terminal left output"

: >empty-pw
expect_status 2 "$PDIBURN" zip --passphrase-file empty-pw --from "$S/archive" e.zip
expect_in err "empty"
# An empty first line is refused too (today with exit 5, from libarchive).
printf '\n' >blank-pw
set +e
"$PDIBURN" zip --passphrase-file blank-pw --from "$S/archive" e.zip >out 2>err
status=$?
set -e
[ "$status" -ne 0 ] || fail "an empty passphrase was accepted"
[ ! -e e-README-FIRST.TXT ] || fail "README-FIRST left after a refused passphrase"
expect_status 2 "$PDIBURN" zip --passphrase-file "$T/no-such-file" --from "$S/archive" e.zip
expect_in err "no-such-file"
expect_status 2 "$PDIBURN" dir --encrypt --from "$S/archive" d
expect_in err "--encrypt is not an option of this command (only of zip)"
expect_status 2 "$PDIBURN" dir --passphrase-file pw --from "$S/archive" d
expect_status 2 "$PDIBURN" iso --encrypt --from "$S/archive" d.iso
[ ! -e d ] && [ ! -e d.iso ] && [ ! -e e.zip ] || fail "output after a usage error"

# ---- a full disk ----------------------------------------------------------
mkdir small
if mount -t tmpfs -o size=2m tmpfs small 2>/dev/null; then
    trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
    expect_status 5 "$PDIBURN" zip --from "$S/archive" small/full.zip
    [ -z "$(ls -A small)" ] || fail "left in the full file system: $(ls -A small)"
    expect_status 5 "$PDIBURN" zip --passphrase-file pw --from "$S/archive" small/full.zip
    [ -z "$(ls -A small)" ] || fail "left in the full file system: $(ls -A small)"
else
    # No mounting here: a file size limit makes writes fail the same way.
    set +e
    (ulimit -f 2048 && trap '' XFSZ &&
        "$PDIBURN" zip --from "$S/archive" limited.zip >out 2>err)
    status=$?
    set -e
    [ "$status" -eq 5 ] || fail "exit status $status with a file size limit"
    [ ! -e limited.zip ] || fail "partial ZIP"
    no_partial limited.zip
fi
