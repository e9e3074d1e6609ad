#!/bin/sh
# Functions stay small (curl's method): pmccabe's modified complexity at
# most 12 and at most 60 lines, for every function in lib/ (the C++ of
# the DCMTK shim too) and cli/.
# Exceptions would go in allowlist.txt with a reason; it is empty.
set -eu
top=$1
if ! command -v pmccabe >/dev/null 2>&1; then
    [ "${PDIBURN_E2E_REQUIRE_ALL:-0}" = 1 ] && { echo "no pmccabe"; exit 1; }
    echo "skip: no pmccabe"
    exit 77
fi
over=$(cd "$top" && pmccabe lib/*/*.c lib/shim/*.cc cli/*.c |
    awk '$1 > 12 || $5 > 60 { print $6, $7, "complexity " $1 ", " $5 " lines" }' |
    grep -v -F -f tests/style/allowlist.txt || true)
if [ -n "$over" ]; then
    echo "functions over the limits:"
    echo "$over"
    exit 1
fi
echo "every function within complexity 12 and 60 lines"
