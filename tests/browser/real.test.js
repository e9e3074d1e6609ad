#!/usr/bin/env node
/* real.test.js - the viewer on REAL pdiburn output, judged against the
 * generator's truth and DCMTK, not against pdiburn's own index:
 *
 *   MEDIA_DIR=media MANIFEST=studies/manifest.json [ARTIFACTS=dir]
 *   [PAYLOAD=full|lite] [LABEL=name] [PDV_TIMES=1] [BROWSER=chromium|firefox]
 *   [CHROMIUM=path] [FIREFOX=path] [DCMJ2PNM=path] [DCMDUMP=path] node real.test.js
 *
 * PAYLOAD, when given, must be the payload of the medium; PDV_TIMES=1
 * prefixes each result with the seconds since start. Exit 0 when every
 * check passed, 1 otherwise, 2 on bad usage.
 *
 * MEDIA_DIR is what `pdiburn dir` wrote (or an extracted `pdiburn iso`
 * image), MANIFEST the manifest.json of tests/tools/mkstudy.py whose
 * "archive" folder went onto the medium; its pixels/*.npy files hold the
 * exact stored values of every image.
 *
 * Opens MEDIA_DIR/INDEX.HTM from file:// in Debian's Chromium (or Firefox
 * ESR) and checks: no console errors and no request other than
 * file:/data:/blob:; the first image is drawn (time printed, the canvas
 * not uniform); every image of the manifest is in the viewer's index;
 * decoded stored values equal the .npy truth; gray levels at zoom 1 equal
 * `dcmj2pnm +Ww C W` of the DICOM file on the medium within +-1 (lite
 * payload: close to dcmj2pnm with the file's first window); HU at known
 * pixels from the .npy and the file's rescale (read by dcmdump); lengths
 * from the file's Pixel Spacing (dcmdump); series navigation shows the
 * instance with the generator's Instance Number and its pixels; with
 * JavaScript off the page names every patient (decoded Unicode) and study
 * date; the IHE Basic Image Review functions of real_bir.js (orientation
 * letters, a name with component groups, angles, linked comparison) against
 * dcmdump of the files. Firefox also: file:// pages are isolated from each other
 * (security.fileuri.strict_origin_policy, as a patient's Firefox has it)
 * and the request log sees a request the test makes (BiDi does not report
 * file: loads, so an empty log proves nothing alone); the HU readout under
 * the pointer is skipped. Screenshots and PGMs go to ARTIFACTS.
 * Used by tests/e2e/t090-viewer-browser.sh and t095-viewer-firefox.sh. */
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const vm = require('vm');
const { execFileSync } = require('child_process');
const pdv = require('./pdv');
const harness = require('./harness');
const realBir = require('./real_bir');

const MEDIA = path.resolve(process.argv[2] || process.env.MEDIA_DIR || '');
const MANIFEST = process.env.MANIFEST ? path.resolve(process.env.MANIFEST) : '';
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || './artifacts');
const PAYLOAD = process.env.PAYLOAD || '';
const LABEL = process.env.LABEL || path.basename(MEDIA);
const TIMEOUT = +(process.env.PDV_TIMEOUT || 60000);
const DCMJ2PNM = process.env.DCMJ2PNM || 'dcmj2pnm';
const DCMDUMP = process.env.DCMDUMP || 'dcmdump';
const BROWSER = process.env.BROWSER || 'chromium';

const { Skip, expect, withTimeout } = harness;
const { fail, check, finish } = harness.create(LABEL + ': ');

// Polls a condition of this process (not of the page) until it holds.
async function until(fn, ms, what) {
  for (const end = Date.now() + ms; !fn();) {
    if (Date.now() > end) throw new Error(what + ': timeout');
    await new Promise((r) => setTimeout(r, 50));
  }
}


// --- facts from outside the viewer ----------------------------------------------------

// NumPy .npy (version 1-3): magic, header length, a Python dict literal
// with descr/fortran_order/shape, then the raw C-order data.
function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(file + ': not .npy');
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const head = b.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(head)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(head)[1].split(',').filter((s) => s.trim()).map(Number);
  if (/'fortran_order':\s*True/.test(head)) throw new Error(file + ': Fortran order');
  const raw = b.subarray(start + hlen);
  const copy = new ArrayBuffer(raw.length);
  new Uint8Array(copy).set(raw);
  const types = { '<i2': Int16Array, '<u2': Uint16Array, '|u1': Uint8Array, '<u1': Uint8Array,
    '|i1': Int8Array, '<i4': Int32Array, '<u4': Uint32Array };
  if (!types[descr]) throw new Error(file + ': dtype ' + descr);
  return { shape, data: new types[descr](copy) };
}

