#!/bin/sh
# The shared library exports the public API and nothing else: every
# defined dynamic symbol starts with pdiburn_ (OpenSlide's export test).
set -eu
lib=$1
bad=$(nm -D --defined-only "$lib" | awk '{ print $3 }' | grep -v '^pdiburn_' || true)
if [ -n "$bad" ]; then
    echo "exported but not public API:"
    echo "$bad"
    exit 1
fi
echo "$(nm -D --defined-only "$lib" | wc -l) symbols, all pdiburn_*"
