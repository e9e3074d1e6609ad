#!/usr/bin/python3
# check_medium.py -- owns the independent conformance/fidelity check of a
# media folder written by pdiburn against the truth in mkstudy.py's
# manifest.json.  Deliberately shares no code with pdiburn: it relies on
# pydicom (plus numpy) only, so a bug common to pdiburn's writer and reader
# cannot hide itself.
"""
check_medium.py -- verify a DICOM File-set (DICOMDIR + files) against a
mkstudy.py manifest.

USAGE
    /usr/bin/python3 tests/tools/check_medium.py MEDIA_DIR MANIFEST_JSON
        [--patients PID,...] [--studies UID,...] [--folders NAME,...]
        [--exclude-kind KIND[,KIND]] [--allow-missing SOPUID,...]
        [--lossy-tolerance N] [--sha256] [--list]

    MEDIA_DIR        root of the medium (contains DICOMDIR)
    MANIFEST_JSON    manifest.json written by mkstudy.py; the source files
                     are found relative to its folder
    --patients       only expect instances of these PatientIDs (as in the
                     source files; an empty item, e.g. "PID001," selects
                     the instances whose source has no PatientID)
    --studies        only expect instances of these Study Instance UIDs
    --folders        source folders to take instances from (default:
                     "archive"; when --patients or --studies is given:
                     all folders)
    --exclude-kind   drop instances of these kinds (image, sr, pdf, video)
    --allow-missing  these SOP Instance UIDs may be absent from the medium
                     (they are still checked if present)
    --lossy-tolerance  max |difference| allowed for lossy (JPEG baseline)
                     sources, default 1.  The manifest's expected pixels
                     are libjpeg-turbo's RGB decode; DCMTK (dcmdjpeg) and
                     GDCM give identical values, so 0 is expected when the
                     writer decodes to RGB; a writer that keeps YBR_FULL
                     differs by <= 1 after our YCbCr->RGB conversion.
    --sha256         also require MEDIA_DIR/SHA256.TXT (sha256sum format,
                     "/"-separated relative paths) listing every file of the
                     medium except itself, with matching digests
    --list           print the records/instances found (debugging)
    --from-network   the instances came over the network (a PACS): the File
                     Meta Information is the receiver's (PS3.10 7.1), so
                     check 6 compares the data sets after it, not the files

    Instances flagged with a "defect" or "duplicate_of" in the manifest are
    never expected (a duplicate counts once, through its original).

CHECKS (one output line per failure, then the summary line
"check_medium: N checks passed, M failed"; exit 0 only if M == 0)
    1  DICOMDIR loads with pydicom.fileset.FileSet; meta TS Explicit VR LE,
       MediaStorageSOPClassUID 1.2.840.10008.1.3.10
    2  referenced SOP Instance UIDs == expected set, each exactly once;
       every file on the medium starting with preamble+"DICM" is referenced
    3  File IDs: <= 8 components of [A-Z0-9_]{1,8}; file exists there
    4  each file: Explicit VR LE; record/meta/dataset UIDs agree
    5  decoded pixels equal the manifest's .npy (lossy: within tolerance);
       YBR_FULL(_422) is converted to RGB before comparing
    6  explicit_le_source files are byte-identical to the source
    7  re-encoded files: new ImplementationClassUID, (0002,0001)=00\\01,
       all other attributes equal the source's (lossy JPEG sources may
       differ in PhotometricInterpretation/PlanarConfiguration only;
       attributes missing from the source may be added if they equal the
       DICOMDIR record's value)
    8  character sets: PATIENT record and file PatientName decode to the
       manifest's name (the record: "record_patient_name" when given); SpecificCharacterSet kept (record: when non-ASCII)
    9  PATIENT/STUDY/SERIES/leaf hierarchy, uniqueness, leaf record types,
       required keys non-empty and consistent with the files
    10 (--sha256) SHA256.TXT complete and correct

EXIT STATUS
    0 all checks passed, 1 some check failed, 2 usage error.
"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import warnings

import numpy as np
import pydicom
from pydicom.filereader import read_sequence
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import Tag
from pydicom.valuerep import PersonName

EXPLICIT_LE = "1.2.840.10008.1.2.1"
MEDIA_DIR_CLASS = "1.2.840.10008.1.3.10"
LEAF_TYPE_FOR_KIND = {"image": "IMAGE", "sr": "SR DOCUMENT", "pdf": "ENCAP DOC",
                      "video": "IMAGE"}
FILE_ID_COMPONENT = re.compile(r"^[A-Z0-9_]{1,8}$")
# Attributes a JPEG decompressor may legitimately change for lossy sources.
LOSSY_MAY_CHANGE = {Tag(0x00280004), Tag(0x00280006)}
PIXEL_DATA = Tag(0x7FE00010)
TRAILING_PADDING = Tag(0xFFFCFFFC)
KEYWORD_TAG = {"PatientID": Tag(0x00100020), "StudyID": Tag(0x00200010),
               "SeriesNumber": Tag(0x00200011), "InstanceNumber": Tag(0x00200013)}
RECORD_LEVEL_OF = {"PatientID": "PATIENT", "StudyID": "STUDY",
                   "SeriesNumber": "SERIES", "InstanceNumber": "LEAF"}


# --------------------------------------------------------------------------
# Result bookkeeping
# --------------------------------------------------------------------------

class Result:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, cond, msg):
        """Count one check; print one line if it failed."""
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: " + msg)
        return bool(cond)


def sha256_dataset(path):
    """SHA-256 of a Part 10 file's bytes after its File Meta Information,
    whose length (0002,0000) gives (Explicit VR LE, PS3.10 7.1)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[128:132] != b"DICM" or data[132:136] != b"\x02\x00\x00\x00":
        return None
    end = 144 + int.from_bytes(data[140:144], "little")
    return hashlib.sha256(data[end:]).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def split_list(s):
    return None if s is None else [x.strip() for x in s.split(",")]