// Frame `f` of an .npy array (frames, rows, cols[, 3]) as a flat array.
function npyFrame(npy, f) {
  const per = npy.shape.slice(1).reduce((a, b) => a * b, 1);
  return npy.data.subarray(f * per, (f + 1) * per);
}

// Selected attributes of a DICOM file, read by DCMTK's dcmdump.
function dicomAttrs(file, names) {
  const args = ['-q'];
  names.forEach((n) => args.push('+P', n));
  const out = execFileSync(DCMDUMP, args.concat([file]), { encoding: 'latin1' });
  const r = {};
  for (const line of out.split('\n')) {
    const m = /^\(\w{4},\w{4}\) \w\w \[([^\]]*)\][^#]*#\s*\d+,\s*\d+\s+(\w+)/.exec(line);
    if (m) r[m[2]] = m[1].split('\\').map(Number);
  }
  return r;
}

// DCMTK's rendering of a DICOM file with a given window (applied to the
// modality values, MONOCHROME1 inverted, as the DICOM pipeline says).
function dcmtkGray(file, c, w, out) {
  const win = c === null ? ['+Wi', '1'] : ['+Ww', String(c), String(w)];
  execFileSync(DCMJ2PNM, win.concat(['+op', file, out]), { stdio: ['ignore', 'ignore', 'pipe'] });
  return pdv.readPgm(out);
}

function loadStudyIndex(media) {
  let idx = null;
  const code = fs.readFileSync(path.join(media, 'VIEWER', 'DATA', 'STUDY.JS'), 'utf8');
  vm.runInNewContext(code, { PDV: { study: (x) => { idx = x; } } }, { timeout: 5000 });
  if (!idx) throw new Error('study.js did not call PDV.study');
  const series = [];
  for (const p of idx.patients) {
    for (const st of p.studies) {
      for (const se of st.series) series.push({ patient: p, study: st, series: se, key: se.key });
    }
  }
  return { idx, series };
}

function loadManifest(file) {
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  const inst = m.instances.filter((i) => i.folder === 'archive' && !i.duplicate_of);
  const bySop = new Map(inst.map((i) => [i.sop_instance_uid, i]));
  return { m, inst, bySop, dir: path.dirname(file) };
}

// Does `rel` exist below `root` with exactly this case?
function existsExact(root, rel) {
  let dir = root;
  for (const part of rel.split('/')) {
    if (!fs.readdirSync(dir).includes(part)) return false;
    dir = path.join(dir, part);
  }
  return true;
}

function fmtDate(d) {
  return /^\d{8}$/.test(d) ? d.slice(0, 4) + '-' + d.slice(4, 6) + '-' + d.slice(6) : d;
}

// --- page helpers ----------------------------------------------------------------------

async function show(page, key, index) {
  return withTimeout(page.evaluate(([k, i]) => PDV.test.showImage(k, i), [key, index]), TIMEOUT,
    'showImage ' + key + ' ' + index);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
}

// --- the checks ------------------------------------------------------------------------

function checkIndex(si, man) {
  return check('viewer index holds every image of the manifest, files exist', () => {
    const seen = new Map();
    for (const s of si.series) {
      for (const im of s.series.images) {
        const e = man.bySop.get(im.sop);
        expect(e, s.key + ': SOP ' + im.sop + ' not in the manifest');
        expect(existsExact(MEDIA, im.file), s.key + ': ' + im.file + ' missing (exact case)');
        expect(im.rows === e.rows && im.columns === e.columns, im.sop + ': size');
        seen.set(im.sop, (seen.get(im.sop) || 0) + 1);
      }
    }
    let n = 0;
    for (const e of man.inst) {
      if (e.kind !== 'image') continue;
      expect(seen.get(e.sop_instance_uid) === e.frames,
        e.path + ': ' + (seen.get(e.sop_instance_uid) || 0) + ' entries for ' + e.frames + ' frames');
      n++;
    }
    const studies = new Set(man.inst.map((e) => e.study_uid));
    const indexed = new Set(si.idx.patients.flatMap((p) => p.studies.map((s) => s.uid)));
    studies.forEach((u) => expect(indexed.has(u), 'study ' + u + ' missing'));
    if (PAYLOAD) expect(si.idx.payload === PAYLOAD, 'payload ' + si.idx.payload + ', expected ' + PAYLOAD);
    return n + ' instances, ' + studies.size + ' studies, payload ' + si.idx.payload;
  });
}

