#!/bin/sh
# The spool and file size limits (issue 8, item 14).  A full spool is exit
# 5 naming the spool, not a bad source (3), and the spool is removed.  A
# file size limit (ulimit -f) is exit 5 "File too large", on the spool or
# on the output, with nothing left: pdiburn ignores SIGXFSZ instead of
# dying of it.  A run killed by SIGKILL leaves its spool (decompressed
# patient images): the next run with the same spool folder removes it,
# but not the spool of a live run (its lock held, by flock(1) here), nor a
# spool just being made (no lock yet, new); an unlocked one an hour old
# goes.  Spools of other users are not touched (not tried: one user).
. "$E2E_LIB"
need flock
studies

# ---- a full spool --------------------------------------------------------------------
mkdir sp
if mount -t tmpfs -o size=1m tmpfs sp 2>/dev/null; then
    trap 'rc=$?; umount "$T/sp" 2>/dev/null || :
          if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then
              echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT
    expect_status 5 "$PDIBURN" iso --spool sp --from "$S/archive" x.iso
    expect_in err "error: the spool 'sp/pdiburn-spool-"
    expect_in err "No space left on device"
    [ -z "$(ls -A sp)" ] || fail "left in the spool folder: $(ls -A sp)"
    [ ! -e x.iso ] || fail "x.iso made"
    umount sp
else
    echo "no tmpfs mount here: the full spool is tried with a file size limit only"
fi

# ---- file size limits: the spool, then the output --------------------------------
# dash counts ulimit -f in 512-byte blocks: 64 KB, smaller than any
# decompressed image; then 2 MB, more than any image, less than the ISO
# (without pages and viewer, which wait in one spool file of ~10 MB).
set +e
(ulimit -f 128 && exec "$PDIBURN" iso --spool sp --from "$S/archive" x.iso >out 2>err)
status=$?
set -e
[ $status -eq 5 ] || fail "exit $status with a 64 KB file size limit: $(cat err)"
expect_in err "error: the spool 'sp/pdiburn-spool-"
expect_in err "File too large"
[ -z "$(ls -A sp)" ] || fail "left in the spool folder: $(ls -A sp)"
set +e
(ulimit -f 4096 &&
    exec "$PDIBURN" iso --no-web --spool sp --from "$S/archive" x.iso >out 2>err)
status=$?
set -e
[ $status -eq 5 ] || fail "exit $status with a 2 MB file size limit: $(cat err)"
expect_in err "error: 'x.iso': writing: File too large"
[ -z "$(ls -A sp)" ] || fail "left in the spool folder: $(ls -A sp)"
ls -A | grep -E '^(x\.iso|\.x\.iso)' && fail "partial image left"

# ---- SIGKILL: the next run removes the spool left behind --------------------------
big_source big 150
"$PDIBURN" iso --spool sp --from big --from "$S/archive" k.iso >k.out 2>k.err &
pid=$!
i=0
until ls sp/pdiburn-spool-*/00000002 >/dev/null 2>&1 || [ $i -ge 6000 ]; do
    i=$((i + 1))
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
done
kill -KILL $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
left=$(ls -d sp/pdiburn-spool-* 2>/dev/null)
[ -n "$left" ] && [ -e "$left/00000001" ] ||
    fail "no spool with an image left behind: $(cat k.err)"

# Beside it: a live run's spool (lock held), one being made (no lock, new),
# one whose maker died before locking it (no lock, an hour old).
mkdir -m 700 sp/pdiburn-spool-live00 sp/pdiburn-spool-fresh0 sp/pdiburn-spool-old000
echo 1 >sp/pdiburn-spool-live00/.lock
touch -d '2 hours ago' sp/pdiburn-spool-old000
flock sp/pdiburn-spool-live00/.lock sh -c \
    "\"$PDIBURN\" -v iso --spool sp --from \"$S/archive\" --patient-id PID004 y.iso >out 2>err; echo \$? >status"
[ "$(cat status)" = 0 ] || fail "the next run: $(cat err)"
expect_in err "removed the spool '$left'"
[ ! -e "$left" ] || fail "the killed run's spool is still there"
[ ! -e sp/pdiburn-spool-old000 ] || fail "the hour-old unlocked spool is still there"
[ -d sp/pdiburn-spool-live00 ] || fail "a live run's spool was removed"
[ -d sp/pdiburn-spool-fresh0 ] || fail "a spool being made was removed"
[ "$(ls sp | wc -l)" -eq 2 ] || fail "spool folder: $(ls -A sp)"