def charset_list(value):
    """Normalise a SpecificCharacterSet value (str 'a\\b', list, None)."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, MultiValue)):
        vals = [str(v) for v in value]
    else:
        vals = str(value).split("\\")
    vals = [v.strip() for v in vals]
    return vals if any(vals) else []


def text(v):
    """str() that maps None to ''."""
    return "" if v is None else str(v)


# --------------------------------------------------------------------------
# Canonical values for attribute comparison (check 7)
# --------------------------------------------------------------------------

def parse_implicit_sq(raw, encoding):
    """Bytes of an implicit-VR-LE encoded sequence (as found in UN values) ->
    Sequence, or None when it does not look like one."""
    if not raw or raw[:4] != b"\xfe\xff\x00\xe0":
        return None
    try:
        return read_sequence(io.BytesIO(raw), True, True, len(raw), encoding)
    except Exception:
        return None


def canon_value(elem, encoding):
    """A comparable, hashable representation of one element's value."""
    value = elem.value
    if elem.tag.is_private and not elem.tag.is_private_creator:
        # VR of private elements is unknown in implicit-VR sources: compare
        # the raw value bytes (a UN value holding an implicit-VR sequence
        # and a parsed SQ compare equal).
        if isinstance(value, Sequence):
            return ("SQ", tuple(canon_dataset(it) for it in value))
        if isinstance(value, (bytes, bytearray)):
            seq = parse_implicit_sq(bytes(value), encoding)
            if seq is not None:
                return ("SQ", tuple(canon_dataset(it) for it in seq))
            return ("raw", bytes(value).rstrip(b"\0 "))
        if isinstance(value, str):
            return ("raw", value.encode("latin-1", "replace").rstrip(b"\0 "))
        return ("value", repr(value))
    if isinstance(value, Sequence):
        return ("SQ", tuple(canon_dataset(it) for it in value))
    return canon_scalar(value)


def canon_scalar(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, MultiValue)):
        return tuple(canon_scalar(v) for v in value)
    if isinstance(value, PersonName):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    s = getattr(value, "original_string", None)     # DS, IS, DA, TM, DT
    if s is not None:
        return str(s).strip()
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    return str(value)


def canon_dataset(ds, skip=()):
    """{tag: canonical value} of all elements except group 0002, Pixel Data,
    trailing padding and `skip`."""
    out = {}
    encoding = ds._character_set
    for elem in ds:
        t = elem.tag
        if t.group == 0x0002 or t == PIXEL_DATA or t == TRAILING_PADDING or t in skip:
            continue
        try:
            out[int(t)] = canon_value(elem, encoding)
        except Exception as ex:                       # undecodable value
            out[int(t)] = ("error", str(ex))
    return out


def short(v, n=60):
    s = repr(v)
    return s if len(s) <= n else s[:n] + "..."


