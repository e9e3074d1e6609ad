#!/usr/bin/python3
# mkhostile.py -- owns the generation of hostile test input for pdiburn's
# end-to-end tests: ZIP files "someone else made" with awkward entry names
# and sizes that lie, and DICOM instances whose text values and file names
# carry control characters and bytes that are not UTF-8.  Test tooling
# only; nothing in pdiburn depends on it.
"""
mkhostile.py -- hostile input for pdiburn's end-to-end tests.

USAGE
    mkhostile.py zip MEDIA_DIR OUT.zip [--extra NAME]... [--raw-name HEX]
                 [--bomb-dicomdir MB]
        A ZIP of the files under MEDIA_DIR, made by Python's zipfile (not by
        pdiburn).  --extra NAME adds a small text file under that entry name
        (e.g. "Bericht_Müller.txt", "../evil.txt", "/abs.txt").  --raw-name
        HEX adds one whose name is the given bytes, without the UTF-8 flag
        (e.g. "fffe2e747874": not UTF-8).  --bomb-dicomdir MB replaces the
        DICOMDIR entry by MB megabytes of zeros, deflated, whose headers
        claim 100 bytes.

    mkhostile.py text SOURCE_FILE OUT_DIR
        From one DICOM file: OUT_DIR/hostile.dcm whose Patient Name and
        Study Description hold \\x01 and \\x0b (Specific Character Set
        ISO 2022 IR 87, converted by iconv, which keeps them) and whose
        Series Description holds bytes that are not text, and a copy of it
        (new SOP Instance UID, no Instance Number, so that pdiburn warns
        naming it) under a file name with a newline and an ESC sequence.

    mkhostile.py maxrss -- COMMAND...
        Runs COMMAND, prints its exit status and its peak resident memory in
        MB on one line ("STATUS MB"), and exits 0.
"""
import os
import resource
import struct
import subprocess
import sys
import zipfile

import pydicom


def patch_name(data, placeholder, raw):
    """Replace a same-length placeholder entry name in local and central
    headers, and clear its UTF-8 flag (bit 11)."""
    assert len(placeholder) == len(raw)
    out = bytearray(data.replace(placeholder, raw))
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := out.find(sig, start)) >= 0:
            name_at = 30 if sig == b"PK\x03\x04" else 46
            if out[i + name_at:i + name_at + len(raw)] == raw:
                flags = struct.unpack_from("<H", out, i + flag_at)[0]
                struct.pack_into("<H", out, i + flag_at, flags & ~0x800)
            start = i + 4
    return bytes(out)


def bomb(z, megabytes):
    """A DICOMDIR entry of zeros whose sizes are patched to 100 later."""
    info = zipfile.ZipInfo("DICOMDIR")
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as out:
        chunk = bytes(1 << 20)
        for _ in range(megabytes):
            out.write(chunk)


def lie_about_size(data, name):
    """Every header of entry `name` claims 100 bytes uncompressed."""
    out = bytearray(data)
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30),
                                  (b"PK\x01\x02", 24, 46)):
        start = 0
        while (i := out.find(sig, start)) >= 0:
            if out[i + name_at:i + name_at + len(name)] == name:
                struct.pack_into("<I", out, i + size_at, 100)
                zip64_extra(out, i, sig, name_at)
            start = i + 4
    return bytes(out)


def zip64_extra(out, i, sig, name_at):
    """The ZIP64 extra field carries the real sizes: make it lie too."""
    name_len, extra_len = struct.unpack_from(
        "<HH", out, i + (26 if sig == b"PK\x03\x04" else 28))
    extra = i + name_at + name_len
    end = extra + extra_len
    while extra + 4 <= end:
        tag, size = struct.unpack_from("<HH", out, extra)
        if tag == 1 and size >= 8:
            struct.pack_into("<Q", out, extra + 4, 100)
        extra += 4 + size
    size_at = 22 if sig == b"PK\x03\x04" else 24
    if struct.unpack_from("<I", out, i + size_at)[0] == 0xFFFFFFFF:
        struct.pack_into("<I", out, i + size_at, 100)


def make_zip(args):
    media, target = args[0], args[1]
    extras, raw, bomb_mb = [], None, 0
    rest = args[2:]
    while rest:
        opt, value, rest = rest[0], rest[1], rest[2:]
        if opt == "--extra":
            extras.append(value)
        elif opt == "--raw-name":
            raw = bytes.fromhex(value)
        elif opt == "--bomb-dicomdir":
            bomb_mb = int(value)
    placeholder = b"R" * len(raw) if raw else None
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        if bomb_mb:
            bomb(z, bomb_mb)
        for root, _dirs, files in os.walk(media):
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, media)
                if not (bomb_mb and rel == "DICOMDIR"):
                    z.write(path, rel)
        for name in extras:
            z.writestr(zipfile.ZipInfo(name), b"not part of the media\n")
        if raw:
            z.writestr(placeholder.decode("ascii"), b"odd name\n")
    data = open(target, "rb").read()
    if raw:
        data = patch_name(data, placeholder, raw)
    if bomb_mb:
        data = lie_about_size(data, b"DICOMDIR")
    open(target, "wb").write(data)


def make_text(args):
    source, out = args
    os.makedirs(out, exist_ok=True)
    ds = pydicom.dcmread(source)
    # ISO 2022 IR 87 values are converted with iconv, which keeps control
    # characters: \x01 and \x0b reach the pages as they are.
    ds.SpecificCharacterSet = ["", "ISO 2022 IR 87"]
    ds.PatientName = b"EVIL\x01^NAME\x1b$B%d%^%@\x1b(B"
    ds.StudyDescription = b"Study\x01 \x0b end"
    ds.SeriesDescription = b"Series \xff\xfe\x01 not UTF-8"
    ds.save_as(os.path.join(out, "hostile.dcm"))
    # The same study again under a name with a newline and an escape
    # sequence; without an Instance Number pdiburn warns naming the file.
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".9"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    if "InstanceNumber" in ds:
        del ds.InstanceNumber
    name = "bad\nerror: forged line \x1b[31mred\x1b[0m.dcm"
    ds.save_as(os.path.join(out, name))


def maxrss(args):
    cmd = args[args.index("--") + 1:]
    status = subprocess.call(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(status, peak_kb // 1024)


def main():
    commands = {"zip": make_zip, "text": make_text, "maxrss": maxrss}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.stderr.write(__doc__)
        return 2
    commands[sys.argv[1]](sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
