#!/bin/sh
# Every long option of every command has its entry in a man page: options
# in `struct option` tables of cli/*.c, and in the table of
# cli/export_options.c ({ "name", "ARG" or NULL, ...), must appear as
# *--name* in man/.
set -eu
top=$1
status=0
for file in "$top"/cli/*.c; do
    for opt in $(sed -n -e 's/^ *{ "\([a-z-]*\)", [a-z_]*argument.*/\1/p' \
        -e 's/^ *{ "\([a-z-]*\)", \("[^"]*"\|NULL\), OPT_.*/\1/p' "$file"); do
        if ! grep -q -- "\*--$opt\*" "$top"/man/*.scd; then
            echo "$(basename "$file"): --$opt has no man page entry"
            status=1
        fi
    done
done
[ $status -eq 0 ] && echo "every option is documented"
exit $status
