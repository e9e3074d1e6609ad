#!/bin/sh
# The web content of the media (IHE PDI): on `pdiburn dir` and on the
# `pdiburn iso` image read back by bsdtar, every .htm is well-formed XML
# (xmllint) and, with the W3C DTDs of w3c-sgml-lib, valid XHTML; INDEX.HTM
# names every study of the sample archive with Unicode patient names as
# pydicom decodes them; every href/src resolves to a file with exactly that
# case; nothing links to http(s); the PDF report is byte for byte the
# EncapsulatedDocument pydicom reads from the source; the SR page shows the
# SR's text; AUTORUN.INF only on the CD (isoinfo); --no-web, --viewer=none,
# --viewer=lite and --report change exactly what they should; sha256sum
# accepts SHA256.TXT and it lists every file.  Judged by xmllint, pydicom,
# isoinfo and sha256sum, never by pdiburn's own verify.
. "$E2E_LIB"
need xmllint xmlcatalog isoinfo bsdtar sha256sum
studies

# Is the XHTML 1.0 Strict DTD available offline through the system catalog?
# (Debian: w3c-sgml-lib.)  CI installs it; locally it is optional.
catalog=/etc/xml/catalog
dtd=$(XML_CATALOG_FILES=$catalog xmlcatalog "$catalog" "-//W3C//DTD XHTML 1.0 Strict//EN" 2>/dev/null |
    sed -n 's#^file://##p' | head -1)
if [ -n "$dtd" ] && [ -f "$dtd" ]; then
    validate=1
elif [ "${PDIBURN_E2E_REQUIRE_ALL:-0}" = 1 ]; then
    fail "required for this test: the XHTML DTDs (apt-get install w3c-sgml-lib)"
else
    validate=0
    echo "note: no XHTML DTDs in $catalog (w3c-sgml-lib); validity not checked"
fi

