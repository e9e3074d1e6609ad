#!/bin/sh
# pdiburn verify finds what is wrong with media, ours or another
# creator's: a changed byte, a missing file, an unreferenced DICOM file, a
# damaged image; and accepts a good File-set written by pydicom.
. "$E2E_LIB"
studies

expect_status 0 "$PDIBURN" dir --from "$S/archive" good
expect_status 0 "$PDIBURN" verify good

flip() { # file offset: invert one byte
    "$PYTHON" -c '
import sys
path, at = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
data[at] ^= 0xFF
open(path, "wb").write(data)' "$1" "$2"
}

victim=$(cd good && find DICOM -type f -name IM000002 | sort | head -1)
cp -r good changed
flip "changed/$victim" 3000
expect_status 6 "$PDIBURN" verify changed
expect_in err "$victim: its SHA-256 differs from SHA256.TXT"

cp -r good missing
rm "missing/$victim"
expect_status 6 "$PDIBURN" verify missing
expect_in err "referenced by the DICOMDIR but missing"

cp -r good extra
cp "extra/$victim" extra/DICOM/EXTRA
expect_status 6 "$PDIBURN" --json verify extra
expect_in out "no directory record refers to"
expect_in out '"problems":2' # unreferenced, and not in SHA256.TXT

expect_status 0 "$PDIBURN" iso --from "$S/archive" cd.iso
expect_status 0 "$PDIBURN" verify cd.iso
# A byte of the last DICOM file's data, found with isoinfo's block list.
isoinfo -l -i cd.iso >listing.txt
block=$(awk '/IM000001\.;1/ { gsub(/\[/, ""); print $(NF-2); exit }' listing.txt)
[ -n "$block" ] || fail "no block for a DICOM file"
flip cd.iso $((block * 2048 + 1000))
expect_status 6 "$PDIBURN" verify cd.iso

# Media made by someone else: pydicom's FileSet, no SHA256.TXT needed.
"$PYTHON" "$REF_FILESET" "$S" other >/dev/null 2>&1 || fail "reference File-set"
rm -f other/SHA256.TXT
expect_status 0 "$PDIBURN" verify other
