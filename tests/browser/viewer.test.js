#!/usr/bin/env node
/* viewer.test.js - opens a pdiburn medium's INDEX.HTM from file:// in a real
 * browser and checks what a doctor relies on: it loads offline with no
 * network and no console errors, the first image appears, gray levels
 * follow the window formula of PROTOCOL.md, HU and lengths are right,
 * navigation reaches the right instance, and with JavaScript off the page
 * still lists every study. checks_bir.js adds the IHE Basic Image Review
 * functions (orientation letters, angles, comparison, keyboard),
 * checks_display.js the wording and layout, checks_memory.js the bounded
 * frame cache.
 *
 *   MEDIA_DIR=/path/to/media [EXPECTED=expected.json] [ARTIFACTS=dir]
 *   [BROWSER=chromium|firefox] node viewer.test.js [MEDIA_DIR]
 *
 * Facts come from the page's own study index; EXPECTED (written by
 * tests/tools/viewer_fixture.py, default MEDIA_DIR/../expected.json) adds
 * pixel truth. Checks that need it are skipped when it is absent. */
'use strict';

const fs = require('fs');
const path = require('path');
const pdv = require('./pdv');
const harness = require('./harness');
const bir = require('./checks_bir');
const display = require('./checks_display');
const memory = require('./checks_memory');

const MEDIA = path.resolve(process.argv[2] || process.env.MEDIA_DIR || '');
const EXPECTED = process.env.EXPECTED || path.join(MEDIA, '..', 'expected.json');
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || './artifacts');
const BROWSER = process.env.BROWSER || 'chromium';
const TIMEOUT = +(process.env.PDV_TIMEOUT || 60000);

const { Skip, expect, withTimeout } = harness;
const { log, fail, check, finish } = harness.create('');

function needExpected(exp) {
  if (!exp) throw new Skip('no expected.json');
}

// --- page helpers ---------------------------------------------------------------

async function studyIndex(page) {
  return page.evaluate(() => PDV.store.series.map((i) => ({
    key: i.series.key, modality: i.series.modality, codec: i.series.codec,
    study: i.study.description, patient: i.patient.name,
    reports: (i.study.reports || []).map((r) => r.href),
    images: i.series.images.map((im) => ({ instance: im.instance, frame: im.frame,
      rows: im.rows, columns: im.columns, window: im.window, photometric: im.photometric,
      slope: im.slope, intercept: im.intercept, pixelSpacing: im.pixelSpacing,
      spacingSource: im.spacingSource, signed: im.signed })) })));
}

async function show(page, key, index) {
  return withTimeout(page.evaluate(([k, i]) => PDV.test.showImage(k, i), [key, index]), TIMEOUT,
    'showImage ' + key + ' ' + index);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') });
}

function readRaw(exp, r) {
  const buf = fs.readFileSync(path.join(path.dirname(EXPECTED), r.file));
  const a = r.signed ? new Int16Array(buf.buffer, buf.byteOffset, buf.length / 2) :
    new Uint16Array(buf.buffer, buf.byteOffset, buf.length / 2);
  return Array.from(a);
}

function windowDomain(modality) {
  return /^(MR|PT|NM|XA|RF)$/.test(modality) ? 'stored' : 'modality';
}

// Expected 8-bit rendering of stored values under PROTOCOL.md's rules.
function expectedGray(stored, im, modality, c, w, invert) {
  const dom = windowDomain(modality);
  const mono1 = im.photometric === 'MONOCHROME1';
  return stored.map((s) => {
    const x = dom === 'modality' ? s * im.slope + im.intercept : s;
    const y = pdv.voi(x, c, w);
    return (mono1 !== !!invert) ? 255 - y : y;
  });
}

// --- the checks -----------------------------------------------------------------------