# --------------------------------------------------------------------------
# DICOMDIR traversal (independent of FileSet's tree)
# --------------------------------------------------------------------------

class Node:
    def __init__(self, record, parent):
        self.record = record
        self.parent = parent
        self.children = []

    @property
    def type(self):
        return text(self.record.get("DirectoryRecordType", "")).strip()

    def ancestor(self, rtype):
        n = self.parent
        while n is not None and n.type != rtype:
            n = n.parent
        return n


def build_tree(res, dicomdir):
    """Follow the offset links of the DICOMDIR; return (roots, nodes)."""
    records = list(dicomdir.get("DirectoryRecordSequence", []))
    by_offset = {}
    for r in records:
        off = getattr(r, "seq_item_tell", None)
        if off is not None:
            by_offset[off] = r
    visited = set()
    nodes = []

    def walk(offset, parent, depth):
        siblings = []
        while offset:
            if offset in visited:
                res.check(False, "DICOMDIR: record at offset %d reached twice (loop)" % offset)
                break
            rec = by_offset.get(offset)
            if not res.check(rec is not None,
                             "DICOMDIR: offset %d does not point at a directory record" % offset):
                break
            visited.add(offset)
            node = Node(rec, parent)
            flag = rec.get("RecordInUseFlag", 0xFFFF)
            res.check(flag == 0xFFFF, "DICOMDIR: record at offset %d is not in use (flag %r)"
                      % (offset, flag))
            nodes.append(node)
            siblings.append(node)
            lower = rec.get("OffsetOfReferencedLowerLevelDirectoryEntity", 0)
            if lower and depth < 16:
                node.children = walk(lower, node, depth + 1)
            offset = rec.get("OffsetOfTheNextDirectoryRecord", 0)
        return siblings

    first = dicomdir.get("OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", 0)
    last = dicomdir.get("OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity", 0)
    roots = walk(first, None, 0)
    res.check(len(by_offset) == len(records),
              "DICOMDIR: cannot locate %d record(s) in the file" % (len(records) - len(by_offset)))
    res.check(len(visited) == len(records),
              "DICOMDIR: %d of %d directory records are not reachable from the root"
              % (len(records) - len(visited), len(records)))
    if roots:
        res.check(getattr(roots[-1].record, "seq_item_tell", None) == last,
                  "DICOMDIR: OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity %r is not "
                  "the last root record" % last)
    return roots, nodes


# --------------------------------------------------------------------------
# Pixel helpers
# --------------------------------------------------------------------------

def ybr_full_to_rgb(arr):
    """JPEG/JFIF YCbCr -> RGB the way libjpeg does it (rounded)."""
    a = arr.astype(np.float64)
    y, cb, cr = a[..., 0], a[..., 1] - 128.0, a[..., 2] - 128.0
    rgb = np.stack([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb], -1)
    return np.clip(np.floor(rgb + 0.5), 0, 255).astype(np.int64)


def decoded_frames(ds):
    """pixel_array as (frames, rows, cols[, 3]) int64, RGB for colour."""
    arr = ds.pixel_array
    nframes = int(ds.get("NumberOfFrames", 1) or 1)
    spp = int(ds.SamplesPerPixel)
    if nframes == 1:
        arr = arr[None]
    pi = text(ds.get("PhotometricInterpretation")).strip()
    if spp == 3 and pi in ("YBR_FULL", "YBR_FULL_422"):
        arr = ybr_full_to_rgb(arr)
    return arr.astype(np.int64)


# --------------------------------------------------------------------------
# Main checking logic
# --------------------------------------------------------------------------

def expected_instances(man, args):
    patients = split_list(args.patients)
    studies = split_list(args.studies)
    if args.folders:
        folders = set(split_list(args.folders))
    elif patients is not None or studies is not None:
        folders = None
    else:
        folders = {"archive"}
    kinds_out = set(split_list(args.exclude_kind) or [])
    exp = {}
    for e in man["instances"]:
        if e.get("defect") or e.get("duplicate_of"):
            continue
        if folders is not None and e["folder"] not in folders:
            continue
        if patients is not None and e["patient_id"] not in patients:
            continue
        if studies is not None and e["study_uid"] not in studies:
            continue
        if e["kind"] in kinds_out:
            continue
        exp[e["sop_instance_uid"]] = e
    return exp


