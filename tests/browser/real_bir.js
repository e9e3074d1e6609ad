/* real_bir.js - the IHE Basic Image Review functions on REAL pdiburn
 * output, judged against the DICOM files on the medium (read by DCMTK's
 * dcmdump) and mkstudy's manifest, not against the viewer's own index:
 * orientation letters from Image Orientation (Patient) or Patient
 * Orientation, a patient name with component groups shown as INDEX.HTM
 * shows it, angles from the file's Pixel Spacing, and comparison whose
 * linked scrolling picks the slice nearest in position, only within one
 * Frame of Reference. Used by real.test.js; t is its context. */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

// Attribute values of a DICOM file as strings (backslash-separated values
// split), read by dcmdump.
function dicomText(t, file, names) {
  const args = ['-q'];
  names.forEach((n) => args.push('+P', n));
  const out = execFileSync(t.DCMDUMP, args.concat([file]), { encoding: 'latin1' });
  const r = {};
  for (const line of out.split('\n')) {
    const m = /^\(\w{4},\w{4}\) \w\w \[([^\]]*)\][^#]*#\s*\d+,\s*\d+\s+(\w+)/.exec(line);
    if (m) r[m[2]] = m[1].split('\\');
  }
  return r;
}

const AXES = [['L', 'R'], ['P', 'A'], ['H', 'F']];
const OPPOSITE = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };

// The letter of an axis-aligned direction (one non-zero component), or
// null: this test only states what is certain without a tolerance.
function axisLetter(v) {
  const nz = v.map((x, i) => [x, i]).filter(([x]) => x !== 0);
  return nz.length === 1 ? AXES[nz[0][1]][nz[0][0] > 0 ? 0 : 1] : null;
}

function expectedLetters(a) {
  if (a.ImageOrientationPatient) {
    const o = a.ImageOrientationPatient.map(Number), row = o.slice(0, 3), col = o.slice(3);
    const neg = (v) => v.map((x) => -x);
    const r = { right: axisLetter(row), left: axisLetter(neg(row)), bottom: axisLetter(col), top: axisLetter(neg(col)) };
    return r.right && r.bottom ? r : null;
  }
  const po = a.PatientOrientation;
  if (po && po.length === 2 && po.every((x) => x.length === 1 && OPPOSITE[x]))
    return { right: po[0], bottom: po[1], left: OPPOSITE[po[0]], top: OPPOSITE[po[1]] };
  return null;
}

async function checkOrientation(t) {
  const { page, si, check, expect } = t;
  await check('orientation letters from the file\'s Image Orientation / Patient Orientation (dcmdump)', async () => {
    const notes = [];
    for (const mod of ['CT', 'MR', 'CR']) {
      const s = si.series.find((x) => x.series.modality === mod);
      if (!s) continue;
      const file = path.join(t.MEDIA, s.series.images[0].file);
      const want = expectedLetters(dicomText(t, file, ['ImageOrientationPatient', 'PatientOrientation']));
      if (!want) continue;
      await t.show(page, s.key, 0);
      const o = await page.evaluate(() => PDV.test.orientation());
      for (const side of ['left', 'right', 'top', 'bottom']) {
        expect(o[side] && o[side].text === want[side], s.key + ' ' + mod + ' ' + side + ': "' +
          (o[side] && o[side].text) + '", the file says "' + want[side] + '"');
      }
      expect(o.right.x > o.width - 40 && o.bottom.y > o.height - 40, s.key + ': letters not at the edges');
      notes.push(mod + ' ' + want.left + want.right + want.top + want.bottom);
    }
    expect(notes.length >= 2, 'fewer than two series with an orientation: ' + notes.join(', '));
    await t.shot(page, 'orientation');
    return notes.join(', ');
  });
}

// As lib/dicom/text.c puts names on pages, written again here.
function personName(pn) {
  const group = (g) => {
    const p = g.split('^'), rest = p.slice(1).filter(Boolean);
    return p[0] + (rest.length ? (p[0] ? ', ' : '') + rest.join(' ') : '');
  };
  const groups = pn.split('='), first = group(groups[0]);
  const extra = groups.slice(1).filter(Boolean).map(group);
  return extra.length ? first + (first ? ' (' : '(') + extra.join('; ') + ')' : first;
}

async function checkName(t) {
  const { page, si, man, check, expect, Skip } = t;
  await check('a name with component groups reads as on INDEX.HTM', async () => {
    const e = man.inst.find((x) => x.patient_name.indexOf('=') >= 0 && x.kind === 'image');
    if (!e) throw new Skip('no such name in the manifest');
    const s = si.series.find((x) => x.series.uid === e.series_uid);
    const want = personName(e.patient_name);
    await t.show(page, s.key, 0);
    const shown = await page.evaluate(() => document.querySelector('.pdv-name').textContent);
    const htm = fs.readFileSync(path.join(t.MEDIA, 'INDEX.HTM'), 'utf8');
    expect(shown === want, 'banner "' + shown + '", expected "' + want + '"');
    expect(htm.indexOf(want) >= 0, 'INDEX.HTM does not say "' + want + '"');
    return shown;
  });
}

