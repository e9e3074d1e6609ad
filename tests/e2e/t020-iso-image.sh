#!/bin/sh
# pdiburn iso: ISO 9660 Level 1 names for every file, Joliet and Rock
# Ridge, volume id = File-set ID, blank system id; the image read by
# bsdtar (libarchive, not libisofs) holds a conformant File-set.
. "$E2E_LIB"
need isoinfo bsdtar dciodvfy
studies

expect_status 0 "$PDIBURN" iso --from "$S/archive" --volume-id CASE_42 cd.iso
[ -f cd.iso ] && [ ! -e cd.iso.part ] || fail "cd.iso not in place"

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

mkdir media
bsdtar -xf cd.iso -C media
dciodvfy_clean media/DICOMDIR
check_medium media --sha256
expect_status 0 "$PDIBURN" verify cd.iso