async function runMain(exp) {
  const b = await pdv.launch({ browser: BROWSER });
  const page = await b.ctx.newPage();
  const errors = pdv.collectErrors(page);
  await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
  let ready = null, index = null;

  await check('first image drawn', async () => {
    ready = await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'PDV.test.ready');
    return 'time to first image ' + Math.round(ready) + ' ms after navigation start';
  });
  await shot(page, '01-first-image');
  index = await studyIndex(page);

  await check('first image is the first image of the first series', async () => {
    const st = await page.evaluate(() => PDV.test.state());
    expect(st.series === index[0].key, 'series ' + st.series + ' != ' + index[0].key);
    expect(st.index === 0 && st.instance === index[0].images[0].instance,
      'index ' + st.index + ' instance ' + st.instance);
    if (exp) expect(st.instance === exp.first.instance, 'instance ' + st.instance + ' != ' + exp.first.instance);
    return 'decoder: ' + st.decoder;
  });

  await check('study index matches expected.json', async () => {
    needExpected(exp);
    expect(index.length === exp.series.length, index.length + ' series, expected ' + exp.series.length);
    exp.series.forEach((s, i) => {
      expect(index[i].key === s.key && index[i].modality === s.modality, 'series ' + i);
      expect(index[i].images.length === s.count, s.key + ': ' + index[i].images.length + ' images');
    });
  });

  await check('lossy notice matches payload', async () => {
    const t = await page.evaluate(() => ({ text: PDV.test.lossyText(), payload: PDV.test.state().payload }));
    if (t.payload === 'lite') expect(/not for diagnosis/i.test(t.text), 'lite payload without notice');
    else expect(!t.text, 'notice on lossless payload: ' + t.text);
    return 'payload ' + t.payload;
  });

  await checkDecoding(page, exp, index);
  await checkGray(page, exp, index);
  await checkReadout(page, exp, index);
  await checkMeasure(page, exp, index);
  await checkNavigation(page, index);
  await checkInteraction(page, index);
  await checkPanels(page, index);
  const t = { page, exp, index, check, expect, Skip, show, shot, readRaw, log };
  await bir.checkOrientation(t);
  await bir.checkAngle(t);
  await bir.checkCompare(t);
  await bir.checkKeyboard(t);
  await display.checkAll(t);
  await checkBigSeries(page, index);

  await check('no console errors', async () => {
    expect(!errors.length, errors.slice(0, 3).join(' | '));
  });
  await check('no network requests (only file:, data:, blob:)', async () => {
    const bad = pdv.nonLocal(b.requests);
    expect(!bad.length, bad.slice(0, 3).join(' '));
    return b.requests.length + ' requests recorded';
  });
  await b.close();
  return index;
}

async function checkDecoding(page, exp, index) {
  await check('decoded stored values equal the DICOM pixels (raw frames)', async () => {
    needExpected(exp);
    const info = await page.evaluate(() => PDV.test.state().payload);
    if (info === 'lite') throw new Skip('lossy payload');
    let n = 0;
    for (const r of exp.raw) {
      await show(page, r.series, r.index);
      const got = await page.evaluate(() => PDV.test.storedFrame());
      const want = readRaw(exp, r);
      expect(got && got.values.length === want.length, r.series + '#' + r.index + ': size');
      for (let i = 0; i < want.length; i++)
        expect(got.values[i] === want[i], r.series + '#' + r.index + ' pixel ' + i + ': ' + got.values[i] + ' != ' + want[i]);
      n++;
    }
    return n + ' frames identical';
  });
}

async function grayCheck(page, key, idx, im, modality, c, w, tag) {
  await show(page, key, idx);
  await page.evaluate(([cc, ww]) => { PDV.test.setZoom(1); PDV.test.setWindow(cc, ww); }, [c, w]);
  const stored = await page.evaluate(() => PDV.test.storedFrame());
  expect(stored, 'no stored frame');
  const want = expectedGray(stored.values, im, modality, c, w, false);
  const g = await pdv.dumpGray(page, path.join(ARTIFACTS, tag + '.pgm'));
  const d = pdv.maxDiff(g, { width: stored.width, height: stored.height, gray: want });
  expect(d.max <= 1, 'frame differs by ' + d.max + ' at ' + JSON.stringify(d.at));
  // The same on the visible canvas, sampled on a grid.
  const canvas = await pdv.canvasSamples(page, im);
  for (const { col, row, v } of canvas) {
    const e = want[row * im.columns + col];
    expect(Math.abs(v - e) <= 1, 'canvas at ' + col + ',' + row + ': ' + v + ' != ' + e);
  }
  await shot(page, tag);
  return 'max diff ' + d.max + ', ' + canvas.length + ' canvas points';
}

