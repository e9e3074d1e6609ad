#!/usr/bin/python3
"""foreign_media.py - media laid out the way other creators lay theirs out,
and defects planted into copies of it, for the tests of pdiburn verify.
Shares no code with pdiburn: pydicom writes and damages the files, the
DICOMDIR comes from dcmmkdir or dcmgpdir (run by the test), and every
planted defect is confirmed with pydicom before pdiburn is asked.

Usage:
  foreign_media.py files STUDIES OUT [--tiny]
      OUT/IMAGES/IM000001...: Explicit VR Little Endian copies of sample
      instances of mkstudy.py's STUDIES (two patients, ISO_IR 100 and
      ISO_IR 192, CT, a 10-frame US, an SR, a PDF), and a vendor viewer
      folder OUT/Viewer/ beside them with an autorun.inf.  --tiny makes
      every image 8 x 8 pixels, for tests that verify the media often.
  foreign_media.py plant DEFECT MEDIA
      damages MEDIA (a folder with a DICOMDIR) in place; prints the File ID
      of the damaged file (or DICOMDIR); exits 1 unless pydicom confirms
      the damage.  DEFECT is one of: truncated-pixel-data, short-pixel-data,
      fragments-cut, fragment-missing, offset-table, big-endian,
      patient-id, patient-name, study-date, series-uid, charset,
      instance-number-empty, sr-as-image, charset-removed.
"""
import json
import os
import struct
import sys
import warnings

import pydicom
from pydicom.dataset import FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian

LONG_VRS = {b"OB", b"OD", b"OF", b"OL", b"OV", b"OW", b"SQ", b"SV", b"UC",
            b"UN", b"UR", b"UT", b"UV"}


def fail(msg):
    print("foreign_media.py: " + msg, file=sys.stderr)
    sys.exit(1)


# ---- the files -------------------------------------------------------------

def wanted(i):
    """Sample instances for the media: PID001's Explicit and misc CTs,
    PID002's US cine, SR and PDF."""
    if i["folder"] != "archive" or i["duplicate_of"]:
        return False
    p = i["path"]
    return (i["patient_id"] == "PID001" and ("Series_2 Explicit" in p or "/misc/" in p)) or \
        (i["patient_id"] == "PID002" and i["modality"] in ("US", "SR", "DOC"))


