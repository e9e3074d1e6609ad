#!/bin/sh
# The main job on sample data: install, build, make sample DICOM studies
# (awkward on purpose: implicit VR, big endian, compressed, non-ASCII
# names, a report, a PDF), write a CD image from them and verify it.
set -eu
cd "$(dirname "$0")/.."

./tools/setup-debian.sh
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/pdiburn-demo.XXXXXX")
/usr/bin/python3 tests/tools/mkstudy.py "$work/studies" >/dev/null
echo "sample studies: $work/studies/archive"

./build/cli/pdiburn iso --from "$work/studies/archive" \
    --institution "Demo Hospital" --contact "Radiology, +1 555 0100" \
    demo.iso
./build/cli/pdiburn verify demo.iso
echo "demo.iso is ready and verified"
rm -rf "$work"
