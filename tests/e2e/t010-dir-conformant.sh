#!/bin/sh
# pdiburn dir on the awkward sample archive: a File-set that dciodvfy
# accepts, where pydicom finds exactly the expected instances with pixels,
# names and attributes unchanged, and whose SHA256.TXT sha256sum accepts.
. "$E2E_LIB"
need dciodvfy dcentvfy sha256sum
studies

expect_status 0 "$PDIBURN" dir --from "$S/archive" media
no_partial media
dciodvfy_clean media/DICOMDIR
check_medium media --sha256
(cd media && sha256sum --quiet -c SHA256.TXT) || fail "sha256sum -c"

# The two junk files and the duplicate are named in warnings, not dropped
# silently.
expect_in err "notes.txt': not a DICOM file"
expect_in err "Thumbs.db': not a DICOM file"
expect_in err "is a copy of"

# Entities stay consistent across all instances on the media.
find media/DICOM -type f | sort >files.txt
# shellcheck disable=SC2046 # one argument per file
dcentvfy $(cat files.txt) >dcentvfy.txt 2>&1 || true
if grep -q "^Error" dcentvfy.txt; then
    cat dcentvfy.txt >&2
    fail "dcentvfy reports inconsistent entities"
fi