def shrink(ds):
    """8 x 8 pixels of the same kind, frames and all."""
    frames = int(ds.get("NumberOfFrames", 1))
    size = 8 * 8 * ds.SamplesPerPixel * frames * (ds.BitsAllocated // 8)
    ds.Rows = ds.Columns = 8
    ds.PixelData = bytes(size)


def files(studies, out, tiny=False):
    man = json.load(open(os.path.join(studies, "manifest.json"), encoding="utf-8"))
    os.makedirs(os.path.join(out, "IMAGES"))
    n = 0
    for i in sorted((i for i in man["instances"] if wanted(i)), key=lambda i: i["path"]):
        ds = pydicom.dcmread(os.path.join(studies, i["path"]), force=True)
        if "MediaStorageSOPClassUID" not in ds.file_meta:  # a bare data set
            ds.file_meta = FileMetaDataset()
            ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_implicit_VR, ds.is_little_endian = False, True
        if tiny and "PixelData" in ds:
            shrink(ds)
        n += 1
        ds.preamble = b"\0" * 128
        ds.save_as(os.path.join(out, "IMAGES", "IM%06d" % n), write_like_original=False)
    viewer = os.path.join(out, "Viewer", "lib")
    os.makedirs(viewer)
    open(os.path.join(out, "Viewer", "Viewer.exe"), "wb").write(b"MZ" + bytes(4000))
    open(os.path.join(viewer, "dcmdata.dll"), "wb").write(b"MZ" + bytes(2000))
    open(os.path.join(out, "autorun.inf"), "w").write("[autorun]\r\nopen=Viewer\\Viewer.exe\r\n")
    print(n)


# ---- finding things in a DICOMDIR -----------------------------------------

def header(d, pos):
    """(tag, vr, value offset, length) of the element at pos."""
    group, elem = struct.unpack_from("<HH", d, pos)
    tag = group << 16 | elem
    if group == 0xFFFE:
        return tag, b"", pos + 8, struct.unpack_from("<I", d, pos + 4)[0]
    vr = bytes(d[pos + 4:pos + 6])
    if vr in LONG_VRS:
        return tag, vr, pos + 12, struct.unpack_from("<I", d, pos + 8)[0]
    return tag, vr, pos + 8, struct.unpack_from("<H", d, pos + 6)[0]


def elements(d, pos, end):
    """The elements of d[pos:end] at this level, and where the level ends
    (after an item delimiter, when there is one)."""
    out = []
    while pos + 8 <= end:
        tag, vr, value, length = header(d, pos)
        if tag == 0xFFFEE00D:
            return out, value
        out.append((tag, vr, value, length))
        pos = skip_items(d, value) if length == 0xFFFFFFFF else value + length
    return out, pos


def skip_items(d, pos):
    """Past the delimiter of an undefined-length sequence."""
    while True:
        tag, _, value, length = header(d, pos)
        if tag == 0xFFFEE0DD:
            return value
        pos = elements(d, value, len(d))[1] if length == 0xFFFFFFFF else value + length


def records(d):
    """{offset: {tag: (value offset, length)}} for every directory record."""
    pos = 132
    while struct.unpack_from("<H", d, pos)[0] == 0x0002:
        _, _, value, length = header(d, pos)
        pos = value + length
    seq = None
    for tag, vr, value, length in elements(d, pos, len(d))[0]:
        if tag == 0x00041220:
            seq, seq_len = value, length
    end = len(d) if seq_len == 0xFFFFFFFF else seq + seq_len
    out, pos = {}, seq
    while pos + 8 <= end:
        tag, _, value, length = header(d, pos)
        if tag != 0xFFFEE000:
            break
        stop = len(d) if length == 0xFFFFFFFF else value + length
        els, after = elements(d, value, stop)
        out[pos] = {t: (v, ln) for t, vr, v, ln in els}
        pos = after
    return out


def rtype(d, rec):
    v, ln = rec[0x00041430]
    return d[v:v + ln].decode().strip()


def find_record(d, kind, having=None):
    """The first record of this type (holding tag `having`, if given)."""
    for off, rec in sorted(records(d).items()):
        if rtype(d, rec) == kind and (having is None or having in rec):
            return off, rec
    fail("no %s record" % kind)


def file_id(d, rec):
    v, ln = rec[0x00041500]
    return d[v:v + ln].decode().strip().replace("\\", "/")


def overwrite(media, d, at, new):
    d[at:at + len(new)] = new
    open(os.path.join(media, "DICOMDIR"), "wb").write(d)


# ---- confirming with pydicom ------------------------------------------------

def pydicom_record(media, kind, offset):
    ds = pydicom.dcmread(os.path.join(media, "DICOMDIR"))
    for r in ds.DirectoryRecordSequence:
        if r.seq_item_tell == offset:
            return r
    fail("pydicom finds no %s record at %d" % (kind, offset))


def leaf_file_under(d, rec_offset):
    """The first file referenced at or below the record at rec_offset."""
    recs = records(d)
    rec = recs[rec_offset]
    while 0x00041500 not in rec:
        lower = struct.unpack_from("<I", d, rec[0x00041420][0])[0]
        rec = recs[lower]
    return file_id(d, rec)


def confirm_differs(media, d, kind, offset, keyword):
    r = pydicom_record(media, kind, offset)
    fid = leaf_file_under(d, offset)
    f = pydicom.dcmread(os.path.join(media, fid), stop_before_pixels=True)
    if str(r.get(keyword, "")) == str(f.get(keyword, "")):
        fail("pydicom: %s of the %s record still equals the file's" % (keyword, kind))
    return fid


# ---- the defects -------------------------------------------------------------

def image_file(media, want_frames=None, ts=None):
    for dirpath, _, names in sorted(os.walk(os.path.join(media, "IMAGES"))):
        for n in sorted(names):
            p = os.path.join(dirpath, n)
            ds = pydicom.dcmread(p, stop_before_pixels=True)
            if "Rows" not in ds:
                continue
            if want_frames and int(ds.get("NumberOfFrames", 1)) < want_frames:
                continue
            if ts and ds.file_meta.TransferSyntaxUID != ts:
                continue
            return p, os.path.relpath(p, media)
    fail("no image file in %s" % media)


def pixels_fail(path):
    warnings.simplefilter("ignore")  # pydicom warns before it fails
    try:
        pydicom.dcmread(path).pixel_array
    except Exception as e:  # the damage pydicom sees
        return str(e)
    fail("pydicom decodes the pixels of %s" % path)


def truncated_pixel_data(media):
    path, fid = image_file(media)
    data = open(path, "rb").read()
    open(path, "wb").write(data[:len(data) - 3000])
    pixels_fail(path)
    return fid


def short_pixel_data(media):
    path, fid = image_file(media)
    ds = pydicom.dcmread(path)
    ds.PixelData = ds.PixelData[:-2 * ds.Columns * ds.get("SamplesPerPixel", 1)]
    ds.save_as(path, write_like_original=True)
    pixels_fail(path)
    return fid


def items(pixel_data):
    """The items of encapsulated Pixel Data (PS3.5 A.4): the Basic Offset
    Table first, then the fragments."""
    out, pos = [], 0
    while pos + 8 <= len(pixel_data):
        tag, length = struct.unpack_from("<II", pixel_data, pos)
        if tag != 0xE000FFFE:
            break
        out.append(pixel_data[pos + 8:pos + 8 + length])
        pos += 8 + length
    return out


def encapsulated(media):
    path, fid = image_file(media, want_frames=2, ts="1.2.840.10008.1.2.4.70")
    ds = pydicom.dcmread(path)
    return path, fid, ds, items(ds.PixelData)


def fragments_cut(media):
    """The file ends inside its last fragment: no sequence delimiter."""
    path, fid, ds, its = encapsulated(media)
    data = open(path, "rb").read()
    open(path, "wb").write(data[:len(data) - len(its[-1]) // 2 - 8])
    pixels_fail(path)
    return fid


def fragment_missing(media):
    """Nine fragments for ten frames, and no offset table to say so."""
    path, fid, ds, its = encapsulated(media)
    ds.PixelData = encapsulate(its[1:-1], has_bot=False)
    ds.save_as(path, write_like_original=True)
    if len(items(ds.PixelData)) - 1 >= int(ds.NumberOfFrames):
        fail("pydicom: as many fragments as frames")
    return fid


def offset_table(media):
    """The second entry of the Basic Offset Table points 2 bytes into the
    second frame."""
    path, fid, ds, its = encapsulated(media)
    bot = its[0]
    entries = list(struct.unpack("<%dI" % (len(bot) // 4), bot))
    if len(entries) < 2:
        fail("no offset table to damage in %s" % path)
    entries[1] += 2
    raw = bytearray(ds.PixelData)
    raw[8:8 + len(bot)] = struct.pack("<%dI" % len(entries), *entries)
    ds.PixelData = bytes(raw)
    ds.save_as(path, write_like_original=True)
    first = 8 + len(bot)  # the first fragment's item tag
    at = first + entries[1]
    if struct.unpack_from("<I", ds.PixelData, at)[0] == 0xE000FFFE:
        fail("the damaged offset still points at an item")
    return fid


def big_endian(media):
    """A file re-written Explicit VR Big Endian, its record saying so (the
    UIDs have the same length)."""
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    off, rec = find_record(d, "IMAGE")
    fid = file_id(d, rec)
    path = os.path.join(media, fid)
    ds = pydicom.dcmread(path)
    ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian
    ds.is_implicit_VR, ds.is_little_endian = False, False
    ds.save_as(path, write_like_original=False)
    v, ln = rec[0x00041512]
    overwrite(media, d, v, ExplicitVRBigEndian.encode().ljust(ln, b"\0"))
    if pydicom.dcmread(path).file_meta.TransferSyntaxUID != ExplicitVRBigEndian:
        fail("pydicom does not read Big Endian")
    return fid


def patch_value(media, kind, tag, keyword, change, having=None):
    """Changes the value of `tag` in the first `kind` record, keeping its
    length, and has pydicom confirm the record and the file disagree."""
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    off, rec = find_record(d, kind, having or tag)
    v, ln = rec[tag]
    overwrite(media, d, v, change(bytes(d[v:v + ln])))
    return confirm_differs(media, d, kind, off, keyword)


def swap_char(b):
    """One character changed: a digit for a digit, a letter for a letter."""
    for i in range(len(b) - 1, -1, -1):
        c = chr(b[i])
        if c.isdigit():
            return b[:i] + (b"1" if c != "1" else b"2") + b[i + 1:]
        if c.isalpha():
            return b[:i] + (b"X" if c != "X" else b"Y") + b[i + 1:]
    fail("nothing to change in %r" % b)


def charset(media):
    """The PATIENT record of the ISO_IR 192 patient says ISO_IR 100: the
    same bytes then spell another name."""
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    for off, rec in sorted(records(d).items()):
        if rtype(d, rec) == "PATIENT" and 0x00080005 in rec:
            v, ln = rec[0x00080005]
            if d[v:v + ln].strip() == b"ISO_IR 192":
                overwrite(media, d, v, b"ISO_IR 100")
                return confirm_differs(media, d, "PATIENT", off, "PatientName")
    fail("no PATIENT record in ISO_IR 192")


def instance_number_empty(media):
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    off, rec = find_record(d, "IMAGE", 0x00200013)
    v, ln = rec[0x00200013]
    overwrite(media, d, v, b" " * ln)
    if str(pydicom_record(media, "IMAGE", off).get("InstanceNumber", "")) != "":
        fail("pydicom still reads an Instance Number")
    return file_id(d, rec)


def sr_as_image(media):
    """An SR under an IMAGE record, as Orthanc and gdcmgendir write them."""
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    off, rec = find_record(d, "SR DOCUMENT")
    v, ln = rec[0x00041430]
    overwrite(media, d, v, b"IMAGE".ljust(ln))
    r = pydicom_record(media, "IMAGE", off)
    if r.DirectoryRecordType != "IMAGE" or "88." not in r.ReferencedSOPClassUIDInFile:
        fail("pydicom does not see an SR under an IMAGE record")
    return file_id(d, rec)


def charset_removed(media):
    """The PATIENT record keeps its UTF-8 name but its character set is
    blanked: ISO-IR 6 then, which has no such bytes."""
    d = bytearray(open(os.path.join(media, "DICOMDIR"), "rb").read())
    for off, rec in sorted(records(d).items()):
        if rtype(d, rec) == "PATIENT" and 0x00080005 in rec:
            v, ln = rec[0x00080005]
            if d[v:v + ln].strip() == b"ISO_IR 192":
                overwrite(media, d, v, b" " * ln)
                r = pydicom_record(media, "PATIENT", off)
                name = r["PatientName"].value
                raw = name.original_string if hasattr(name, "original_string") else bytes(name)
                if r.get("SpecificCharacterSet", "") or max(raw) < 0x80:
                    fail("pydicom: the record still has a character set")
                return "DICOMDIR"
    fail("no PATIENT record in ISO_IR 192")


DEFECTS = {
    "truncated-pixel-data": truncated_pixel_data,
    "short-pixel-data": short_pixel_data,
    "fragments-cut": fragments_cut,
    "fragment-missing": fragment_missing,
    "offset-table": offset_table,
    "big-endian": big_endian,
    "patient-id": lambda m: patch_value(m, "PATIENT", 0x00100020, "PatientID", swap_char),
    "patient-name": lambda m: patch_value(m, "PATIENT", 0x00100010, "PatientName", swap_char),
    "study-date": lambda m: patch_value(m, "STUDY", 0x00080020, "StudyDate", swap_char),
    "series-uid": lambda m: patch_value(m, "SERIES", 0x0020000E, "SeriesInstanceUID", swap_char),
    "charset": charset,
    "instance-number-empty": instance_number_empty,
    "sr-as-image": sr_as_image,
    "charset-removed": charset_removed,
}


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "files":
        files(sys.argv[2], sys.argv[3], sys.argv[4:] == ["--tiny"])
    elif len(sys.argv) == 4 and sys.argv[1] == "plant" and sys.argv[2] in DEFECTS:
        print(DEFECTS[sys.argv[2]](sys.argv[3]))
    else:
        fail(__doc__)


if __name__ == "__main__":
    main()
