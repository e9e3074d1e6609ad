#!/bin/sh
# Faults of a source file are named as the source file before anything is
# written (issue 8, item 7), instead of surfacing as "verification found
# differences" (exit 6) naming only the file on the media: a data set
# without SOP Class UID, a UID longer than 64 characters, a meta Transfer
# Syntax UID that is empty, not a UID, or several.  Also with --no-verify,
# which used to let them onto the media.
. "$E2E_LIB"
defects

refused() {
    for opts in "" "--no-verify --no-web"; do
        # shellcheck disable=SC2086
        expect_status 3 "$PDIBURN" iso $opts --from "$D/$1" o.iso
        expect_in err "$1/IM2': $2"
        nothing_written o.iso
    done
}

refused no_sop_class "no SOP Class UID in its data set"
refused long_uid "its SOP Instance UID ('1.2.826.0.1.3680043.10.1234.7.3.35.1.1.2.1.1."
expect_in err "80 bytes) is not a UID: at most 64 digits and dots"
refused ts_empty "its meta information has an empty Transfer Syntax UID"
refused ts_bogus "its meta information's Transfer Syntax UID ('1.2.840.10008.1.2.x', 20 bytes) is not a UID"
refused ts_multi "its meta information has several Transfer Syntax UIDs"
