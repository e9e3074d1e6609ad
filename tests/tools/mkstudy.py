#!/usr/bin/python3
# mkstudy.py -- owns the generation of pdiburn's synthetic test input: a
# deliberately awkward "hospital archive" of DICOM files, the failure-case
# folders, and manifest.json (the machine-readable truth the tests compare
# against).  Test tooling only; nothing in pdiburn itself depends on it.
"""
mkstudy.py -- generate realistic, awkward DICOM test studies for pdiburn.

USAGE
    /usr/bin/python3 tests/tools/mkstudy.py OUTDIR [--slices N] [--seed S]
                                                   [--only NAMES]

    OUTDIR        output folder (created; the case folders, pixels/ and
                  manifest.json inside it are replaced on every run)
    --slices N    slices per CT/MR series (default 6)
    --seed S      integer seed: changes the UIDs (root
                  1.2.826.0.1.3680043.10.1234.<S>....) and the noise
                  (default 1).  Same seed => byte-identical output.
    --only NAMES  comma-separated subset of the cases:
                  archive, bad_truncated, bad_truncated_header,
                  bad_conflict, bad_patient, unsupported
                  (default: all).  UIDs do not depend on which cases are
                  generated, so a partial run produces the same files.

    Must be run with Debian's /usr/bin/python3 (pydicom 2.3.1, numpy, PIL)
    and needs dcmtk (dcmconv, dcmcjpeg, dcmcjpls, dcmcrle) and
    libopenjp2-tools (opj_compress) on PATH.

OUTPUT
    OUTDIR/archive/               valid but awkward source folder (patients
                                  PID001..PID004 + one without PatientID,
                                  a byte-identical duplicate, junk files)
    OUTDIR/bad_truncated/         study + one file cut inside pixel data
    OUTDIR/bad_truncated_header/  study + one file cut inside the header
    OUTDIR/bad_conflict/          two files, same SOP Instance UID,
                                  different content
    OUTDIR/bad_patient/           one study whose instances carry two
                                  different PatientIDs
    OUTDIR/unsupported/           PID_VIDEO: an MPEG-4 AVC video instance
                                  (fake bitstream) + a normal CT image
    OUTDIR/pixels/*.npy           expected decoded pixels, shape
                                  (frames, rows, cols[, 3])
    OUTDIR/manifest.json          truth for the tests (see write_manifest)

    UIDs: <root>.<seed>.<type>.<case>.<study>.<series>.<instance> where
    root = 1.2.826.0.1.3680043.10.1234 and type 1=study, 2=series,
    3=SOP instance, 4=frame of reference, 5=other (trailing fields omitted
    for the higher levels).  case: 1..5 = archive patients A..E,
    11 bad_truncated, 12 bad_truncated_header, 13 bad_conflict,
    14 bad_patient, 15 unsupported.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.filebase import DicomBytesIO
from pydicom.filewriter import write_dataset
from pydicom.sequence import Sequence
from PIL import Image

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

UID_ROOT = "1.2.826.0.1.3680043.10.1234"
# Implementation identity of the fictitious PACS that "exported" the files
# written directly by this script (files re-encoded by dcmtk carry dcmtk's).
PACS_IMPL_UID = UID_ROOT + ".0.1"
PACS_IMPL_NAME = "MKSTUDY_PACS_1"

TS_IMPLICIT = "1.2.840.10008.1.2"
TS_EXPLICIT = "1.2.840.10008.1.2.1"
TS_DEFLATED = "1.2.840.10008.1.2.1.99"
TS_BIG = "1.2.840.10008.1.2.2"
TS_JPEG_BASELINE = "1.2.840.10008.1.2.4.50"
TS_JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70"
TS_JPEGLS_LOSSLESS = "1.2.840.10008.1.2.4.80"
TS_J2K_LOSSLESS = "1.2.840.10008.1.2.4.90"
TS_MPEG4_HP41 = "1.2.840.10008.1.2.4.102"
TS_RLE = "1.2.840.10008.1.2.5"

CT_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
CR_STORAGE = "1.2.840.10008.5.1.4.1.1.1"
SC_STORAGE = "1.2.840.10008.5.1.4.1.1.7"
US_MF_STORAGE = "1.2.840.10008.5.1.4.1.1.3.1"
BASIC_TEXT_SR = "1.2.840.10008.5.1.4.1.1.88.11"
ENCAP_PDF = "1.2.840.10008.5.1.4.1.1.104.1"
VIDEO_PHOTO = "1.2.840.10008.5.1.4.1.1.77.1.4.1"

CASES = ["archive", "bad_truncated", "bad_truncated_header", "bad_conflict",
         "bad_patient", "unsupported"]

# Fixed "now" so reruns are byte-identical.
CREATE_DATE = "20240301"
CREATE_TIME = "120000"


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

class Gen:
    """Run-wide state: seed, temp dir, output dir and collected manifest."""

    def __init__(self, outdir, seed, slices):
        self.outdir = outdir
        self.seed = seed
        self.slices = slices
        self.tmp = tempfile.mkdtemp(prefix="mkstudy_")
        self.instances = []      # manifest "instances"
        self.junk = []           # manifest "junk"
        self.bad = {}            # manifest "bad"
        self.tmpcount = 0

    def uid(self, kind, *parts):
        """Deterministic UID: root.seed.kind.parts..."""
        u = ".".join([UID_ROOT, str(self.seed), str(kind)] + [str(p) for p in parts])
        assert len(u) <= 64, u
        return u

    def rng(self, *parts):
        """Independent, reproducible noise stream per image."""
        return np.random.default_rng([self.seed] + [int(p) for p in parts])

    def tmpfile(self, suffix):
        self.tmpcount += 1
        return os.path.join(self.tmp, "t%04d%s" % (self.tmpcount, suffix))

    def abspath(self, rel):
        p = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p


def run(cmd):
    """Run an external tool; abort loudly if it fails or complains."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit("mkstudy: command failed (%d): %s\n%s%s" % (
            r.returncode, " ".join(cmd), r.stdout.decode(errors="replace"),
            r.stderr.decode(errors="replace")))
    return r


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# --------------------------------------------------------------------------
# Pixel phantoms (all deterministic given the rng)
# --------------------------------------------------------------------------

