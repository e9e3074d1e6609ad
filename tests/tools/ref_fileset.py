#!/usr/bin/python3
# ref_fileset.py -- owns a *reference* media folder builder used only to
# self-test check_medium.py (a known-good File-set made with pydicom's
# FileSet + dcmtk/gdcm decompression).  It is not pdiburn and not a model
# for it; it exists so that check_medium.py can be shown to pass on a
# correct medium and to fail on damaged copies.
"""
ref_fileset.py -- build a reference DICOM File-set from a mkstudy.py output.

USAGE
    /usr/bin/python3 tests/tools/ref_fileset.py STUDYDIR MEDIA_DIR
                                                [--folders archive,...]
                                                [--skip-kind video]

    STUDYDIR   mkstudy.py output folder (contains manifest.json)
    MEDIA_DIR  created; receives DICOMDIR, DICOM/... and SHA256.TXT

    Every non-defect, non-duplicate instance of the selected folders
    (default: archive) is converted to Explicit VR Little Endian
    (dcmconv/dcmdjpeg/dcmdjpls/dcmdrle; JPEG 2000 via pydicom's GDCM
    handler), given this tool's own ImplementationClassUID and added with
    pydicom.fileset.FileSet.  Sources already in Explicit VR LE are copied
    byte for byte.  Missing PatientID/StudyID/SeriesNumber/InstanceNumber
    are invented for the DICOMDIR (and written into re-encoded files only).
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import pydicom
from pydicom.fileset import FileSet
from pydicom.pixel_data_handlers import gdcm_handler

REF_IMPL_UID = "1.2.826.0.1.3680043.10.1234.0.99"
REF_IMPL_NAME = "REF_FILESET"
DECOMPRESS = {
    "1.2.840.10008.1.2.4.50": ["dcmdjpeg"],
    "1.2.840.10008.1.2.4.70": ["dcmdjpeg"],
    "1.2.840.10008.1.2.4.80": ["dcmdjpls"],
    "1.2.840.10008.1.2.5": ["dcmdrle"],
}


def to_explicit(src, tmpdir, ts):
    """Return an Explicit VR LE pydicom Dataset for the source file."""
    dst = os.path.join(tmpdir, "x.dcm")
    if ts == "1.2.840.10008.1.2.4.90":
        ds = pydicom.dcmread(src)
        saved = pydicom.config.pixel_data_handlers
        pydicom.config.pixel_data_handlers = [gdcm_handler]
        try:
            arr = ds.pixel_array
        finally:
            pydicom.config.pixel_data_handlers = saved
        ds.PixelData = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        ds["PixelData"].VR = "OW" if ds.BitsAllocated > 8 else "OB"
        ds["PixelData"].is_undefined_length = False
        ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.1"
        ds.is_implicit_VR = False
        ds.is_little_endian = True
        return ds
    cmd = DECOMPRESS.get(ts, ["dcmconv", "+te"])
    r = subprocess.run(cmd + [src, dst], capture_output=True)
    if r.returncode:
        sys.exit("ref_fileset: %s failed on %s: %s" % (cmd[0], src, r.stderr.decode()))
    return pydicom.dcmread(dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("studydir")
    ap.add_argument("media")
    ap.add_argument("--folders", default="archive")
    ap.add_argument("--skip-kind", default="")
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    man = json.load(open(os.path.join(a.studydir, "manifest.json"), encoding="utf-8"))
    folders = set(a.folders.split(","))
    skip = set(a.skip_kind.split(",")) - {""}
    if os.path.exists(a.media):
        shutil.rmtree(a.media)
    tmp = tempfile.mkdtemp(prefix="ref_fs_")
    fs = FileSet()
    fs.ID = "PDIBURN_REF"
    copy_back = {}
    invented_pid = {}
    try:
        for e in man["instances"]:
            if e["defect"] or e["duplicate_of"] or e["folder"] not in folders or e["kind"] in skip:
                continue
            src = os.path.join(a.studydir, e["path"])
            if e["explicit_le_source"]:
                ds = pydicom.dcmread(src)
                copy_back[e["sop_instance_uid"]] = src
            else:
                ds = to_explicit(src, tmp, e["transfer_syntax"])
                ds.file_meta.ImplementationClassUID = REF_IMPL_UID
                ds.file_meta.ImplementationVersionName = REF_IMPL_NAME
            # invent what the DICOMDIR needs
            if not ds.get("PatientID"):
                ds.PatientID = invented_pid.setdefault(ds.StudyInstanceUID,
                                                       "NOID%04d" % (len(invented_pid) + 1))
            if "StudyID" not in ds or not ds.StudyID:
                ds.StudyID = "S" + ds.StudyInstanceUID.split(".")[-1][-7:]
            if "SeriesNumber" not in ds or ds.SeriesNumber in (None, ""):
                ds.SeriesNumber = 9000 + int(ds.SeriesInstanceUID.split(".")[-1]) % 1000
            if "InstanceNumber" not in ds or ds.InstanceNumber in (None, ""):
                ds.InstanceNumber = 9000 + int(ds.SOPInstanceUID.split(".")[-1]) % 1000
            inst = fs.add(ds)
            if inst.node.record_type == "SR DOCUMENT":
                # pydicom 2.3 gets two SR DOCUMENT keys wrong: it only takes
                # VerificationDateTime from the top level (the IOD keeps it in
                # VerifyingObserverSequence) and copies the whole
                # ContentSequence (only HAS CONCEPT MOD items belong there).
                rec = inst.node._record
                obs = ds.get("VerifyingObserverSequence") or []
                if ds.get("VerificationFlag") == "VERIFIED" and obs:
                    rec.VerificationDateTime = max(o.VerificationDateTime for o in obs)
                mods = [it for it in rec.get("ContentSequence", [])
                        if it.get("RelationshipType") == "HAS CONCEPT MOD"]
                if "ContentSequence" in rec:
                    del rec.ContentSequence
                if mods:
                    rec.ContentSequence = mods
        fs.write(a.media)
        for inst in FileSet(os.path.join(a.media, "DICOMDIR")):
            if inst.SOPInstanceUID in copy_back:
                shutil.copyfile(copy_back[inst.SOPInstanceUID], inst.path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # SHA256.TXT (sha256sum format)
    lines = []
    for dirpath, dirnames, filenames in os.walk(a.media):
        dirnames.sort()
        for fn in sorted(filenames):
            p = os.path.join(dirpath, fn)
            rel = os.path.relpath(p, a.media).replace(os.sep, "/")
            with open(p, "rb") as f:
                lines.append("%s  %s\n" % (hashlib.sha256(f.read()).hexdigest(), rel))
    with open(os.path.join(a.media, "SHA256.TXT"), "w") as f:
        f.writelines(lines)
    print("ref_fileset: wrote %s" % a.media)


if __name__ == "__main__":
    main()
