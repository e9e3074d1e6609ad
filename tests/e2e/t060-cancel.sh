#!/bin/sh
# SIGINT cancels cleanly at any stage: exit 130, no output under any name,
# the private spool removed.  The signal goes the moment the progress
# shows the stage (tools/interrupt_at.py); a stage that ended first is a
# failure, never a pass.
. "$E2E_LIB"
studies

big_source big 400
mkdir spool

# interrupt_at STAGE OUTPUT: run, SIGINT the moment STAGE shows.
interrupt_at() {
    set +e
    "$PYTHON" "$INTERRUPT_AT" "$1" out err -- \
        "$PDIBURN" --progress=always iso --spool spool --from big "$2"
    status=$?
    set -e
    [ $status -eq 130 ] || { cat err >&2; fail "exit $status, not 130, at $1"; }
    expect_in err "cancelled"
    [ ! -e "$2" ] || fail "output left at $1"
    no_partial "$2"
    [ -z "$(ls -A spool)" ] || fail "spool left at $1"
}

interrupt_at "reading headers" a.iso
interrupt_at "writing" b.iso
interrupt_at "verifying" c.iso
