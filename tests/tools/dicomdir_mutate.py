#!/usr/bin/python3
"""dicomdir_mutate.py - damages the fixed-length parts of a DICOMDIR, one
mutation per output file, for tests that compare pdiburn verify with
dcmdump.  Deliberately shares no code with pdiburn: it walks the file
itself (Explicit VR Little Endian, PS3.5 7.1.2, items of PS3.5 7.5).

The fixed-length parts are the element headers (tag, VR, length) of the
meta information, of the File-set keys (0004,1130/1200/1202/1212/1220) and
of every record's own keys (0004,1400/1410/1420/1430/1500/1510/1511/1512),
the values of the UL and US among them, and every item and delimiter
header.  Each byte there is inverted; each such element is also cut off
(the file truncated) at its first and its value's first byte.  Records
repeat their structure, so the keys of only the first record of each
type are damaged (every item header is).

Usage: dicomdir_mutate.py DICOMDIR OUTDIR
  writes OUTDIR/m0001 ... and OUTDIR/list.txt ("m0001<TAB>what was done").
"""
import os
import struct
import sys

LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC",
            b"UN", b"UR", b"UT", b"UV"}
RECORD_KEYS = {0x00041400, 0x00041410, 0x00041420, 0x00041430, 0x00041500,
               0x00041510, 0x00041511, 0x00041512}
FILESET_KEYS = {0x00041130, 0x00041200, 0x00041202, 0x00041212, 0x00041220}


def tag_at(d, pos):
    group, elem = struct.unpack_from("<HH", d, pos)
    return group << 16 | elem


def record_type(d, pos, end):
    """The Directory Record Type of the item body at d[pos:end]."""
    while pos + 8 <= end:
        tag = tag_at(d, pos)
        if tag >> 16 == 0xFFFE or tag > 0x00041430:
            return None
        vr = bytes(d[pos + 4:pos + 6])
        long_vr = vr in LONG_VRS
        length = struct.unpack_from("<I" if long_vr else "<H", d, pos + (8 if long_vr else 6))[0]
        value = pos + (12 if long_vr else 8)
        if tag == 0x00041430:
            return bytes(d[value:value + length]).strip()
        pos = value + length
    return None


def walk(d, pos, end, out, in_record, seen, records=False):
    """Appends (kind, tag, start, value_start, value_len) for the elements
    of d[pos:end] whose bytes the mutations aim at; `records` when d[pos:end]
    is the Directory Record Sequence."""
    while pos + 8 <= end:
        tag = tag_at(d, pos)
        if tag >> 16 == 0xFFFE:  # item or delimiter: tag + 4-byte length
            out.append(("item", tag, pos, pos + 8, 0))
            if tag == 0xFFFEE000 and records:
                kind = record_type(d, pos + 8, end)
                in_record = kind not in seen
                seen.add(kind)
            pos += 8
            continue
        vr = bytes(d[pos + 4:pos + 6])
        if vr in LONG_VRS:
            length = struct.unpack_from("<I", d, pos + 8)[0]
            value = pos + 12
        else:
            length = struct.unpack_from("<H", d, pos + 6)[0]
            value = pos + 8
        wanted = tag >> 16 == 0x0002 or tag in FILESET_KEYS or \
            (in_record and tag in RECORD_KEYS)
        if wanted:
            out.append(("elem", tag, pos, value, length if vr in (b"UL", b"US") else 0))
        if vr == b"SQ":
            stop = end if length == 0xFFFFFFFF else value + length
            walk(d, value, stop, out, in_record, seen, tag == 0x00041220)
            pos = stop if length != 0xFFFFFFFF else end
            continue
        pos = value + length


def main():
    src, outdir = sys.argv[1], sys.argv[2]
    d = open(src, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    parts = []
    walk(d, 132, len(d), parts, False, set())
    mutants = []
    for kind, tag, start, value, vlen in parts:
        name = "(%04X,%04X)" % (tag >> 16, tag & 0xFFFF)
        for at in range(start, value + vlen):
            m = bytearray(d)
            m[at] ^= 0xFF
            mutants.append((bytes(m), "%s at %d: byte %d inverted" % (name, start, at)))
        if kind == "elem":
            mutants.append((d[:start + 2], "%s at %d: cut inside its tag" % (name, start)))
            mutants.append((d[:value], "%s at %d: cut before its value" % (name, start)))
    with open(os.path.join(outdir, "list.txt"), "w") as lst:
        for i, (data, what) in enumerate(mutants, 1):
            name = "m%04d" % i
            open(os.path.join(outdir, name), "wb").write(data)
            lst.write("%s\t%s\n" % (name, what))
    print(len(mutants))


if __name__ == "__main__":
    main()
