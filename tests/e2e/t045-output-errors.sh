#!/bin/sh
# Output problems are exit 5 with a clear message, and leave nothing
# half-written: a missing folder, a folder that is not empty, a read-only
# file system, a full disk (small tmpfs mounts, or a file size limit where
# mounting is not allowed).
. "$E2E_LIB"
studies

expect_status 5 "$PDIBURN" iso --from "$S/archive" "$T/missing/x.iso"
expect_in err "no such folder"

mkdir busy
touch busy/keep-me
expect_status 5 "$PDIBURN" dir --from "$S/archive" busy
expect_in err "is not empty"
[ -f busy/keep-me ] || fail "an existing file was touched"

mkdir small ro
if mount -t tmpfs -o size=2m tmpfs small 2>/dev/null; then
    trap 'umount "$T/small" "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT
    expect_status 5 "$PDIBURN" iso --from "$S/archive" small/full.iso
    expect_in err "No space left on device"
    [ -z "$(ls -A small)" ] || fail "left in the full file system: $(ls -A small)"
    expect_status 5 "$PDIBURN" dir --from "$S/archive" small/media
    [ -z "$(ls -A small)" ] || fail "left in the full file system: $(ls -A small)"

    mount -t tmpfs -o size=64m,ro tmpfs ro
    expect_status 5 "$PDIBURN" iso --from "$S/archive" ro/x.iso
    expect_in err "Read-only file system"
else
    # No mounting here: a file size limit makes writes fail the same way.
    (ulimit -f 2048 && trap '' XFSZ &&
        "$PDIBURN" iso --from "$S/archive" limited.iso >out 2>err)
    [ $? -eq 5 ] || fail "exit status with a file size limit"
    [ ! -e limited.iso ] || fail "partial image"
    no_partial limited.iso
fi
