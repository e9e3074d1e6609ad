#!/bin/sh
# The DICOMDIR reader of pdiburn verify is at least as strict as DCMTK's:
# tests/tools/dicomdir_mutate.py damages the fixed-length parts of a
# DICOMDIR written by dcmmkdir (element headers of the meta information,
# of the File-set keys and of every record's own keys, the UL and US
# values among them, item and delimiter headers), one byte inverted or the
# file cut off per copy.  Whenever dcmdump cannot parse a copy, pdiburn
# verify must fail it (exit 6); it never crashes.  (Copies dcmdump reads
# are tried one in four: each run costs a process start.)
. "$E2E_LIB"
need dcmmkdir dcmdump
studies

"$PYTHON" "$TOOLS/foreign_media.py" files "$S" media --tiny >/dev/null || fail "foreign_media.py"
(cd media && dcmmkdir -q +r IMAGES) || fail "dcmmkdir"
expect_status 0 "$PDIBURN" verify media
mv media/DICOMDIR good.dcm
n=$("$PYTHON" "$TOOLS/dicomdir_mutate.py" good.dcm mutants) || fail "dicomdir_mutate.py"
[ "$n" -gt 500 ] || fail "only $n mutants"

rejected=0 missed=0 stricter=0 i=0
while IFS='	' read -r name what; do
    i=$((i + 1))
    if dcmdump "mutants/$name" >/dev/null 2>&1; then dcmtk=ok; else dcmtk=bad; fi
    [ $dcmtk = bad ] || [ $((i % 4)) = 0 ] || continue
    cp "mutants/$name" media/DICOMDIR
    set +e
    "$PDIBURN" verify media >/dev/null 2>&1
    status=$?
    set -e
    case $status in
    0 | 6) ;;
    *) fail "$name ($what): pdiburn verify exit status $status" ;;
    esac
    if [ $dcmtk = bad ] && [ $status = 0 ]; then
        echo "missed: $name: $what" >&2
        missed=$((missed + 1))
    elif [ $dcmtk = bad ]; then
        rejected=$((rejected + 1))
    elif [ $status = 6 ]; then
        stricter=$((stricter + 1))
    fi
done <mutants/list.txt
echo "$n mutants: dcmdump rejects $((rejected + missed)), pdiburn verify fails" \
    "$rejected of those, and $stricter of the others tried"
[ "$missed" -eq 0 ] || fail "$missed DICOMDIRs dcmdump cannot parse pass pdiburn verify"
[ "$rejected" -gt 100 ] || fail "dcmdump rejected only $rejected mutants: the test proves little"
