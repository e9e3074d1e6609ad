#!/bin/sh
# Each command's man page documents exactly the options the command takes:
# every option `pdiburn CMD --help` lists has a *--name* entry in
# man/pdiburn-CMD.1.scd, and every entry there is an option CMD takes
# (global options are documented in pdiburn(1)).
set -eu
top=$1
pdiburn=$2
status=0
for cmd in iso dir zip usb burn; do
    page=$top/man/pdiburn-$cmd.1.scd
    takes=$("$pdiburn" "$cmd" --help | sed -n 's/^  --\([a-z-]*\).*/\1/p')
    documented=$(grep '^\*--' "$page" | grep -o '\*--[a-z-]*\*' |
        sed 's/^\*--\(.*\)\*$/\1/' | grep -v -x -e json -e quiet -e verbose \
        -e progress -e config || true)
    for opt in $takes; do
        echo "$documented" | grep -q -x -- "$opt" ||
            { echo "$cmd: --$opt is not in $(basename "$page")"; status=1; }
    done
    for opt in $documented; do
        echo "$takes" | grep -q -x -- "$opt" ||
            { echo "$cmd: $(basename "$page") documents --$opt, which $cmd does not take"; status=1; }
    done
done
[ $status -eq 0 ] && echo "each command's page documents exactly its options"
exit $status