async function checkGray(page, exp, index) {
  const lite = (await page.evaluate(() => PDV.test.state().payload)) === 'lite';
  const gray = index.filter((s) => s.codec === 'med16');
  for (const s of gray) {
    const idx = Math.floor(s.images.length / 2), im = s.images[idx];
    const wins = im.window && im.window.length ? im.window.slice(0, 1) : [[im.signed ? 0 : 1000, 2000]];
    if (s.modality === 'CT') wins.push([-600, 1500], [300, 1500], [40, 80]);
    for (const [c, w] of wins) {
      await check('gray levels at zoom 1, ' + s.key + ' ' + s.modality + ' ' + im.photometric + ' L' + c + ' W' + w,
        () => grayCheck(page, s.key, idx, im, s.modality, c, w, 'gray-' + s.key + '-' + c + '-' + w));
    }
  }
  if (lite) log('note', 'gray-level checks use med16 series only; payload is lite');
  await check('MONOCHROME1 is displayed inverted', async () => {
    const s = gray.find((x) => x.images[0].photometric === 'MONOCHROME1');
    if (!s) throw new Skip('no MONOCHROME1 series');
    await show(page, s.key, 0);
    await page.evaluate(() => PDV.test.setZoom(1));
    // The image centre: at zoom 1 a large image's corners lie off the canvas.
    const at = [Math.floor(s.images[0].columns / 2), Math.floor(s.images[0].rows / 2)];
    const v = await page.evaluate(([c, r]) => {
      const p = PDV.test.imageToCanvas(c, r);
      return { px: PDV.test.canvasPixel(p.x, p.y), val: PDV.test.valueAt(c, r), st: PDV.test.state() };
    }, at);
    const want = 255 - pdv.voi(v.val.modality, v.st.center, v.st.width);
    expect(Math.abs(v.px - want) <= 1, v.px + ' != ' + want);
    return 'stored ' + v.val.stored + ' -> ' + v.px;
  });
}

async function checkReadout(page, exp, index) {
  await check('HU readout at known pixels', async () => {
    needExpected(exp);
    if (exp.lossy) throw new Skip('lossy payload reports no HU');
    await show(page, exp.ct.series, exp.ct.index);
    for (const s of exp.ct.samples) {
      const v = await page.evaluate(([c, r]) => PDV.test.valueAt(c, r), [s.col, s.row]);
      expect(v.stored === s.stored && v.hu === s.hu,
        s.col + ',' + s.row + ': stored ' + v.stored + ' hu ' + v.hu + ', expected ' + s.stored + '/' + s.hu);
    }
    return exp.ct.samples.length + ' pixels';
  });
  await check('HU readout shown under the mouse', async () => {
    needExpected(exp);
    if (exp.lossy) throw new Skip('lossy payload');
    // Pixel centres at zoom 1 lie on half CSS pixels; BiDi rounds the pointer.
    if (BROWSER === 'firefox') throw new Skip('WebDriver BiDi moves the pointer in whole CSS pixels');
    const s = exp.ct.samples[0];
    await show(page, exp.ct.series, exp.ct.index);
    await page.evaluate(() => PDV.test.setZoom(1));
    const p = await page.evaluate(([c, r]) => {
      const q = PDV.test.imageToCanvas(c, r), box = document.querySelector('.pdv-stage[data-vp="0"] .pdv-ovl').getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      return { x: box.left + q.x / dpr, y: box.top + q.y / dpr };
    }, [s.col, s.row]);
    await page.mouse.move(p.x, p.y);
    const t = await page.evaluate(() => PDV.test.readoutText());
    expect(t.indexOf(s.hu + ' HU') >= 0, '"' + t + '" lacks ' + s.hu + ' HU');
    return t;
  });
  await check('lossy payload gives no HU', async () => {
    if (!exp || !exp.lossy) throw new Skip('lossless payload');
    await show(page, exp.ct.series, exp.ct.index);
    const v = await page.evaluate(() => PDV.test.valueAt(256, 256));
    expect(v.hu === null, 'hu ' + v.hu);
  });
}

