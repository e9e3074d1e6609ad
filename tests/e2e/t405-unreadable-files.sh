#!/bin/sh
# Studies are never silently dropped (issue 8, item 2).  A study whose only
# file is unreadable is an error naming it, whether every study is
# selected or its patient's; for another patient it is named in a warning.
# A file that shows no identifier at all (empty, cut inside its meta
# information) is a counted warning that blocks no patient, and an error
# with --strict.
. "$E2E_LIB"
defects
studies

expect_status 3 "$PDIBURN" dir --from "$D/lone_broken" o
expect_in err "lone_broken/s2/IM1': truncated"
nothing_written o
expect_status 3 "$PDIBURN" iso --from "$D/lone_broken" --patient-id PID_LONE o.iso
expect_in err "lone_broken/s2/IM1': truncated"
nothing_written o.iso

# Another patient goes out; every unusable file is named, and the two that
# show nothing are counted.
expect_status 0 "$PDIBURN" --json dir --from "$D/lone_broken" \
    --patient-id PID_OTHER other
"$PYTHON" - out <<'PY' || { cat out; fail "--json of PID_OTHER"; }
import json, sys
r = json.load(open(sys.argv[1]))
assert r["exit_status"] == 0 and r["unidentified"] == 2, r
text = "\n".join(r["messages"])
assert "lone_broken/s2/IM1': truncated" in text and "not part of the selection" in text, text
for name in ("junk/empty.dcm': an empty file", "junk/cut_meta.dcm'"):
    assert name in text, (name, text)
assert text.count("shows no patient, study or instance") == 2, text
PY
"$PYTHON" "$CHECK_MEDIUM" other "$D/manifest.json" --patients PID_OTHER \
    --sha256 >check.txt 2>&1 || { cat check.txt; fail "check_medium on other"; }

# --strict: a file tied to nothing stops the job too.
expect_status 3 "$PDIBURN" dir --strict --from "$D/lone_broken" \
    --patient-id PID_OTHER strict
expect_in err "junk/cut_meta.dcm'"
expect_in err "(--strict: every file must be usable)"
nothing_written strict

# An archive with such files exports every patient, and says so.
mkdir mixed
cp -r "$S/archive/misc" "$D/lone_broken/junk" mixed/
expect_status 0 "$PDIBURN" dir --from mixed mixed_all
expect_in err "junk/empty.dcm': an empty file; it shows no patient"
"$PYTHON" "$CHECK_MEDIUM" mixed_all "$S/manifest.json" \
    --patients PID004, --sha256 >check.txt 2>&1 ||
    { cat check.txt; fail "check_medium on mixed_all"; }
expect_status 0 "$PDIBURN" dir --from mixed --patient-id PID004 mixed_one
expect_status 3 "$PDIBURN" dir --strict --from mixed --patient-id PID004 m3
expect_in err "junk/cut_meta.dcm'"
nothing_written m3
