#!/usr/bin/python3
"""viewer_fixture.py - writes a synthetic patient medium in the layout the
pdiburn writer produces (viewer-bundle/PROTOCOL.md), every name in upper
case: INDEX.HTM with the static study list, VIEWER/ (bundle files of
FILES.txt), VIEWER/DATA/ with STUDY.JS, tag files and pixel chunks ("med16"/"rgb8", or "jpeg" with
--lite), a report, and a DICOM File-set with DICOMDIR for "Open DICOM
folder". Beside the medium it writes expected.json and raw frames, the
facts the browser tests check the viewer against.

Usage: viewer_fixture.py OUT [--big] [--lite] [--no-dicom] [--bundle DIR]
  OUT/media/...        the medium (open OUT/media/INDEX.HTM)
  OUT/expected.json    facts for tests/browser/viewer.test.js
  OUT/expected/*.raw   stored values of some frames, int16/uint16 LE
"""

import argparse
import base64
import datetime
import html
import io
import json
import os
import shutil
import sys
import zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE = os.path.normpath(os.path.join(HERE, '..', '..', 'viewer-bundle'))
CHUNK_BUDGET = 4 * 1024 * 1024  # PROTOCOL.md: chunk files are 2-8 MB
FIRST_BUDGET = 1024 * 1024      # ... except a small first chunk of the first series


# --- pixel codecs (PROTOCOL.md) -------------------------------------------

def med_predict(x):
    """JPEG-LS median edge predictor on integer values (int64 array)."""
    p = np.zeros_like(x)
    a = x[:, :-1]
    p[0, 1:] = x[0, :-1]            # first row: left
    p[1:, 0] = x[:-1, 0]            # first column: above
    a = x[1:, :-1]
    b = x[:-1, 1:]
    c = x[:-1, :-1]
    mx = np.maximum(a, b)
    mn = np.minimum(a, b)
    p[1:, 1:] = np.where(c >= mx, mn, np.where(c <= mn, mx, a + b - c))
    return p


def encode_med16(values):
    x = values.astype(np.int64)
    r = (x - med_predict(x)) % 65536
    s = np.where(r >= 32768, r - 65536, r)
    z = np.where(s >= 0, 2 * s, -2 * s - 1).astype(np.uint16).ravel()
    planes = (z & 255).astype(np.uint8).tobytes() + (z >> 8).astype(np.uint8).tobytes()
    return base64.b64encode(zlib.compress(planes, 6)).decode('ascii')


def encode_rgb8(rgb):
    out = b''
    for ch in range(3):
        x = rgb[:, :, ch].astype(np.int64)
        out += ((x - med_predict(x)) % 256).astype(np.uint8).tobytes()
    return base64.b64encode(zlib.compress(out, 6)).decode('ascii')


def voi(x, c, w):
    """PROTOCOL.md window formula, vectorised."""
    x = np.asarray(x, dtype=np.float64)
    if w <= 1:
        return np.where(x <= c - 0.5, 0, 255).astype(np.uint8)
    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255
    return np.floor(np.clip(y, 0, 255) + 0.5).astype(np.uint8)


def encode_jpeg(pixels8, quality=90):
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(pixels8).save(buf, 'JPEG', quality=quality)
    return base64.b64encode(buf.getvalue()).decode('ascii')


def thumb_jpeg(pixels8):
    from PIL import Image
    im = Image.fromarray(pixels8)
    im.thumbnail((64, 64))
    buf = io.BytesIO()
    im.save(buf, 'JPEG', quality=80)
    return 'data:image/jpeg;base64,' + base64.b64encode(buf.getvalue()).decode('ascii')


# --- synthetic images ------------------------------------------------------------

def noise(shape, z, amp):
    """Seeded noise in [-amp, amp] (same for the same z), so compression and
    decode times resemble real CT; exact values go to expected/*.raw."""
    return np.random.default_rng(1000 + z).integers(-amp, amp + 1, size=shape)