async function checkMeasure(page, exp, index) {
  await check('length measurement in mm from Pixel Spacing', async () => {
    const s = index.find((x) => x.images[0].pixelSpacing && x.images[0].spacingSource === 'PixelSpacing');
    if (!s) throw new Skip('no series with Pixel Spacing');
    const m = exp && exp.measure ? exp.measure : { series: s.key, index: 0, col1: 10, row1: 10, col2: 60, row2: 90 };
    await show(page, m.series, m.index);
    const r = await page.evaluate((q) => PDV.test.measure(q.col1, q.row1, q.col2, q.row2), m);
    const ps = index.find((x) => x.key === m.series).images[m.index].pixelSpacing;
    const want = Math.hypot((m.col2 - m.col1) * ps[1], (m.row2 - m.row1) * ps[0]);
    expect(Math.abs(r.mm - want) < 0.01, r.mm + ' mm != ' + want);
    if (exp && exp.measure) expect(Math.abs(r.mm - exp.measure.mm) < 0.01, r.mm + ' != ' + exp.measure.mm);
    expect(r.shown.indexOf(want.toFixed(1) + ' mm') >= 0 && !r.warning, 'UI shows "' + r.shown + '"');
    await shot(page, 'measure');
    return r.text;
  });
  await check('measurement with non-square pixels', async () => {
    if (!exp || !exp.measure_mr) throw new Skip('no fixture fact');
    const m = exp.measure_mr;
    await show(page, m.series, m.index);
    const r = await page.evaluate((q) => PDV.test.measure(q.col1, q.row1, q.col2, q.row2), m);
    expect(Math.abs(r.mm - m.mm) < 0.01, r.mm + ' != ' + m.mm);
  });
  for (const src of ['ImagerPixelSpacing', '']) {
    await check('measurement warns with ' + (src || 'no pixel spacing'), async () => {
      const s = index.find((x) => (x.images[0].spacingSource || '') === src);
      if (!s) throw new Skip('no such series');
      await show(page, s.key, 0);
      const r = await page.evaluate(() => PDV.test.measure(1, 1, 31, 41));
      expect(r.warning && (src ? /ImagerPixelSpacing/ : /no pixel spacing/).test(r.shown),
        'UI shows "' + r.shown + '"');
      return r.text;
    });
  }
}

async function checkNavigation(page, index) {
  await check('series navigation shows the expected instance', async () => {
    let n = 0;
    for (const s of index) {
      for (const i of [0, s.images.length - 1, Math.floor(s.images.length / 3)]) {
        const st = await show(page, s.key, i);
        expect(st.series === s.key && st.index === i, 'at ' + st.series + ' ' + st.index);
        expect(st.instance === s.images[i].instance && st.frame === s.images[i].frame,
          s.key + '[' + i + ']: instance ' + st.instance + ' frame ' + st.frame);
        n++;
      }
    }
    return n + ' images';
  });
  await check('keyboard: arrows step images, PageDown steps series', async () => {
    await show(page, index[0].key, 0);
    await page.focus('.pdv-stage[data-vp="0"] .pdv-ovl');
    await page.keyboard.press('ArrowDown');
    let st = await page.evaluate(() => PDV.test.state());
    expect(index[0].images.length < 2 || st.index === 1, 'ArrowDown -> index ' + st.index);
    await page.keyboard.press('End');
    st = await page.evaluate(() => PDV.test.state());
    expect(st.index === index[0].images.length - 1, 'End -> ' + st.index);
    if (index.length > 1) {
      await page.keyboard.press('PageDown');
      st = await page.evaluate(() => PDV.test.state());
      expect(st.series === index[1].key && st.index === 0, 'PageDown -> ' + st.series);
    }
  });
  await check('cine plays through the series', async () => {
    const s = index.find((x) => x.images.length > 3);
    if (!s) throw new Skip('no series with more than 3 images');
    await show(page, s.key, 0);
    await page.keyboard.press('c');
    await page.waitForTimeout(700);
    await page.keyboard.press('c');
    const st = await page.evaluate(() => PDV.test.state());
    expect(st.series === s.key && st.index > 0, 'index ' + st.index);
    return 'advanced to ' + st.index;
  });
}

async function checkInteraction(page, index) {
  await check('window drag: right widens, up lowers the centre (BIR 5.4)', async () => {
    const s = index.find((x) => x.codec === 'med16') || index[0];
    await show(page, s.key, 0);
    await page.keyboard.press('r');
    const before = await page.evaluate(() => PDV.test.state());
    const box = await page.locator('.pdv-stage[data-vp="0"] .pdv-ovl').boundingBox();
    const x = box.x + box.width / 2, y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(x + 60, y - 40, { steps: 4 });
    await page.mouse.up({ button: 'right' });
    const after = await page.evaluate(() => PDV.test.state());
    expect(after.width > before.width, 'width ' + before.width + ' -> ' + after.width);
    expect(after.center < before.center, 'centre ' + before.center + ' -> ' + after.center);
    await page.keyboard.press('r');
    const reset = await page.evaluate(() => PDV.test.state());
    expect(reset.width === before.width && reset.center === before.center, 'reset did not restore');
  });
  await check('zoom keys and fit', async () => {
    const z0 = (await page.evaluate(() => PDV.test.state())).zoom;
    await page.keyboard.press('+');
    const z1 = (await page.evaluate(() => PDV.test.state())).zoom;
    await page.keyboard.press('f');
    const z2 = (await page.evaluate(() => PDV.test.state())).zoom;
    expect(z1 > z0 && Math.abs(z2 - z0) < 1e-9, z0 + ' ' + z1 + ' ' + z2);
  });
}

