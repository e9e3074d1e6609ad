#!/usr/bin/python3
# mkarchive.py -- owns the generation of a small "local archive" for the
# catalog tests: several patients with names in several character sets
# (one of them stored once in ISO_IR 100 and once in ISO_IR 192), two
# patients of one name, one Patient ID for two people, and optionally a
# bulk study of many tiny instances.  Test tooling only; shares no code
# with pdiburn.
"""
mkarchive.py -- generate a small DICOM archive for pdiburn's catalog tests.

USAGE
    /usr/bin/python3 tests/tools/mkarchive.py OUTDIR [--bulk N]
        [--bulk-folder NAME] [--only NAMES]

    OUTDIR         created if needed; folders inside it are (re)written
    --bulk N       also N tiny CT instances of patient P700 in one study,
                   100 to a folder under bulk/ (default 0)
    --bulk-folder  the folder of the bulk study (default "bulk")
    --only NAMES   comma-separated folder names of the patients to write

Every file is Part 10, Explicit VR Little Endian, 16x16 pixels, written
with pydicom; UIDs are fixed (root 1.2.826.0.1.3680043.10.1234.66), so a
rerun writes the same files.  Prints one line per patient folder:
"FOLDER PATIENT_ID STUDY_UID INSTANCES".
"""
import argparse
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset

ROOT = "1.2.826.0.1.3680043.10.1234.66"
CT = "1.2.840.10008.5.1.4.1.1.2"
EXPLICIT_LE = "1.2.840.10008.1.2.1"

# folder, Patient ID, charset, name, birth, sex, study no, date, modality,
# description, series, instances per series
PATIENTS = [
    ("muller-latin1", "P100", "ISO_IR 100", "MÜLLER^JÜRGEN", "19610402", "M",
     1, "20210110", "CT", "CT Thorax", 2, 3),
    ("muller-utf8", "P100", "ISO_IR 192", "MÜLLER^JÜRGEN", "19610402", "M",
     2, "20230520", "MR", "MR Schädel", 1, 4),
    ("doe-1961", "P200", None, "DOE^JANE", "19610402", "F",
     3, "20220301", "CR", "Chest", 1, 2),
    ("doe-1975", "P201", None, "Doe^Jane", "19750315", "F",
     4, "20240101", "US", "Abdomen", 1, 2),
    ("yamada", "P300", ["", "ISO 2022 IR 87"],
     "Yamada^Tarou=山田^太郎=やまだ^たろう", "19700101", "M",
     5, "20240201", "CT", "CT Head", 1, 2),
    ("papadopoulos", "P400", "ISO_IR 126", "ΠΑΠΑΔΟΠΟΥΛΟΣ^ΝΙΚΟΣ", "19550505",
     "M", 6, "20220707", "CR", "Θώρακας", 1, 2),
    ("ivanov", "P500", "ISO_IR 144", "ИВАНОВ^ИВАН", "19800808", "M",
     7, "20230303", "MR", "МРТ колена", 1, 2),
    ("smith-1980", "P600", None, "SMITH^ANNA", "19800101", "F",
     8, "20220202", "CT", "CT Knee", 1, 2),
    ("smith-1985", "P600", None, "SMITH^ANNA", "19850505", "F",
     9, "20230303", "CT", "CT Hip", 1, 2),
]


def instance(pid, charset, name, birth, sex, study_no, date, modality,
             description, series_no, inst_no):
    ds = Dataset()
    if charset:
        ds.SpecificCharacterSet = charset
    ds.SOPClassUID = CT
    ds.SOPInstanceUID = "%s.3.%d.%d.%d" % (ROOT, study_no, series_no, inst_no)
    ds.StudyDate, ds.StudyTime = date, "101500"
    ds.AccessionNumber = "ACC%d" % study_no
    ds.Modality = modality
    ds.StudyDescription = description
    ds.PatientName = name
    ds.PatientID = pid
    ds.PatientBirthDate = birth
    ds.PatientSex = sex
    ds.StudyInstanceUID = "%s.1.%d" % (ROOT, study_no)
    ds.SeriesInstanceUID = "%s.2.%d.%d" % (ROOT, study_no, series_no)
    ds.StudyID = str(study_no)
    ds.SeriesNumber = series_no
    ds.InstanceNumber = inst_no
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows = ds.Columns = 16
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation = 0
    ds.RescaleIntercept, ds.RescaleSlope = 0, 1
    ds.ImagePositionPatient = [0, 0, inst_no]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.PixelSpacing = [1, 1]
    ds.SliceThickness = 1
    ds.FrameOfReferenceUID = "%s.4.%d" % (ROOT, study_no)
    pixels = (np.arange(256, dtype=np.uint16).reshape(16, 16) * 7 +
              inst_no + 100 * series_no) % 4096
    ds.PixelData = pixels.tobytes()
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = EXPLICIT_LE
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    return ds


def write_patient(out, p):
    (folder, pid, charset, name, birth, sex, study_no, date, modality,
     description, nseries, per_series) = p
    count = 0
    for s in range(1, nseries + 1):
        d = os.path.join(out, folder, "series%d" % s)
        os.makedirs(d, exist_ok=True)
        for i in range(1, per_series + 1):
            ds = instance(pid, charset, name, birth, sex, study_no, date,
                          modality, description, s, i)
            ds.save_as(os.path.join(d, "IM%04d.dcm" % i),
                       write_like_original=False)
            count += 1
    print(folder, pid, "%s.1.%d" % (ROOT, study_no), count)


def write_bulk(out, folder, n):
    """One study of n instances: the files of a big archive, small."""
    base = instance("P700", None, "BULK^TEST", "19900101", "O", 70,
                    "20240505", "CT", "Bulk", 1, 1)
    for i in range(1, n + 1):
        base.SOPInstanceUID = "%s.3.70.1.%d" % (ROOT, i)
        base.file_meta.MediaStorageSOPInstanceUID = base.SOPInstanceUID
        base.InstanceNumber = i
        d = os.path.join(out, folder, "part%03d" % ((i - 1) // 100))
        os.makedirs(d, exist_ok=True)
        base.save_as(os.path.join(d, "IM%05d.dcm" % i),
                     write_like_original=False)
    print(folder, "P700", "%s.1.70" % ROOT, n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("outdir")
    ap.add_argument("--bulk", type=int, default=0)
    ap.add_argument("--bulk-folder", default="bulk")
    ap.add_argument("--only", default=None)
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    os.makedirs(args.outdir, exist_ok=True)
    for p in PATIENTS:
        if only is None or p[0] in only:
            write_patient(args.outdir, p)
    if args.bulk:
        write_bulk(args.outdir, args.bulk_folder, args.bulk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
