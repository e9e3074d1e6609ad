#!/bin/sh
# Each command that makes media takes the options that mean something to
# it; any other is a usage error (exit 2) that names option and command,
# before anything is read or written.
. "$E2E_LIB"
studies

# misplaced COMMAND OPTION...: exit 2, the message names both, no output.
misplaced() {
    cmd=$1
    shift
    out=""
    case $cmd in
    usb) mkdir -p stick && out=stick ;;
    burn) ;;
    *) out="out.$cmd" ;;
    esac
    expect_status 2 "$PDIBURN" "$cmd" --from "$S/archive" "$@" $out
    expect_in err "pdiburn $cmd: $1 is not an option of this command"
    [ ! -e "out.$cmd" ] || fail "$cmd $1 wrote its output"
}

misplaced dir --replace
misplaced zip --speed 8x
misplaced dir --no-eject
misplaced dir --encrypt
misplaced iso --drive /dev/sr0
misplaced iso --passphrase-file /dev/null --copy-type legal
misplaced zip --robot ptburn:/tmp
misplaced usb --copies 2
misplaced burn --replace --drive stdio:disc.iso
misplaced burn --robot-path x --drive stdio:disc.iso

# The options of a command are still taken.
expect_status 0 "$PDIBURN" dir --from "$S/archive" --no-web --no-verify \
    --copy-type legal --paper letter --dry-run out.dir
expect_status 2 "$PDIBURN" iso --bogus out.iso
expect_in err "pdiburn iso: '--bogus' is not an option"

# --help lists what the command takes, and only that.
expect_status 0 "$PDIBURN" burn --help
expect_in out "--speed"
! grep -q -- "--robot" out || fail "burn --help lists --robot"
expect_status 0 "$PDIBURN" iso --help
expect_in out "--robot KIND:FOLDER"
! grep -q -- "--drive" out || fail "iso --help lists --drive"
echo "ok"