async function checkPanels(page, index) {
  await check('DICOM tag panel', async () => {
    await show(page, index[0].key, 0);
    await page.keyboard.press('t');
    await page.waitForSelector('.pdv-tags tbody tr', { timeout: 10000 });
    const n = await page.locator('.pdv-tags tbody tr').count();
    await shot(page, 'tags');
    await page.keyboard.press('Escape');
    return n + ' tags';
  });
  await check('report panel', async () => {
    const s = index.find((x) => x.reports.length);
    if (!s) throw new Skip('no reports on this medium');
    await show(page, s.key, 0);
    await page.keyboard.press('e');
    const src = await page.locator('iframe.pdv-report').getAttribute('src');
    expect(src && src.endsWith(s.reports[0]) || /\.pdf$/i.test(s.reports[0]), 'iframe src ' + src);
    const exists = fs.existsSync(path.join(MEDIA, s.reports[0]));
    expect(exists, s.reports[0] + ' missing on the medium');
    await page.waitForTimeout(300);
    await shot(page, 'report');
    await page.keyboard.press('Escape');
  });
}

// Once its chunks are read, every slice of the first series is shown one
// by one: each decodes (again, if the cache dropped it) and is drawn.
async function checkBigSeries(page, index) {
  await check('every image of the first series decodes and is drawn', async () => {
    const s = index[0];
    await withTimeout(page.evaluate((k) => PDV.test.seriesLoaded(k), s.key), 300000, 'load');
    let slowest = 0;
    for (let i = 0; i < s.images.length; i++) {
      const r = await page.evaluate(async ([k, n]) => {
        const t0 = performance.now(), st = await PDV.test.showImage(k, n);
        return { ms: performance.now() - t0, drawn: st.drawn, index: st.index };
      }, [s.key, i]);
      expect(r.drawn && r.index === i, 'image ' + (i + 1) + ' not drawn');
      slowest = Math.max(slowest, r.ms);
    }
    return s.images.length + ' images, slowest ' + Math.round(slowest) + ' ms from asking to drawn';
  });
}

// Timings in a session that does nothing else, so checks do not slow it.
async function runTiming() {
  await check('timing: first image, and the first series read', async () => {
    const b = await pdv.launch({ browser: BROWSER });
    try {
      const page = await b.ctx.newPage();
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
      const first = await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'ready');
      const s = await page.evaluate(() => PDV.test.series()[0]);
      const all = await withTimeout(page.evaluate((k) => PDV.test.seriesLoaded(k), s.key), 300000, 'load');
      const marks = await page.evaluate(() => PDV.test.marks());
      console.log('# time to first image: ' + Math.round(first) + ' ms');
      console.log('# time until the ' + s.count + '-image series ' + s.key + ' is read: ' +
        Math.round(all) + ' ms');
      console.log('# milestones (ms): ' + JSON.stringify(marks));
      return 'first image ' + Math.round(first) + ' ms, ' + s.count + ' images read at ' + Math.round(all) + ' ms';
    } finally {
      await b.close();
    }
  });
}

async function runFallback(exp) {
  await check('main-thread decoding with the JS inflate (#noworker,jsinflate)', async () => {
    const b = await pdv.launch({ browser: BROWSER });
    try {
      const page = await b.ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM'), '#noworker,jsinflate'));
      const t = await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'ready');
      const st = await page.evaluate(() => PDV.test.state());
      expect(st.decoder === 'main', 'decoder ' + st.decoder);
      if (exp && !exp.lossy) {
        const r = exp.raw[0];
        await show(page, r.series, r.index);
        const got = await page.evaluate(() => PDV.test.storedFrame());
        const want = readRaw(exp, r);
        expect(got.values.every((v, i) => v === want[i]), 'frame differs');
      }
      expect(!errors.length, errors.join(' | '));
      return 'first image ' + Math.round(t) + ' ms';
    } finally {
      await b.close();
    }
  });
}