def ct_slice(z, n=512):
    """Stored values (HU + 1024) of a body phantom; -2000 outside the FOV."""
    col, row = np.meshgrid(np.arange(n), np.arange(n))
    r = np.hypot(col - 255.5, row - 255.5)
    hu = np.full((n, n), -1000, dtype=np.int64)
    body = r < 200
    hu[body] = (col[body] + 2 * row[body] + 3 * z) % 200 - 100
    hu[(r >= 170) & (r < 200)] = 700 + (z % 50)
    lung = (np.hypot((col - 180) / 50.0, (row - 240) / 90.0) < 1) | \
           (np.hypot((col - 330) / 50.0, (row - 240) / 90.0) < 1)
    hu[lung] = -800
    hu = hu + noise(hu.shape, z, 20)
    stored = hu + 1024
    stored[r > 250] = -2000
    return stored.astype(np.int16)


def mr_slice(z, n=256):
    col, row = np.meshgrid(np.arange(n), np.arange(n))
    v = (col * 8 + row * 4 + z * 50) % 4096
    return v.astype(np.uint16)


def rgb_frame(f, rows=120, cols=160):
    col, row = np.meshgrid(np.arange(cols), np.arange(rows))
    img = np.zeros((rows, cols, 3), dtype=np.uint8)
    img[:, :, 0] = col * 255 // (cols - 1)
    img[:, :, 1] = row * 2
    img[:, :, 2] = (f * 30 + col) % 256
    return img


def cr_image(rows=300, cols=240):
    col, row = np.meshgrid(np.arange(cols), np.arange(rows))
    return ((row * 13 + col * 7) % 4096).astype(np.uint16)


def tiny_image(n=32):
    """A one-pixel checkerboard of 0 and 1000: any smoothing of the
    magnified image shows as gray levels between black and white."""
    col, row = np.meshgrid(np.arange(n), np.arange(n))
    return (((col + row) % 2) * 1000).astype(np.uint16)


# An oblique axial plane, 30 degrees about the feet-head axis: rows run to
# the patient's left and anterior, columns to posterior and left.
OBLIQUE = [0.8660254, -0.5, 0.0, 0.5, 0.8660254, 0.0]


# --- the study plan ------------------------------------------------------------------

def uid(*parts):
    return '1.2.826.0.1.3680043.10.1234.' + '.'.join(str(p) for p in parts)


def plan(big):
    ct_n = 300 if big else 40
    p1 = dict(name='Müller^Jürgen', id='PID001', birthDate='19600101', sex='M')
    p2 = dict(name='Yamada^Tarou=山田^太郎=やまだ^たろう', id='PID002', birthDate='19851224', sex='F')
    studies = [
        dict(patient=p1, uid=uid(1), date='20240102', time='101500', description='CT CHEST',
             accession='A123', id='S1', series=[
                 dict(kind='ct', number=2, modality='CT', description='AXIAL 1mm', frames=ct_n),
                 dict(kind='ct5', number=3, modality='CT', description='AXIAL 5mm', frames=8)],
             report=True),
        dict(patient=p1, uid=uid(2), date='20230510', time='083000', description='MR KNEE LEFT',
             accession='A124', id='S2', series=[
                 dict(kind='mr', number=3, modality='MR', description='T1 SAG', frames=20)]),
        dict(patient=p1, uid=uid(3), date='20230601', time='140000', description='US HEART',
             accession='A125', id='S3', series=[
                 dict(kind='rgb', number=1, modality='US', description='CINE LOOP', frames=8)]),
        dict(patient=p1, uid=uid(5), date='20230701', time='110000', description='NM THYROID',
             accession='A126', id='S5', series=[
                 dict(kind='tiny', number=1, modality='NM', description='TINY 32', frames=1)]),
        dict(patient=p2, uid=uid(4), date='20220301', time='090000', description='CHEST PA',
             accession='A200', id='S4', series=[
                 dict(kind='cr', number=1, modality='CR', description='PA', frames=1)]),
        dict(patient=p2, uid=uid(6), date='20220302', time='100000', description='REPORT ONLY',
             accession='A201', id='S6', series=[], report=True),
    ]
    return studies


