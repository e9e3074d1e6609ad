#!/usr/bin/python3
# mkdefects.py -- owns the generation of the awkward and hostile source
# files of issue 8 (input side): two patients behind one Patient ID, a
# renamed patient, studies made only of unreadable files, files tied to
# nothing, impossible pixel geometry, unknown and malformed transfer
# syntaxes, UIDs missing or too long, sequences nested thousands deep, an
# image only a viewer chokes on.  Test tooling only, built on mkstudy.py's
# phantoms and manifest so that check_medium.py judges the results.
"""
mkdefects.py -- generate defective DICOM sources for pdiburn's input tests.

USAGE
    /usr/bin/python3 tests/tools/mkdefects.py OUTDIR

    Writes one folder per case under OUTDIR (replaced on every run) and
    OUTDIR/manifest.json in mkstudy.py's format; files with a defect carry
    "defect" there, so check_medium.py never expects them on a medium.
    Same output on every run (UID root 1.2.826.0.1.3680043.10.1234.7).

CASES (folder: content)
    two_patients/   Patient ID PID_SHARED for two people: a/ (issuer
                    HOSP_A, Alpha^Anna, 19500101, F) and b/ (HOSP_B,
                    Beta^Bert, 19800202, M), one CT study each
    renamed/        PID_RENAMED, one person (HOSP_A, 19700303, F), study of
                    2020 as Maiden^Maria, study of 2024 as Married^Maria;
                    manifest "record_patient_name" = the 2024 name
    lone_broken/    PID_LONE: ok/ a good study, s2/IM1 the only file of a
                    second study, cut inside its pixel data; other/ a good
                    study of PID_OTHER; junk/empty.dcm (0 bytes) and
                    junk/cut_meta.dcm (cut inside the meta information)
    geom_short/     IM2: native pixel data shorter than Rows x Columns
    geom_frames/    IM2: Number of Frames 99999999999 in a 3 KB file
    geom_bits/      IM2: Bits Stored 20 with Bits Allocated 16
    unknown_ts/     IM2: meta transfer syntax 1.2.840.10008.1.2.4.201
                    (HTJ2K), encapsulated pixel data
    no_sop_class/   IM2: no SOP Class UID in the data set (meta has it)
    long_uid/       IM2: SOP Instance UID of 70 characters
    ts_empty/       IM2: empty meta Transfer Syntax UID
    ts_bogus/       IM2: meta Transfer Syntax UID "1.2.840.10008.1.2.x"
    ts_multi/       IM2: two meta Transfer Syntax UIDs
    deep_seq/       IM1 a sequence nested 20 deep (fine); IM2 6000 deep
    viewer_bad/     JPEG baseline CT images, IM2's codestream cut short
                    (a sound DICOM file no decoder can show)
    In every case but two_patients, renamed and lone_broken, IM1 is a good
    instance of the same study, patient PID_<CASE>.
"""

import io
import json
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkstudy as m  # noqa: E402
import pydicom  # noqa: E402
from pydicom.dataset import Dataset  # noqa: E402
from pydicom.encaps import encapsulate  # noqa: E402
from pydicom.sequence import Sequence  # noqa: E402

SEED = 7
SIZE = 64


def element(tag, vr, value):
    """One Explicit VR Little Endian element, padded to even length."""
    if isinstance(value, str):
        value = value.encode("latin-1")
    if len(value) % 2:
        value += b"\0" if vr in ("UI", "OB") else b" "
    group, elem = tag >> 16, tag & 0xFFFF
    if vr in ("OB", "OW", "SQ", "UN", "UT"):
        return struct.pack("<HH2sHI", group, elem, vr.encode(), 0, len(value)) + value
    return struct.pack("<HH2sH", group, elem, vr.encode(), len(value)) + value