async function runNoScript(index, exp) {
  await check('with JavaScript off the page lists every study', async () => {
    const b = await pdv.launch({ browser: BROWSER, javaScriptEnabled: false });
    try {
      const page = await b.ctx.newPage();
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
      const text = await page.locator('body').innerText();
      const studies = exp ? exp.studies.map((s) => s.description) :
        Array.from(new Set((index || []).map((s) => s.study)));
      expect(studies.length, 'no studies known');
      studies.forEach((d) => expect(text.indexOf(d) >= 0, 'missing study "' + d + '"'));
      if (exp) exp.patients.forEach((p) => expect(text.indexOf(p.id) >= 0, 'missing patient ' + p.id));
      await shot(page, 'no-javascript');
      const bad = pdv.nonLocal(b.requests);
      expect(!bad.length, 'network: ' + bad.join(' '));
      return studies.length + ' studies listed';
    } finally {
      await b.close();
    }
  });
}

async function runFolder(exp) {
  await check('"Open DICOM folder" reads the DICOM File-set', async () => {
    if (!fs.existsSync(path.join(MEDIA, 'DICOMDIR'))) throw new Skip('no DICOMDIR on the medium');
    if (BROWSER !== 'chromium') throw new Skip('directory upload needs Chromium automation');
    const b = await pdv.launch({ browser: BROWSER });
    try {
      const page = await b.ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
      await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'ready');
      await page.setInputFiles('.pdv-actions input[type=file]', MEDIA);
      await page.waitForFunction(() => PDV.test.state().source === 'folder', null, { timeout: TIMEOUT });
      const via = await page.evaluate(() => PDV.ui.folderResult);
      const series = await page.evaluate(() => PDV.test.series());
      if (exp) {
        expect(series.length === exp.series.length, series.length + ' series from files');
        const r = exp.raw[0];
        const key = series[exp.series.findIndex((s) => s.key === r.series)].key;
        await show(page, key, r.index);
        const got = await page.evaluate(() => PDV.test.storedFrame());
        const want = readRaw(exp, r);
        expect(got.values.every((v, i) => v === want[i]), 'frame from DICOM differs');
        const rgb = exp.rgb;
        const rk = series[exp.series.findIndex((s) => s.key === rgb.series)].key;
        await show(page, rk, rgb.sample.frame);
        const v = await page.evaluate(([c, r2]) => PDV.test.valueAt(c, r2), [rgb.sample.col, rgb.sample.row]);
        expect(JSON.stringify(v.stored) === JSON.stringify(rgb.sample.rgb), 'RGB ' + JSON.stringify(v.stored));
      }
      await shot(page, 'dicom-folder');
      expect(!errors.length, errors.join(' | '));
      return series.length + ' series via ' + via.via + (via.problems.length ? ', ' + via.problems.length + ' problems' : '');
    } finally {
      await b.close();
    }
  });
}

async function runMemory(exp) {
  const launchPage = async (hash) => {
    const b = await pdv.launch({ browser: BROWSER });
    const page = await b.ctx.newPage();
    await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM'), hash));
    return { page, close: () => b.close() };
  };
  await memory.checkBounded({ exp, check, expect, Skip, show, readRaw }, launchPage);
}

async function runTablet() {
  await check('tablet layout (1024x768, touch) shows the image', async () => {
    const b = await pdv.launch({ browser: BROWSER, viewport: { width: 1024, height: 768 }, hasTouch: true });
    try {
      const page = await b.ctx.newPage();
      await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
      await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'ready');
      const st = await page.evaluate(() => PDV.test.state());
      expect(st.canvas.width > 300 && st.canvas.height > 300, 'canvas ' + JSON.stringify(st.canvas));
      await shot(page, 'tablet');
    } finally {
      await b.close();
    }
  });
}

async function main() {
  if (!MEDIA || !fs.existsSync(path.join(MEDIA, 'INDEX.HTM'))) {
    console.error('usage: MEDIA_DIR=/path/to/media node viewer.test.js (no INDEX.HTM in "' + MEDIA + '")');
    process.exit(2);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const exp = fs.existsSync(EXPECTED) ? JSON.parse(fs.readFileSync(EXPECTED, 'utf8')) : null;
  console.log('# ' + BROWSER + ', medium ' + MEDIA + (exp ? ', facts ' + EXPECTED : ', no expected.json'));
  let index = null;
  try {
    index = await runMain(exp);
  } catch (e) {
    fail('viewer session', e.stack || e.message);
  }
  await runTiming();
  await runNoScript(index, exp);
  await runFallback(exp);
  await runFolder(exp);
  await runMemory(exp);
  await runTablet();
  finish();
}

main();
