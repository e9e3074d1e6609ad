#!/bin/sh
# Disc robot hot folders (issue 8, item 15).  Two runs in containers of
# their own (PID namespaces: both are process 1, as on two hosts sharing
# the folder) submit at the same time: two jobs, each naming its own
# image; names derived from the second and the pid collided, so one disc
# was never burned while both runs exited 0.  A working folder whose name
# holds a line break reached ImageFile=, PrintLabel= and Data= lines
# through realpath(): now exit 2 before any work, nothing written, no job.
# The same for --robot-path with a control character.
. "$E2E_LIB"
studies

mkdir hot
ns=""
if unshare --pid --fork --mount-proc true 2>/dev/null; then
    ns="unshare --pid --fork --mount-proc"
else
    echo "no PID namespaces here: the two runs have their own pids"
fi
for name in a b; do
    $ns "$PDIBURN" iso --robot ptburn:hot --from "$S/archive" --patient-id PID004 \
        --volume-id SAME "$name.iso" >"$name.out" 2>"$name.err" &
    eval "pid_$name=\$!"
done
wait "$pid_a" || fail "run a: $(cat a.err)"
wait "$pid_b" || fail "run b: $(cat b.err)"
"$PYTHON" - hot "$T" <<'PY' || fail "the jobs in the hot folder"
import os, re, sys
hot, here = sys.argv[1], sys.argv[2]
jobs = sorted(os.listdir(hot))
assert len(jobs) == 2 and all(j.endswith(".JRQ") for j in jobs), jobs
images = set()
for name in jobs:
    raw = open(os.path.join(hot, name), "rb").read().decode("ascii")
    keys = dict(l.split("=", 1) for l in raw.split("\r\n") if l)
    assert name == keys["JobID"] + ".JRQ", (name, keys)
    assert re.fullmatch(r"PDB\d{14}_[A-Z0-9]{9}_1", keys["JobID"]), keys["JobID"]
    images.add(keys["ImageFile"])
assert images == {os.path.join(here, "a.iso"), os.path.join(here, "b.iso")}, images
PY

# ---- a line break in the working folder's name --------------------------------
rm -f hot/*
w=$(printf 'w\nImageFile=C:\\evil.iso')
mkdir "$w"
set +e
(cd "$w" && exec "$PDIBURN" iso --robot "ptburn:$T/hot" --from "$S/archive" \
    --patient-id PID004 x.iso >"$T/out" 2>"$T/err")
status=$?
set -e
[ $status -eq 2 ] || fail "exit $status with a line break in the folder's name"
expect_in err "control character"
[ -z "$(ls -A "$w")" ] || fail "written: $(ls -A "$w")"
[ -z "$(ls -A hot)" ] || fail "a job was sent: $(ls -A hot)"

# --robot-path is typed: a control character in it is refused too.
expect_status 2 "$PDIBURN" iso --robot ptburn:hot --robot-path "$(printf '\\\\srv\\a\tb')" \
    --from "$S/archive" --patient-id PID004 y.iso
expect_in err "control character"
[ ! -e y.iso ] && [ -z "$(ls -A hot)" ] || fail "written with a bad --robot-path"
