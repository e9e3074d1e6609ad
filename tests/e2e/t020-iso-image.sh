#!/bin/sh
# pdiburn iso: ISO 9660 Level 1 names for every file, Joliet and Rock
# Ridge, volume id = File-set ID, blank system id; the image read by
# bsdtar (libarchive, not libisofs) holds a conformant File-set.  Made as
# xorriso and genisoimage make theirs: the Joliet and Rock Ridge trees
# list exactly the primary names without ".;1" (upper case, web content
# too), Rock Ridge is signed RRIP_1991A, 150 blocks of padding follow the
# last file, and a file copied unchanged keeps its source's time.
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy
studies

expect_status 0 "$PDIBURN" iso --from "$S/archive" --volume-id CASE_42 cd.iso
[ -f cd.iso ] || fail "cd.iso not in place"
no_partial cd.iso

isoinfo -d -i cd.iso >pvd.txt
expect_in pvd.txt "Volume id: CASE_42"
grep -q "^System id: *$" pvd.txt || fail "system id is not blank"
expect_in pvd.txt "Joliet"
expect_in pvd.txt "Rock Ridge"

# Every primary name: 8.3 of A-Z 0-9 _, version ;1; folders at most 8 deep.
isoinfo -l -i cd.iso >listing.txt
awk '/^Directory listing of/ { dir = $4; next }
     NF >= 11 && $NF != "." && $NF != ".." { print substr($1, 1, 1), dir $NF }' \
    listing.txt >names.txt
[ -s names.txt ] || fail "no names listed"
grep -E -v '^d /([A-Z0-9_]{1,8}/)*[A-Z0-9_]{1,8}$|^- /([A-Z0-9_]{1,8}/)*[A-Z0-9_]{1,8}\.[A-Z0-9_]{0,3};1$' \
    names.txt >bad-names.txt || true
[ ! -s bad-names.txt ] || { cat bad-names.txt >&2; fail "not ISO 9660 Level 1"; }
expect_in listing.txt "DICOMDIR.;1"
depth=$(isoinfo -f -i cd.iso | awk -F/ '{ print NF - 1 }' | sort -n | tail -1)
[ "$depth" -le 8 ] || fail "depth $depth"

# The three name trees, as isoinfo reads each: one set of names.
isoinfo -f -i cd.iso | sed -e 's/;1$//' -e 's/\.$//' | sort >primary.txt
isoinfo -J -f -i cd.iso | sort >joliet.txt
isoinfo -R -f -i cd.iso | sort >rockridge.txt
diff primary.txt joliet.txt || fail "the Joliet tree names differ from the ISO 9660 names"
diff primary.txt rockridge.txt || fail "the Rock Ridge tree names differ from the ISO 9660 names"
grep -qx /DICOMDIR joliet.txt || fail "no /DICOMDIR in the Joliet tree"
grep -qx /INDEX.HTM rockridge.txt || fail "no /INDEX.HTM in the Rock Ridge tree"
grep -q '[a-z]' rockridge.txt && fail "lower-case names in the Rock Ridge tree"
grep -a -q RRIP_1991A cd.iso || fail "Rock Ridge not signed RRIP_1991A"
if grep -a -q IEEE_1282 cd.iso; then fail "Rock Ridge signed IEEE_1282"; fi

# Padding: the volume ends at least 150 blocks after the last file's data.
size=$(sed -n 's/^Volume size is: //p' pvd.txt)
last=$(awk '/\[/ { gsub(/[][]/, " "); if ($10 == "00") { end = $9 + int(($5 + 2047) / 2048); if (end > max) max = end } }
     END { print max }' listing.txt)
[ -n "$size" ] && [ -n "$last" ] && [ $((size - last)) -ge 150 ] ||
    fail "volume of $size blocks, last file ends at block $last: no 150 blocks of padding"

# Times: unchanged copies of sources dated 2001 say 2001 in every tree;
# what pdiburn made (DICOMDIR) says this year.
mkdir old
cp "$S"/archive/misc/PID004/* old/ # Explicit VR LE Part 10: copied as they are
find old -type f -exec touch -d '2001-02-03 04:05:06' {} +
expect_status 0 "$PDIBURN" iso --from old --volume-id OLD old.iso
isoinfo -l -i old.iso >old-primary.txt
isoinfo -J -l -i old.iso >old-joliet.txt
isoinfo -R -l -i old.iso >old-rr.txt
for t in primary joliet rr; do
    grep ' IM0000' old-$t.txt | grep -q 'Feb  3 2001' || { cat old-$t.txt >&2; fail "$t tree: no copied file dated 2001"; }
    grep ' DICOMDIR' old-$t.txt | grep -q "$(date +%Y)" || fail "$t tree: DICOMDIR not dated this year"
done

mkdir media
bsdtar -xf cd.iso -C media
dciodvfy_clean media/DICOMDIR
check_medium media --sha256
expect_status 0 "$PDIBURN" verify cd.iso