def meta_bytes(sop_class, sop_uid, ts):
    """Preamble, DICM and meta information with any Transfer Syntax value
    (None leaves it out), which pydicom would refuse to write."""
    body = element(0x00020001, "OB", b"\0\1")
    body += element(0x00020002, "UI", sop_class)
    body += element(0x00020003, "UI", sop_uid)
    if ts is not None:
        body += element(0x00020010, "UI", ts)
    body += element(0x00020012, "UI", m.PACS_IMPL_UID)
    group_length = element(0x00020000, "UL", struct.pack("<I", len(body)))
    return b"\0" * 128 + b"DICM" + group_length + body


def dataset_bytes(ds):
    """The data set alone, Explicit VR Little Endian."""
    fp = pydicom.filebase.DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = False
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    pydicom.filewriter.write_dataset(fp, ds)
    return fp.getvalue()


class Case:
    """One patient, one study, numbered instances of a small CT series."""

    def __init__(self, g, folder, number, pid, **pat):
        self.g, self.folder, self.number = g, folder, number
        self.pat = {"case": number, "id": pid, "name": pat.get("name", "Test^" + folder),
                    "charset": None, "birth": pat.get("birth", "19600101"),
                    "sex": pat.get("sex", "F")}
        self.issuer = pat.get("issuer")

    def study(self, idx, date):
        self.st = m.study_of(self.g, self.pat, idx, date=date, id="S%d" % idx,
                             accession="A%d%d" % (self.number, idx), time="090000")
        self.ser = m.series_of(self.g, self.pat, idx, 1, modality="CT",
                               description="small CT", bits_stored=12, time="090100")
        self.sidx = idx
        return self

    def image(self, i):
        """Instance i of the current study: (dataset, pixel array)."""
        g = self.g
        uid = g.uid(3, self.number, self.sidx, 1, i)
        arr = m.ct_phantom(g.rng(self.number, self.sidx, i), i, 4, SIZE, 12)
        ds = m.ct_image(g, self.pat, self.st, self.ser, i, i, 4, arr, uid, 5.0 * i)
        if self.issuer:
            ds.IssuerOfPatientID = self.issuer
        return ds, arr

    def write(self, rel, ds, arr, ts=m.TS_IMPLICIT, **manifest):
        """A good (or knowingly bad) Part 10 file, recorded in the manifest."""
        path = "%s/%s" % (self.folder, rel)
        m.write_bytes(self.g, path, m.encode_part10(ds, ts))
        return m.record(self.g, self.folder, path, None if arr is None else arr[None],
                        "image", **manifest)

    def write_raw(self, rel, data, ds, defect):
        """A defective file from bytes; the manifest keeps what was meant."""
        path = "%s/%s" % (self.folder, rel)
        m.write_bytes(self.g, path, data)
        if "file_meta" not in ds.__dict__:
            ds.file_meta = m.file_meta(ds, m.TS_EXPLICIT)
        return m.record(self.g, self.folder, path, None, "image", defect=defect,
                        ds_written=ds)


def two_patients(g):
    a = Case(g, "two_patients", 21, "PID_SHARED", name="Alpha^Anna",
             birth="19500101", sex="F", issuer="HOSP_A").study(1, "20240101")
    for i in (1, 2):
        a.write("a/IM%d" % i, *a.image(i))
    b = Case(g, "two_patients", 22, "PID_SHARED", name="Beta^Bert",
             birth="19800202", sex="M", issuer="HOSP_B").study(1, "20240201")
    b.write("b/IM1", *b.image(1))


def renamed(g):
    for idx, (date, name) in enumerate((("20200101", "Maiden^Maria"),
                                        ("20240101", "Married^Maria")), 1):
        c = Case(g, "renamed", 23, "PID_RENAMED", name=name, birth="19700303",
                 sex="F", issuer="HOSP_A").study(idx, date)
        e = c.write("s%d/IM1" % idx, *c.image(1))
        e["record_patient_name"] = "Married^Maria"