def image_entries(se, study_uid, series_uid):
    k = se['kind']
    base = dict(frames=1, frame=0, lossy=False, position=None, orientation=None,
                patientOrientation=None, laterality='',
                sliceThickness=None, window=[], rescaleType='', slope=1, intercept=0)
    out = []
    for i in range(se['frames']):
        e = dict(base)
        e['sop'] = '%s.9.%d' % (series_uid, 1 if k == 'rgb' else i + 1)
        e['instance'] = i + 1
        if k in ('ct', 'ct5'):
            step = 5.0 if k == 'ct5' else 1.0
            e.update(rows=512, columns=512, photometric='MONOCHROME2', bitsStored=16, signed=True,
                     slope=1, intercept=-1024, rescaleType='HU', window=[[40, 400], [-600, 1500]],
                     pixelSpacing=[0.5, 0.5], spacingSource='PixelSpacing',
                     position=[-128.0, -128.0, -100.0 + step * i], orientation=[1, 0, 0, 0, 1, 0],
                     sliceThickness=step)
        elif k == 'mr':
            e.update(rows=256, columns=256, photometric='MONOCHROME2', bitsStored=12, signed=False,
                     pixelSpacing=[0.8, 0.6], spacingSource='PixelSpacing',
                     position=[0.0, -100.0, -100.0 + 4 * i], orientation=[0, 1, 0, 0, 0, -1],
                     sliceThickness=3.0)
        elif k == 'rgb':
            e.update(rows=120, columns=160, photometric='RGB', bitsStored=8, signed=False,
                     pixelSpacing=None, spacingSource='', instance=1, frame=i, frames=se['frames'])
        elif k == 'tiny':
            e.update(rows=32, columns=32, photometric='MONOCHROME2', bitsStored=16, signed=False,
                     window=[[500, 1000]], pixelSpacing=None, spacingSource='',
                     position=[0.0, 0.0, 0.0], orientation=OBLIQUE)
        else:
            e.update(rows=300, columns=240, photometric='MONOCHROME1', bitsStored=12, signed=False,
                     window=[[2048, 4096]], pixelSpacing=[0.15, 0.15],
                     spacingSource='ImagerPixelSpacing', patientOrientation=['L', 'F'], lossy=True)
        out.append(e)
    return out


def pixels(kind, i):
    return {'ct': ct_slice, 'ct5': lambda z: ct_slice(5 * z), 'mr': mr_slice, 'rgb': rgb_frame,
            'cr': lambda z: cr_image(), 'tiny': lambda z: tiny_image()}[kind](i)


# --- DICOM File-set ------------------------------------------------------------------

SOP = {'ct': '1.2.840.10008.5.1.4.1.1.2', 'ct5': '1.2.840.10008.5.1.4.1.1.2',
       'mr': '1.2.840.10008.5.1.4.1.1.4', 'rgb': '1.2.840.10008.5.1.4.1.1.3.1',
       'cr': '1.2.840.10008.5.1.4.1.1.1', 'tiny': '1.2.840.10008.5.1.4.1.1.20'}


