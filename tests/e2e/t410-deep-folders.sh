#!/bin/sh
# Any folder depth (issue 8, item 3): the whole sample archive copied
# where its paths are longer than PATH_MAX (4096 bytes) goes on the media
# complete - files copied as they are, spliced, and re-encoded by DCMTK -
# exactly as from a shallow folder.
. "$E2E_LIB"
need bsdtar
studies

# 18 folders of 240 characters: every file lies more than 4,300 bytes deep.
"$PYTHON" - "$S/archive" deep <<'PY'
import os, shutil, sys
src, top = os.path.abspath(sys.argv[1]), sys.argv[2]
os.mkdir(top)
fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
for i in range(18):
    name = ("%02d" % i) + "d" * 238
    os.mkdir(name, dir_fd=fd)
    nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = nxt
os.fchdir(fd)          # relative names from here are short
shutil.copytree(src, "archive")
PY
long=$(find deep -type f | awk '{ if (length > n) n = length } END { print n + 0 }')
[ "$long" -gt 4096 ] || fail "the tree is only $long bytes deep"

expect_status 0 "$PDIBURN" iso --from deep deep.iso
if grep -v "not a DICOM file" err | grep -q -i -e "too long" -e skipped; then
    cat err
    fail "a deep file was skipped"
fi
mkdir media
bsdtar -xf deep.iso -C media
check_medium media --sha256
expect_status 0 "$PDIBURN" verify deep.iso

# The same as a folder, and the duplicate found across the depth.
expect_status 0 "$PDIBURN" dir --no-web --from deep deepdir
expect_in err "is a copy of"
check_medium deepdir --sha256
