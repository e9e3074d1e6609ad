#!/bin/sh
# A sequence nested 6,000 deep used to overflow DCMTK's recursive reader
# (exit 139); our own walk bounds the nesting first (issue 8, item 8):
# exit 3 naming the file.  A nesting of 20 is read and goes on the media.
. "$E2E_LIB"
defects

for cmd in "dir --from $D/deep_seq o" "iso --from $D/deep_seq o" \
    "dir --patient-id PID_DEEP_SEQ --from $D/deep_seq o"; do
    # shellcheck disable=SC2086
    expect_status 3 "$PDIBURN" $cmd
    expect_in err "deep_seq/IM2': sequences nested deeper than 64 levels; not read"
    nothing_written o
done

mkdir twenty
cp "$D/deep_seq/IM1" twenty/
expect_status 0 "$PDIBURN" dir --from twenty t
"$PYTHON" "$CHECK_MEDIUM" t "$D/manifest.json" --folders deep_seq --sha256 \
    >check.txt 2>&1 || { cat check.txt; fail "check_medium"; }
expect_status 0 "$PDIBURN" verify t
