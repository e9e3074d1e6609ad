#!/bin/sh
# pdiburn batch: good and bad jobs side by side (a bad one is its own
# failure with its own exit status, the others run), one JSON result line
# each, exit status of the first failing job; a rerun skips what is done
# and leaves its outputs untouched; shards cover every job exactly once;
# -j 2 runs jobs side by side but never two on one output; JSON lines and
# CSV give the same jobs; SIGINT stops the batch and records the job it
# interrupted (exit 130); each job leaves its audit message.
. "$E2E_LIB"
studies
need bsdtar

a=$(study_uid PID001 CT)
b=$(study_uid PID001 MR)
cat >jobs.csv <<EOF
id,command,output,from,patient_id,study,no_verify,viewer,volume_id,institution
ct,iso,ct.iso,$S/archive,,$a,false,none,CT_ONLY,"Hospital, ""North"" wing"
both,dir,both,$S/archive,PID001,$a;$b,true,,,
# a comment row
zip2,zip,p2.zip,$S/archive,PID002,,,lite,,
nomatch,iso,none.iso,$S/archive,,1.2.3.4,,,,
badswitch,iso,bad.iso,$S/archive,,,perhaps,,,
nostick,usb,$T/no-stick,$S/archive,,,,,,
EOF
# nostick: a usb job whose mount point is not there fails with the usb
# command's own status (5).
expect_status 3 "$PDIBURN" batch --results r1.jsonl jobs.csv
"$PYTHON" - <<'PY' || fail "results of the mixed batch"
import json
rs = [json.loads(l) for l in open("r1.jsonl")]
by = {r["id"]: r for r in rs}
assert sorted(by) == ["badswitch", "both", "ct", "nomatch", "nostick", "zip2"], by
assert len(rs) == 6
for k in ("ct", "both", "zip2"):
    assert by[k]["status"] == "ok" and by[k]["exit_status"] == 0, by[k]
assert by["ct"]["studies"] == 1 and by["both"]["studies"] == 2
assert by["ct"]["outputs"] == ["ct.iso"] and by["both"]["outputs"] == ["both"]
assert by["zip2"]["patients"] == 1 and by["zip2"]["bytes"] > 0
assert by["nomatch"]["status"] == "failed" and by["nomatch"]["exit_status"] == 3
assert "no study matches" in by["nomatch"]["message"]
assert by["badswitch"]["exit_status"] == 2
assert "no_verify" in by["badswitch"]["message"], by["badswitch"]
assert by["nostick"]["status"] == "failed" and by["nostick"]["exit_status"] == 5, by["nostick"]
PY
expect_in err "pdiburn batch: 6 job(s): 3 ok, 3 failed, 0 skipped; exit status 3"
# No patient ID or name in what the batch says, without --verbose.
for phi in PID001 PID002 "MÃ¼ller" "JÃ¼rgen"; do
    ! grep -q "$(printf "$phi")" err r1.jsonl || fail "'$phi' in the batch's diagnostics"
done
# The options reached the commands: volume label and institution.
isoinfo -d -i ct.iso 2>/dev/null | grep -q "Volume id: CT_ONLY" ||
    { mkdir ctx && bsdtar -xf ct.iso -C ctx && grep -q 'Hospital, "North" wing' ctx/README.TXT; } ||
    fail "the job's options did not reach iso"
[ -f both/DICOMDIR ] || fail "job 'both' made no folder"
# Each job that ran left its audit message: 3 ok, 2 failed attempts
# (badswitch never ran).
[ "$(wc -l <"$PDIBURN_AUDIT_LOG")" -eq 5 ] || fail "audit messages: $(wc -l <"$PDIBURN_AUDIT_LOG")"

# A field that is no option of the command is that job's failure.
cat >opts.jsonl <<EOF
{"id": "x1", "command": "iso", "output": "x1.iso", "from": "$S/archive", "no_eject": true}
{"id": "x2", "command": "zip", "output": "x2.zip", "from": ["$S/archive"], "encrypt": true}
{"id": "x3", "command": "dir", "output": "x3", "from": "$S/archive", "patient_id": ["A", "B"]}
{"id": "x4", "command": "dir", "output": "x4", "from": "$S/archive", "colour": "blue"}
{"id": "x5", "command": "eject", "output": "x5"}
EOF
expect_status 2 "$PDIBURN" --json batch opts.jsonl
"$PYTHON" - <<'PY' || fail "option checks"
import json
lines = [json.loads(l) for l in open("out")]
summary = lines[-1]
assert summary["command"] == "batch" and summary["summary"] and summary["failed"] == 5, summary
by = {r["id"]: r for r in lines[:-1]}
assert all(r["exit_status"] == 2 for r in by.values()), by
assert "no_eject" in by["x1"]["message"] and "--no-eject" in by["x1"]["message"], by["x1"]
assert "passphrase_file" in by["x2"]["message"], by["x2"]
assert "one value" in by["x3"]["message"], by["x3"]
assert "colour" in by["x4"]["message"], by["x4"]
assert "command" in by["x5"]["message"], by["x5"]
PY
ls x1.iso x2.zip x3 x4 2>/dev/null && fail "a rejected job wrote something"

