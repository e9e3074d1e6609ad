#!/bin/sh
# Text from outside never breaks what pdiburn writes (issue 8, item 18).
# DICOM values with control characters (\x01, \x0b: ISO 2022 IR 87, which
# iconv converts keeping them), bytes that are not text, a report whose
# file name is not UTF-8: INDEX.HTM and every IHE_PDI page stay
# well-formed XML (xmllint), with U+FFFD where a character XML forbids
# was; the viewer's data files are JSON that strict UTF-8 decoding and
# Python's json read.  A source file named with a newline and an escape
# sequence: the warning naming it is one line, escaped (\n, \x1b), and
# no raw control byte reaches stderr or stdout.
. "$E2E_LIB"
need xmllint
studies

src=$(ls "$S/archive/2024/01/patientA/series 1/"* | head -1)
"$PYTHON" "$MKHOSTILE" text "$src" h
report=$(printf 'rep\001ort\377.pdf')
printf '%%PDF-1.4\n%% not a real PDF, only its signature\n' >"$report"
out=$(printf 'out\033[2Jput')

expect_status 0 "$PDIBURN" dir --from h --report "$report" "$out"

# ---- the pages: well-formed, U+FFFD where the control characters were --------
find "$out" -type f -iname '*.htm' >pages.txt
[ "$(wc -l <pages.txt)" -ge 2 ] || fail "too few pages: $(cat pages.txt)"
while IFS= read -r page; do
    xmllint --noout "$page" 2>>xmllint.txt || {
        cat xmllint.txt >&2
        fail "$page is not well-formed XML"
    }
done <pages.txt
fffd=$(printf '\357\277\275')
grep -q "Study${fffd} ${fffd} end" "$out/INDEX.HTM" ||
    fail "the Study Description's control characters are not U+FFFD"
grep -q "EVIL${fffd}, NAME" "$out/INDEX.HTM" ||
    fail "the Patient Name's control character is not U+FFFD"
grep -q "rep${fffd}ort${fffd}.pdf" "$out/INDEX.HTM" ||
    fail "the report's file name is not shown with U+FFFD"
if LC_ALL=C grep -q "$(printf '[\001\013]')" $(cat pages.txt); then
    fail "a control character reached a page"
fi

# ---- the viewer's data: JSON inside PDV.call(...); in strict UTF-8 ------------
"$PYTHON" - "$out" <<'PY' || fail "the viewer's data files"
import json, os, re, sys
files = [os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs
         if f.lower().endswith(".js") and "/data/" in d.lower() + "/"]
assert files, "no viewer data"
calls = 0
for f in files:
    text = open(f, "rb").read().decode("utf-8", errors="strict")
    for m in re.finditer(r"PDV\.(\w+)\((\{.*?\})\);\n", text, re.S):
        json.loads(m.group(2))
        calls += 1
    assert "\x01" not in text and "\x0b" not in text, f
assert calls >= 2, calls
study = [f for f in files if os.path.basename(f).lower() == "study.js"]
assert len(study) == 1, files
assert "EVIL\\u0001" in open(study[0], encoding="utf-8").read(), \
    "the name, escaped, in the viewer's index"
PY

# ---- the terminal: one warning line naming the file, escaped ---------------------
grep -q 'warning: .*bad\\nerror: forged line \\x1b\[31mred\\x1b\[0m\.dcm' err ||
    fail "the warning does not name the file escaped"
if grep -q '^error: forged' err; then
    fail "a file name forged a line on stderr"
fi
if LC_ALL=C grep -q "$(printf '\033')" err out; then
    fail "an escape sequence reached the terminal"
fi
grep -q '^out\\x1b\[2Jput: 1 patient' out || fail "the output's name not escaped"

# The same names through an error: one line, escaped.
expect_status 3 "$PDIBURN" dir --from h --study 1.2.3.4 "x$(printf '\n')y"
[ "$(wc -l <err)" -eq "$(grep -c '^pdiburn dir: ' err)" ] ||
    fail "a line on stderr that pdiburn did not start: $(cat err)"