// One image per series: the middle one.  Full payload: stored values equal
// the generator's arrays (lossless sources exactly; JPEG sources were
// decoded by pdiburn and must match libjpeg-turbo's decode within 2).
async function checkDecoded(page, si, man) {
  await check('decoded stored values equal the generator\'s pixels', async () => {
    if (si.idx.payload !== 'full') throw new Skip('payload ' + si.idx.payload);
    const notes = [];
    for (const s of si.series) {
      const i = Math.floor(s.series.images.length / 2), im = s.series.images[i];
      const e = man.bySop.get(im.sop);
      const want = npyFrame(readNpy(path.join(man.dir, e.pixels)), im.frame);
      const tol = e.lossy ? 2 : 0;
      await show(page, s.key, i);
      let max = 0;
      if (s.series.codec === 'med16') {
        const got = await pdv.storedFrame(page);
        expect(got && got.values.length === want.length, s.key + ': frame size');
        for (let k = 0; k < want.length; k++) max = Math.max(max, Math.abs(got.values[k] - want[k]));
      } else {
        const pts = [];
        for (let r = 1; r < im.rows; r += 17) for (let c = 2; c < im.columns; c += 13) pts.push([c, r]);
        const got = await page.evaluate((l) => l.map(([c, r]) => PDV.test.valueAt(c, r).stored), pts);
        pts.forEach(([c, r], k) => {
          for (let ch = 0; ch < 3; ch++) {
            max = Math.max(max, Math.abs(got[k][ch] - want[(r * im.columns + c) * 3 + ch]));
          }
        });
      }
      expect(max <= tol, s.key + ' ' + e.path + ' frame ' + im.frame + ': differs by ' + max);
      notes.push(s.key + (max ? '~' + max : ''));
    }
    return notes.length + ' series (' + notes.join(' ') + ')';
  });
}

// Gray levels at zoom 1 against dcmj2pnm on the file of the medium.
async function grayVsDcmtk(page, s, i, c, w, tag, lite) {
  const im = s.series.images[i];
  await show(page, s.key, i);
  await page.evaluate(([cc, ww]) => {
    PDV.test.setZoom(1);
    if (cc !== null) PDV.test.setWindow(cc, ww);
  }, [lite ? null : c, w]);
  const g = await pdv.dumpGray(page, path.join(ARTIFACTS, tag + '-viewer.pgm'));
  const ref = dcmtkGray(path.join(MEDIA, im.file), c, w, path.join(ARTIFACTS, tag + '-dcmtk.pgm'));
  expect(g.width === ref.width && g.height === ref.height,
    'size ' + g.width + 'x' + g.height + ' vs dcmj2pnm ' + ref.width + 'x' + ref.height);
  let max = 0, sum = 0, sq = 0, signed = 0;
  for (let k = 0; k < ref.gray.length; k++) {
    const e = g.gray[k] - ref.gray[k], d = Math.abs(e);
    sum += d;
    sq += e * e;
    signed += e;
    if (d > max) max = d;
  }
  const n = ref.gray.length, mean = sum / n, bias = signed / n;
  const psnr = sq ? 10 * Math.log10(255 * 255 / (sq / n)) : Infinity;
  const canvas = await pdv.canvasSamples(page, im);
  let cmax = 0;
  for (const p of canvas) cmax = Math.max(cmax, Math.abs(p.v - ref.gray[p.row * im.columns + p.col]));
  await shot(page, tag);
  let note = 'max diff ' + max + ', mean ' + mean.toFixed(3) + ', canvas max ' + cmax + ' over ' + canvas.length + ' points';
  if (lite) {
    // An 8-bit JPEG of the writer's rendering: lossy, but the same picture
    // (window, polarity, geometry) as DCMTK's.  A wrong window or polarity
    // gives a PSNR near 10 dB; JPEG noise on these images about 35-40 dB.
    const st = await page.evaluate(() => PDV.test.state());
    note = 'PSNR ' + psnr.toFixed(1) + ' dB, mean |diff| ' + mean.toFixed(2) + ', bias ' + bias.toFixed(2) +
      ', max ' + max + '; viewer window ' + st.center + '/' + st.width;
    expect(st.center === 128 && st.width === 256, 'lite frames start at 128/256: ' + note);
    expect(psnr >= 32 && Math.abs(bias) <= 1, 'lite rendering too far from dcmj2pnm: ' + note);
  } else {
    expect(max <= 1, note);
    expect(cmax <= 1, 'visible canvas: ' + note);
  }
  return note;
}

