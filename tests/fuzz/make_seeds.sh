#!/bin/sh
# Makes the seed corpora of the fuzz targets in tests/fuzz/corpus/ from
# generated studies: data sets cut after the Pixel Data header (element
# walker), DICOMDIRs of pdiburn and of DCMTK's dcmmkdir (DICOMDIR reader),
# tiny ISO images and ZIPs (media reader).  Run once by hand to refresh
# the seeds; the tests only read the committed files.  Needs a built
# pdiburn (PDIBURN=path), /usr/bin/python3 with pydicom, dcmtk,
# genisoimage, xorriso and bsdtar.  Crash inputs found by fuzzing are
# added to the corpora by hand, named crash-<what>.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
: "${PDIBURN:=$here/../../build/cli/pdiburn}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$here/../tools/mkstudy.py" "$work/s" --slices 2 \
    --only archive >/dev/null
a=$work/s/archive

# ---- element walker: data sets without meta, cut after Pixel Data's
# header, in the three syntaxes; a meta group; an SR with nested items.
mkdir -p "$corpus/element_reader"
cut_dataset() { # file out [keep-pixel-bytes]
    /usr/bin/python3 - "$1" "$2" "${3:-16}" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
keep = int(sys.argv[3])
start = 0
if data[128:132] == b'DICM':
    glen = struct.unpack('<I', data[140:144])[0]
    start = 144 + glen
ds = data[start:]
for tag in (b'\xe0\x7f\x10\x00', b'\x7f\xe0\x00\x10'):
    at = ds.find(tag)
    if at >= 0:
        ds = ds[:at + 12 + keep]
        break
open(sys.argv[2], 'wb').write(ds)
PY
}
cut_dataset "$a/2024/01/patientA/series 1/IMG0001.DCM" \
    "$corpus/element_reader/ct-implicit-le"
cut_dataset "$a/2024/01/patientA/Series_2 Explicit/1.2.3.4" \
    "$corpus/element_reader/ct-explicit-le"
cut_dataset "$a/2024/02/Müller Jürgen MR/t1 big endian/MR000001" \
    "$corpus/element_reader/mr-explicit-be"
cut_dataset "$a/2024/02/Müller Jürgen MR/rle/img0001.dcm" \
    "$corpus/element_reader/mr-rle-fragments" 200
cut_dataset "$a/PATIENT_B/Studie 1/US/cine" \
    "$corpus/element_reader/us-multiframe"
cut_dataset "$a/PATIENT_B/Studie 1/REPORTS/report.sr" \
    "$corpus/element_reader/sr-nested-items"
/usr/bin/python3 - "$a/patient c/ct/1" \
    "$corpus/element_reader/meta-group" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
glen = struct.unpack('<I', data[140:144])[0]
open(sys.argv[2], 'wb').write(data[132:144 + glen])
PY

# Edge cases: nesting past the walker's depth limit, a length near 4 GB,
# delimiters where no item is open.
/usr/bin/python3 - "$corpus/element_reader" <<'PY'
import struct, sys
out = sys.argv[1]
seq = struct.pack('<HH2sHI', 0x0040, 0xA730, b'SQ', 0, 0xFFFFFFFF)
item = struct.pack('<HHI', 0xFFFE, 0xE000, 0xFFFFFFFF)
item_end = struct.pack('<HHI', 0xFFFE, 0xE00D, 0)
seq_end = struct.pack('<HHI', 0xFFFE, 0xE0DD, 0)
open(out + '/edge-deep-nesting', 'wb').write(
    (seq + item) * 40 + (item_end + seq_end) * 40)
open(out + '/edge-huge-length', 'wb').write(
    struct.pack('<HH2sHI', 0x7FE0, 0x0010, b'OB', 0, 0xFFFFFFF0) + b'\0' * 8)
open(out + '/edge-stray-delimiters', 'wb').write(
    item_end + seq_end + item + struct.pack('<HH2sH', 8, 0x60, b'CS', 2)
    + b'CT' + item_end)
PY

# ---- DICOMDIR reader: ours, and DCMTK's with explicit and undefined
# lengths.
mkdir -p "$corpus/dicomdir"
"$PDIBURN" -q dir --from "$a" --patient-id PID001 "$work/media"
cp "$work/media/DICOMDIR" "$corpus/dicomdir/pdiburn"
mkdir "$work/d"
cp -r "$work/media/DICOM" "$work/d/"
(cd "$work/d" && dcmmkdir -q --recurse --invent DICOM &&
    cp DICOMDIR "$corpus/dicomdir/dcmmkdir-explicit" &&
    dcmmkdir -q --recurse --invent -e +D DICOMDIR.U DICOM &&
    cp DICOMDIR.U "$corpus/dicomdir/dcmmkdir-undefined")

# ---- media reader: tiny ISO images (libisofs via xorriso, and
# genisoimage) and ZIPs (stored, deflated, ZIP64, AES and ZipCrypto with
# the passphrase the target uses).
mkdir -p "$corpus/media_reader" "$work/m/DICOM/PT000001" "$work/m/viewer"
printf 'DICM-ish\n' >"$work/m/DICOM/PT000001/IM000001"
printf 'read me\n' >"$work/m/README.TXT"
printf 'PDV.start();' >"$work/m/viewer/viewer.js"
xorriso -as mkisofs -quiet -R -J -no-pad -V TEST_SET \
    -o "$corpus/media_reader/xorriso.iso" "$work/m" 2>/dev/null
genisoimage -quiet -R -J -no-pad -V TEST_SET \
    -o "$corpus/media_reader/genisoimage.iso" "$work/m"
(cd "$work/m" &&
    bsdtar -cf "$corpus/media_reader/stored.zip" --format zip \
        --options zip:compression=store DICOM README.TXT viewer &&
    bsdtar -cf "$corpus/media_reader/deflate.zip" --format zip \
        DICOM README.TXT viewer &&
    bsdtar -cf "$corpus/media_reader/zip64.zip" --format zip \
        --options zip:zip64 README.TXT &&
    bsdtar -cf "$corpus/media_reader/aes.zip" --format zip \
        --options zip:encryption=aes256 --passphrase pdiburn README.TXT &&
    bsdtar -cf "$corpus/media_reader/zipcrypto.zip" --format zip \
        --options zip:encryption=zipcrypt --passphrase pdiburn README.TXT)
du -sh "$corpus"
