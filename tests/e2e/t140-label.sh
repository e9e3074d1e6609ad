#!/bin/sh
# --label: a PDF with a disc label and a cover letter per volume, judged
# by poppler (pdfinfo, pdftotext, pdffonts): two pages a volume, names in
# Latin, Chinese and Japanese script as text, the facts IHE PDI asks a
# label to show, "Disc k of n" across a split, DICOM ONLY without web.
. "$E2E_LIB"
need pdfinfo pdftotext pdffonts
studies

expect_status 0 "$PDIBURN" iso --from "$S/archive" --label label.pdf \
    --copy-type physician --institution "St. Elsewhere" cd.iso
pdfinfo label.pdf >info.txt
expect_in info.txt "Pages:           2"
pdftotext label.pdf text.txt
for want in "Müller, Jürgen" "王" "山田" "born 1958-03-12" "2024-01-05" \
    "DICOM PLUS WEB" "Disc 1 of 1" "Physician copy" "St. Elsewhere" \
    "INDEX.HTM"; do
    expect_in text.txt "$want"
done
# Every font is embedded, so the label prints the same anywhere.
pdffonts label.pdf | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' ||
    fail "a font is not embedded"

expect_status 0 "$PDIBURN" iso --from "$S/archive" --no-web --paper letter \
    --max-size 12000000 --label split.pdf x.iso
n=$(ls x_*.iso | wc -l)
[ "$n" -ge 2 ] || fail "no split"
pdfinfo split.pdf >info.txt
expect_in info.txt "Pages:           $((2 * n))"
expect_in info.txt "612 x 792 pts (letter)"
pdftotext split.pdf text.txt
expect_in text.txt "DICOM ONLY"
expect_in text.txt "Disc 1 of $n"
expect_in text.txt "Disc $n of $n"
expect_in text.txt "Patient copy"

expect_status 2 "$PDIBURN" iso --from "$S/archive" --label l.pdf \
    --copy-type friend y.iso
[ ! -e l.pdf ] || fail "label written after a usage error"