async function checkGray(page, si) {
  const lite = si.idx.payload === 'lite';
  const gray = si.series.filter((s) => s.series.images[0].photometric !== 'RGB');
  const ct = gray.filter((s) => s.series.modality === 'CT')
    .sort((a, b) => b.series.images[0].rows - a.series.images[0].rows)[0];
  const mr = gray.find((s) => s.series.modality === 'MR');
  const mono1 = gray.find((s) => s.series.images[0].photometric === 'MONOCHROME1');
  const cases = [];
  if (lite) {
    // The writer windowed with the file's first window: compare the
    // default view with dcmj2pnm +Wi 1.
    for (const s of [ct, mr, mono1]) if (s) cases.push([s, null, null]);
  } else {
    if (ct) cases.push([ct, 40, 400], [ct, -600, 1500], [ct, 40, 80], [ct, 1000, 3000]);
    // The file's own first window (read by dcmdump), then another one.
    const own = (s, dflt) => {
      const im = s.series.images[Math.floor(s.series.images.length / 2)];
      const a = dicomAttrs(path.join(MEDIA, im.file), ['WindowCenter', 'WindowWidth']);
      return a.WindowCenter && a.WindowWidth ? [a.WindowCenter[0], a.WindowWidth[0]] : dflt;
    };
    if (mr) cases.push([mr, ...own(mr, [1000, 2000])], [mr, 600, 400]);
    if (mono1) cases.push([mono1, ...own(mono1, [128, 256])], [mono1, 100, 60]);
  }
  expect(cases.length, 'no grayscale series');
  for (const [s, c, w] of cases) {
    const i = Math.floor(s.series.images.length / 2);
    const name = s.key + ' ' + s.series.modality + ' ' + s.series.images[i].photometric +
      (c === null ? ' first window of the file' : ' L' + c + ' W' + w);
    await check('gray levels at zoom 1 vs dcmj2pnm, ' + name,
      () => grayVsDcmtk(page, s, i, c, w, 'gray-' + s.key + '-' + (c === null ? 'file' : c + '_' + w), lite));
  }
}

function ctImage(si) {
  const ct = si.series.filter((s) => s.series.modality === 'CT')
    .sort((a, b) => b.series.images[0].rows - a.series.images[0].rows)[0];
  return ct ? { s: ct, i: Math.floor(ct.series.images.length / 2) } : null;
}