async function checkAngle(t) {
  const { page, si, check, expect } = t;
  await check('angle in degrees from the file\'s Pixel Spacing', async () => {
    const s = si.series.find((x) => x.series.modality === 'MR') || si.series.find((x) => x.series.modality === 'CT');
    const ps = dicomText(t, path.join(t.MEDIA, s.series.images[0].file), ['PixelSpacing']).PixelSpacing.map(Number);
    // Vertex (110, 100); rays to (10, 100) and (10, 0): atan(row spacing / column spacing).
    const want = Math.atan2(ps[0], ps[1]) * 180 / Math.PI;
    await t.show(page, s.key, 0);
    const r = await page.evaluate(() => PDV.test.angle(10, 100, 110, 100, 10, 0));
    expect(Math.abs(r.degrees - want) < 1e-6, r.degrees + ' degrees, expected ' + want);
    expect(r.shown.indexOf(want.toFixed(1) + '\u00b0') >= 0, 'status "' + r.shown + '"');
    return r.shown + ' (spacing ' + ps.join('\\') + ')';
  });
}

// Position of every image of a series along the normal of `normal`.
function depths(t, s, normal) {
  return s.series.images.map((im) => {
    const p = dicomText(t, path.join(t.MEDIA, im.file), ['ImagePositionPatient']).ImagePositionPatient.map(Number);
    return p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
  });
}

function geometry(t, s) {
  const a = dicomText(t, path.join(t.MEDIA, s.series.images[0].file), ['FrameOfReferenceUID', 'ImageOrientationPatient']);
  const o = (a.ImageOrientationPatient || []).map(Number);
  const n = o.length === 6 ? [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]] : null;
  return { for: (a.FrameOfReferenceUID || [''])[0], iop: o.join('\\'), normal: n };
}

function nearestIndex(zf, z) {
  return zf.reduce((best, x, j) => (Math.abs(x - z) < Math.abs(zf[best] - z) ? j : best), 0);
}

// Two series of one frame of reference and orientation, both with more
// than one image, whose linked positions differ most (series that do not
// overlap would all map to one slice), and a series of another frame.
function pickPair(t) {
  const g = t.si.series.filter((s) => s.series.images.length > 1).map((s) => ({ s, g: geometry(t, s) }))
    .filter((x) => x.g.for && x.g.normal);
  let best = null;
  for (const a of g) {
    for (const b of g.filter((x) => x !== a && x.g.for === a.g.for && x.g.iop === a.g.iop)) {
      a.z = a.z || depths(t, a.s, a.g.normal);
      b.z = b.z || depths(t, b.s, a.g.normal);
      const map = a.z.map((z) => nearestIndex(b.z, z)), distinct = new Set(map).size;
      if (!best || distinct > best.distinct) best = { lead: a, follow: b, map, distinct };
    }
  }
  if (best) best.other = g.find((x) => x.g.for !== best.lead.g.for);
  return best;
}

async function checkCompare(t) {
  const { page, check, expect, Skip } = t;
  await check('comparison: linked scrolling goes to the nearest slice (dcmdump positions), one frame only', async () => {
    const pair = pickPair(t);
    if (!pair) throw new Skip('no two series in one frame of reference');
    await page.evaluate(() => PDV.test.compare(true));
    await page.evaluate((k) => PDV.test.showIn(1, k, 0), pair.follow.s.key);
    for (let i = 0; i < pair.map.length; i++) {
      await page.evaluate(([k, x]) => PDV.test.showIn(0, k, x), [pair.lead.s.key, i]);
      const st = await page.evaluate(() => PDV.test.state());
      expect(st.viewports[1].index === pair.map[i], pair.lead.s.key + '[' + i + '] -> ' + pair.follow.s.key +
        '[' + st.viewports[1].index + '], nearest is [' + pair.map[i] + ']');
    }
    await t.shot(page, 'compare');
    if (pair.other) {
      await page.evaluate((k) => PDV.test.showIn(1, k, 0), pair.other.s.key);
      await page.evaluate(([k, x]) => PDV.test.showIn(0, k, x), [pair.lead.s.key, pair.map.length - 1]);
      const st = await page.evaluate(() => PDV.test.state());
      expect(st.viewports[1].index === 0, 'a series of another frame of reference followed to ' + st.viewports[1].index);
    }
    await page.evaluate(() => PDV.test.compare(false));
    return pair.lead.s.key + ' and ' + pair.follow.s.key + ' (' + pair.distinct + ' distinct slices linked)' +
      (pair.other ? ', ' + pair.other.s.key + ' not linked' : '');
  });
}

async function checkAll(t) {
  await checkOrientation(t);
  await checkName(t);
  await checkAngle(t);
  await checkCompare(t);
}

module.exports = { checkAll, personName, dicomText };