def _ellipse(yy, xx, cy, cx, ry, rx):
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def ct_phantom(rng, z, nz, size=512, bits_stored=12):
    """Body-like CT slice; returns stored values (int16), HU = value - 1024.

    Uses the full signed range of `bits_stored`: padding outside the
    reconstruction circle is -2000 (HU -3024) and dense bone/metal
    saturates at the top of the range.
    """
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    s = size / 512.0
    c = (size - 1) / 2.0
    t = z / max(nz - 1, 1)                       # 0..1 along the volume
    hu = np.full((size, size), -1000.0)
    hu[_ellipse(yy, xx, c + 10 * s, c, 160 * s, 205 * s)] = -100.0   # fat
    hu[_ellipse(yy, xx, c + 10 * s, c, 145 * s, 190 * s)] = 40.0     # tissue
    lr = (55 + 25 * np.sin(np.pi * t)) * s
    for dx in (-85, 85):                                              # lungs
        hu[_ellipse(yy, xx, c - 15 * s, c + dx * s, lr * 1.4, lr)] = -850.0
    hu[_ellipse(yy, xx, c + 105 * s, c, 28 * s, 28 * s)] = 1400.0     # cortex
    hu[_ellipse(yy, xx, c + 105 * s, c, 18 * s, 18 * s)] = 350.0      # marrow
    hu[_ellipse(yy, xx, c - 10 * s, c - 20 * s, 22 * s, 22 * s)] = 180.0  # contrast
    hu[_ellipse(yy, xx, c + 45 * s, c + 60 * s, (10 + 8 * t) * s, 12 * s)] = 65.0
    hu[_ellipse(yy, xx, c + 50 * s, c - 70 * s, 6 * s, 6 * s)] = 3500.0  # metal
    hu += rng.normal(0.0, 12.0, hu.shape)
    stored = np.rint(hu + 1024.0)
    lo, hi = -(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1
    stored = np.clip(stored, lo + 48, hi)        # keep padding value unique
    stored[~_ellipse(yy, xx, c, c, 250 * s, 250 * s)] = -2000
    return stored.astype(np.int16)


def mr_phantom(rng, z, nz, size=256, maxval=4095):
    """Head-like MR slice with Rician-ish noise, uint16 in [0, maxval]."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    s = size / 256.0
    c = (size - 1) / 2.0
    t = z / max(nz - 1, 1)
    img = np.zeros((size, size))
    img[_ellipse(yy, xx, c, c, 110 * s, 90 * s)] = 0.15                 # skull
    img[_ellipse(yy, xx, c, c, 102 * s, 82 * s)] = 0.55                 # grey
    img[_ellipse(yy, xx, c, c, 85 * s, 65 * s)] = 0.75                  # white
    vr = (8 + 10 * np.sin(np.pi * t)) * s
    img[_ellipse(yy, xx, c - 5 * s, c - 14 * s, vr * 2.2, vr)] = 1.0    # CSF
    img[_ellipse(yy, xx, c - 5 * s, c + 14 * s, vr * 2.2, vr)] = 1.0
    img[_ellipse(yy, xx, c + 40 * s, c + 30 * s, 9 * s, 9 * s)] = 0.95  # lesion
    img *= 1.0 + 0.15 * (xx - c) / size                                 # bias field
    sig = 0.02
    n1 = rng.normal(0, sig, img.shape)
    n2 = rng.normal(0, sig, img.shape)
    mag = np.sqrt((img + n1) ** 2 + n2 ** 2)
    return np.clip(np.rint(mag / 1.1 * maxval), 0, maxval).astype(np.uint16)


def cr_phantom(rng, rows, cols):
    """8-bit chest-radiograph-like image (MONOCHROME1: high = dark)."""
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float64)
    cy, cx = rows / 2.0, cols / 2.0
    att = 0.25 + 0.25 * np.exp(-((xx - cx) / (cols * 0.5)) ** 2)
    for dx in (-0.22, 0.22):
        m = _ellipse(yy, xx, cy - rows * 0.05, cx + dx * cols, rows * 0.32, cols * 0.15)
        att[m] -= 0.15
    att[_ellipse(yy, xx, cy + rows * 0.1, cx - cols * 0.04, rows * 0.15, cols * 0.13)] += 0.2
    att[np.abs(xx - cx) < cols * 0.025] += 0.25                         # spine
    for k in range(8):                                                  # ribs
        yk = rows * (0.2 + 0.08 * k)
        att[np.abs(yy - yk - 0.0004 * (xx - cx) ** 2) < rows * 0.008] += 0.08
    att += rng.normal(0, 0.02, att.shape)
    img = 255.0 - np.clip(att, 0, 1) * 255.0   # MONOCHROME1 storage
    img[:20, :20] = 0        # make sure the full 0..255 range is present
    img[-20:, -20:] = 255
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def rgb_testcard(rng, rows, cols):
    """Colour bars + gradients (secondary capture)."""
    img = np.zeros((rows, cols, 3), np.float64)
    bars = [(255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0),
            (255, 0, 255), (255, 0, 0), (0, 0, 255), (16, 16, 16)]
    bw = cols // len(bars)
    for i, col in enumerate(bars):
        img[: rows // 2, i * bw:(i + 1) * bw] = col
    g = np.linspace(0, 255, cols)
    img[rows // 2:, :, 0] = g
    img[rows // 2:, :, 1] = g[::-1]
    img[rows // 2:, :, 2] = np.linspace(0, 255, rows - rows // 2)[:, None]
    img += rng.normal(0, 2.0, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def us_frames(rng, nframes, rows, cols):
    """RGB ultrasound cine: grey speckle sector + moving colour-flow blob."""
    yy, xx = np.mgrid[0:rows, 0:cols].astype(np.float64)
    apex_y, apex_x = -20.0, cols / 2.0
    r = np.hypot(yy - apex_y, xx - apex_x)
    ang = np.arctan2(xx - apex_x, yy - apex_y)
    sector = (np.abs(ang) < 0.6) & (r > 30) & (r < rows + 5)
    speckle = rng.gamma(2.0, 0.5, (rows, cols))
    base = 90 * speckle * (1.0 - r / (rows * 1.6))
    base[(r > 120) & (r < 128)] += 80                                   # bright interface
    frames = np.zeros((nframes, rows, cols, 3), np.uint8)
    for f in range(nframes):
        g = np.where(sector, np.clip(base + rng.normal(0, 6, base.shape), 0, 255), 0)
        img = np.repeat(g[:, :, None], 3, axis=2)
        cy = rows * 0.55 + 25 * np.sin(2 * np.pi * f / nframes)
        cx = cols * 0.5 + 30 * np.cos(2 * np.pi * f / nframes)
        blob = _ellipse(yy, xx, cy, cx, 22, 30) & sector
        hue = f / nframes                                               # colour changes per frame
        col = np.array([255 * (1 - hue), 80 + 100 * hue, 255 * hue])
        img[blob] = col
        frames[f] = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    # frame number burnt into a small box so frames differ visibly
    for f in range(nframes):
        frames[f, 4:12, 4:4 + 8 * (f + 1)] = (255, 255, 0)
    return frames


def tiny_pdf(title):
    """A small but valid one-page PDF 1.4, xref offsets computed exactly."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = ("BT /F1 18 Tf 72 720 Td (%s) Tj ET\n"
              "BT /F1 11 Tf 72 690 Td (Synthetic test document - not a real report.) Tj ET\n"
              % text).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------
# Module builders.  `pat`, `study`, `series` are plain dicts describing the
# entities; every builder only sets attributes it owns.
# --------------------------------------------------------------------------

def code_item(value, scheme, meaning):
    it = Dataset()
    it.CodeValue = value
    it.CodingSchemeDesignator = scheme
    it.CodeMeaning = meaning
    return it


