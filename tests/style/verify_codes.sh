#!/bin/sh
# Every code pdiburn verify reports (pdb_verify_problem / pdb_verify_note
# in lib/verify/) is documented in man/pdiburn-verify.1.scd as *code*:
# scripts rely on them, so none may appear unannounced.
set -eu
top=$1
codes=$(grep -ho 'pdb_verify_\(problem\|note\)(v, "[a-z0-9-]*"' "$top"/lib/verify/*.c |
    sed 's/.*(v, "//; s/"$//' | sort -u)
[ -n "$codes" ] || { echo "no codes found: the pattern is stale"; exit 1; }
status=0
for c in $codes; do
    if ! grep -q -- "\*$c\*" "$top/man/pdiburn-verify.1.scd"; then
        echo "verify code '$c' is not in man/pdiburn-verify.1.scd"
        status=1
    fi
done
[ $status -eq 0 ] && echo "$(echo "$codes" | wc -l) verify codes, all documented"
exit $status
