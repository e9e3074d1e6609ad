#!/bin/sh
# pdiburn find: patients and their studies from the catalog, names found
# whatever their case, accents or character set (ISO_IR 100, ISO_IR 192,
# ISO 2022 IR 87, ISO_IR 126, ISO_IR 144), wildcards, dates, modality and
# description; conflicts marked; --json for scripts; exit 3 when there is
# no catalog (none matching is a listing of nothing, as from a PACS).
. "$E2E_LIB"
need "$PYTHON"

"$PYTHON" "$MKARCHIVE" arch >made.txt
expect_status 0 "$PDIBURN" index arch

# ids FILTERS...: the Patient IDs and their numbers of studies found, from
# --json ("none" when nothing matched).
ids() {
    set +e
    "$PDIBURN" --json find --archive arch "$@" >found.json 2>found.err
    set -e
    "$PYTHON" -c 'import collections, json, sys
r = json.load(open(sys.argv[1]))
assert r["source"] == "archive", r
if "error" in r:
    sys.exit(print(r["error"]))
assert r["count"] == len(r["studies"]), r
n = collections.Counter(s["patient_id"] for s in r["studies"])
print(" ".join("%s:%d" % kv for kv in sorted(n.items())) or "none")' found.json
}

# expect_ids "WANT" FILTERS...
expect_ids() {
    want=$1
    shift
    got=$(ids "$@")
    [ "$got" = "$want" ] || fail "find $*: '$got', expected '$want'"
}

expect_ids "P100:2" --name muller
expect_ids "P100:2" --name 'MÜLLER^JÜRGEN'
expect_ids "P100:2" --name 'müll*'
expect_ids "P100:2" --name jurgen
expect_ids "P100:1" --name muller --since 2023-01-01
expect_ids "P100:1" --name muller --until 2021-12-31 --modality ct
expect_ids "P300:1" --name 山田
expect_ids "P300:1" --name yamada
expect_ids "P300:1" --name 'やまだ^たろう'
expect_ids "P400:1" --name παπαδοπουλος
expect_ids "P500:1" --name иванов
expect_ids "P200:1 P201:1" --name 'doe^jane'
expect_ids "P200:1" --name 'doe^jane' --birth-date 1961-04-02
expect_ids "P100:2 P200:1" --birth-date 19610402
expect_ids "P200:1 P201:1" --patient-id 'P20?'
expect_ids "P100:1" --accession ACC2
expect_ids "P100:1" --description schadel
expect_ids "P400:1" --description 'θωρακας'
expect_ids "none" --name mull
expect_ids "none" --patient-id P100 --modality US
expect_ids "E_USAGE" --birth-date 1961

# One Patient ID for two people is marked, in JSON and in the table.
ids --patient-id P600 >/dev/null
"$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert [s["conflict"] for s in r["studies"]] == ["other_person"] * 2, r
assert [s["birth_date"] for s in r["studies"]] == ["19800101", "19850505"]
s = r["studies"][0]
assert s["instances"] == 2 and s["series"] == 1 and s["fits_cd"] is True, s
assert s["modalities"] == "CT" and s["study_date"] == "20220202", s
assert s["bytes"] > 0 and s["split_study"] is False, s' found.json ||
    fail "P600 not marked: $(cat found.json)"
expect_status 0 "$PDIBURN" find --archive arch --patient-id P600
expect_in out "! Patient P600  SMITH^ANNA  born 1980-01-01  F"
expect_in out "! Patient ID P600 stands for more than one person"
expect_status 0 "$PDIBURN" find --archive arch --name muller
expect_in out "  Patient P100  MÜLLER^JÜRGEN  born 1961-04-02  M"
expect_in out "2023-05-20  MR"
expect_in out "MR Schädel"

# The catalog alone, from the environment.
expect_status 0 env PDIBURN_CATALOG=arch/.pdiburn-catalog.sqlite \
    "$PDIBURN" find --name 'иван*'
expect_in out "Patient P500  ИВАНОВ^ИВАН"
expect_status 0 "$PDIBURN" find --archive arch --name nobody
expect_in out "0 study/studies"
expect_status 2 "$PDIBURN" find --name muller
expect_in err "no source given"
expect_status 2 "$PDIBURN" find --archive arch --birth-date 1961
expect_status 2 "$PDIBURN" find --archive arch --pacs A@localhost:104
mkdir other
expect_status 3 "$PDIBURN" find --archive other
expect_in err "run 'pdiburn index"
expect_status 3 "$PDIBURN" find --archive other \
    --catalog arch/.pdiburn-catalog.sqlite
expect_in err "made for the archive"