async function checkHu(page, si, man) {
  const lite = si.idx.payload === 'lite';
  await check('HU readout at known pixels (generator\'s stored values, file\'s rescale)', async () => {
    if (lite) {
      const s = si.series.find((x) => x.series.modality === 'CT');
      await show(page, s.key, 0);
      const v = await page.evaluate(() => PDV.test.valueAt(20, 20));
      expect(v && v.hu === null, 'lite payload reports HU ' + (v && v.hu));
      const t = await page.evaluate(() => PDV.test.lossyText());
      expect(/not for diagnosis/i.test(t), 'no lossy notice: "' + t + '"');
      return 'lite payload: no HU, notice "' + t + '"';
    }
    const c = ctImage(si);
    expect(c, 'no CT series');
    const im = c.s.series.images[c.i];
    const e = man.bySop.get(im.sop);
    const npy = readNpy(path.join(man.dir, e.pixels));
    const a = dicomAttrs(path.join(MEDIA, im.file), ['RescaleSlope', 'RescaleIntercept']);
    const slope = a.RescaleSlope ? a.RescaleSlope[0] : 1, icpt = a.RescaleIntercept ? a.RescaleIntercept[0] : 0;
    const n = im.rows, h = (n - 1) / 2, k = n / 512;
    // centre (soft tissue), a lung, the bone cortex, the contrast blob, metal
    const at = [[h, h], [h - 85 * k, h - 15 * k], [h, h + 105 * k + 23 * k], [h - 20 * k, h - 10 * k],
      [h - 70 * k, h + 50 * k], [h + 85 * k, h - 15 * k]].map(([x, y]) => [Math.round(x), Math.round(y)]);
    await show(page, c.s.key, c.i);
    const out = [];
    for (const [col, row] of at) {
      const stored = npy.data[row * im.columns + col];
      const hu = stored * slope + icpt;
      const v = await page.evaluate(([x, y]) => PDV.test.valueAt(x, y), [col, row]);
      expect(v && v.stored === stored && Math.abs(v.hu - hu) < 1e-6,
        col + ',' + row + ': viewer stored ' + (v && v.stored) + ' HU ' + (v && v.hu) +
        ', expected ' + stored + ' / ' + hu);
      out.push(hu);
    }
    c.samples = at;
    return c.s.key + ' #' + im.instance + ': HU ' + out.join(', ');
  });
  await check('HU readout under the mouse pointer', async () => {
    if (lite) throw new Skip('lite payload');
    // Pixel centres at zoom 1 lie on half CSS pixels; BiDi rounds the pointer.
    if (BROWSER === 'firefox') throw new Skip('WebDriver BiDi moves the pointer in whole CSS pixels');
    const c = ctImage(si);
    const im = c.s.series.images[c.i];
    const e = man.bySop.get(im.sop);
    const npy = readNpy(path.join(man.dir, e.pixels));
    const a = dicomAttrs(path.join(MEDIA, im.file), ['RescaleSlope', 'RescaleIntercept']);
    const col = Math.round(im.columns / 2 - 85 * im.columns / 512), row = Math.round(im.rows / 2 - 15 * im.rows / 512);
    const hu = npy.data[row * im.columns + col] * (a.RescaleSlope || [1])[0] + (a.RescaleIntercept || [0])[0];
    await show(page, c.s.key, c.i);
    await page.evaluate(() => PDV.test.setZoom(1));
    const p = await page.evaluate(([x, y]) => {
      const q = PDV.test.imageToCanvas(x, y), box = document.querySelector('.pdv-stage[data-vp="0"] .pdv-ovl').getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      return { x: box.left + q.x / dpr, y: box.top + q.y / dpr };
    }, [col, row]);
    await page.mouse.move(p.x, p.y);
    const t = await page.evaluate(() => PDV.test.readoutText());
    expect(t.indexOf('x ' + col + ' y ' + row + ':') >= 0 && t.indexOf(hu + ' HU') >= 0,
      '"' + t + '" does not say x ' + col + ' y ' + row + ': ' + hu + ' HU');
    await shot(page, 'hu-readout');
    return t;
  });
}

async function checkMeasure(page, si) {
  const picks = [];
  const c = si.series.find((s) => s.series.modality === 'CT' && s.series.images[0].rows >= 256);
  const mr = si.series.find((s) => s.series.modality === 'MR');
  const cr = si.series.find((s) => s.series.modality === 'CR');
  for (const s of [c, mr, cr]) if (s) picks.push(s);
  for (const s of picks) {
    await check('length in mm from the file\'s Pixel Spacing, ' + s.key + ' ' + s.series.modality, async () => {
      const im = s.series.images[0];
      const a = dicomAttrs(path.join(MEDIA, im.file), ['PixelSpacing']);
      expect(a.PixelSpacing && a.PixelSpacing.length === 2, 'no Pixel Spacing in ' + im.file);
      const [c1, r1, c2, r2] = [10, 10, Math.min(im.columns - 1, 210), Math.min(im.rows - 1, 160)];
      const want = Math.hypot((c2 - c1) * a.PixelSpacing[1], (r2 - r1) * a.PixelSpacing[0]);
      await show(page, s.key, 0);
      const r = await page.evaluate((q) => PDV.test.measure(...q), [c1, r1, c2, r2]);
      expect(r && Math.abs(r.mm - want) < 0.01, (r && r.mm) + ' mm, expected ' + want);
      expect(r.shown.indexOf(want.toFixed(1) + ' mm') >= 0 && !r.warning, 'UI shows "' + r.shown + '"');
      await shot(page, 'measure-' + s.key);
      return r.shown + ' (spacing ' + a.PixelSpacing.join('\\') + ')';
    });
  }
}

