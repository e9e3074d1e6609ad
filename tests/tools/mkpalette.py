#!/usr/bin/python3
# mkpalette.py -- owns the palette colour test study: PALETTE COLOR images
# (PS3.3 C.7.6.3.1.5-6, C.7.9) as US, NM and secondary captures use them,
# and the RGB a reader should show, computed by pydicom's apply_color_lut
# (code that shares nothing with pdiburn).  Test tooling only.
"""
USAGE
    /usr/bin/python3 tests/tools/mkpalette.py OUTDIR

OUTPUT
    OUTDIR/src/PALnn.dcm   one study, patient PALETTE^TEST (ID PAL001):
        series 1 US: 8-bit stored values, 256 entries of 16 bits,
                     two images, Explicit VR Little Endian
        series 2 NM: 16 bits allocated, 12 stored, 2 frames, 1024 entries
                     of 8 bits packed two to a word, first mapped value
                     100 (values below and above the table clamp),
                     Implicit VR Little Endian
        series 3 OT: 8-bit stored, segmented tables (discrete and linear
                     segments), 16-bit entries
    OUTDIR/rgb/<SOP UID>.npy   expected RGB, uint8, (frames, rows, cols, 3):
        pydicom's apply_color_lut, 16-bit entries scaled to 8 bits by
        round(v/257); the 8-bit table of 1024 entries looked up here (see
        lookup())
    OUTDIR/manifest.json   [{"file","sop","series","modality","rows",
                             "columns","frames","segmented","rgb"}]
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixel_data_handlers.util import apply_color_lut
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

ROOT = '1.2.826.0.1.3680043.10.1234.77'
US_SOP = '1.2.840.10008.5.1.4.1.1.6.1'
NM_SOP = '1.2.840.10008.5.1.4.1.1.20'
SC_SOP = '1.2.840.10008.5.1.4.1.1.7'


def base(modality, sop_class, series, number):
    ds = Dataset()
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = '%s.3.%d.%d' % (ROOT, series, number)
    ds.PatientName = 'PALETTE^TEST'
    ds.PatientID = 'PAL001'
    ds.PatientBirthDate = '19700101'
    ds.PatientSex = 'O'
    ds.StudyInstanceUID = ROOT + '.1'
    ds.StudyDate = '20240301'
    ds.StudyTime = '101500'
    ds.StudyID = 'PAL1'
    ds.AccessionNumber = 'PALACC'
    ds.ReferringPhysicianName = ''
    ds.Modality = modality
    ds.SeriesInstanceUID = '%s.2.%d' % (ROOT, series)
    ds.SeriesNumber = series
    ds.SeriesDescription = 'Palette %s' % modality
    ds.InstanceNumber = number
    ds.ConversionType = 'WSD'
    ds.PhotometricInterpretation = 'PALETTE COLOR'
    ds.SamplesPerPixel = 1
    ds.PixelRepresentation = 0
    return ds


def ramps(entries):
    i = np.arange(entries, dtype=np.float64) / max(entries - 1, 1)
    return [i, (1 - i) ** 2, 0.5 + 0.5 * np.sin(i * 6.283)]


def plain_tables(ds, entries, first, bits):
    ds.RedPaletteColorLookupTableDescriptor = [entries % 65536, first, bits]
    ds.GreenPaletteColorLookupTableDescriptor = [entries % 65536, first, bits]
    ds.BluePaletteColorLookupTableDescriptor = [entries % 65536, first, bits]
    top = 65535 if bits == 16 else 255
    dtype = '<u2' if bits == 16 else 'u1'
    data = [np.round(r * top).astype(dtype).tobytes() for r in ramps(entries)]
    data = [d + b'\0' * (len(d) % 2) for d in data]
    ds.RedPaletteColorLookupTableData = data[0]
    ds.GreenPaletteColorLookupTableData = data[1]
    ds.BluePaletteColorLookupTableData = data[2]


def segmented_tables(ds):
    for name in ('Red', 'Green', 'Blue'):
        setattr(ds, name + 'PaletteColorLookupTableDescriptor', [256, 0, 16])
    # discrete 0..3, then linear segments up and down (C.7.9.2.1-2)
    segs = {'Red': [0, 4, 0, 1000, 2000, 3000, 1, 252, 65535],
            'Green': [0, 1, 65535, 1, 128, 0, 1, 127, 30000],
            'Blue': [0, 2, 500, 500, 1, 100, 60000, 1, 154, 20000]}
    for name, words in segs.items():
        setattr(ds, 'Segmented%sPaletteColorLookupTableData' % name,
                np.array(words, dtype='<u2').tobytes())


def pixels(rows, cols, frames, lo, hi, seed):
    # Smooth, so that the JPEG pages can be compared too; every value of
    # lo..hi occurs.
    y, x = np.mgrid[0:rows, 0:cols]
    out = []
    for f in range(frames):
        t = (x + y * 0.5 + f * 3 + seed) / (cols + rows * 0.5 + 6 + seed)
        out.append(np.round(lo + t * (hi - lo)).astype(np.int64))
    return np.array(out)


def finish(ds, frames, bits, stored, arr, ts):
    ds.Rows, ds.Columns = arr.shape[1], arr.shape[2]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits, stored, stored - 1
    if frames > 1:
        ds.NumberOfFrames = frames
    dtype = '<u2' if bits == 16 else 'u1'
    raw = arr.astype(dtype).tobytes()
    ds.PixelData = raw + b'\0' * (len(raw) % 2)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ts
    meta.ImplementationClassUID = ROOT + '.9'
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = ts == ImplicitVRLittleEndian


def lookup(arr, ds):
    """C.7.6.3.1.5 by hand from the file's tables, read back by pydicom:
    pydicom 2.3.1's apply_color_lut indexes 8-bit tables with uint8, so it
    wraps for tables of more than 256 entries."""
    entries, first, _ = ds.RedPaletteColorLookupTableDescriptor
    entries = entries or 65536
    index = np.clip(arr.astype(np.int64) - first, 0, entries - 1)
    out = []
    for name in ('Red', 'Green', 'Blue'):
        data = getattr(ds, name + 'PaletteColorLookupTableData')
        table = np.frombuffer(data, dtype=np.uint8)[:entries]
        out.append(table[index])
    return np.stack(out, axis=-1)


def expected(path):
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    if int(ds.get('NumberOfFrames', 1)) == 1:
        arr = arr[np.newaxis]
    desc = ds.RedPaletteColorLookupTableDescriptor
    if desc[2] == 8 and (desc[0] or 65536) > 256:
        return ds, lookup(arr, ds)
    rgb = apply_color_lut(arr, ds)
    if rgb.dtype == np.uint16:
        depth = ds.RedPaletteColorLookupTableDescriptor[2]
        rgb = np.round(rgb / 257.0) if depth == 16 else np.minimum(rgb, 255)
    return ds, rgb.astype(np.uint8)


def cases():
    for n in (1, 2):
        ds = base('US', US_SOP, 1, n)
        plain_tables(ds, 256, 0, 16)
        yield ds, 1, 8, 8, pixels(48, 64, 1, 0, 255, n), ExplicitVRLittleEndian
    ds = base('NM', NM_SOP, 2, 1)
    plain_tables(ds, 1024, 100, 8)
    yield ds, 2, 16, 12, pixels(40, 56, 2, 0, 1300, 5), ImplicitVRLittleEndian
    ds = base('OT', SC_SOP, 3, 1)
    segmented_tables(ds)
    yield ds, 1, 8, 8, pixels(32, 40, 1, 0, 255, 9), ExplicitVRLittleEndian


def main(out):
    os.makedirs(os.path.join(out, 'src'), exist_ok=True)
    os.makedirs(os.path.join(out, 'rgb'), exist_ok=True)
    manifest = []
    for k, (ds, frames, bits, stored, arr, ts) in enumerate(cases()):
        finish(ds, frames, bits, stored, arr, ts)
        path = os.path.join(out, 'src', 'PAL%02d.dcm' % (k + 1))
        ds.save_as(path, write_like_original=False)
        ds, rgb = expected(path)
        npy = os.path.join(out, 'rgb', ds.SOPInstanceUID + '.npy')
        np.save(npy, rgb)
        manifest.append({'file': path, 'sop': ds.SOPInstanceUID,
                         'series': int(ds.SeriesNumber),
                         'modality': ds.Modality, 'rows': int(ds.Rows),
                         'columns': int(ds.Columns), 'frames': frames,
                         'segmented': 'SegmentedRedPaletteColorLookupTableData' in ds,
                         'rgb': npy})
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
