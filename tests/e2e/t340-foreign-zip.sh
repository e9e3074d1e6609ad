#!/bin/sh
# pdiburn verify on ZIP files someone else made (issue 8, item 16), made
# here by Python's zipfile from a `pdiburn dir` medium.  In the C locale
# (LC_ALL=C), an entry named in UTF-8 ("Bericht_Müller.txt") crashed
# verify (exit 139): now it is read, and beside the media, a warning
# (exit 0).  An entry whose name is not UTF-8 at all is a problem (exit
# 6), not a crash.  Entries named "../evil.txt" or "/abs.txt" would be
# unpacked outside the folder: errors (exit 6), not warnings.  A DICOMDIR
# entry that claims 100 bytes and inflates to 700 MB (a 0.8 MB ZIP) is
# refused with at most 128 MiB of it kept: the peak memory of the run
# (getrusage) stays under 500 MB (146 MB, 308 MB with ASan); it was 715 MB.
. "$E2E_LIB"
studies

expect_status 0 "$PDIBURN" dir --from "$S/archive" --patient-id PID004 m

"$PYTHON" "$MKHOSTILE" zip m names.zip --extra "Bericht_Müller.txt"
expect_status 0 env LC_ALL=C "$PDIBURN" verify names.zip
expect_in err "Bericht_Müller.txt: beside the media"

"$PYTHON" "$MKHOSTILE" zip m raw.zip --raw-name fffe2e747874
expect_status 6 env LC_ALL=C "$PDIBURN" verify raw.zip
expect_in err "an entry whose name cannot be read as UTF-8"

"$PYTHON" "$MKHOSTILE" zip m slip.zip --extra ../evil.txt --extra /abs.txt \
    --extra 'C:\boot.ini'
expect_status 6 "$PDIBURN" verify slip.zip
expect_in err "../evil.txt: a name outside the media"
expect_in err "/abs.txt: a name outside the media"
expect_in err "boot.ini: a name outside the media"
expect_in err "3 problem(s) found"

# The same medium, zipped plainly, passes: the problems are the names.
"$PYTHON" "$MKHOSTILE" zip m plain.zip
expect_status 0 "$PDIBURN" verify plain.zip

"$PYTHON" "$MKHOSTILE" zip m bomb.zip --bomb-dicomdir 700
[ "$(wc -c <bomb.zip)" -lt 2000000 ] || fail "the bomb is not small"
"$PYTHON" "$MKHOSTILE" maxrss -- "$PDIBURN" verify bomb.zip >rss.txt
read -r status mb <rss.txt
[ "$status" -eq 6 ] || fail "verify of the bomb: exit $status"
[ "$mb" -lt 500 ] || fail "verify of a 0.8 MB ZIP peaked at $mb MB"
echo "peak memory verifying the bomb: $mb MB"
