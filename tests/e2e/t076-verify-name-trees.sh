#!/bin/sh
# pdiburn verify reads an ISO image's three name trees from its directory
# records (lib/verify/iso_tree.c, shown by tests/tools/iso_trees.c) as
# isoinfo does: ISO 9660 (-f), Joliet (-J -f), Rock Ridge (-R -f), for
# images of pdiburn, xorriso and genisoimage, with and without Joliet or
# Rock Ridge, long Rock Ridge names (continuation areas) included; deep
# folders relocated by genisoimage are followed as libarchive (bsdtar)
# follows them.  Then every File ID must resolve in every tree as its
# readers look names up: files named in lower case on disk resolve in
# Joliet (Windows ignores case) but not in Rock Ridge (Linux, macOS), a
# file hidden from Joliet only in Joliet; each is a problem naming the
# File ID and the tree.
. "$E2E_LIB"
need isoinfo xorriso genisoimage bsdtar dcmmkdir
studies

"$PYTHON" "$TOOLS/foreign_media.py" files "$S" media --tiny >/dev/null || fail "foreign_media.py"
(cd media && dcmmkdir -q +r IMAGES) || fail "dcmmkdir"
mkdir -p odd/a/b/c/d/e/f/g/h/i/j "odd/Mixed Case Dir"
echo x >odd/a/b/c/d/e/f/g/h/i/j/file.txt
echo y >"odd/Mixed Case Dir/lower.txt"
"$PYTHON" -c 'open("odd/" + "L" * 200 + ".dat", "w").write("z")'

expect_status 0 "$PDIBURN" iso --from "$S/archive" --no-web pdiburn.iso
xorriso -as mkisofs -quiet -r -J -o xorriso.iso media 2>/dev/null || fail "xorriso"
genisoimage -quiet -r -J -o genisoimage.iso media || fail "genisoimage"
genisoimage -quiet -r -o rr-only.iso media || fail "genisoimage -r"
genisoimage -quiet -o plain.iso media || fail "genisoimage"
xorriso -as mkisofs -quiet -R -J -joliet-long -o long.iso odd 2>/dev/null || fail "xorriso odd"

# same IMAGE TREE OPTION: our reader's tree equals isoinfo's listing.
same() {
    "$ISO_TREES" "$1" >trees.txt || fail "iso_trees $1"
    awk -F'\t' -v t="$2" '$1 == t { print $2 }' trees.txt | LC_ALL=C sort >mine.txt
    isoinfo $3 -f -i "$1" | LC_ALL=C sort >theirs.txt
    [ -s theirs.txt ] || fail "$1: isoinfo $3 lists nothing"
    diff theirs.txt mine.txt || fail "$1: the $2 tree differs from isoinfo $3 -f"
}
for img in pdiburn.iso xorriso.iso genisoimage.iso long.iso; do
    same "$img" iso ""
    same "$img" joliet -J
    same "$img" rr -R
done
same rr-only.iso iso ""
same rr-only.iso rr -R
same plain.iso iso ""
"$ISO_TREES" rr-only.iso | grep -q '^joliet' && fail "a Joliet tree where there is none"
"$ISO_TREES" plain.iso | grep -q '^rr' && fail "a Rock Ridge tree where there is none"

# Relocated deep folders (RRIP CL/RE): where bsdtar shows them (it hides
# the emptied rr_moved/).
genisoimage -quiet -R -o deep.iso odd 2>/dev/null || fail "genisoimage deep"
bsdtar -tf deep.iso | grep -v -x '\.' | sed 's#/$##; s#^#/#' | LC_ALL=C sort >theirs.txt
"$ISO_TREES" deep.iso | awk -F'\t' '$1 == "rr" && $2 != "/rr_moved" { print $2 }' |
    LC_ALL=C sort >mine.txt
grep -q '^/a/b/c/d/e/f/g/h/i/j/file.txt$' theirs.txt || fail "bsdtar does not follow the relocation"
diff theirs.txt mine.txt || fail "deep.iso: Rock Ridge names differ from bsdtar's"

for img in xorriso.iso genisoimage.iso rr-only.iso plain.iso; do
    expect_status 0 "$PDIBURN" verify "$img"
done

# findings FILE: problems of a --json result as "code<TAB>file<TAB>message".
problems() {
    "$PYTHON" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    if f["severity"] == "problem":
        print("%s\t%s\t%s" % (f["code"], f["file"], f["message"]))' "$1"
}

# Lower case on disk, upper case in the DICOMDIR.
cp -r media lower
(cd lower && mv IMAGES images && cd images && for f in *; do
    mv "$f" "$(echo "$f" | tr A-Z a-z)"; done)
xorriso -as mkisofs -quiet -r -J -o lower.iso lower 2>/dev/null || fail "xorriso lower"
isoinfo -R -f -i lower.iso | grep -q '^/images/im000001$' || fail "Rock Ridge names not lower case"
isoinfo -J -f -i lower.iso | grep -q '^/images/im000001$' || fail "Joliet names not lower case"
expect_status 6 "$PDIBURN" --json verify lower.iso
problems out >p.txt
[ "$(grep -c '^fileid-not-in-tree	IMAGES/IM0000[0-9][0-9]	.*Rock Ridge' p.txt)" -eq 9 ] ||
    { cat p.txt >&2; fail "not every File ID missing from the Rock Ridge tree"; }
[ "$(wc -l <p.txt)" -eq 9 ] || { cat p.txt >&2; fail "problems beyond the Rock Ridge tree"; }

# One file hidden from the Joliet tree.
xorriso -as mkisofs -quiet -r -J -hide-joliet media/IMAGES/IM000003 \
    -o hidden.iso media 2>/dev/null || fail "xorriso -hide-joliet"
isoinfo -J -f -i hidden.iso | grep -q IM000003 && fail "IM000003 not hidden from Joliet"
expect_status 6 "$PDIBURN" --json verify hidden.iso
problems out >p.txt
grep -q '^fileid-not-in-tree	IMAGES/IM000003	.*Joliet' p.txt || { cat p.txt >&2; fail "hidden file not found missing"; }
[ "$(wc -l <p.txt)" -eq 1 ] || { cat p.txt >&2; fail "more than the hidden file"; }