def dataset(study, se, series_uid, ims, frame_pixels):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
    im = ims[0]
    p = study['patient']
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ts = ImplicitVRLittleEndian if se['kind'] == 'mr' else ExplicitVRLittleEndian
    ds.file_meta.TransferSyntaxUID = ts
    ds.file_meta.MediaStorageSOPClassUID = SOP[se['kind']]
    ds.file_meta.MediaStorageSOPInstanceUID = im['sop']
    ds.SpecificCharacterSet = 'ISO_IR 192'
    ds.SOPClassUID = SOP[se['kind']]
    ds.SOPInstanceUID = im['sop']
    ds.PatientName = p['name']
    ds.PatientID = p['id']
    ds.PatientBirthDate = p['birthDate']
    ds.PatientSex = p['sex']
    ds.StudyInstanceUID = study['uid']
    ds.StudyDate = study['date']
    ds.StudyTime = study['time']
    ds.StudyDescription = study['description']
    ds.AccessionNumber = study['accession']
    ds.StudyID = study['id']
    ds.ReferringPhysicianName = ''
    ds.SeriesInstanceUID = series_uid
    ds.SeriesNumber = se['number']
    ds.SeriesDescription = se['description']
    ds.Modality = se['modality']
    ds.InstanceNumber = im['instance']
    ds.Rows = im['rows']
    ds.Columns = im['columns']
    if se['kind'] == 'rgb':
        ds.SamplesPerPixel = 3
        ds.PhotometricInterpretation = 'RGB'
        ds.PlanarConfiguration = 0
        ds.BitsAllocated = 8
        ds.BitsStored = 8
        ds.HighBit = 7
        ds.PixelRepresentation = 0
        ds.NumberOfFrames = len(ims)
        ds.PixelData = b''.join(f.tobytes() for f in frame_pixels)
    else:
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = im['photometric']
        ds.BitsAllocated = 16
        ds.BitsStored = im['bitsStored']
        ds.HighBit = im['bitsStored'] - 1
        ds.PixelRepresentation = 1 if im['signed'] else 0
        ds.PixelData = frame_pixels[0].astype('<i2' if im['signed'] else '<u2').tobytes()
    if im['spacingSource'] == 'PixelSpacing':
        ds.PixelSpacing = im['pixelSpacing']
    elif im['spacingSource'] == 'ImagerPixelSpacing':
        ds.ImagerPixelSpacing = im['pixelSpacing']
    if im['window']:
        ds.WindowCenter = [w[0] for w in im['window']]
        ds.WindowWidth = [w[1] for w in im['window']]
    if se['kind'] in ('ct', 'ct5'):
        ds.RescaleIntercept = im['intercept']
        ds.RescaleSlope = im['slope']
        ds.RescaleType = 'HU'
    if im['orientation']:
        ds.ImagePositionPatient = im['position']
        ds.ImageOrientationPatient = im['orientation']
        ds.FrameOfReferenceUID = se['for']
        if im['sliceThickness']:
            ds.SliceThickness = im['sliceThickness']
    if im['patientOrientation']:
        ds.PatientOrientation = im['patientOrientation']
    if im['lossy']:
        ds.LossyImageCompression = '01'

    ds.is_little_endian = True
    ds.is_implicit_VR = ts == ImplicitVRLittleEndian
    return ds


def tag_rows(ds):
    rows = []
    for el in ds:
        if el.tag == 0x7FE00010:
            val = '(%d bytes)' % len(el.value)
        elif el.VR == 'SQ':
            val = '(sequence, %d items)' % len(el.value)
        else:
            val = str(el.value)
            if len(val) > 64:
                val = val[:61] + '...'
        rows.append(['(%04X,%04X)' % (el.tag.group, el.tag.element), el.name, el.VR, val])
    return rows


# --- writers ----------------------------------------------------------------------------

def js_call(fn, obj):
    return 'PDV.%s(%s);\n' % (fn, json.dumps(obj, ensure_ascii=False, separators=(',', ':')))


def write(path, text, mode='w'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode, encoding=None if 'b' in mode else 'utf-8') as f:
        f.write(text)


def default_window8(im, kind, frame):
    if im['window']:
        return im['window'][0]
    if kind == 'ct':
        return [40, 400]
    lo, hi = float(frame.min()), float(frame.max())
    w = hi - lo + 1
    return [lo + w / 2, w]


def lite_pixels(im, kind, frame):
    """8-bit display values for payload "lite": windowed, MONOCHROME1 inverted."""
    if kind == 'rgb':
        return frame
    c, w = default_window8(im, kind, frame)
    x = frame.astype(np.float64)
    if kind not in ('mr', 'tiny'):
        x = x * im['slope'] + im['intercept']
    y = voi(x, c, w)
    return 255 - y if im['photometric'] == 'MONOCHROME1' else y


def encode_frame(kind, im, frame, lite):
    if lite:
        return encode_jpeg(lite_pixels(im, kind, frame))
    if kind == 'rgb':
        return encode_rgb8(frame)
    return encode_med16(frame)


def split_chunks(encoded, first_budget):
    """Display-order split of base64 strings into chunks under the budget."""
    chunks, cur, size = [], [], 0
    for s in encoded:
        budget = first_budget if not chunks else CHUNK_BUDGET
        if cur and size + len(s) > budget:
            chunks.append(cur)
            cur, size = [], 0
        cur.append(s)
        size += len(s)
    if cur:
        chunks.append(cur)
    return chunks