def lone_broken(g):
    c = Case(g, "lone_broken", 24, "PID_LONE").study(1, "20240101")
    c.write("ok/IM1", *c.image(1))
    c.study(2, "20240202")
    ds, arr = c.image(1)
    data = m.encode_part10(ds, m.TS_IMPLICIT)
    c.write_raw("s2/IM1", data[:len(data) - arr.size], ds, "truncated_pixel_data")
    o = Case(g, "lone_broken", 25, "PID_OTHER").study(1, "20240303")
    o.write("other/IM1", *o.image(1))
    m.write_bytes(g, "lone_broken/junk/empty.dcm", b"")
    m.write_bytes(g, "lone_broken/junk/cut_meta.dcm",
                  meta_bytes(m.CT_STORAGE, "1.2.3", m.TS_IMPLICIT)[:150])
    g.junk += ["lone_broken/junk/empty.dcm", "lone_broken/junk/cut_meta.dcm"]


def pair(g, folder, number):
    """A study of two instances: IM1 written good, IM2 returned to spoil."""
    c = Case(g, folder, number, "PID_" + folder.upper()).study(1, "20240301")
    c.write("IM1", *c.image(1))
    ds, arr = c.image(2)
    return c, ds, arr


def geom_short(g):
    c, ds, arr = pair(g, "geom_short", 30)
    ds.PixelData = ds.PixelData[:1000]
    c.write_raw("IM2", m.encode_part10(ds, m.TS_IMPLICIT), ds, "short_pixels")


def geom_frames(g):
    c, ds, arr = pair(g, "geom_frames", 31)
    ds.Rows = ds.Columns = 16
    ds.PixelData = ds.PixelData[:16 * 16 * 2]
    ds.NumberOfFrames = "99999999999"
    c.write_raw("IM2", m.encode_part10(ds, m.TS_IMPLICIT), ds, "frames")


def geom_bits(g):
    c, ds, arr = pair(g, "geom_bits", 32)
    ds.BitsStored = 20
    ds.HighBit = 19
    c.write_raw("IM2", m.encode_part10(ds, m.TS_EXPLICIT), ds, "bits_stored")


def unknown_ts(g):
    c, ds, arr = pair(g, "unknown_ts", 33)
    ds.PixelData = encapsulate([b"\xff\x4f\xff\x51" + bytes(200)])
    ds["PixelData"].VR = "OB"
    ds["PixelData"].is_undefined_length = True
    data = meta_bytes(ds.SOPClassUID, ds.SOPInstanceUID,
                      "1.2.840.10008.1.2.4.201") + dataset_bytes(ds)
    c.write_raw("IM2", data, ds, "unknown_transfer_syntax")


def no_sop_class(g):
    c, ds, arr = pair(g, "no_sop_class", 34)
    sop_class = ds.SOPClassUID
    del ds.SOPClassUID
    data = meta_bytes(sop_class, ds.SOPInstanceUID, m.TS_EXPLICIT) + dataset_bytes(ds)
    ds.SOPClassUID = sop_class
    c.write_raw("IM2", data, ds, "no_sop_class")


def long_uid(g):
    c, ds, arr = pair(g, "long_uid", 35)
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".1" * 20
    assert len(ds.SOPInstanceUID) > 64
    data = meta_bytes(ds.SOPClassUID, ds.SOPInstanceUID, m.TS_EXPLICIT) + dataset_bytes(ds)
    c.write_raw("IM2", data, ds, "long_uid")


def bad_ts(g, folder, number, value):
    c, ds, arr = pair(g, folder, number)
    data = meta_bytes(ds.SOPClassUID, ds.SOPInstanceUID, value) + dataset_bytes(ds)
    c.write_raw("IM2", data, ds, folder)


