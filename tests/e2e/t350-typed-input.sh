#!/bin/sh
# What the user types is checked (issue 8, item 17): each of these was
# exit 0 or 3, or was used cut short, and is now a usage error (exit 2)
# with a message naming the value, with nothing written: --max-size -5
# and 99999999999999999999, --media usb-99999999999999T, --since
# 2024-13-45 (and 2023-02-29), --report /dev/zero (and a folder, an empty
# file), a passphrase file whose first line is longer than 1023 bytes or
# holds a NUL; to make a ZIP, one longer than 99 bytes, which 7-Zip (that
# README-FIRST.TXT recommends) cannot use.  A passphrase of exactly 99
# bytes is taken whole: 7z opens the ZIP with it and not with its first
# 98 bytes; verify takes 1023 bytes whole (a wrong one: exit 6).
. "$E2E_LIB"
need 7z
studies

# usage VALUE... : exit 2, the message quoting what was typed, nothing made.
usage() {
    expect_status 2 "$PDIBURN" iso "$@" --from "$S/archive" --patient-id PID004 x.iso
    grep -q "^pdiburn iso: error: .*$2" err || fail "no message about '$2': $(cat err)"
    [ ! -e x.iso ] || fail "x.iso made with $*"
}
usage --max-size -5
usage --max-size 99999999999999999999
usage --max-size 12MB
usage --media usb-99999999999999T
usage --media usb-0
usage --media usb-8Q
usage --since 2024-13-45
usage --until 2023-02-29
usage --since 2024-1-5
mkdir folder
: >empty.txt
usage --report /dev/zero
usage --report folder
usage --report empty.txt

# The values next to them still work.
expect_status 0 "$PDIBURN" iso --dry-run --max-size 5000000 --media usb-8G \
    --since 2024-02-29 --until 20241231 --from "$S/archive" x.iso

# ---- passphrase files -----------------------------------------------------------
"$PYTHON" -c 'import sys; sys.stdout.write("p" * 1024 + "\n")' >long.txt
usage_zip() {
    expect_status 2 "$PDIBURN" zip --passphrase-file "$1" --from "$S/archive" \
        --patient-id PID004 x.zip
    expect_in err "$2"
    [ ! -e x.zip ] || fail "x.zip made with $1"
}
usage_zip long.txt "longer than 1023 bytes"
printf 'secret-one\000tail\n' >nul.txt
usage_zip nul.txt "holds a NUL byte"

# To make a ZIP: at most 99 bytes, all of which 7-Zip uses (it ignores
# the rest of a longer one, and could not open the ZIP).
"$PYTHON" -c 'import sys; sys.stdout.write("p" * 100 + "\n")' >100.txt
usage_zip 100.txt "longer than 99 bytes"
"$PYTHON" -c 'import sys; sys.stdout.write("q" * 98 + "Z\r\n")' >99.txt
expect_status 0 "$PDIBURN" zip --passphrase-file 99.txt --from "$S/archive" \
    --patient-id PID004 x.zip
pass=$(head -c 99 99.txt)
7z t "-p$pass" x.zip >7z.txt 2>&1 || { cat 7z.txt >&2; fail "7z with all 99 bytes"; }
if 7z t "-p$(head -c 98 99.txt)" x.zip >/dev/null 2>&1; then
    fail "the ZIP opens with the passphrase cut short"
fi

# To open someone's ZIP, up to 1023 bytes, whole; longer is refused.
expect_status 2 "$PDIBURN" verify --passphrase-file long.txt x.zip
expect_in err "longer than 1023 bytes"
"$PYTHON" -c 'import sys; sys.stdout.write("q" * 98 + "Z" + "x" * 924 + "\n")' >1023.txt
expect_status 6 "$PDIBURN" verify --passphrase-file 1023.txt x.zip
expect_status 0 "$PDIBURN" verify --passphrase-file 99.txt x.zip