def base_dataset(g, pat, study, series, sop_class, sop_uid, inst_no):
    """SOP Common + Patient + General Study + Patient Study + General Series
    + General Equipment (everything common to all our IODs)."""
    ds = Dataset()
    # SOP Common
    if pat.get("charset"):
        ds.SpecificCharacterSet = pat["charset"]
    ds.InstanceCreationDate = CREATE_DATE
    ds.InstanceCreationTime = CREATE_TIME
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = sop_uid
    # General Study (+ dates of the series/content)
    ds.StudyDate = study["date"]
    ds.SeriesDate = study["date"]
    ds.ContentDate = study["date"]
    ds.StudyTime = study["time"]
    ds.SeriesTime = series.get("time", study["time"])
    ds.ContentTime = series.get("time", study["time"])
    ds.AccessionNumber = study.get("accession", "")
    ds.Modality = series["modality"]
    ds.Manufacturer = "MKSTUDY Medical"
    ds.InstitutionName = "Test Hospital"
    ds.ReferringPhysicianName = study.get("referring", "")
    ds.StationName = "MKSTUDY01"
    if study.get("description"):
        ds.StudyDescription = study["description"]
    ds.SeriesDescription = series.get("description", "")
    ds.ManufacturerModelName = "Phantom 3000"
    # Patient
    ds.PatientName = pat["name"]
    if pat.get("id") is not None:
        ds.PatientID = pat["id"]
    ds.PatientBirthDate = pat.get("birth", "")
    ds.PatientSex = pat.get("sex", "")
    # Patient Study
    if pat.get("age"):
        ds.PatientAge = pat["age"]
    ds.DeviceSerialNumber = "SN-0001"
    ds.SoftwareVersions = "mkstudy 1.0"
    # General Study / Series identifiers
    ds.StudyInstanceUID = study["uid"]
    ds.SeriesInstanceUID = series["uid"]
    if study.get("id") is not None:
        ds.StudyID = study["id"]
    if series.get("number") is not None:
        ds.SeriesNumber = series["number"]
    if inst_no is not None:
        ds.InstanceNumber = inst_no
    return ds


def add_image_pixel(ds, arr, photometric, bits_stored=None, signed=False):
    """Image Pixel module from a numpy array (frames, rows, cols[, 3]) or
    (rows, cols[, 3]) for single-frame."""
    if "NumberOfFrames" in ds:                  # (frames, rows, cols[, 3])
        rows, cols = arr.shape[1], arr.shape[2]
    else:                                       # (rows, cols[, 3])
        rows, cols = arr.shape[0], arr.shape[1]
    spp = 3 if photometric in ("RGB", "YBR_FULL", "YBR_FULL_422") else 1
    bits_alloc = arr.dtype.itemsize * 8
    ds.SamplesPerPixel = spp
    ds.PhotometricInterpretation = photometric
    if spp == 3:
        ds.PlanarConfiguration = 0
    ds.Rows = rows
    ds.Columns = cols
    ds.BitsAllocated = bits_alloc
    ds.BitsStored = bits_stored or bits_alloc
    ds.HighBit = ds.BitsStored - 1
    ds.PixelRepresentation = 1 if signed else 0
    data = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
    if len(data) % 2:
        data += b"\0"
    ds.add_new(0x7FE00010, "OB" if bits_alloc == 8 else "OW", data)


def ct_image(g, pat, study, series, inst_no, z, nz, arr, sop_uid, slice_pos):
    ds = base_dataset(g, pat, study, series, CT_STORAGE, sop_uid, inst_no)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.AcquisitionNumber = 1
    ds.AcquisitionDate = study["date"]
    ds.AcquisitionTime = series.get("time", study["time"])
    ds.BodyPartExamined = "CHEST"
    ds.ScanOptions = "HELICAL MODE"
    ds.SliceThickness = "2.5"
    ds.KVP = "120"
    ds.DataCollectionDiameter = "500"
    ds.ReconstructionDiameter = "360"
    ds.GantryDetectorTilt = "0"
    ds.TableHeight = "150"
    ds.RotationDirection = "CW"
    ds.ExposureTime = "500"
    ds.XRayTubeCurrent = "200"
    ds.Exposure = "100"
    ds.ConvolutionKernel = "STANDARD"
    ds.PatientPosition = "HFS"
    ds.FrameOfReferenceUID = series["for"]
    ds.PositionReferenceIndicator = ""
    ds.ImagePositionPatient = ["-180", "-180", "%.1f" % slice_pos]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.SliceLocation = "%.1f" % slice_pos
    ds.PixelSpacing = ["0.703125", "0.703125"]
    ds.WindowCenter = ["40", "-600"]
    ds.WindowWidth = ["400", "1500"]
    ds.WindowCenterWidthExplanation = ["SOFT TISSUE", "LUNG"]
    ds.RescaleIntercept = "-1024"
    ds.RescaleSlope = "1"
    ds.RescaleType = "HU"
    add_image_pixel(ds, arr, "MONOCHROME2", series.get("bits_stored", 12), signed=True)
    ds.PixelPaddingValue = -2000           # after PixelRepresentation: US/SS -> SS
    return ds