def sr_incomplete(g):
    """A Basic Text SR without Completion Flag: its SR DOCUMENT record would
    lack a Type 1 key that only the SR itself can give (PS3.3 F.5.24)."""
    c = Case(g, "sr_incomplete", 44, "PID_SR_INCOMPLETE").study(1, "20240305")
    c.write("IM1", *c.image(1))
    ser = m.series_of(g, c.pat, 1, 2, modality="SR", description="report", time="100000")
    ds = m.base_dataset(g, c.pat, c.st, ser, m.BASIC_TEXT_SR, g.uid(3, 44, 1, 2, 1), 1)
    ds.ContentDate, ds.ContentTime = "20240305", "101500"
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = m.Sequence([m.code_item("18748-4", "LN",
                                                         "Diagnostic imaging report")])
    ds.ContinuityOfContent = "SEPARATE"
    ds.VerificationFlag = "UNVERIFIED"
    m.write_bytes(g, "sr_incomplete/SR1", m.encode_part10(ds, m.TS_EXPLICIT))
    m.record(g, "sr_incomplete", "sr_incomplete/SR1", None, "sr",
             defect="sr_no_completion_flag")


def nested(depth):
    """(0040,A730) holding itself `depth` times, undefined lengths."""
    head = struct.pack("<HH2sHI", 0x0040, 0xA730, b"SQ", 0, 0xFFFFFFFF)
    item = b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    item_end = b"\xfe\xff\x0d\xe0\0\0\0\0"
    seq_end = b"\xfe\xff\xdd\xe0\0\0\0\0"
    return (head + item) * depth + (item_end + seq_end) * depth


def with_nesting(ds, depth):
    """Explicit VR LE Part 10 bytes with the nest before the pixel data."""
    body = dataset_bytes(ds)
    at = body.index(b"\xe0\x7f\x10\x00")
    return meta_bytes(ds.SOPClassUID, ds.SOPInstanceUID, m.TS_EXPLICIT) + \
        body[:at] + nested(depth) + body[at:]


def deep_seq(g):
    c = Case(g, "deep_seq", 36, "PID_DEEP_SEQ").study(1, "20240301")
    ds, arr = c.image(1)
    path = "deep_seq/IM1"
    m.write_bytes(g, path, with_nesting(ds, 20))
    m.record(g, "deep_seq", path, arr[None], "image")
    ds, arr = c.image(2)
    c.write_raw("IM2", with_nesting(ds, 6000), ds, "deep_nesting")


def viewer_bad(g):
    c = Case(g, "viewer_bad", 37, "PID_VIEWER_BAD").study(1, "20240301")
    for i in (1, 2):
        ds, arr = c.image(i)
        data, _ = m.transcode(g, ds, ["dcmcjpeg", "+eb", "+q", "90", "+un"])
        jpeg = pydicom.dcmread(io.BytesIO(data))
        if i == 2:  # keep the frame's start, lose the scan and its end
            frame = next(pydicom.encaps.generate_pixel_data_frame(jpeg.PixelData))
            jpeg.PixelData = encapsulate([frame[:len(frame) // 4]])
        path = "viewer_bad/IM%d" % i
        bio = io.BytesIO()
        jpeg.save_as(bio, write_like_original=True)
        m.write_bytes(g, path, bio.getvalue())
        m.record(g, "viewer_bad", path, None, "image", lossy=True,
                 quirks=["undecodable"] if i == 2 else [])


CASES = [two_patients, renamed, lone_broken, geom_short, geom_frames, geom_bits,
         unknown_ts, no_sop_class, long_uid,
         lambda g: bad_ts(g, "ts_empty", 40, ""),
         lambda g: bad_ts(g, "ts_bogus", 41, "1.2.840.10008.1.2.x"),
         lambda g: bad_ts(g, "ts_multi", 42, "1.2.840.10008.1.2.1\\1.2.840.10008.1.2"),
         deep_seq, viewer_bad, sr_incomplete]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    g = m.Gen(out, SEED, 1)
    try:
        for case in CASES:
            case(g)
        m.write_manifest(g, ["defects"])
    finally:
        shutil.rmtree(g.tmp, ignore_errors=True)
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        count = len(json.load(f)["instances"])
    print("mkdefects: %d instances in %s" % (count, out))


if __name__ == "__main__":
    main()