def build_series(out, key, study, se, lite, with_dicom, fileset, expected_dir, first):
    study_no = study['uid'].split('.')[-1]
    series_uid = uid(study_no, se['number'])
    # The two CT series of a study share one frame of reference (the viewer
    # links their scrolling); every other series has its own.
    se['for'] = uid(study_no, 99) if se['kind'] in ('ct', 'ct5') else uid(study_no, 98, se['number'])
    ims = image_entries(se, study['uid'], series_uid)
    frames = [pixels(se['kind'], i) for i in range(se['frames'])]
    encoded = [encode_frame(se['kind'], im, f, lite) for im, f in zip(ims, frames)]
    chunks = split_chunks(encoded, FIRST_BUDGET if first else CHUNK_BUDGET)
    names, slot = [], 0
    for ci, ch in enumerate(chunks):
        name = '%s/C%04d.JS' % (key.upper(), ci + 1)
        names.append(name)
        write(os.path.join(out, 'VIEWER', 'DATA', name),
              js_call('chunk', dict(series=key, chunk=ci, pixels=ch)))
        for si in range(len(ch)):
            ims[slot].update(chunk=ci, slot=si)
            slot += 1
    datasets = []
    if se['kind'] == 'rgb':
        datasets.append(dataset(study, se, series_uid, ims, frames))
    else:
        datasets = [dataset(study, se, series_uid, [im], [f]) for im, f in zip(ims, frames)]
    tags = [tag_rows(datasets[0 if se['kind'] == 'rgb' else i]) for i in range(len(ims))]
    write(os.path.join(out, 'VIEWER', 'DATA', key.upper(), 'T.JS'), js_call('tags', dict(series=key, images=tags)))
    for im in ims:
        im['file'] = ''  # filled by fix_file_ids() once the File-set is written
    if with_dicom:
        for ds in datasets:
            fileset.add(ds)
    thumb = ''
    if se['kind'] == 'ct':
        thumb = thumb_jpeg(lite_pixels(ims[0], 'ct', frames[0]))
    codec = 'jpeg' if lite else ('rgb8' if se['kind'] == 'rgb' else 'med16')
    for im in ims:
        im['lossy'] = im['lossy'] or bool(lite)
    obj = dict(key=key, codec=codec, uid=series_uid, number=se['number'], modality=se['modality'],
               description=se['description'], thumb=thumb, chunks=names, tags='%s/T.JS' % key.upper(),
               frameOfReference=se['for'] if ims[0]['orientation'] else '', images=ims)
    raw = []
    if se['kind'] in ('ct', 'ct5', 'mr', 'cr', 'tiny'):
        for i in sorted({0, len(frames) // 2, len(frames) - 1}):
            fn = '%s_%04d.raw' % (key, i)
            frames[i].astype('<i2' if ims[i]['signed'] else '<u2').tofile(os.path.join(expected_dir, fn))
            raw.append(dict(index=i, file='expected/' + fn, signed=ims[i]['signed'],
                            rows=ims[i]['rows'], columns=ims[i]['columns']))
    return obj, frames, raw


def static_html(index, reports):
    esc = html.escape
    parts = ['<div id="pdv-static">',
             '<h1>Medical images</h1>',
             '<p>This medium holds DICOM images. The viewer starts in this page when JavaScript '
             'is enabled. Without it, see the list below and <a href="README.TXT">README.TXT</a>.</p>']
    for p in index['patients']:
        name = person_name(p['name'])
        parts.append('<h2>Patient: %s (ID %s), born %s, sex %s</h2>' % (
            esc(name), esc(p['id']), esc(fmt_date(p['birthDate'])), esc(p['sex'])))
        parts.append('<table border="1"><tr><th>Date</th><th>Study</th><th>Modalities</th>'
                     '<th>Series</th><th>Images</th><th>Reports</th></tr>')
        for s in p['studies']:
            n = sum(len(se['images']) for se in s['series'])
            reps = ' '.join('<a href="%s">%s</a>' % (esc(r['href']), esc(r['title'])) for r in s['reports'])
            parts.append('<tr><td>%s</td><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%s</td></tr>' % (
                esc(fmt_date(s['date'])), esc(s['description']), esc(s['modalities']),
                len(s['series']), n, reps or '-'))
        parts.append('</table>')
    parts.append('</div>')
    return '\n'.join(parts)


def person_name(pn):
    """As lib/dicom/text.c writes names on pages: "Family, Given" per
    component group, the other groups in parentheses."""
    def group(g):
        parts = g.split('^')
        rest = [x for x in parts[1:] if x]
        return parts[0] + ((', ' if parts[0] else '') + ' '.join(rest) if rest else '')
    groups = pn.split('=')
    extra = [group(g) for g in groups[1:] if g]
    first = group(groups[0])
    if not extra:
        return first
    return first + (' (' if first else '(') + '; '.join(extra) + ')'


def fmt_date(d):
    return '%s-%s-%s' % (d[:4], d[4:6], d[6:]) if len(d) == 8 else d


def index_htm(index, reports):
    return ('<!DOCTYPE html>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">\n'
            '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
            '<title>Medical images</title>\n</head>\n<body>\n'
            + static_html(index, reports) +
            '\n<div id="pdv-app"></div>\n'
            '<script type="text/javascript" src="VIEWER/VIEWER.JS"></script>\n'
            '</body>\n</html>\n')


def report_htm(study):
    return ('<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">\n'
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
            '<title>Report</title></head>\n<body><h1>Report: %s</h1>\n'
            '<p>Findings: synthetic test study. No abnormality.</p></body></html>\n'
            % html.escape(study['description']))


def copy_bundle(bundle, out):
    names = [l.strip() for l in open(os.path.join(bundle, 'FILES.txt')) if l.strip()]
    for n in names:
        shutil.copyfile(os.path.join(bundle, n), os.path.join(out, 'VIEWER', n.upper()))
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('out')
    ap.add_argument('--big', action='store_true', help='300-slice CT series')
    ap.add_argument('--lite', action='store_true', help='payload "lite" (JPEG, lossy)')
    ap.add_argument('--no-dicom', action='store_true', help='skip the DICOM File-set')
    ap.add_argument('--bundle', default=BUNDLE)
    a = ap.parse_args()

    media = os.path.join(a.out, 'media')
    expected_dir = os.path.join(a.out, 'expected')
    if os.path.exists(media):
        shutil.rmtree(media)
    os.makedirs(os.path.join(media, 'VIEWER', 'DATA'))
    os.makedirs(expected_dir, exist_ok=True)
    copy_bundle(a.bundle, media)

    fileset = None
    if not a.no_dicom:
        from pydicom.fileset import FileSet
        fileset = FileSet()

    patients, expected_series, raws, reports = {}, [], [], []
    n = 0
    for st in plan(a.big):
        pkey = st['patient']['id']
        if pkey not in patients:
            patients[pkey] = dict(st['patient'], studies=[])
        sobj = dict(uid=st['uid'], date=st['date'], time=st['time'], description=st['description'],
                    accession=st['accession'], id=st['id'], modalities='', reports=[], series=[])
        if st.get('report'):
            href = 'REPORTS/R%04d.HTM' % (len(reports) + 1)
            write(os.path.join(media, href), report_htm(st))
            sobj['reports'].append(dict(title='Radiology report', href=href, kind='htm'))
            reports.append(href)
        mods = []
        for se in st['series']:
            n += 1
            key = 's%04d' % n
            obj, frames, raw = build_series(media, key, st, se, a.lite, fileset is not None,
                                            fileset, expected_dir, n == 1)
            sobj['series'].append(obj)
            mods.append(se['modality'])
            raws += [dict(r, series=key) for r in raw]
            expected_series.append(dict(key=key, kind=se['kind'], modality=se['modality'],
                                        count=len(obj['images']),
                                        instances=[im['instance'] for im in obj['images']],
                                        description=se['description'], study=st['description']))
        sobj['modalities'] = '\\'.join(mods)
        patients[pkey]['studies'].append(sobj)

    # The lite medium plays disc 1 of 2, for the "Disc k of n" banner.
    volume = dict(label='PDIBURN_1', index=1, count=2 if a.lite else 1)
    index = dict(protocol=1, payload='lite' if a.lite else 'full',
                 created=datetime.date.today().isoformat(), creator='viewer_fixture.py',
                 institution='Fixture Hospital', volume=volume,
                 patients=list(patients.values()))
    if fileset is not None:
        fileset.write(media)
        fix_file_ids(index, fileset)
    write(os.path.join(media, 'VIEWER', 'DATA', 'STUDY.JS'), js_call('study', index))
    write(os.path.join(media, 'INDEX.HTM'), index_htm(index, reports))
    write(os.path.join(media, 'README.TXT'), 'Open INDEX.HTM in a web browser.\r\n')

    ct = expected_series[0]
    ct_im = index['patients'][0]['studies'][0]['series'][0]['images']
    mid = len(ct_im) // 2
    ct_frame = ct_slice(mid)
    samples = []
    for col, row in [(256, 256), (100, 300), (180, 240), (10, 10), (255, 70), (400, 380)]:
        s = int(ct_frame[row, col])
        samples.append(dict(col=col, row=row, stored=s, hu=s - 1024))
    key = {s['kind']: s['key'] for s in expected_series}
    exp = dict(
        media='media', payload=index['payload'], lossy=a.lite, volume=volume,
        first=dict(series='s0001', index=0, instance=1),
        patients=[dict(name=p['name'], id=p['id'], shown=person_name(p['name']))
                  for p in index['patients']],
        studies=[dict(description=s['description'], date=fmt_date(s['date']))
                 for p in index['patients'] for s in p['studies']],
        series=expected_series, raw=raws,
        ct=dict(series='s0001', index=mid, instance=ct_im[mid]['instance'], slope=1, intercept=-1024,
                pixelSpacing=[0.5, 0.5], window=[40, 400], samples=samples,
                formula='stored = HU + 1024, see ct_slice() in tests/tools/viewer_fixture.py'),
        measure=dict(series='s0001', index=mid, col1=100.0, row1=100.0, col2=400.0, row2=500.0,
                     mm=float(np.hypot(300 * 0.5, 400 * 0.5))),
        measure_mr=dict(series=key['mr'], index=0, col1=10.0, row1=20.0, col2=110.0, row2=120.0,
                        mm=float(np.hypot(100 * 0.6, 100 * 0.8))),
        mono1=dict(series=key['cr'], index=0, window=[2048, 4096], spacingSource='ImagerPixelSpacing'),
        rgb=dict(series=key['rgb'], frames=8, sample=dict(frame=3, col=50, row=40,
                                                       rgb=[int(v) for v in rgb_frame(3)[40, 50]])),
        dicom=fileset is not None, big=a.big, keys=key,
        # Letters at the image edges, worked out by hand from the fixture's
        # orientations (LPS: +x left, +y posterior, +z head).
        orientation={key['ct']: dict(left='R', right='L', top='A', bottom='P'),
                     key['mr']: dict(left='A', right='P', top='H', bottom='F'),
                     key['tiny']: dict(left='RP', right='LA', top='AR', bottom='PL'),
                     key['cr']: dict(left='R', right='L', top='H', bottom='F')},
        # z of slice i: -100 + i (1 mm series), -100 + 5 i (5 mm series).
        linked=dict(lead=key['ct'], follow=key['ct5'], pairs=[[0, 0], [7, 1], [13, 3], [22, 4], [39, 7]]),
        unlinked=key['mr'],
        # Vertex in the middle. With the MR's 0.8 x 0.6 mm pixels the rays are
        # (-60, 0) and (-60, -80) mm: 53.13 degrees (45 on the pixel grid).
        angle=dict(series=key['mr'], index=0, points=[[10, 100], [110, 100], [10, 0]],
                   degrees=float(np.degrees(np.arctan2(100 * 0.8, 100 * 0.6)))),
        tiny=dict(series=key['tiny'], window=[500, 1000]),
        lossy_original=key['cr'],
        report_only=dict(study='REPORT ONLY', href=reports[-1]))
    write(os.path.join(a.out, 'expected.json'), json.dumps(exp, indent=1, ensure_ascii=False))
    print('fixture written to %s (%d series, payload %s)' % (media, n, index['payload']))


def fix_file_ids(index, fileset):
    """Fill image 'file' from the File-set records (IDs are known after write)."""
    by_sop = {}
    for inst in fileset:
        v = inst.ReferencedFileID
        by_sop[inst.SOPInstanceUID] = v if isinstance(v, str) else '/'.join(v)
    for p in index['patients']:
        for s in p['studies']:
            for se in s['series']:
                for im in se['images']:
                    im['file'] = by_sop.get(im['sop'], '')


if __name__ == '__main__':
    sys.exit(main())
