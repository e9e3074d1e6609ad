#!/bin/sh
# pdiburn burn through libburn onto pseudo-drives (stdio:FILE): the disc
# is an ISO 9660 image with the volume label, Joliet and Rock Ridge
# (isoinfo), a File-set that dciodvfy and the pydicom checker accept after
# bsdtar extracts it.  A written disc is refused ("not blank", exit 5, not
# one byte changed); a disc too small for --media cd is exit 5 "the disc
# holds" with nothing written.  Several discs: with "%u" each goes to its
# own file and each verifies; with one address the next disc is asked for
# on standard input: the same, now written, file is refused and asked for
# again, a clerk who then changes discs gets every volume, and a closed
# standard input cancels (exit 130) -- disc 1 stays good either way.  SIGINT while writing is exit 130 with the spool removed, and
# libburn still works afterwards.  A changed byte on a burnt disc fails
# pdiburn verify (exit 6) naming the file.  pdiburn drives lists drives
# (none here), also as JSON.
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy xorriso sha256sum
studies

# ---- drives -------------------------------------------------------------------
expect_status 0 "$PDIBURN" drives
expect_status 0 "$PDIBURN" --json drives
"$PYTHON" - out <<'PY' || { cat out >&2; fail "pdiburn --json drives"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["command"] == "drives" and r["ok"] is True, r
assert isinstance(r["drives"], list), r
for d in r["drives"]:
    for key in ("address", "model", "status", "medium", "free_bytes"):
        assert key in d, (key, d)
PY

# ---- one disc -------------------------------------------------------------------
mkdir spool
expect_status 0 "$PDIBURN" burn --spool spool --drive "stdio:$T/disc.iso" \
    --from "$S/archive" --patient-id PID001
[ -z "$(ls -A spool)" ] || fail "spool not emptied"
isoinfo -d -i disc.iso >info.txt || fail "isoinfo: not an ISO 9660 image"
grep -q '^Volume id: PDI' info.txt || { cat info.txt >&2; fail "volume id"; }
grep -q '^Joliet' info.txt || { cat info.txt >&2; fail "no Joliet"; }
grep -q '^Rock Ridge' info.txt || { cat info.txt >&2; fail "no Rock Ridge"; }
blocks=$(sed -n 's/^Volume size is: //p' info.txt)
[ $((blocks * 2048)) -eq "$(wc -c <disc.iso)" ] || fail "disc.iso size is not the volume size"
mkdir x
bsdtar -xf disc.iso -C x || fail "bsdtar"
dciodvfy_clean x/DICOMDIR
check_medium x --patients PID001 --sha256
expect_status 0 "$PDIBURN" verify disc.iso

# A written disc is not blank: refused, untouched.
sha256sum disc.iso >disc.sha
expect_status 5 "$PDIBURN" burn --drive "stdio:$T/disc.iso" --from "$S/archive" \
    --patient-id PID003
expect_in err "not blank"
sha256sum --quiet -c disc.sha || fail "the written disc changed"

# A changed byte in the middle of a DICOM file of the disc.
victim=/DICOM/PT000001/ST000001/SE000001/IM000003
lba=$(xorriso -indev disc.iso -find "$victim" -exec report_lba -- 2>/dev/null |
    awk -F, '/^File data lba:/ {gsub(/ /, "", $2); print $2}')
[ -n "$lba" ] || fail "xorriso does not find $victim"
cp disc.iso bad.iso
"$PYTHON" - bad.iso $((lba * 2048 + 300000)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    b = f.read(1)
    f.seek(int(sys.argv[2]))
    f.write(bytes([b[0] ^ 0xFF]))
PY
expect_status 6 "$PDIBURN" verify bad.iso
expect_in err "DICOM/PT000001/ST000001/SE000001/IM000003"

# ---- a disc too small -------------------------------------------------------------
mkdir small
if mount -t tmpfs -o size=5m tmpfs small 2>/dev/null; then
    trap 'rc=$?; umount "$T/small" 2>/dev/null || :
          if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then
              echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT
    expect_status 5 "$PDIBURN" burn --media cd --drive "stdio:$T/small/d.iso" \
        --from "$S/archive"
    expect_in err "the disc holds"
    [ -z "$(ls -A small)" ] || fail "written to the small disc: $(ls -A small)"
    umount small
else
    echo "no tmpfs mount: the small disc is not tried"
fi

# ---- several discs ------------------------------------------------------------------
max=12000000
expect_status 0 "$PDIBURN" burn --dry-run --max-size $max --drive "stdio:$T/d_%u.iso" \
    --from "$S/archive"
n=$(grep -c '^volume [0-9]* of ' out) || fail "no volumes planned"
[ "$n" -ge 2 ] || fail "$n disc(s) planned, expected several"
[ -z "$(ls d_* 2>/dev/null)" ] || fail "--dry-run burnt"

# One file per disc: no question asked (standard input is empty).
expect_status 0 "$PDIBURN" burn --max-size $max --drive "stdio:$T/d_%u.iso" \
    --from "$S/archive" </dev/null
[ ! -e "d_$((n + 1)).iso" ] || fail "more discs than planned"
k=1
while [ $k -le "$n" ]; do
    [ -f "d_$k.iso" ] || fail "d_$k.iso not burnt"
    expect_status 0 "$PDIBURN" verify "d_$k.iso"
    isoinfo -d -i "d_$k.iso" | grep -q "^Volume id: .*_$k\$" || fail "d_$k.iso: label without _$k"
    mkdir "d$k"
    bsdtar -xf "d_$k.iso" -C "d$k"
    dciodvfy_clean "d$k/DICOMDIR"
    grep -q -i "disc $k of $n" "d$k/README.TXT" || fail "d_$k.iso: README.TXT lacks disc $k of $n"
    k=$((k + 1))
done

# One address for every disc: the next disc is asked for on standard
# input.  The same file is not blank any more: refused, and asked again
# until the input ends (exit 130), disc 1 intact.
set +e
printf '\n\n\n' | "$PDIBURN" burn --max-size $max --drive "stdio:$T/same.iso" \
    --from "$S/archive" >out 2>err
status=$?
set -e
[ $status -eq 130 ] || { cat err >&2; fail "a written disc as disc 2: exit $status, not 130"; }
[ "$(grep -c "disc 2 of $n" err)" -eq 4 ] || { cat err >&2; fail "not asked four times for disc 2"; }
[ "$(grep -c "not blank" err)" -eq 3 ] || { cat err >&2; fail "the used disc not refused each time"; }
expect_status 0 "$PDIBURN" verify same.iso
isoinfo -d -i same.iso | grep -q '^Volume id: .*_1$' || fail "same.iso is not disc 1"

# A clerk at the drive: answers once with the used disc still in (refused,
# asked again), then takes each burnt disc out before answering.
"$PYTHON" - "$PDIBURN" "$T/clerk.iso" "$S/archive" $max <<'PY' || fail "changing discs"
import os, subprocess, sys
pdiburn, disc, archive, max_size = sys.argv[1:]
p = subprocess.Popen([pdiburn, "burn", "--max-size", max_size, "--drive",
                      "stdio:" + disc, "--from", archive],
                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)
asked, refused, taken = 0, 0, 0
for line in p.stderr:
    sys.stderr.write(line)
    if "not blank" in line:
        refused += 1
    if "put a blank disc" in line:
        asked += 1
        if asked > 1:           # the first time, the used disc stays in
            taken += 1
            os.rename(disc, "%s.%d" % (disc, taken))
        p.stdin.write("\n")
        p.stdin.flush()
assert p.wait() == 0, p.returncode
assert refused == 1, refused
os.rename(disc, "%s.%d" % (disc, taken + 1))
print(taken + 1)
PY
k=1
while [ $k -le "$n" ]; do
    expect_status 0 "$PDIBURN" verify "clerk.iso.$k"
    isoinfo -d -i "clerk.iso.$k" | grep -q "^Volume id: .*_$k\$" || fail "clerk.iso.$k is not disc $k"
    k=$((k + 1))
done
[ ! -e "clerk.iso.$k" ] || fail "more discs than planned"

# Standard input closed: cancelled before disc 2, disc 1 good.
expect_status 130 "$PDIBURN" burn --max-size $max --drive "stdio:$T/eof.iso" \
    --from "$S/archive" </dev/null
expect_in err "cancelled before disc 2"
expect_status 0 "$PDIBURN" verify eof.iso

# ---- SIGINT while writing ---------------------------------------------------------
big_source big 120
set +e
"$PYTHON" "$INTERRUPT_AT" writing out err -- "$PDIBURN" --progress=always \
    burn --spool spool --drive "stdio:$T/cancel.iso" --from big
status=$?
set -e
[ $status -eq 130 ] || { cat err >&2; fail "exit $status, not 130, when cancelled while writing"; }
expect_in err "cancelled"
[ -z "$(ls -A spool)" ] || fail "spool left after cancelling"
# The drive was given back: libburn lists drives and burns again.
expect_status 0 "$PDIBURN" drives
expect_status 0 "$PDIBURN" burn --drive "stdio:$T/after.iso" --from "$S/archive" \
    --patient-id PID004
expect_status 0 "$PDIBURN" verify after.iso