// Navigation: the instance shown is the one the generator numbered so, and
// (full payload) its pixels are that instance's pixels.
async function checkNavigation(page, si, man) {
  await check('display order follows the generator\'s Instance Numbers', () => {
    for (const s of si.series) {
      let last = -Infinity;
      for (const im of s.series.images) {
        const n = man.bySop.get(im.sop).instance_number;
        if (n === null) continue;
        expect(+n >= last, s.key + ': instance ' + n + ' after ' + last);
        last = +n;
      }
    }
  });
  await check('series navigation shows the instance with the expected Instance Number', async () => {
    let n = 0;
    for (const s of si.series) {
      const imgs = s.series.images;
      for (const i of new Set([0, imgs.length - 1, Math.floor(imgs.length / 2)])) {
        const st = await show(page, s.key, i);
        const e = man.bySop.get(imgs[i].sop);
        expect(st.series === s.key && st.index === i, 'at ' + st.series + ' ' + st.index);
        if (e.instance_number !== null) {
          expect(st.instance === +e.instance_number, s.key + '[' + i + ']: shows instance ' + st.instance +
            ', generator numbered ' + e.instance_number + ' (' + e.path + ')');
        }
        expect(st.frame === imgs[i].frame, s.key + '[' + i + ']: frame ' + st.frame);
        n++;
      }
    }
    return n + ' images in ' + si.series.length + ' series';
  });
  await check('stepping through a CT series shows each instance\'s own pixels', async () => {
    const c = ctImage(si);
    expect(c, 'no CT series');
    const imgs = c.s.series.images;
    const byNumber = new Map(man.inst.filter((e) => e.series_uid === c.s.series.uid)
      .map((e) => [+e.instance_number, e]));
    await show(page, c.s.key, 0);
    await page.focus('.pdv-stage[data-vp="0"] .pdv-ovl');
    for (let i = 0; i < imgs.length; i++) {
      if (i) await page.keyboard.press('ArrowDown');
      await page.waitForFunction((k) => PDV.test.state().index === k, i, { timeout: 10000 });
      const st = await show(page, c.s.key, i);   // waits until the frame is decoded
      const e = byNumber.get(st.instance);
      expect(e, 'no instance numbered ' + st.instance + ' in the series');
      if (si.idx.payload === 'full') {
        const got = await pdv.storedFrame(page);
        const want = readNpy(path.join(man.dir, e.pixels)).data;
        for (let k = 0; k < want.length; k++) {
          if (got.values[k] !== want[k]) {
            throw new Error('instance ' + st.instance + ': pixel ' + k + ' is ' + got.values[k] +
              ', ' + e.path + ' has ' + want[k]);
          }
        }
      }
    }
    await shot(page, 'navigation-last');
    return imgs.length + ' instances of ' + c.s.key;
  });
}

// Distinct values on a 16-pixel grid of the viewer's canvas: a drawn
// image has many, a blank or uniform canvas one.
function canvasLevels(page) {
  return page.evaluate(() => {
    const s = PDV.test.state().canvas, seen = new Set();
    for (let y = 0; y < s.height; y += 16) {
      for (let x = 0; x < s.width; x += 16) seen.add(PDV.test.canvasPixel(x, y));
    }
    return seen.size;
  });
}

async function checkFirstImage(page) {
  await check('first image drawn', async () => {
    const ms = await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'PDV.test.ready');
    const marks = await page.evaluate(() => PDV.test.marks());
    console.log('# ' + LABEL + ' time to first image: ' + Math.round(ms) + ' ms after navigation start');
    console.log('# ' + LABEL + ' milestones (ms): ' + JSON.stringify(marks));
    const levels = await canvasLevels(page);
    expect(levels >= 8, 'canvas has ' + levels + ' gray levels');
    return Math.round(ms) + ' ms, ' + levels + ' gray levels on the canvas';
  });
  await shot(page, '01-first-image');
}

// A request of the page to a server of ours on 127.0.0.1; returns its URL.
async function canaryRequest(page) {
  const srv = http.createServer((q, r) => r.end());
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = 'http://127.0.0.1:' + srv.address().port + '/pdv-canary.png';
  const served = new Promise((r) => srv.once('request', r));
  try {
    await page.evaluate((u) => { new Image().src = u; }, url);
    await withTimeout(served, 10000, 'the page did not request ' + url);
  } finally {
    srv.closeAllConnections();
    srv.close();
  }
  return url;
}

// After the console and network checks: these provoke errors and a request.
async function checkFirefoxSetup(page, requests) {
  await check('file:// pages are isolated (security.fileuri.strict_origin_policy on)', async () => {
    const r = await page.evaluate(() => fetch('DICOMDIR').then(() => 'read', () => 'refused'));
    expect(r === 'refused', 'the page read the DICOMDIR next to it: the policy is off');
  });
  await check('the request log sees a request made by the page', async () => {
    const url = await canaryRequest(page);
    await until(() => requests.includes(url), 10000, 'no ' + url + ' in the request log');
  });
}

