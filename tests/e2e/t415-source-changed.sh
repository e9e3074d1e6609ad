#!/bin/sh
# A source file rewritten between the scan and the writing (issue 8, item
# 4): the same length, even with its modification time put back, is found
# by its header bytes: exit 3 naming the file, nothing written - where the
# DICOMDIR used to say one Patient ID and the file another, and verify
# passed.  The rewrite happens while the job is held (SIGSTOP) as the
# pages stage starts, after the scan, before anything is written: into an
# ISO image, which is written after the pages.  A folder gets its DICOM
# files written while the pages are made; that is the last case.
. "$E2E_LIB"
studies

cat >rewrite.py <<'PY'
# rewrite.py FILE OLD NEW [keep-time]: OLD -> NEW in place, same length.
import os, sys
path, old, new = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
assert len(old) == len(new)
st = os.stat(path)
with open(path, "r+b") as f:
    data = f.read()
    at = data.index(old)
    f.seek(at)
    f.write(new)
if len(sys.argv) > 4:
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
PY

# paused STAGE ACTION OUTPUT [TARGET]: iso (or TARGET) from src into
# OUTPUT, held while the shell command ACTION runs once STAGE shows; its
# exit status in $status.
paused() {
    set +e
    "$PYTHON" "$PAUSE_AT" "$1" out err "$2" -- \
        "$PDIBURN" --progress=always "${4:-iso}" --from src "$3"
    status=$?
    set -e
}

# change FILE OLD NEW KEEP OUTPUT: run iso on a fresh copy of the source
# and rewrite FILE (relative to it) once the pages stage shows.
change() {
    rm -rf src
    cp -r "$S/archive/misc" src
    paused "preparing pages" "\"$PYTHON\" rewrite.py src/$1 $2 $3 $4" "$5"
    [ $status -eq 3 ] || { cat err >&2; fail "exit $status, not 3, for $1"; }
    expect_in err "src/$1' changed after it was read"
    nothing_written "$5"
}

# Copied byte for byte: the time, or the header bytes streamed.
change PID004/x2.dcm PID004 PID999 "" a
expect_in err "(its modification time)"
change PID004/x2.dcm PID004 PID999 keep-time b
expect_in err "(its header bytes)"
# Implicit VR, rewritten before its header is re-encoded (after the pages).
change unknown/noid1.dcm Anonymous Anonymoux keep-time c
expect_in err "(its header bytes)"

# Unchanged, the same run writes media that verify and check_medium pass.
rm -rf src
cp -r "$S/archive/misc" src
paused "preparing pages" true d dir
[ $status -eq 0 ] || { cat err >&2; fail "unchanged: exit $status"; }
check_medium d --patients PID004, --sha256

# Rewritten once the image is being written: the headers of Implicit VR files
# are re-encoded before writing starts, so each such source is checked
# again when its pixel data is copied.  Only preamble bytes change (same
# length, time put back): nothing but the header digest can tell.
cat >preamble.py <<'PY'
# preamble.py DIR: flip a preamble byte of every Implicit VR Part 10 file.
import os, sys
import pydicom
for root, _, files in os.walk(sys.argv[1]):
    for name in files:
        path = os.path.join(root, name)
        with open(path, "rb") as f:
            head = f.read(132)
        if head[128:132] != b"DICM":
            continue
        if not pydicom.dcmread(path, stop_before_pixels=True).is_implicit_VR:
            continue
        st = os.stat(path)
        with open(path, "r+b") as f:
            f.write(bytes([head[0] ^ 1]))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        print(path)
PY
rm -rf src
cp -r "$S/archive" src
paused writing "\"$PYTHON\" preamble.py src" late
[ $status -eq 3 ] || { cat err >&2; fail "rewritten while writing: exit $status"; }
expect_in err "changed after it was read (its header bytes)"
nothing_written late

# A folder: its DICOM files are written while the pages are made, so a
# source rewritten then is found by the writer running ahead.  The source
# is big enough (400 slices) that the writer is still at its first files
# when the job is held (the tenth, here); every one is rewritten.
rm -rf src
big_source src 400
paused "preparing pages" "\"$PYTHON\" preamble.py src >/dev/null" ahead dir
[ $status -eq 3 ] || { cat err >&2; fail "rewritten while written ahead: exit $status"; }
expect_in err "'src/f0"
expect_in err "changed after it was read (its header bytes)"
nothing_written ahead
