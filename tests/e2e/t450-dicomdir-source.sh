#!/bin/sh
# Outside discs and copied discs as a source (issue 9, item 4).  A folder
# holding a DICOMDIR - an outside CD copied to disk (made here by DCMTK's
# dcmgpdir), pdiburn's own media, or such a copy inside an archive - used
# to fail with "DICOMDIR: no Study Instance UID".  The DICOMDIR is read,
# never taken as an instance; its records find the files whatever case the
# copy gave them; a file it does not reference is read with a warning, and
# a referenced file that is missing is an error of its study.  Re-exported
# media pass pdiburn verify, check_medium and dciodvfy.
. "$E2E_LIB"
need dcmgpdir dciodvfy bsdtar
studies

# An outside disc: PID004 (Explicit VR LE) and PID003 (Implicit VR LE,
# ISO 2022 names) under IMAGES/, indexed by dcmgpdir.
mkdir -p outside/IMAGES
i=0
for f in "$S/archive/misc/PID004/"*.dcm "$S/archive/patient c/ct/"*; do
    i=$((i + 1))
    cp "$f" "outside/IMAGES/IM$(printf %05d $i)"
done
(cd outside && dcmgpdir -q +r +id . +I -Nxc IMAGES) || fail "dcmgpdir"
[ -f outside/DICOMDIR ] || fail "dcmgpdir made no DICOMDIR"

# judge MEDIA_DIR: the independent checks on media holding both patients.
judge() {
    check_medium "$1" --patients PID003,PID004 --sha256
    dciodvfy_clean "$1/DICOMDIR"
}

expect_status 0 "$PDIBURN" iso --from outside cd.iso
if grep -q -e "DICOMDIR:" -e "not referenced" -e "not a DICOM file" err; then
    cat err
    fail "the DICOMDIR or its File-set was taken for something else"
fi
mkdir cd
bsdtar -xf cd.iso -C cd
judge cd
expect_status 0 "$PDIBURN" verify cd.iso

# As Linux shows a disc without Rock Ridge: lower-case names.
cp -r outside lower
(
    cd lower
    mv IMAGES images
    for f in images/*; do mv "$f" "$(echo "$f" | tr A-Z a-z)"; done
    mv DICOMDIR dicomdir
)
expect_status 0 "$PDIBURN" dir --from lower low
if grep -q "not referenced" err; then cat err; fail "lower-case names not found"; fi
judge low

# A file the DICOMDIR does not reference is still read, and said.
cp -r outside extra
cp "$S/archive/misc/PID004/x1.dcm" extra/IMAGES/STRAY
expect_status 0 "$PDIBURN" dir --from extra ex
expect_in err "'extra/IMAGES/STRAY' is not referenced by 'extra/DICOMDIR'; read anyway"
expect_in err "is a copy of"

# A referenced file that is missing stops the export of its study only.
rm lower/images/im00002
expect_status 3 "$PDIBURN" dir --from lower miss
expect_in err "'lower/IMAGES/IM00002': referenced by 'lower/dicomdir' but not there"
nothing_written miss
expect_status 3 "$PDIBURN" dir --from lower --patient-id PID004 miss
nothing_written miss
expect_status 0 "$PDIBURN" dir --from lower --patient-id PID003 p3
expect_in err "not there; not part of the selection"
check_medium p3 --patients PID003 --sha256

# pdiburn's own media as the source, on to a new CD and a folder.
expect_status 0 "$PDIBURN" dir --from outside ours
expect_status 0 "$PDIBURN" iso --from ours again.iso
if grep -q -e "DICOMDIR:" -e "not a DICOM file" -e "not referenced" err; then
    cat err
    fail "pdiburn's own media not read as a File-set"
fi
mkdir again
bsdtar -xf again.iso -C again
judge again
expect_status 0 "$PDIBURN" verify again.iso

# A copied disc inside an archive blocks nothing.
mkdir archive
cp -r "$S/archive/misc" archive/
cp -r outside "archive/disc from elsewhere"
expect_status 0 "$PDIBURN" dir --from archive --patient-id PID003 a3
check_medium a3 --patients PID003 --sha256
expect_status 0 "$PDIBURN" dir --from archive all
expect_in err "is a copy of"
check_medium all --patients PID003,PID004, --sha256

# And onto a stick (a tmpfs mount, as t110 does), where that is permitted.
mkdir stick
if mount -t tmpfs -o size=64m tmpfs stick 2>/dev/null; then
    trap 'rc=$?; umount "$T/stick" 2>/dev/null || :
          if { [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; } || [ "${KEEP:-0}" = 1 ]; then
              echo "kept $T" >&2; else rm -rf "$T"; fi' EXIT
    expect_status 0 "$PDIBURN" usb --from ours stick
    judge stick
    expect_status 0 "$PDIBURN" verify stick
    umount stick
else
    echo "note: no tmpfs mount here; the stick part is covered by t110"
fi
