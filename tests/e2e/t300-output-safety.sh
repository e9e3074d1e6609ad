#!/bin/sh
# Output never harms what pdiburn did not create (issue 8, items 11-12).
# A symbolic link planted as OUTPUT.part (to a file we must not write) and
# a folder MEDIA.part with someone's files: both untouched, and the image
# made is a plain file that isoinfo reads.  Partial outputs are private
# (0600) while written; the result takes the umask's permissions (027 ->
# 640) without pdiburn flipping the process umask.  One writer per output:
# while a run holds OUT's lock (stopped with SIGSTOP mid-run, so nothing
# is timed), a second run is exit 5 naming the first one's pid and leaves
# everything alone; the first then finishes whole.  A lock held by another
# process (flock(1)) refuses the same way; a lock and a partial image left
# by a run that was killed are taken over and removed.
. "$E2E_LIB"
need isoinfo flock
studies

# ---- planted names --------------------------------------------------------------
echo precious >victim
ln -s "$T/victim" x.iso.part
ln -s "$T/victim" .x.iso.part
mkdir media.part
echo mine >media.part/keep
expect_status 0 "$PDIBURN" iso --from "$S/archive" --patient-id PID004 x.iso
[ "$(cat victim)" = precious ] || fail "the planted link's target was written"
[ -f x.iso ] && [ ! -L x.iso ] || fail "x.iso is not a plain file"
isoinfo -d -i x.iso | grep -q "Volume id: PDI_" || fail "isoinfo does not read x.iso"
[ -L x.iso.part ] && [ -L .x.iso.part ] || fail "a planted link was removed"
expect_status 0 "$PDIBURN" dir --from "$S/archive" --patient-id PID004 media
[ "$(cat media.part/keep)" = mine ] || fail "the folder media.part was touched"
[ -f media/DICOMDIR ] || fail "no media/DICOMDIR"
# A failing run leaves them alone too.
expect_status 3 "$PDIBURN" iso --from "$S/archive" --study 1.2.3.4 x.iso
[ "$(cat victim)" = precious ] && [ -L x.iso.part ] || fail "touched by a failed run"
ls -A >names.txt
grep -v -x -e victim -e x.iso -e x.iso.part -e .x.iso.part -e media \
    -e media.part -e names.txt -e out -e err -e audit names.txt >left.txt &&
    fail "left behind: $(cat left.txt)"

# ---- permissions: private while written, the umask's when done ------------------
big_source big 150
mkdir spool
"$PDIBURN" --progress=always iso --spool spool --from big y.iso >y.out 2>y.err &
pid=$!
i=0
until ls .y.iso.*.part >/dev/null 2>&1 || [ $i -ge 3000 ]; do
    i=$((i + 1))
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
done
part=$(ls .y.iso.*.part 2>/dev/null | head -1)
[ -n "$part" ] || { wait $pid; fail "never saw the partial image"; }
mode=$(stat -c %a "$part" 2>/dev/null || echo gone)
wait $pid || fail "the run failed: $(cat y.err)"
[ "$mode" = 600 ] || [ "$mode" = gone ] || fail "partial image mode $mode, not 600"
(umask 027 && "$PDIBURN" -q iso --from "$S/archive" --patient-id PID004 z.iso) ||
    fail "umask 027 run"
[ "$(stat -c %a z.iso)" = 640 ] || fail "z.iso mode $(stat -c %a z.iso) under umask 027"
(umask 077 && "$PDIBURN" -q dir --from "$S/archive" --patient-id PID004 zd) ||
    fail "umask 077 run"
[ "$(stat -c %a zd)" = 700 ] || fail "zd mode $(stat -c %a zd) under umask 077"
rm -f z.iso y.iso

# ---- a second writer ---------------------------------------------------------------
"$PDIBURN" iso --spool spool --from big w.iso >w.out 2>w.err &
first=$!
i=0
until [ -e .w.iso.lock ] || [ $i -ge 6000 ]; do
    i=$((i + 1))
    kill -0 $first 2>/dev/null || break
    sleep 0.01
done
kill -STOP $first 2>/dev/null || true
[ -e .w.iso.lock ] || { kill -CONT $first; wait $first; fail "never saw the lock"; }
expect_status 5 "$PDIBURN" iso --from "$S/archive" --patient-id PID004 w.iso
expect_in err "'w.iso' is being written by another run (process $first)"
[ ! -e w.iso ] || fail "the second run made w.iso"
kill -CONT $first
wait $first || fail "the first run failed: $(cat w.err)"
isoinfo -d -i w.iso >/dev/null || fail "w.iso is not a whole image"
[ ! -e .w.iso.lock ] || fail "the lock was left"
if ls -A | grep -E '^\..+\.[A-Za-z0-9]{6}\.part$' >left.txt; then
    fail "partial outputs left: $(cat left.txt)"
fi

# A lock another process holds: refused, and the holder's file untouched.
echo 4242 >.v.iso.lock
flock .v.iso.lock sh -c "
    \"$PDIBURN\" iso --from \"$S/archive\" --patient-id PID004 v.iso >out 2>err
    echo \$? >status"
[ "$(cat status)" = 5 ] || fail "exit $(cat status) with the lock held"
expect_in err "being written by another run (process 4242)"
[ ! -e v.iso ] && [ "$(cat .v.iso.lock)" = 4242 ] || fail "touched while locked"

# The lock and the partial image of a run that was killed: taken over.
head -c 1000 /dev/zero >.v.iso.Ab12Cd.part
expect_status 0 "$PDIBURN" -v iso --from "$S/archive" --patient-id PID004 v.iso
expect_in err "removed '"
[ ! -e .v.iso.Ab12Cd.part ] && [ ! -e .v.iso.lock ] || fail "stale files left"
isoinfo -d -i v.iso >/dev/null || fail "v.iso"