# web_checks MEDIA: the checks every medium with web content must pass.
web_checks() {
    m=$1
    # Well-formed: every .htm, whatever its case.
    find "$m" -type f -iname '*.htm' | sort >"$m.htm.txt"
    [ -s "$m.htm.txt" ] || fail "$m: no .htm files"
    while IFS= read -r f; do
        xmllint --noout "$f" 2>>"$m.xmllint.txt" || {
            cat "$m.xmllint.txt" >&2
            fail "$f is not well-formed XML"
        }
    done <"$m.htm.txt"
    # Valid against the DTD the DOCTYPE names (offline: --nonet).
    if [ "$validate" = 1 ]; then
        for f in "$m"/INDEX.HTM "$m"/IHE_PDI/*.HTM "$m"/REPORTS/*.HTM; do
            [ -f "$f" ] || continue
            XML_CATALOG_FILES=$catalog xmllint --noout --valid --nonet "$f" \
                2>>"$m.valid.txt" || {
                cat "$m.valid.txt" >&2
                fail "$f is not valid XHTML"
            }
        done
    fi
    # No web links: http(s) only in DOCTYPE and the XHTML namespace name.
    find "$m/VIEWER" "$m/REPORTS" "$m/INDEX.HTM" -type f 2>/dev/null | sort |
        while IFS= read -r f; do
            sed -e '/<!DOCTYPE/d' -e 's#xmlns="http://www.w3.org/1999/xhtml"##g' "$f" |
                grep -a -n -i 'https\{0,1\}://' | sed "s#^#$f:#" | cut -c1-200
        done >"$m.http.txt"
    [ ! -s "$m.http.txt" ] || { cat "$m.http.txt" >&2; fail "$m: web address in the web content"; }
    # Checksums: sha256sum accepts them and every other file is listed.
    (cd "$m" && sha256sum --quiet -c SHA256.TXT) || fail "$m: sha256sum -c SHA256.TXT"
    (cd "$m" && find . -type f ! -name SHA256.TXT | sed 's#^\./##' | LC_ALL=C sort) >"$m.files.txt"
    sed 's/^[0-9a-f]\{64\} [ *]//' "$m/SHA256.TXT" | LC_ALL=C sort >"$m.sums.txt"
    diff "$m.files.txt" "$m.sums.txt" >"$m.sums.diff" ||
        { cat "$m.sums.diff" >&2; fail "$m: SHA256.TXT does not list exactly the files"; }
    # Contents, links, reports: pydicom on the source archive.
    "$PYTHON" - "$m" "$S" <<'PY' || fail "$m: web content"
import json, os, re, sys, urllib.parse
import xml.etree.ElementTree as ET
import pydicom

media, S = sys.argv[1], sys.argv[2]
X = "{http://www.w3.org/1999/xhtml}"
man = json.load(open(os.path.join(S, "manifest.json"), encoding="utf-8"))
inst = [i for i in man["instances"] if i["folder"] == "archive" and not i["duplicate_of"]]
bad = []

def text(path):
    root = ET.parse(path).getroot()
    return " ".join(" ".join(root.itertext()).split()), root

def exists_exact(base, rel):
    d = base
    for part in rel.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            d = os.path.dirname(d)
            continue
        if part not in os.listdir(d):
            return False
        d = os.path.join(d, part)
    return os.path.isfile(d)

# INDEX.HTM names every study (date, description) and every patient, with
# the names pydicom decodes from the source character sets.
idx_text, idx = text(os.path.join(media, "INDEX.HTM"))
studies = {}
for i in inst:
    studies.setdefault(i["study_uid"], i)
for uid, i in sorted(studies.items()):
    ds = pydicom.dcmread(os.path.join(S, i["path"]), force=True, stop_before_pixels=True)
    d = i["study_date"]
    if "%s-%s-%s" % (d[:4], d[4:6], d[6:]) not in idx_text:
        bad.append("study date %s of %s" % (d, uid))
    desc = str(ds.get("StudyDescription", "") or "")
    if desc and desc not in idx_text:
        bad.append("study description %r" % desc)
    for group in str(ds.PatientName).split("="):
        family = group.split("^")[0]
        if family and family not in idx_text:
            bad.append("patient name %r" % family)
for word in ("Müller", "王", "山田", "Yamada"):
    if word not in idx_text:
        bad.append("index.htm lacks %r" % word)

# Every href/src of the static pages resolves, with exactly this case.
pages = [os.path.join(media, "INDEX.HTM")]
for sub in ("IHE_PDI", "REPORTS"):
    d = os.path.join(media, sub)
    if os.path.isdir(d):
        pages += sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".HTM"))
links = {}
for p in pages:
    _, root = text(p)
    for el in root.iter():
        for attr in ("href", "src"):
            v = el.get(attr)
            if v is None or v.startswith("#"):
                continue
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", v):
                if not v.startswith("data:"):
                    bad.append("%s: %s=%r is not a relative link" % (p, attr, v))
                continue
            rel = urllib.parse.unquote(v.split("#")[0])
            if not exists_exact(os.path.dirname(p), rel):
                bad.append("%s: %s=%r does not exist (exact case)" % (p, attr, v))
            if p.endswith("INDEX.HTM") and el.tag == X + "a":
                links[os.path.normpath(rel)] = " ".join("".join(el.itertext()).split())
json.dump(links, open(media + ".links.json", "w"), ensure_ascii=False)

# The encapsulated PDF: byte for byte, linked under its Document Title.
for i in inst:
    if i["kind"] == "pdf":
        ds = pydicom.dcmread(os.path.join(S, i["path"]))
        doc = bytes(ds.EncapsulatedDocument)
        if doc.endswith(b"\0"):
            doc = doc[:-1]
        title = str(ds.DocumentTitle)
        hits = [h for h, t in links.items() if t == title]
        if len(hits) != 1:
            bad.append("index.htm: %d links titled %r" % (len(hits), title))
            continue
        got = open(os.path.join(media, hits[0]), "rb").read()
        if got != doc:
            bad.append("%s differs from the EncapsulatedDocument of %s (%d vs %d bytes)"
                       % (hits[0], i["path"], len(got), len(doc)))

# The SR: a linked XHTML page that shows every text value of the SR.
def text_values(items):
    for it in items:
        if "TextValue" in it:
            yield str(it.TextValue)
        if "ContentSequence" in it:
            yield from text_values(it.ContentSequence)
for i in inst:
    if i["kind"] == "sr":
        ds = pydicom.dcmread(os.path.join(S, i["path"]))
        values = list(text_values(ds.ContentSequence))
        assert values, "generator's SR has no text"
        pages_sr = [h for h in links if h.startswith("REPORTS/") and h.endswith(".HTM")
                    and all(" ".join(v.split()) in text(os.path.join(media, h))[0] for v in values)]
        if not pages_sr:
            bad.append("no linked report page shows the SR text %r" % values)

if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

# pdiburn dir: web content, no AUTORUN.INF.
expect_status 0 "$PDIBURN" dir --from "$S/archive" media
for f in INDEX.HTM VIEWER/VIEWER.JS VIEWER/DATA/STUDY.JS IHE_PDI REPORTS; do
    [ -e "media/$f" ] || fail "media/$f missing"
done
# Upper case everywhere (IHE PDI): no name of the media has a lower-case
# letter, so exact-case readers (Rock Ridge, Linux folders) find what the
# links name.
(cd media && find . | grep '[a-z]') >lower.txt || true
[ ! -s lower.txt ] || { head lower.txt >&2; fail "lower-case names on the media"; }
[ -z "$(find media -maxdepth 1 -iname autorun.inf)" ] || fail "AUTORUN.INF in a folder output"
web_checks media

# pdiburn iso: the same read back by bsdtar (Rock Ridge names), and
# AUTORUN.INF in the ISO 9660 tree, pointing at the start page.
expect_status 0 "$PDIBURN" iso --from "$S/archive" cd.iso
isoinfo -l -i cd.iso >listing.txt
grep -q ' AUTORUN\.INF;1 *$' listing.txt || { cat listing.txt >&2; fail "no AUTORUN.INF on the CD"; }
grep -q ' INDEX\.HTM;1 *$' listing.txt || fail "no INDEX.HTM on the CD"
mkdir iso
bsdtar -xf cd.iso -C iso
chmod -R u+w iso
expect_in iso/AUTORUN.INF "[autorun]"
start=$(sed -n 's/^shellexecute=//p; s/^open=//p' iso/AUTORUN.INF | tr -d '\r' | head -1)
[ -n "$start" ] && [ -f "iso/$start" ] || fail "AUTORUN.INF starts '$start', not a file on the CD"
web_checks iso

# --no-web: the DICOM File-set only.
expect_status 0 "$PDIBURN" dir --no-web --from "$S/archive" noweb
[ -f noweb/DICOMDIR ] || fail "--no-web: no DICOMDIR"
found=$(find noweb -maxdepth 1 \( -iname index.htm -o -iname viewer -o -iname ihe_pdi \
    -o -iname reports -o -iname autorun.inf \))
[ -z "$found" ] || fail "--no-web wrote $found"
(cd noweb && sha256sum --quiet -c SHA256.TXT) || fail "noweb: sha256sum -c"

# --viewer=none: the pages, not the viewer, and no reference to it.
expect_status 0 "$PDIBURN" dir --viewer=none --from "$S/archive" noviewer
[ -f noviewer/INDEX.HTM ] && [ -d noviewer/IHE_PDI ] || fail "--viewer=none: no INDEX.HTM or IHE_PDI"
[ ! -e noviewer/VIEWER ] || fail "--viewer=none wrote VIEWER/"
! grep -qi 'viewer/' noviewer/INDEX.HTM || fail "--viewer=none: INDEX.HTM refers to VIEWER/"
web_checks noviewer

# --viewer=lite: the index says payload "lite", every series codec "jpeg".
expect_status 0 "$PDIBURN" dir --viewer=lite --from "$S/archive" lite
"$PYTHON" - lite/VIEWER/DATA/STUDY.JS <<'PY' || fail "--viewer=lite: STUDY.JS"
import json, sys
s = open(sys.argv[1], encoding="utf-8").read().strip()
assert s.startswith("PDV.study(") and s.endswith(");"), s[:40]
idx = json.loads(s[len("PDV.study("):-2])
assert idx["payload"] == "lite", idx["payload"]
codecs = {se["codec"] for p in idx["patients"] for st in p["studies"] for se in st["series"]}
assert codecs == {"jpeg"}, codecs
PY

# --report: a PDF and a text file, copied byte for byte and linked.
PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -c '
import sys
sys.path.insert(0, sys.argv[1])
import mkstudy
open("extra.pdf", "wb").write(mkstudy.tiny_pdf("Externer Befund (extra.pdf)"))
' "$(dirname "$MKSTUDY")"
printf 'Befund: unauffällig.\nDr. Schön, 王医生\n' >befund.txt
expect_status 0 "$PDIBURN" dir --from "$S/archive" --report extra.pdf --report befund.txt rep
web_checks rep
"$PYTHON" - rep extra.pdf befund.txt <<'PY' || fail "--report files"
import json, os, sys
media = sys.argv[1]
links = json.load(open(media + ".links.json", encoding="utf-8"))
for src in sys.argv[2:]:
    want = open(src, "rb").read()
    hits = [h for h in links if h.startswith("REPORTS/")
            and open(os.path.join(media, h), "rb").read() == want]
    assert len(hits) == 1, (src, hits, links)
PY