async function runMain(si, man) {
  const b = await pdv.launch({ browser: BROWSER });
  try {
    const page = await b.ctx.newPage();
    const errors = pdv.collectErrors(page);
    await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));

    await checkFirstImage(page);

    await check('the first image is the first image of the first series', async () => {
      const st = await page.evaluate(() => PDV.test.state());
      const first = si.series[0].series.images[0];
      const e = man.bySop.get(first.sop);
      expect(st.series === si.series[0].key && st.index === 0, 'showing ' + st.series + ' ' + st.index);
      if (e.instance_number !== null) expect(st.instance === +e.instance_number, 'instance ' + st.instance);
      expect(st.payload === si.idx.payload, 'payload ' + st.payload);
      return 'payload ' + st.payload + ', decoder ' + st.decoder;
    });

    await checkDecoded(page, si, man);
    await checkGray(page, si);
    await checkHu(page, si, man);
    await checkMeasure(page, si);
    await checkNavigation(page, si, man);
    await realBir.checkAll({ page, si, man, MEDIA, DCMDUMP, check, expect, Skip, show, shot });

    await check('no console errors', () => {
      expect(!errors.length, errors.length + ': ' + errors.slice(0, 3).join(' | '));
    });
    await check('no network requests (only file:, data:, blob:)', () => {
      const bad = pdv.nonLocal(b.requests);
      expect(!bad.length, bad.slice(0, 3).join(' '));
      const files = b.requests.filter((u) => u.startsWith('file:'));
      const outside = files.filter((u) => !decodeURIComponent(u).startsWith('file://' + MEDIA + '/'));
      expect(!outside.length, 'files outside the medium: ' + outside.slice(0, 3).join(' '));
      return b.requests.length + ' requests, all local';
    });
    if (BROWSER === 'firefox') await checkFirefoxSetup(page, b.requests);
  } finally {
    await b.close();
  }
}

async function runNoScript(man) {
  await check('with JavaScript off the page lists every patient and study', async () => {
    const b = await pdv.launch({ browser: BROWSER, javaScriptEnabled: false });
    try {
      const page = await b.ctx.newPage();
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
      expect(await page.evaluate(() => typeof window.PDV) === 'undefined', 'the viewer\'s JavaScript ran');
      const text = await page.locator('body').innerText();
      const missing = [];
      const studies = new Map();
      for (const e of man.inst) studies.set(e.study_uid, e);
      for (const e of studies.values()) {
        if (text.indexOf(fmtDate(e.study_date)) < 0) missing.push('study date ' + fmtDate(e.study_date));
        // Every component group of the name, decoded: family names.
        for (const group of e.patient_name.split('=')) {
          const family = group.split('^')[0];
          if (family && text.indexOf(family) < 0) missing.push('name "' + family + '"');
        }
        if (e.patient_id && text.indexOf(e.patient_id) < 0) missing.push('patient ID ' + e.patient_id);
      }
      expect(!missing.length, 'missing: ' + missing.join(', '));
      await shot(page, 'no-javascript');
      const bad = pdv.nonLocal(b.requests);
      expect(!bad.length, 'network: ' + bad.join(' '));
      return studies.size + ' studies';
    } finally {
      await b.close();
    }
  });
}

async function main() {
  if (!MEDIA || !fs.existsSync(path.join(MEDIA, 'INDEX.HTM')) || !MANIFEST) {
    console.error('usage: MEDIA_DIR=media MANIFEST=manifest.json node real.test.js');
    process.exit(2);
  }
  // On a timeout stop at once: Playwright's exit hook kills the browser.
  process.once('SIGTERM', () => {
    console.log('# ' + LABEL + ': stopped by SIGTERM');
    process.exit(1);
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const man = loadManifest(MANIFEST);
  const si = loadStudyIndex(MEDIA);
  console.log('# ' + BROWSER + ', medium ' + MEDIA + ', facts ' + MANIFEST + ', artifacts ' + ARTIFACTS);
  await checkIndex(si, man);
  try {
    await runMain(si, man);
  } catch (e) {
    fail('viewer session', e.stack || e.message);
  }
  await runNoScript(man);
  finish('# ' + LABEL + ': ');
}

main();