def mr_image(g, pat, study, series, inst_no, arr, sop_uid, slice_pos):
    ds = base_dataset(g, pat, study, series, MR_STORAGE, sop_uid, inst_no)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "OTHER"]
    ds.AcquisitionNumber = 1
    ds.BodyPartExamined = "HEAD"
    ds.ScanningSequence = "SE"
    ds.SequenceVariant = "NONE"
    ds.ScanOptions = ""
    ds.MRAcquisitionType = "2D"
    ds.SequenceName = "se2d1"
    ds.AngioFlag = "N"
    ds.SliceThickness = "5"
    ds.RepetitionTime = "500"
    ds.EchoTime = "15"
    ds.NumberOfAverages = "2"
    ds.ImagingFrequency = "63.6"
    ds.ImagedNucleus = "1H"
    ds.EchoNumbers = "1"
    ds.MagneticFieldStrength = "1.5"
    ds.SpacingBetweenSlices = "6"
    ds.EchoTrainLength = "1"
    ds.PercentSampling = "100"
    ds.PercentPhaseFieldOfView = "100"
    ds.PixelBandwidth = "130"
    ds.FlipAngle = "90"
    ds.PatientPosition = "HFS"
    ds.FrameOfReferenceUID = series["for"]
    ds.PositionReferenceIndicator = ""
    ds.ImagePositionPatient = ["-115", "-115", "%.1f" % slice_pos]
    ds.ImageOrientationPatient = ["1", "0", "0", "0", "1", "0"]
    ds.SliceLocation = "%.1f" % slice_pos
    ds.PixelSpacing = ["0.8984375", "0.8984375"]
    bs = series.get("bits_stored", 16)
    ds.WindowCenter = str((1 << bs) // 4 if bs <= 12 else 1400)
    ds.WindowWidth = str((1 << bs) // 2 if bs <= 12 else 2800)
    add_image_pixel(ds, arr, "MONOCHROME2", bs, signed=False)
    return ds


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def file_meta(ds, ts):
    fm = FileMetaDataset()
    fm.MediaStorageSOPClassUID = ds.SOPClassUID
    fm.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    fm.TransferSyntaxUID = ts
    fm.ImplementationClassUID = PACS_IMPL_UID
    fm.ImplementationVersionName = PACS_IMPL_NAME
    fm.SourceApplicationEntityTitle = "FAKEPACS"
    return fm


def encode_part10(ds, ts):
    """Bytes of a Part-10 file (preamble + DICM + meta).  pydicom itself only
    encodes Implicit/Explicit VR Little Endian; for an encapsulated transfer
    syntax the caller has already put encapsulated Pixel Data into ds."""
    assert ts not in (TS_BIG, TS_DEFLATED)
    ds.file_meta = file_meta(ds, ts)
    ds.is_little_endian = True
    ds.is_implicit_VR = ts == TS_IMPLICIT
    ds.preamble = b"\0" * 128
    bio = io.BytesIO()
    pydicom.dcmwrite(bio, ds, write_like_original=False)
    return bio.getvalue()


def encode_bare(ds):
    """Implicit VR LE data set only: no preamble, no DICM, no meta."""
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = True
    ds.is_little_endian = True
    ds.is_implicit_VR = True
    write_dataset(fp, ds)
    return fp.getvalue()


def write_bytes(g, rel, data):
    with open(g.abspath(rel), "wb") as f:
        f.write(data)


def with_private_tags(ds, undefined_length_sq):
    """Add a private block like real PACS do.  In Implicit VR the reader
    cannot know the VRs; with `undefined_length_sq` the private sequence is
    re-encoded afterwards with undefined lengths (see patch_private_sq)."""
    ds.add_new(0x00090010, "LO", "FAKEPACS 1.0")
    ds.add_new(0x00091001, "LO", "ARCHIVED")
    ds.add_new(0x00091002, "UL", 20240105)
    if undefined_length_sq:
        it = Dataset()
        it.add_new(0x00090010, "LO", "FAKEPACS 1.0")
        it.add_new(0x00091011, "LO", "INNER ITEM")
        ds.add_new(0x00091010, "SQ", Sequence([it]))


def patch_private_sq(data):
    """Rewrite the implicit-VR private sequence (0009,1010) written by
    pydicom with defined lengths into undefined-length form (SQ and item
    lengths FFFFFFFF + delimiters) -- what many modalities emit.  No group
    length is present in the data set, so nothing else needs fixing."""
    tag = b"\x09\x00\x10\x10"
    i = data.index(tag, 132 + 4)
    sq_len = int.from_bytes(data[i + 4:i + 8], "little")
    body = data[i + 8:i + 8 + sq_len]
    out = bytearray()
    j = 0
    while j < len(body):
        assert body[j:j + 4] == b"\xfe\xff\x00\xe0"
        ilen = int.from_bytes(body[j + 4:j + 8], "little")
        out += b"\xfe\xff\x00\xe0\xff\xff\xff\xff" + body[j + 8:j + 8 + ilen]
        out += b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
        j += 8 + ilen
    out += b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    return data[:i] + tag + b"\xff\xff\xff\xff" + bytes(out) + data[i + 8 + sq_len:]


def transcode(g, ds, tool_args, out_suffix=".dcm"):
    """Write ds as Explicit VR LE to a temp file, run a dcmtk tool on it and
    return the resulting bytes."""
    src = g.tmpfile(".dcm")
    with open(src, "wb") as f:
        f.write(encode_part10(ds, TS_EXPLICIT))
    dst = g.tmpfile(out_suffix)
    run(tool_args + [src, dst])
    with open(dst, "rb") as f:
        return f.read(), src


def encode_j2k(g, ds, arr, bits):
    """JPEG 2000 lossless (reversible 5/3) via opj_compress on raw samples,
    wrapped into encapsulated Pixel Data by pydicom."""
    rows, cols = arr.shape
    raw = g.tmpfile(".rawl")
    arr.astype("<u2").tofile(raw)
    j2k = g.tmpfile(".j2k")
    run(["opj_compress", "-i", raw, "-o", j2k,
         "-F", "%d,%d,1,%d,u" % (cols, rows, bits)])
    with open(j2k, "rb") as f:
        cs = f.read()
    # sanity: decodes back to the original.  (Not with Pillow: it scales
    # 12-bit J2K samples up to 16 bits, e.g. 1 -> 16.)
    back_raw = g.tmpfile(".rawl")
    run(["opj_decompress", "-i", j2k, "-o", back_raw])
    back = np.fromfile(back_raw, "<u2").reshape(rows, cols)
    assert np.array_equal(back.astype(np.int64), arr.astype(np.int64)), "J2K not lossless"
    out = ds.copy()
    out.PixelData = encapsulate([cs])
    out["PixelData"].VR = "OB"
    return encode_part10(out, TS_J2K_LOSSLESS)


# --------------------------------------------------------------------------
# Manifest bookkeeping
# --------------------------------------------------------------------------

def charset_str(ds):
    cs = ds.get("SpecificCharacterSet", None)
    if cs is None:
        return ""
    if isinstance(cs, (list, pydicom.multival.MultiValue)):
        return "\\".join(cs)
    return str(cs)


def record(g, folder, rel, pixels, kind, *, missing=(), lossy=False,
           duplicate_of=None, defect=None, layout="part10", pixels_from=None,
           pixel_name=None, quirks=(), ds_written=None):
    """Read the file back as written and append its manifest entry.

    pixels: numpy array (frames, rows, cols[, 3]) of the expected decoded
    values or None (SR, PDF, video).  ds_written: use this in-memory dataset
    instead of reading the file back (for deliberately truncated files)."""
    path = os.path.join(g.outdir, rel)
    ds = ds_written if ds_written is not None else pydicom.dcmread(path, force=True)
    if layout == "bare":
        ts = TS_IMPLICIT
    else:
        ts = str(ds.file_meta.TransferSyntaxUID)
    entry = {
        "folder": folder,
        "path": rel,
        "layout": layout,
        "sop_instance_uid": str(ds.SOPInstanceUID),
        "sop_class_uid": str(ds.SOPClassUID),
        "study_uid": str(ds.StudyInstanceUID),
        "series_uid": str(ds.SeriesInstanceUID),
        "patient_id": str(ds.get("PatientID", "") or ""),
        "patient_name": str(ds.get("PatientName", "") or ""),
        "charset": charset_str(ds),
        "study_id": None if "StudyID" not in ds else str(ds.StudyID),
        "series_number": None if "SeriesNumber" not in ds else str(ds.SeriesNumber),
        "instance_number": None if "InstanceNumber" not in ds else str(ds.InstanceNumber),
        "study_date": str(ds.get("StudyDate", "")),
        "modality": str(ds.get("Modality", "")),
        "transfer_syntax": ts,
        "explicit_le_source": ts == TS_EXPLICIT and layout == "part10",
        "duplicate_of": duplicate_of,
        "kind": kind,
        "lossy": lossy,
        "missing": list(missing),
        "defect": defect,
        "quirks": list(quirks),
        "sha256": sha256_file(path),
        "size": os.path.getsize(path),
        "frames": None, "rows": None, "columns": None,
        "samples_per_pixel": None, "photometric": None,
        "pixels": None, "pixels_from": None,
    }
    if pixels is not None:
        entry["frames"] = int(ds.get("NumberOfFrames", 1) or 1)
        entry["rows"] = int(ds.Rows)
        entry["columns"] = int(ds.Columns)
        entry["samples_per_pixel"] = int(ds.SamplesPerPixel)
        entry["photometric"] = str(ds.PhotometricInterpretation)
        entry["bits_stored"] = int(ds.BitsStored)
        entry["pixel_representation"] = int(ds.PixelRepresentation)
        if duplicate_of is None:
            name = pixel_name or entry["sop_instance_uid"]
            prel = "pixels/%s.npy" % name
            os.makedirs(os.path.join(g.outdir, "pixels"), exist_ok=True)
            np.save(os.path.join(g.outdir, prel), np.ascontiguousarray(pixels))
        else:
            prel = next(e["pixels"] for e in g.instances if e["path"] == duplicate_of)
        entry["pixels"] = prel
        entry["pixels_from"] = pixels_from or "original array before encoding"
    g.instances.append(entry)
    return entry


# --------------------------------------------------------------------------
# The archive
# --------------------------------------------------------------------------

PAT_A = {"case": 1, "id": "PID001", "name": "Müller^Jürgen", "charset": "ISO_IR 100",
         "birth": "19580312", "sex": "M", "age": "065Y"}
PAT_B = {"case": 2, "id": "PID002", "name": "王^小明", "charset": "ISO_IR 192",
         "birth": "19900607", "sex": "M", "age": "033Y"}
PAT_C = {"case": 3, "id": "PID003", "name": "Yamada^Tarou=山田^太郎=やまだ^たろう",
         "charset": ["", "ISO 2022 IR 87"], "birth": "19700101", "sex": "M", "age": "054Y"}
PAT_D = {"case": 4, "id": "PID004", "name": "Doe^John", "charset": None,
         "birth": "19800202", "sex": "M"}
PAT_E = {"case": 5, "id": None, "name": "Nobody^Anonymous", "charset": None,
         "birth": "", "sex": "O"}


def study_of(g, pat, idx, **kw):
    d = {"uid": g.uid(1, pat["case"], idx), "time": "101500"}
    d.update(kw)
    return d


def series_of(g, pat, study_idx, idx, **kw):
    d = {"uid": g.uid(2, pat["case"], study_idx, idx),
         "for": g.uid(4, pat["case"], study_idx, 1 if kw.get("modality") in ("CT", "MR") else idx),
         "number": idx}
    d.update(kw)
    return d


def gen_patient_a(g):
    n = g.slices
    F = "archive"
    A1 = study_of(g, PAT_A, 1, date="20240105", id="1", accession="ACC001",
                  description="CT Thorax nativ", referring="Dr. Schön^Ärztin")
    s1 = series_of(g, PAT_A, 1, 1, modality="CT", description="Thorax 2.5 mm (implicit)",
                   bits_stored=12, time="101700")
    s2 = series_of(g, PAT_A, 1, 2, modality="CT", description="Thorax (explicit LE)",
                   bits_stored=16, time="101800")
    s3 = series_of(g, PAT_A, 1, 3, modality="CT", description="Thorax (no meta)",
                   bits_stored=12, time="101900")
    total = n + 3 + 3
    k = 0
    first_ct = None
    # Series 1: Implicit VR LE with meta, names IMG0001.DCM...
    for i in range(n):
        uid = g.uid(3, 1, 1, 1, i + 1)
        arr = ct_phantom(g.rng(1, 1, 1, i), k, total, 512, 12)
        ds = ct_image(g, PAT_A, A1, s1, i + 1, k, total, arr, uid, -100.0 + 2.5 * k)
        quirks = []
        if i == 0:
            with_private_tags(ds, True)
            quirks = ["private_tags", "private_sq_undefined_length_implicit"]
        data = encode_part10(ds, TS_IMPLICIT)
        if i == 0:
            data = patch_private_sq(data)
        rel = "%s/2024/01/patientA/series 1/IMG%04d.DCM" % (F, i + 1)
        write_bytes(g, rel, data)
        e = record(g, F, rel, arr[None], "image", quirks=quirks)
        if i == 0:
            first_ct = e
        k += 1
    # Series 2: Explicit VR LE (copied byte-identical), UID-like names
    for i in range(3):
        uid = g.uid(3, 1, 1, 2, i + 1)
        arr = ct_phantom(g.rng(1, 1, 2, i), k, total, 512, 16)
        ds = ct_image(g, PAT_A, A1, s2, i + 1, k, total, arr, uid, -100.0 + 2.5 * k)
        rel = "%s/2024/01/patientA/Series_2 Explicit/%s" % (F, "1.2.3.%d" % (i + 4))
        write_bytes(g, rel, encode_part10(ds, TS_EXPLICIT))
        record(g, F, rel, arr[None], "image")
        k += 1
    # Series 3: bare data sets (no preamble, no meta) + meta without preamble
    for i in range(3):
        uid = g.uid(3, 1, 1, 3, i + 1)
        arr = ct_phantom(g.rng(1, 1, 3, i), k, total, 512, 12)
        ds = ct_image(g, PAT_A, A1, s3, i + 1, k, total, arr, uid, -100.0 + 2.5 * k)
        if i < 2:
            rel = "%s/2024/01/patientA/misc/slice_%c" % (F, "ab"[i])
            write_bytes(g, rel, encode_bare(ds))
            record(g, F, rel, arr[None], "image", layout="bare")
        else:
            # DCMTK cannot read "DICM" without the 128-byte preamble (checked:
            # dcmdump fails), so this variant has the meta group at offset 0
            # with neither preamble nor "DICM" -- readable by dcmdump, gdcm,
            # dciodvfy and pydicom(force=True).
            rel = "%s/2024/01/patientA/misc/i0003.dcm" % F
            write_bytes(g, rel, encode_part10(ds, TS_IMPLICIT)[132:])
            record(g, F, rel, arr[None], "image", layout="meta_no_preamble")
        k += 1

    # Study A2: MR in six transfer syntaxes
    A2 = study_of(g, PAT_A, 2, date="20240210", id="2", accession="ACC002",
                  description="MR Schädel", time="083000")
    mrdir = "%s/2024/02/Müller Jürgen MR" % F
    variants = [
        # (series idx, description, bits, folder, name pattern, encoder)
        (1, "T1 SE (big endian)", 16, "t1 big endian", "MR%06d", "big"),
        (2, "T1 SE (JPEG lossless)", 12, "jpeg_lossless", "mr%04d.dcm", "jpegll"),
        (3, "T2 SE (JPEG-LS)", 16, "JPEGLS", "IM_%04d", "jpegls"),
        (4, "PD SE (RLE)", 16, "rle", "img%04d.dcm", "rle"),
        (5, "FLAIR (JPEG 2000)", 12, "j2k", "J2K%04d.DCM", "j2k"),
        (6, "Localizer (deflated)", 12, "deflate", "loc%04d.dcm", "deflate"),
    ]
    for sidx, desc, bits, sub, pattern, enc in variants:
        ser = series_of(g, PAT_A, 2, sidx, modality="MR", description=desc,
                        bits_stored=bits, time="%06d" % (83100 + 100 * sidx))
        count = 1 if enc == "deflate" else n
        for i in range(count):
            uid = g.uid(3, 1, 2, sidx, i + 1)
            maxval = 4095 if bits == 12 else 30000
            arr = mr_phantom(g.rng(1, 2, sidx, i), i, count, 256, maxval)
            ds = mr_image(g, PAT_A, A2, ser, i + 1, arr, uid, -30.0 + 6.0 * i)
            if enc == "big":
                data, _ = transcode(g, ds, ["dcmconv", "+tb"])
            elif enc == "jpegll":
                data, _ = transcode(g, ds, ["dcmcjpeg", "+e1", "+un"])
            elif enc == "jpegls":
                data, _ = transcode(g, ds, ["dcmcjpls", "+el", "+un"])
            elif enc == "rle":
                data, _ = transcode(g, ds, ["dcmcrle", "+un"])
            elif enc == "deflate":
                data, _ = transcode(g, ds, ["dcmconv", "+td"])
            else:
                data = encode_j2k(g, ds, arr, bits)
            rel = "%s/%s/%s" % (mrdir, sub, pattern % (i + 1))
            write_bytes(g, rel, data)
            record(g, F, rel, arr[None], "image")
    return first_ct


def gen_patient_b(g):
    F = "archive"
    B = study_of(g, PAT_B, 1, date="20240315", id="1001", accession="ACC100",
                 description="Θώρακας και κοιλιά", time="140000",
                 referring="李^医生")
    base = "%s/PATIENT_B/Studie 1" % F
    # --- CR, 8-bit MONOCHROME1, JPEG baseline (lossy) ---
    ser = series_of(g, PAT_B, 1, 1, modality="CR", description="Thorax p.a.", time="140100")
    uid = g.uid(3, 2, 1, 1, 1)
    arr = cr_phantom(g.rng(2, 1, 1, 1), 1000, 836)
    ds = base_dataset(g, PAT_B, B, ser, CR_STORAGE, uid, 1)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = "PA"
    ds.PatientOrientation = ["L", "F"]
    ds.KVP = "125"
    ds.PlateID = "PLATE7"
    ds.ImagerPixelSpacing = ["0.4", "0.4"]
    ds.PixelSpacing = ["0.4", "0.4"]
    ds.WindowCenter = "128"
    ds.WindowWidth = "256"
    add_image_pixel(ds, arr, "MONOCHROME1", 8)
    ds.BurnedInAnnotation = "NO"
    data, _ = transcode(g, ds, ["dcmcjpeg", "+eb", "+q", "90", "+un"])
    rel = "%s/CR/cr_baseline.dcm" % base
    write_bytes(g, rel, data)
    dec = decode_jpeg_baseline(g, rel)
    record(g, F, rel, dec, "image", lossy=True,
           pixels_from="Pillow (libjpeg-turbo) decode of the JPEG codestream")
    cr_ref = (CR_STORAGE, uid, ser["uid"])

    # --- SC RGB, JPEG baseline YBR_FULL_422 (lossy) ---
    ser = series_of(g, PAT_B, 1, 2, modality="OT", description="Screenshot", time="140200")
    uid = g.uid(3, 2, 1, 2, 1)
    arr = rgb_testcard(g.rng(2, 1, 2, 1), 240, 320)
    ds = base_dataset(g, PAT_B, B, ser, SC_STORAGE, uid, 1)
    ds.ConversionType = "WSD"
    ds.ImageType = ["DERIVED", "SECONDARY"]
    ds.BodyPartExamined = "CHEST"
    ds.PatientOrientation = ""
    ds.BurnedInAnnotation = "NO"
    add_image_pixel(ds, arr, "RGB", 8)
    data, _ = transcode(g, ds, ["dcmcjpeg", "+eb", "+q", "90", "+un"])
    rel = "%s/SC/screen.jpg.dcm" % base
    write_bytes(g, rel, data)
    dec = decode_jpeg_baseline(g, rel)
    record(g, F, rel, dec, "image", lossy=True,
           pixels_from="Pillow (libjpeg-turbo) decode of the JPEG codestream, "
                       "YCbCr->RGB by libjpeg")
    sc_ref = (SC_STORAGE, uid, ser["uid"])

    # --- US multi-frame RGB, 10 frames, Explicit VR LE (byte-identical) ---
    ser = series_of(g, PAT_B, 1, 3, modality="US", description="Abdomen cine", time="140300")
    uid = g.uid(3, 2, 1, 3, 1)
    frames = us_frames(g.rng(2, 1, 3, 1), 10, 240, 320)
    ds = base_dataset(g, PAT_B, B, ser, US_MF_STORAGE, uid, 1)
    ds.ImageType = ["ORIGINAL", "PRIMARY", "ABDOMINAL", "0011"]
    ds.BodyPartExamined = "ABDOMEN"
    ds.PatientOrientation = ""
    ds.NumberOfFrames = 10
    ds.FrameIncrementPointer = 0x00181063
    ds.FrameTime = "40"
    ds.CineRate = 25
    ds.RecommendedDisplayFrameRate = 25
    ds.LossyImageCompression = "00"
    ds.BurnedInAnnotation = "NO"
    add_image_pixel(ds, frames, "RGB", 8)
    rel = "%s/US/cine" % base
    write_bytes(g, rel, encode_part10(ds, TS_EXPLICIT))
    record(g, F, rel, frames, "image")
    us_ref = (US_MF_STORAGE, uid, ser["uid"])

    # --- Basic Text SR (Implicit VR LE -> must be re-encoded) ---
    ser = series_of(g, PAT_B, 1, 4, modality="SR", description="Befund", time="150000")
    uid = g.uid(3, 2, 1, 4, 1)
    ds = base_dataset(g, PAT_B, B, ser, BASIC_TEXT_SR, uid, 1)
    ds.ContentDate = "20240315"
    ds.ContentTime = "151500"
    ds.ReferencedPerformedProcedureStepSequence = Sequence()
    ds.ValueType = "CONTAINER"
    ds.ConceptNameCodeSequence = Sequence([code_item("18748-4", "LN",
                                                     "Diagnostic imaging report")])
    ds.ContinuityOfContent = "SEPARATE"
    ds.CompletionFlag = "COMPLETE"
    ds.VerificationFlag = "VERIFIED"
    obs = Dataset()
    obs.VerifyingObserverName = "李^医生"
    obs.VerifyingObserverIdentificationCodeSequence = Sequence()
    obs.VerifyingOrganization = "Test Hospital"
    obs.VerificationDateTime = "20240315160000"
    ds.VerifyingObserverSequence = Sequence([obs])
    ds.PerformedProcedureCodeSequence = Sequence()
    ev = Dataset()
    ev.StudyInstanceUID = B["uid"]
    series_items = []
    for cls, iuid, suid in (cr_ref, sc_ref, us_ref):
        sop = Dataset()
        sop.ReferencedSOPClassUID = cls
        sop.ReferencedSOPInstanceUID = iuid
        s = Dataset()
        s.SeriesInstanceUID = suid
        s.ReferencedSOPSequence = Sequence([sop])
        series_items.append(s)
    ev.ReferencedSeriesSequence = Sequence(series_items)
    ds.CurrentRequestedProcedureEvidenceSequence = Sequence([ev])
    items = []
    for code, meaning, text in (
            ("121060", "History", "Husten seit 3 Wochen. 咳嗽三周。"),
            ("121071", "Finding", "Keine Auffälligkeiten. Καμία ανωμαλία. 无异常。"),
            ("121076", "Conclusion", "Normalbefund.")):
        it = Dataset()
        it.RelationshipType = "CONTAINS"
        it.ValueType = "TEXT"
        it.ConceptNameCodeSequence = Sequence([code_item(code, "DCM", meaning)])
        it.TextValue = text
        items.append(it)
    ds.ContentSequence = Sequence(items)
    rel = "%s/REPORTS/report.sr" % base
    write_bytes(g, rel, encode_part10(ds, TS_IMPLICIT))
    record(g, F, rel, None, "sr")

    # --- Encapsulated PDF (Explicit VR LE -> byte-identical) ---
    ser = series_of(g, PAT_B, 1, 5, modality="DOC", description="Scanned request",
                    time="150500")
    uid = g.uid(3, 2, 1, 5, 1)
    ds = base_dataset(g, PAT_B, B, ser, ENCAP_PDF, uid, 1)
    del ds.SeriesDescription
    pdf = tiny_pdf("pdiburn test request form")
    ds.ConversionType = "WSD"
    ds.ContentDate = "20240315"
    ds.ContentTime = "150500"
    ds.AcquisitionDateTime = "20240315150500"
    ds.BurnedInAnnotation = "YES"
    ds.DocumentTitle = "Anforderung / 申请单"
    ds.ConceptNameCodeSequence = Sequence([code_item("18748-4", "LN",
                                                     "Diagnostic imaging report")])
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocumentLength = len(pdf)
    ds.add_new(0x00420011, "OB", pdf + (b"\0" if len(pdf) % 2 else b""))
    rel = "%s/REPORTS/document.pdf.dcm" % base
    write_bytes(g, rel, encode_part10(ds, TS_EXPLICIT))
    record(g, F, rel, None, "pdf")


def decode_jpeg_baseline(g, rel):
    """Expected pixels of a JPEG baseline instance: the codestream decoded by
    Pillow (libjpeg-turbo); colour JPEGs are converted YCbCr->RGB by libjpeg
    itself.  Returns (frames, rows, cols[, 3])."""
    ds = pydicom.dcmread(os.path.join(g.outdir, rel))
    frames = []
    nf = int(ds.get("NumberOfFrames", 1) or 1)
    for frag in pydicom.encaps.generate_pixel_data_frame(ds.PixelData, nf):
        with Image.open(io.BytesIO(frag)) as im:
            frames.append(np.array(im))
    return np.stack(frames)


def small_ct_series(g, pat, case, study, sidx, count, size, *, folder, relfmt, ts,
                    layout="part10", drop=None, patient_override=None, folder_tag=None,
                    instance_numbers=None):
    """A small CT series; returns list of (rel, arr, ds) after writing."""
    ser = series_of(g, pat, 1, sidx, modality="CT", description="small CT",
                    bits_stored=12, time="%06d" % (110000 + 100 * sidx))
    out = []
    for i in range(count):
        p = patient_override[i] if patient_override else pat
        uid = g.uid(3, case, 1, sidx, i + 1)
        arr = ct_phantom(g.rng(case, 1, sidx, i), i, count, size, 12)
        inst_no = instance_numbers[i] if instance_numbers else i + 1
        ds = ct_image(g, p, study, ser, inst_no, i, count, arr, uid, 10.0 * i)
        ds.PixelSpacing = ["%.6g" % (360.0 / size)] * 2
        if drop:
            for kw in drop(i):
                if kw in ds:
                    delattr(ds, kw)
        rel = relfmt % (i + 1)
        data = encode_part10(ds, ts) if layout == "part10" else encode_bare(ds)
        write_bytes(g, "%s/%s" % (folder, rel), data)
        out.append(("%s/%s" % (folder, rel), arr, ds))
    return out


def gen_patient_c(g):
    st = study_of(g, PAT_C, 1, date="20240402", id="J1", accession="ACC300",
                  description="CT 頭部", time="091500")
    for rel, arr, ds in small_ct_series(g, PAT_C, 3, st, 1, 2, 256, folder="archive",
                                        relfmt="patient c/ct/%d", ts=TS_IMPLICIT):
        record(g, "archive", rel, arr[None], "image")


def gen_patient_d(g):
    st = study_of(g, PAT_D, 1, date="20240410", id=None, accession="",
                  description="no study id", time="093000")
    missing_by_index = {0: ["StudyID", "SeriesNumber"],
                        1: ["StudyID", "SeriesNumber", "InstanceNumber"]}
    inst_numbers = [1, None]
    files = small_ct_series(g, PAT_D, 4, st, 1, 2, 128, folder="archive",
                            relfmt="misc/PID004/x%d.dcm", ts=TS_EXPLICIT,
                            drop=lambda i: ["SeriesNumber"], instance_numbers=inst_numbers)
    for i, (rel, arr, ds) in enumerate(files):
        record(g, "archive", rel, arr[None], "image", missing=missing_by_index[i])


def gen_patient_e(g):
    st = study_of(g, PAT_E, 1, date="20240411", id="77", accession="",
                  description="unknown patient", time="094500")
    files = small_ct_series(g, PAT_E, 5, st, 1, 1, 128, folder="archive",
                            relfmt="misc/unknown/noid%d.dcm", ts=TS_IMPLICIT)
    for rel, arr, ds in files:
        record(g, "archive", rel, arr[None], "image", missing=["PatientID"])


def gen_archive(g):
    first_ct = gen_patient_a(g)
    gen_patient_b(g)
    gen_patient_c(g)
    gen_patient_d(g)
    gen_patient_e(g)
    # byte-identical duplicate of a Patient A CT file somewhere else
    dup = "archive/old exports/dup/img0001.dcm"
    shutil.copyfile(os.path.join(g.outdir, first_ct["path"]), g.abspath(dup))
    record(g, "archive", dup, np.load(os.path.join(g.outdir, first_ct["pixels"])), "image",
           duplicate_of=first_ct["path"], quirks=first_ct["quirks"])
    # junk
    write_bytes(g, "archive/notes.txt",
                "Export vom 01.03.2024 -- bitte nicht löschen.\r\nCD für Dr. Schön\r\n"
                .encode("utf-8"))
    rng = g.rng(99, 1)
    write_bytes(g, "archive/2024/Thumbs.db",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.integers(0, 256, 4088, dtype=np.uint8).tobytes())
    g.junk += ["archive/notes.txt", "archive/2024/Thumbs.db"]


# --------------------------------------------------------------------------
# Failure cases
# --------------------------------------------------------------------------

def gen_bad_truncated(g):
    pat = {"case": 11, "id": "PID_TRUNC", "name": "Truncated^Pixel", "charset": None,
           "birth": "19600101", "sex": "F"}
    st = study_of(g, pat, 1, date="20240501", id="T1", accession="", time="080000")
    files = small_ct_series(g, pat, 11, st, 1, 3, 128, folder="bad_truncated",
                            relfmt="CT%03d.dcm", ts=TS_IMPLICIT)
    for i, (rel, arr, ds) in enumerate(files):
        defect = None
        if i == 1:
            path = os.path.join(g.outdir, rel)
            with open(path, "rb") as f:
                data = f.read()
            pix = len(data) - arr.size * 2          # start of pixel values
            with open(path, "wb") as f:
                f.write(data[:pix + arr.size])       # cut in the middle of the pixels
            defect = "truncated_pixel_data"
            g.bad["truncated"] = rel
        record_safe(g, "bad_truncated", rel, arr, defect, ds)


def gen_bad_truncated_header(g):
    pat = {"case": 12, "id": "PID_TRUNC_HDR", "name": "Truncated^Header", "charset": None,
           "birth": "19600101", "sex": "F"}
    st = study_of(g, pat, 1, date="20240502", id="T2", accession="", time="080000")
    files = small_ct_series(g, pat, 12, st, 1, 2, 128, folder="bad_truncated_header",
                            relfmt="CT%03d.dcm", ts=TS_IMPLICIT)
    for i, (rel, arr, ds) in enumerate(files):
        defect = None
        if i == 1:
            path = os.path.join(g.outdir, rel)
            with open(path, "rb") as f:
                data = f.read()
            # cut inside the value of (0008,0018) SOP Instance UID in the data set
            k = data.index(b"\x08\x00\x18\x00", 132 + 100) + 8 + 10
            with open(path, "wb") as f:
                f.write(data[:k])
            defect = "truncated_header"
            g.bad["truncated_header"] = rel
        record_safe(g, "bad_truncated_header", rel, arr, defect, ds)


def record_safe(g, folder, rel, arr, defect, ds):
    """Manifest entry for a file that may be unreadable (truncated): the
    values come from the in-memory dataset that was written."""
    if defect is None:
        record(g, folder, rel, arr[None], "image")
        return
    record(g, folder, rel, arr[None], "image", defect=defect, ds_written=ds)


def gen_bad_conflict(g):
    pat = {"case": 13, "id": "PID_CONFLICT", "name": "Conflict^Sop", "charset": None,
           "birth": "19600101", "sex": "F"}
    st = study_of(g, pat, 1, date="20240503", id="C1", accession="", time="080000")
    files = small_ct_series(g, pat, 13, st, 1, 2, 128, folder="bad_conflict",
                            relfmt="a/IM%d", ts=TS_IMPLICIT)
    first = None
    for rel, arr, ds in files:
        e = record(g, "bad_conflict", rel, arr[None], "image")
        first = first or e
    # second file: same SOP Instance UID as the first, different pixels and
    # instance number
    rel0, arr0, ds0 = files[0]
    ds = ds0.copy()
    arr = arr0.copy()
    arr[40:60, 40:60] = 1500
    add_image_pixel(ds, arr, "MONOCHROME2", 12, signed=True)
    ds.PixelPaddingValue = -2000
    ds.InstanceNumber = 3
    rel = "bad_conflict/b/IM1"
    write_bytes(g, rel, encode_part10(ds, TS_IMPLICIT))
    record(g, "bad_conflict", rel, arr[None], "image", defect="sop_uid_conflict",
               pixel_name=str(ds.SOPInstanceUID) + "__conflict")
    first["defect"] = "sop_uid_conflict"
    g.bad["conflict"] = [rel0, rel]


def gen_bad_patient(g):
    p1 = {"case": 14, "id": "PID_BADPAT_1", "name": "Split^Patient", "charset": None,
          "birth": "19600101", "sex": "F"}
    p2 = dict(p1, id="PID_BADPAT_2")
    st = study_of(g, p1, 1, date="20240504", id="P1", accession="", time="080000")
    files = small_ct_series(g, p1, 14, st, 1, 2, 128, folder="bad_patient",
                            relfmt="IM%d.dcm", ts=TS_IMPLICIT, patient_override=[p1, p2])
    for rel, arr, ds in files:
        record(g, "bad_patient", rel, arr[None], "image", defect="patient_id_conflict")
    g.bad["patient_conflict"] = [f[0] for f in files]


def gen_unsupported(g):
    pat = {"case": 15, "id": "PID_VIDEO", "name": "Video^Patient", "charset": None,
           "birth": "19750505", "sex": "M"}
    st = study_of(g, pat, 1, date="20240505", id="V1", accession="ACC500",
                  description="Endoscopy + CT", time="100000")
    files = small_ct_series(g, pat, 15, st, 1, 1, 128, folder="unsupported",
                            relfmt="ct/CT%d.dcm", ts=TS_IMPLICIT)
    for rel, arr, ds in files:
        record(g, "unsupported", rel, arr[None], "image")
    ser = series_of(g, pat, 1, 2, modality="XC", description="video", time="100500")
    uid = g.uid(3, 15, 1, 2, 1)
    ds = base_dataset(g, pat, st, ser, VIDEO_PHOTO, uid, 1)
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.PatientOrientation = ""
    ds.BodyPartExamined = "ABDOMEN"
    ds.AnatomicRegionSequence = Sequence([code_item("818981001", "SCT", "Abdomen")])
    ds.AcquisitionContextSequence = Sequence()
    ds.NumberOfFrames = 50
    ds.FrameIncrementPointer = 0x00181063
    ds.FrameTime = "40"
    ds.CineRate = 25
    ds.SamplesPerPixel = 3
    ds.PhotometricInterpretation = "YBR_PARTIAL_420"
    ds.PlanarConfiguration = 0
    ds.Rows = 480
    ds.Columns = 640
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionMethod = "ISO_14496_10"
    # Fake H.264 Annex-B stream: AUD + SPS-ish header + filler; NOT decodable.
    fake = (b"\x00\x00\x00\x01\x09\xf0" + b"\x00\x00\x00\x01\x67\x64\x00\x29"
            + bytes(range(256)) * 8)
    ds.PixelData = encapsulate([fake])
    ds["PixelData"].VR = "OB"
    rel = "unsupported/video/VIDEO1"
    write_bytes(g, rel, encode_part10(ds, TS_MPEG4_HP41))
    record(g, "unsupported", rel, None, "video")


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

GENERATORS = {
    "archive": gen_archive,
    "bad_truncated": gen_bad_truncated,
    "bad_truncated_header": gen_bad_truncated_header,
    "bad_conflict": gen_bad_conflict,
    "bad_patient": gen_bad_patient,
    "unsupported": gen_unsupported,
}


def write_manifest(g, cases):
    """manifest.json: {"generator", "seed", "slices", "cases", "instances",
    "junk", "bad"}.  Paths are relative to OUTDIR with '/' separators."""
    man = {
        "generator": "mkstudy.py",
        "seed": g.seed,
        "slices": g.slices,
        "uid_root": UID_ROOT,
        "cases": cases,
        "pixels_note": ("pixels/*.npy hold the expected decoded values, shape "
                        "(frames, rows, cols[, 3]); lossless sources: the original "
                        "array before encoding; lossy JPEG baseline: Pillow "
                        "(libjpeg-turbo) decode of the codestream, RGB for colour."),
        "instances": g.instances,
        "junk": g.junk,
        "bad": g.bad,
    }
    with open(os.path.join(g.outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate awkward DICOM test studies for pdiburn.")
    ap.add_argument("outdir")
    ap.add_argument("--slices", type=int, default=6, help="slices per CT/MR series (default 6)")
    ap.add_argument("--seed", type=int, default=1, help="UID/noise seed (default 1)")
    ap.add_argument("--only", default=",".join(CASES),
                    help="comma-separated subset of: " + ", ".join(CASES))
    a = ap.parse_args(argv)
    if a.slices < 1:
        ap.error("--slices must be >= 1")
    if not 0 <= a.seed < 10 ** 9:
        ap.error("--seed must be in [0, 1e9)")
    cases = [c for c in a.only.split(",") if c]
    for c in cases:
        if c not in GENERATORS:
            ap.error("unknown case %r (known: %s)" % (c, ", ".join(CASES)))
    cases = [c for c in CASES if c in cases]       # canonical order
    for tool in ("dcmconv", "dcmcjpeg", "dcmcjpls", "dcmcrle", "opj_compress",
                 "opj_decompress"):
        if shutil.which(tool) is None:
            sys.exit("mkstudy: required tool %s not found on PATH" % tool)

    outdir = os.path.abspath(a.outdir)
    os.makedirs(outdir, exist_ok=True)
    for c in CASES + ["pixels"]:
        shutil.rmtree(os.path.join(outdir, c), ignore_errors=True)
    g = Gen(outdir, a.seed, a.slices)
    try:
        for c in cases:
            GENERATORS[c](g)
        write_manifest(g, cases)
    finally:
        shutil.rmtree(g.tmp, ignore_errors=True)
    print("mkstudy: %d instances in %s" % (len(g.instances), outdir))


if __name__ == "__main__":
    main()
