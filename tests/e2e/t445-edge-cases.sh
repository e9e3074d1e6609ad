#!/bin/sh
# Error paths that sanitizers used to catch (issue 8, item 10), run by the
# ASan/UBSan build of CI like every test: an empty source folder (qsort of
# nothing), verify of an empty folder, and a DICOMDIR whose records break
# off (its parser leaked the records read before the fault, which
# LeakSanitizer turned into exit 1).  Each ends with its documented status.
. "$E2E_LIB"
studies

mkdir empty
expect_status 3 "$PDIBURN" dir --from empty o
expect_in err "no study matches any study among 0 studies in 0 DICOM files"
nothing_written o
expect_status 6 "$PDIBURN" verify empty
expect_in err "no DICOMDIR"

# A record without its type, after records that parse.
expect_status 0 "$PDIBURN" dir --no-web --from "$S/archive/misc" m
"$PYTHON" - m/DICOMDIR <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
tag = b"\x04\x00\x30\x14CS"  # (0004,1430) Directory Record Type
first = data.index(tag)
second = data.index(tag, first + 1)
data[second:second + 4] = b"\x04\x00\x31\x14"  # another, unknown, tag
open(path, "wb").write(data)
PY
expect_status 6 "$PDIBURN" verify m
expect_in err "[dicomdir-malformed]"