def check_record_keys(res, node, where):
    r = node.record
    t = node.type
    req = {"PATIENT": ["PatientID"],
           "STUDY": ["StudyDate", "StudyTime", "StudyID", "StudyInstanceUID"],
           "SERIES": ["Modality", "SeriesNumber", "SeriesInstanceUID"],
           "IMAGE": ["InstanceNumber"],
           "SR DOCUMENT": ["InstanceNumber", "CompletionFlag", "VerificationFlag",
                           "ContentDate", "ContentTime", "ConceptNameCodeSequence"],
           "ENCAP DOC": ["InstanceNumber", "MIMETypeOfEncapsulatedDocument"]}.get(t, [])
    for kw in req:
        v = r.get(kw, None)
        ok = v is not None and text(v).strip() != "" and not (isinstance(v, Sequence) and len(v) == 0)
        res.check(ok, "%s: %s record lacks a value for %s" % (where, t, kw))
    present = {"PATIENT": ["PatientName"],
               "STUDY": ["AccessionNumber", "StudyDescription"],
               "ENCAP DOC": ["ContentDate", "ContentTime", "DocumentTitle",
                             "ConceptNameCodeSequence"]}.get(t, [])
    for kw in present:
        res.check(kw in r, "%s: %s record lacks (type 2) %s" % (where, t, kw))
    if t == "SR DOCUMENT" and text(r.get("VerificationFlag")).strip() == "VERIFIED":
        res.check(text(r.get("VerificationDateTime")).strip() != "",
                  "%s: verified SR DOCUMENT record lacks VerificationDateTime" % where)
    if t == "SR DOCUMENT":
        # PS3.3 F.5: only the document title modifiers belong in the record
        for it in r.get("ContentSequence", []) or []:
            rel = text(it.get("RelationshipType")).strip()
            res.check(rel == "HAS CONCEPT MOD", "%s: SR DOCUMENT record ContentSequence item "
                      "with RelationshipType %r (only HAS CONCEPT MOD allowed)" % (where, rel))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Check a pdiburn medium against a mkstudy manifest.",
        epilog="See the docstring at the top of this file for the list of checks.")
    ap.add_argument("media_dir")
    ap.add_argument("manifest")
    ap.add_argument("--patients")
    ap.add_argument("--studies")
    ap.add_argument("--folders")
    ap.add_argument("--exclude-kind")
    ap.add_argument("--allow-missing")
    ap.add_argument("--lossy-tolerance", type=int, default=1)
    ap.add_argument("--sha256", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--from-network", action="store_true")
    args = ap.parse_args(argv)

    try:
        with open(args.manifest, encoding="utf-8") as f:
            man = json.load(f)
    except (OSError, ValueError) as ex:
        print("check_medium: cannot read manifest: %s" % ex, file=sys.stderr)
        return 2
    src_root = os.path.dirname(os.path.abspath(args.manifest))
    media = os.path.abspath(args.media_dir)
    if not os.path.isdir(media):
        print("check_medium: %s is not a directory" % media, file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")
    res = Result()
    expected = expected_instances(man, args)
    allow_missing = set(split_list(args.allow_missing) or [])

    # ---- 1. DICOMDIR ----------------------------------------------------
    dd_path = os.path.join(media, "DICOMDIR")
    if not res.check(os.path.isfile(dd_path), "DICOMDIR: %s does not exist" % dd_path):
        return finish(res)
    try:
        from pydicom.fileset import FileSet
        FileSet(dd_path)
        res.check(True, "")
    except Exception as ex:
        res.check(False, "DICOMDIR: pydicom FileSet cannot load it: %s" % ex)
    try:
        dicomdir = pydicom.dcmread(dd_path)
    except Exception as ex:
        res.check(False, "DICOMDIR: pydicom cannot read it: %s" % ex)
        return finish(res)
    meta = dicomdir.file_meta
    res.check(text(meta.get("TransferSyntaxUID")) == EXPLICIT_LE,
              "DICOMDIR: transfer syntax is %s, expected %s"
              % (meta.get("TransferSyntaxUID"), EXPLICIT_LE))
    res.check(text(meta.get("MediaStorageSOPClassUID")) == MEDIA_DIR_CLASS,
              "DICOMDIR: MediaStorageSOPClassUID is %s, expected %s"
              % (meta.get("MediaStorageSOPClassUID"), MEDIA_DIR_CLASS))
    res.check(meta.get("FileMetaInformationVersion") == b"\x00\x01",
              "DICOMDIR: (0002,0001) is %r" % meta.get("FileMetaInformationVersion"))
    fsid = text(dicomdir.get("FileSetID", "")).strip()
    res.check(re.match(r"^[A-Z0-9_ ]{0,16}$", fsid) is not None,
              "DICOMDIR: FileSetID %r is not a valid CS" % fsid)

    # ---- 9. hierarchy ----------------------------------------------------
    roots, nodes = build_tree(res, dicomdir)
    seen_pid, seen_study, seen_series = {}, {}, {}
    leaves = []
    for p in roots:
        res.check(p.type == "PATIENT", "DICOMDIR: root record of type %r (expected PATIENT)" % p.type)
        pid = text(p.record.get("PatientID")).strip()
        res.check(pid not in seen_pid, "DICOMDIR: more than one PATIENT record for PatientID %r" % pid)
        seen_pid[pid] = p
        check_record_keys(res, p, "PATIENT %r" % pid)
        for s in p.children:
            res.check(s.type == "STUDY", "DICOMDIR: %r record under PATIENT %r" % (s.type, pid))
            suid = text(s.record.get("StudyInstanceUID")).strip()
            res.check(suid not in seen_study, "DICOMDIR: more than one STUDY record for %s" % suid)
            seen_study[suid] = s
            check_record_keys(res, s, "STUDY %s" % suid)
            for se in s.children:
                res.check(se.type == "SERIES", "DICOMDIR: %r record under STUDY %s" % (se.type, suid))
                seuid = text(se.record.get("SeriesInstanceUID")).strip()
                res.check(seuid not in seen_series,
                          "DICOMDIR: more than one SERIES record for %s" % seuid)
                seen_series[seuid] = se
                check_record_keys(res, se, "SERIES %s" % seuid)
                for leaf in se.children:
                    res.check(not leaf.children, "DICOMDIR: %s record has lower-level records"
                              % leaf.type)
                    leaves.append(leaf)
                res.check(len(se.children) > 0, "DICOMDIR: SERIES %s has no instances" % seuid)
            res.check(len(s.children) > 0, "DICOMDIR: STUDY %s has no series" % suid)
        res.check(len(p.children) > 0, "DICOMDIR: PATIENT %r has no studies" % pid)

    # ---- per leaf: 2..8 ----------------------------------------------------
    referenced = {}          # sop uid -> count
    referenced_paths = set()
    names_checked = set()    # (PATIENT node, name): check each record once
    listing = []
    for leaf in leaves:
        r = leaf.record
        sop = text(r.get("ReferencedSOPInstanceUIDInFile")).strip()
        referenced[sop] = referenced.get(sop, 0) + 1
        where = "instance %s" % (sop or "<no ReferencedSOPInstanceUIDInFile>")
        check_record_keys(res, leaf, where)
        fid = r.get("ReferencedFileID", None)
        comps = [] if fid is None else ([str(fid)] if isinstance(fid, str) else [str(c) for c in fid])
        listing.append((leaf, comps))
        if not res.check(len(comps) > 0, "%s: leaf record has no ReferencedFileID" % where):
            continue
        # 3. File ID syntax and existence
        res.check(len(comps) <= 8, "%s: File ID %s has %d components (> 8)"
                  % (where, "\\".join(comps), len(comps)))
        for c in comps:
            res.check(FILE_ID_COMPONENT.match(c) is not None,
                      "%s: File ID component %r is not [A-Z0-9_]{1,8}" % (where, c))
        fpath = os.path.join(media, *comps)
        if not res.check(os.path.isfile(fpath), "%s: file %s does not exist" % (where, "/".join(comps))):
            continue
        real = os.path.realpath(fpath)
        res.check(real not in referenced_paths, "%s: file %s referenced by two records"
                  % (where, "/".join(comps)))
        referenced_paths.add(real)
        try:
            ds = pydicom.dcmread(fpath)
        except Exception as ex:
            res.check(False, "%s: cannot read %s: %s" % (where, "/".join(comps), ex))
            continue
        fm = ds.file_meta
        ts = text(fm.get("TransferSyntaxUID"))
        # 4. meta / record / dataset consistency
        res.check(ts == EXPLICIT_LE, "%s: transfer syntax %s (expected Explicit VR LE)" % (where, ts))
        res.check(text(r.get("ReferencedTransferSyntaxUIDInFile")).strip() == ts,
                  "%s: record's ReferencedTransferSyntaxUIDInFile %s != file's %s"
                  % (where, r.get("ReferencedTransferSyntaxUIDInFile"), ts))
        res.check(sop == text(fm.get("MediaStorageSOPInstanceUID")) == text(ds.get("SOPInstanceUID")),
                  "%s: SOP Instance UID mismatch record/meta/dataset: %s / %s / %s"
                  % (where, sop, fm.get("MediaStorageSOPInstanceUID"), ds.get("SOPInstanceUID")))
        cls = text(r.get("ReferencedSOPClassUIDInFile")).strip()
        res.check(cls == text(fm.get("MediaStorageSOPClassUID")) == text(ds.get("SOPClassUID")),
                  "%s: SOP Class UID mismatch record/meta/dataset: %s / %s / %s"
                  % (where, cls, fm.get("MediaStorageSOPClassUID"), ds.get("SOPClassUID")))
        res.check(fm.get("FileMetaInformationVersion") == b"\x00\x01",
                  "%s: (0002,0001) is %r, expected b'\\x00\\x01'"
                  % (where, fm.get("FileMetaInformationVersion")))
        # hierarchy consistency with the file
        pat, stu, ser = leaf.ancestor("PATIENT"), leaf.ancestor("STUDY"), leaf.ancestor("SERIES")
        if stu is not None:
            res.check(text(stu.record.get("StudyInstanceUID")) == text(ds.get("StudyInstanceUID")),
                      "%s: file's StudyInstanceUID differs from its STUDY record's" % where)
        if ser is not None:
            res.check(text(ser.record.get("SeriesInstanceUID")) == text(ds.get("SeriesInstanceUID")),
                      "%s: file's SeriesInstanceUID differs from its SERIES record's" % where)
            res.check(text(ser.record.get("Modality")) == text(ds.get("Modality")),
                      "%s: file's Modality differs from its SERIES record's" % where)
        e = expected.get(sop)
        if e is None:
            continue            # reported by the set comparison below
        src_path = os.path.join(src_root, e["path"])
        # 9. leaf record type, record values vs source
        want_type = LEAF_TYPE_FOR_KIND.get(e["kind"], "IMAGE")
        res.check(leaf.type == want_type, "%s: leaf record type %r, expected %r"
                  % (where, leaf.type, want_type))
        if e["kind"] == "pdf":
            res.check(text(r.get("MIMETypeOfEncapsulatedDocument")) == "application/pdf",
                      "%s: ENCAP DOC MIME type %r" % (where, r.get("MIMETypeOfEncapsulatedDocument")))
        checks = [("PatientID", pat, e["patient_id"] or None),
                  ("StudyID", stu, e.get("study_id")),
                  ("SeriesNumber", ser, e.get("series_number")),
                  ("InstanceNumber", leaf, e.get("instance_number"))]
        for kw, node, src_val in checks:
            if node is None or src_val is None:
                continue
            res.check(text(node.record.get(kw)).strip() == str(src_val).strip(),
                      "%s: %s record %s=%r but source has %r"
                      % (where, node.type, kw, text(node.record.get(kw)), src_val))
        if stu is not None:
            res.check(text(stu.record.get("StudyDate")) == e["study_date"],
                      "%s: STUDY record StudyDate %r != source %r"
                      % (where, text(stu.record.get("StudyDate")), e["study_date"]))
        if ser is not None:
            res.check(text(ser.record.get("Modality")) == e["modality"],
                      "%s: SERIES record Modality %r differs from source %r"
                      % (where, text(ser.record.get("Modality")), e["modality"]))
        # 8. character sets
        name = e["patient_name"]
        src_cs = charset_list(e["charset"])
        if pat is not None and (id(pat), name) not in names_checked:
            names_checked.add((id(pat), name))
            try:
                rec_name = str(pat.record.get("PatientName", "") or "")
            except Exception as ex:
                rec_name = "<undecodable: %s>" % ex
            # A renamed patient's record shows the newest name.
            want_rec = e.get("record_patient_name") or name
            res.check(rec_name == want_rec, "%s: PATIENT record PatientName %r != %r"
                      % (where, rec_name, want_rec))
            if any(ord(ch) > 127 for ch in name):
                res.check(charset_list(pat.record.get("SpecificCharacterSet")) == src_cs,
                          "%s: PATIENT record SpecificCharacterSet %r != source %r"
                          % (where, pat.record.get("SpecificCharacterSet"), e["charset"]))
        try:
            file_name = str(ds.get("PatientName", "") or "")
        except Exception as ex:
            file_name = "<undecodable: %s>" % ex
        res.check(file_name == name, "%s: file PatientName %r != %r" % (where, file_name, name))
        res.check(charset_list(ds.get("SpecificCharacterSet")) == src_cs,
                  "%s: file SpecificCharacterSet %r != source %r"
                  % (where, ds.get("SpecificCharacterSet"), e["charset"]))
        # 6. byte-identical copies
        media_sha = sha256_file(fpath)
        if e["explicit_le_source"] and args.from_network:
            res.check(sha256_dataset(fpath) == sha256_dataset(src_path),
                      "%s: %s has not the data set of the Explicit VR LE source %s"
                      % (where, "/".join(comps), e["path"]))
        elif e["explicit_le_source"]:
            res.check(media_sha == e["sha256"],
                      "%s: %s is not byte-identical to the Explicit VR LE source %s"
                      % (where, "/".join(comps), e["path"]))
        # source dataset (for 7 and the study-level text)
        src = None
        try:
            src = pydicom.dcmread(src_path, force=True)
            if "TransferSyntaxUID" not in src.file_meta:
                src.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"
        except Exception as ex:
            res.check(False, "%s: cannot read source %s: %s" % (where, e["path"], ex))
        if src is not None and stu is not None and "StudyDescription" in src:
            if "StudyDescription" in stu.record and text(stu.record.StudyDescription):
                res.check(str(stu.record.StudyDescription) == str(src.StudyDescription),
                          "%s: STUDY record StudyDescription %r != source %r"
                          % (where, str(stu.record.StudyDescription), str(src.StudyDescription)))
        # 7. re-encoded files
        if not e["explicit_le_source"] and src is not None:
            src_impl = text(src.file_meta.get("ImplementationClassUID"))
            impl = text(fm.get("ImplementationClassUID"))
            res.check(impl != "", "%s: re-encoded file has no ImplementationClassUID" % where)
            res.check(impl != src_impl, "%s: re-encoded file keeps the source's "
                      "ImplementationClassUID %s" % (where, impl))
            skip = set(LOSSY_MAY_CHANGE) if e.get("lossy") else set()
            a = canon_dataset(src, skip)
            b = canon_dataset(ds, skip)
            added_ok = {}
            for kw in e.get("missing", []):
                tag = KEYWORD_TAG.get(kw)
                if tag is None:
                    continue
                lvl = RECORD_LEVEL_OF[kw]
                node = leaf if lvl == "LEAF" else leaf.ancestor(lvl)
                added_ok[int(tag)] = (kw, node)
            for t in sorted(set(a) | set(b)):
                if t in a and t in b:
                    res.check(a[t] == b[t], "%s: attribute %s changed: %s -> %s"
                              % (where, Tag(t), short(a[t]), short(b[t])))
                elif t in a:
                    res.check(False, "%s: attribute %s of the source is missing" % (where, Tag(t)))
                else:
                    if t in added_ok:
                        kw, node = added_ok[t]
                        rv = text(node.record.get(kw)).strip() if node is not None else None
                        res.check(str(b[t]).strip() == rv,
                                  "%s: added %s=%r differs from the DICOMDIR record's %r"
                                  % (where, kw, b[t], rv))
                    else:
                        res.check(False, "%s: attribute %s (%s) added, not in the source"
                                  % (where, Tag(t), short(b[t])))
            if e.get("lossy"):
                res.check(text(ds.get("LossyImageCompression")) == "01",
                          "%s: LossyImageCompression must stay 01" % where)
        # 5. pixel data
        if e.get("pixels"):
            try:
                got = decoded_frames(ds)
            except Exception as ex:
                res.check(False, "%s: cannot decode pixel data: %s" % (where, ex))
                got = None
            if got is not None:
                want = np.load(os.path.join(src_root, e["pixels"])).astype(np.int64)
                if res.check(got.shape == want.shape, "%s: pixel array shape %s != expected %s"
                             % (where, got.shape, want.shape)):
                    diff = int(np.abs(got - want).max()) if got.size else 0
                    tol = args.lossy_tolerance if e.get("lossy") else 0
                    res.check(diff <= tol, "%s: pixel values differ (max |diff| %d > %d, %d "
                              "samples)" % (where, diff, tol, int((np.abs(got - want) > tol).sum())))

    # ---- 2. set comparison ------------------------------------------------
    for sop, n in sorted(referenced.items()):
        res.check(n == 1, "instance %s referenced %d times" % (sop, n))
        res.check(sop in expected, "instance %s on the medium is not expected" % sop)
    for sop, e in sorted(expected.items()):
        if sop in allow_missing:
            continue
        res.check(sop in referenced, "instance %s (%s) missing from the medium" % (sop, e["path"]))
    # every Part-10 file on the medium must be referenced
    all_files = []
    for dirpath, dirnames, filenames in os.walk(media):
        dirnames.sort()
        for fn in sorted(filenames):
            all_files.append(os.path.join(dirpath, fn))
    for p in all_files:
        if os.path.realpath(p) == os.path.realpath(dd_path):
            continue
        try:
            with open(p, "rb") as f:
                head = f.read(132)
        except OSError:
            continue
        if len(head) == 132 and head[128:132] == b"DICM":
            res.check(os.path.realpath(p) in referenced_paths,
                      "file %s is a DICOM file but not referenced by the DICOMDIR"
                      % os.path.relpath(p, media))

    # ---- 10. SHA256.TXT ---------------------------------------------------
    if args.sha256:
        check_sha256(res, media, all_files)

    if args.list:
        print_listing(roots, listing)
    return finish(res)


def check_sha256(res, media, all_files):
    path = os.path.join(media, "SHA256.TXT")
    if not res.check(os.path.isfile(path), "SHA256.TXT: missing"):
        return
    listed = {}
    with open(path, "rb") as f:
        for n, line in enumerate(f.read().decode("utf-8", "replace").splitlines(), 1):
            if not line.strip():
                continue
            m = re.match(r"^([0-9a-fA-F]{64}) [ *](.+)$", line)
            if not res.check(m is not None, "SHA256.TXT line %d malformed: %r" % (n, line)):
                continue
            rel = m.group(2)
            res.check("\\" not in rel and not rel.startswith("/"),
                      "SHA256.TXT line %d: path %r must be relative with '/'" % (n, rel))
            res.check(rel not in listed, "SHA256.TXT: %s listed twice" % rel)
            listed[rel] = m.group(1).lower()
    for rel, digest in sorted(listed.items()):
        p = os.path.join(media, *rel.split("/"))
        if res.check(os.path.isfile(p), "SHA256.TXT: listed file %s does not exist" % rel):
            res.check(sha256_file(p) == digest, "SHA256.TXT: digest mismatch for %s" % rel)
    for p in all_files:
        rel = os.path.relpath(p, media).replace(os.sep, "/")
        if rel == "SHA256.TXT":
            continue
        res.check(rel in listed, "SHA256.TXT: file %s not listed" % rel)


def print_listing(roots, listing):
    fid = {id(leaf): comps for leaf, comps in listing}

    def g(rec, kw):
        try:
            return text(rec.get(kw)).strip()
        except Exception:
            return "?"
    for p in roots:
        print("PATIENT  id=%s name=%s charset=%s" % (g(p.record, "PatientID"), g(p.record, "PatientName"),
                                                    g(p.record, "SpecificCharacterSet")))
        for s in p.children:
            print("  STUDY    %s date=%s id=%s" % (g(s.record, "StudyInstanceUID"),
                                                 g(s.record, "StudyDate"), g(s.record, "StudyID")))
            for se in s.children:
                print("    SERIES   %s modality=%s no=%s" % (g(se.record, "SeriesInstanceUID"),
                                                          g(se.record, "Modality"),
                                                          g(se.record, "SeriesNumber")))
                for leaf in se.children:
                    print("      %-11s %-36s %s ts=%s no=%s" % (
                        leaf.type, "/".join(fid.get(id(leaf), [])),
                        g(leaf.record, "ReferencedSOPInstanceUIDInFile"),
                        g(leaf.record, "ReferencedTransferSyntaxUIDInFile"),
                        g(leaf.record, "InstanceNumber")))


def finish(res):
    print("check_medium: %d checks passed, %d failed" % (res.passed, res.failed))
    return 0 if res.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