# Rerun: done jobs are skipped and their outputs left as they are.
before=$(stat -c '%i %Y %s' ct.iso p2.zip)
sum_before=$(sha256sum ct.iso p2.zip)
expect_status 3 "$PDIBURN" batch --results r1.jsonl jobs.csv
[ "$(wc -l <r1.jsonl)" -eq 12 ] || fail "rerun wrote $(wc -l <r1.jsonl) lines in all"
"$PYTHON" - <<'PY' || fail "rerun"
import json
rs = [json.loads(l) for l in open("r1.jsonl")][6:]
by = {r["id"]: r["status"] for r in rs}
assert by == {"ct": "skipped", "both": "skipped", "zip2": "skipped",
              "nomatch": "failed", "badswitch": "failed", "nostick": "failed"}, by
PY
[ "$before" = "$(stat -c '%i %Y %s' ct.iso p2.zip)" ] || fail "rerun touched outputs"
[ "$sum_before" = "$(sha256sum ct.iso p2.zip)" ] || fail "rerun changed outputs"

# Shards: every job in exactly one of three, the same as one run.
i=1
: >jobs.jsonl
while [ $i -le 7 ]; do
    printf '{"id": "j%d", "command": "dir", "output": "s%d", "from": "%s", "study": "%s", "no_verify": true, "viewer": "none"}\n' \
        $i $i "$S/archive" "$a" >>jobs.jsonl
    i=$((i + 1))
done
for k in 1 2 3; do
    expect_status 0 "$PDIBURN" batch --shard $k/3 --results shard$k.jsonl jobs.jsonl
done
"$PYTHON" - <<'PY' || fail "shards"
import json
seen = []
for k in (1, 2, 3):
    ids = [json.loads(l)["id"] for l in open("shard%d.jsonl" % k)]
    # job index i (0-based) goes to shard i % 3 + 1
    assert ids == ["j%d" % i for i in range(k, 8, 3)], (k, ids)
    seen += ids
assert sorted(seen) == sorted("j%d" % i for i in range(1, 8)), seen
PY
for i in 1 2 3 4 5 6 7; do [ -f "s$i/DICOMDIR" ] || fail "shard job $i made nothing"; done

# -j 2: two at a time; two jobs on one output never run together, so
# exactly one of them makes it and the other finds it there.
cat >par.csv <<EOF
id,command,output,from,study,no_verify,viewer
p1,dir,par1,$S/archive,$a,true,none
p2,dir,par2,$S/archive,$b,true,none
same1,dir,same,$S/archive,$a,true,none
same2,dir,./same,$S/archive,$b,true,none
EOF
expect_status 5 "$PDIBURN" batch -j 2 --results par.jsonl par.csv
"$PYTHON" - <<'PY' || fail "-j 2"
import json
by = {r["id"]: r for r in map(json.loads, open("par.jsonl"))}
assert by["p1"]["status"] == by["p2"]["status"] == "ok", by
same = sorted(by[k]["status"] for k in ("same1", "same2"))
assert same == ["failed", "ok"], by
PY
[ -f par1/DICOMDIR ] && [ -f par2/DICOMDIR ] && [ -f same/DICOMDIR ] ||
    fail "-j 2 outputs missing"

# SIGINT: the running job is cancelled and recorded (130), no other
# starts, the batch exits 130; a rerun finishes the rest.
big_source big 120
cat >slow.csv <<EOF
id,command,output,from
slow,iso,slow.iso,$T/big
after,iso,after.iso,$T/big
EOF
# The signal goes once the job writes its image, so that the job itself
# cancels (and audits the attempt); bounded wait, not a timing.
set +e
"$PYTHON" - "$PDIBURN" <<'PY'
import os, signal, subprocess, sys, time
with open("err", "wb") as err:
    p = subprocess.Popen([sys.argv[1], "batch", "--results", "slow.jsonl",
                          "slow.csv"], stderr=err)
    for _ in range(3000):
        if any(f.startswith(".slow.iso.") and f.endswith(".part")
               for f in os.listdir(".")) or p.poll() is not None:
            break
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    sys.exit(p.wait())
PY
status=$?
set -e
[ $status -eq 130 ] || { cat err >&2; fail "interrupted batch: exit $status"; }
"$PYTHON" - <<'PY' || fail "interrupted job not recorded"
import json
rs = [json.loads(l) for l in open("slow.jsonl")]
assert [(r["id"], r["status"], r["exit_status"]) for r in rs] == [("slow", "failed", 130)], rs
PY
[ ! -e slow.iso ] && [ ! -e after.iso ] ||
    fail "output left after the interrupt"
no_partial slow.iso
tail -1 "$PDIBURN_AUDIT_LOG" | grep -q 'EventOutcomeIndicator="4"' ||
    fail "the interrupted job's audit message is not 'cancelled' (4)"
expect_status 0 "$PDIBURN" batch --results slow.jsonl slow.csv
[ -f slow.iso ] && [ -f after.iso ] || fail "the rerun did not finish"

# Usage: duplicate ids and bad shards are the batch's own errors.
printf 'id,command,output\na,iso,a.iso\na,iso,b.iso\n' >dup.csv
expect_status 2 "$PDIBURN" batch dup.csv
expect_in err "same id 'a'"
expect_status 2 "$PDIBURN" batch --shard 4/3 jobs.csv
printf 'id,command,output\n"a,iso\n' >broken.csv
expect_status 2 "$PDIBURN" batch broken.csv
expect_in err "broken.csv"
echo "batch: mixed jobs, resume, shards, -j 2, interrupt"
