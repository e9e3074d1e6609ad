#!/usr/bin/env node
/* honest.test.js - what the viewer of REAL pdiburn output tells a person
 * about palette colour, lossy previews and split media, in a real browser
 * (issue 10 items 2-4):
 *
 *   CHECK=palette MEDIA_DIR=media PALETTE=manifest.json node honest.test.js
 *   CHECK=split MEDIA_DIR=media EXPECT=expect.json node honest.test.js
 *   [BROWSER=chromium|firefox] [LABEL=name] [ARTIFACTS=dir]
 *
 * palette: every frame of tests/tools/mkpalette.py's manifest is in the
 * viewer as colour ("rgb8"), and the R, G, B it draws at zoom 1 equal the
 * generator's truth (pydicom's apply_color_lut) within 1; in Chromium
 * also after "Open DICOM folder" (the viewer's own reading of the files,
 * plain tables only: segmented ones are expanded for the media only).
 * split: EXPECT (written by the e2e test from the DICOMDIRs read by pydicom
 * and from dcmj2pnm) names the disc ("Disc 1 of 2"), the split series by
 * its Series Instance UID with the sentence it must show, and a pixel with
 * dcmj2pnm's gray for the file's own window. Checked: the banner and the
 * series list say it; a lite (8-bit JPEG) series offers only preview
 * contrast presets (no HU, no DICOM windows), its corner says "Preview
 * contrast ... (display values)", never a bare W/L, and its default
 * rendering is within 12 gray levels of dcmj2pnm (air dark, not mid-grey).
 * Both: no console errors, no request other than file:/data:/blob:.
 * Exit 0 when every check passed, 1 otherwise, 2 on bad usage. Used by
 * tests/e2e/t500-palette-colour.sh and t510-split-lite-media.sh. */
'use strict';

const fs = require('fs');
const path = require('path');
const pdv = require('./pdv');
const harness = require('./harness');

const MEDIA = path.resolve(process.env.MEDIA_DIR || '');
const CHECK = process.env.CHECK || '';
const BROWSER = process.env.BROWSER || 'chromium';
const LABEL = process.env.LABEL || BROWSER + ' ' + CHECK;
const ARTIFACTS = path.resolve(process.env.ARTIFACTS || './artifacts');
const TIMEOUT = 60000;

const { expect, withTimeout } = harness;
const { fail, check, finish } = harness.create(LABEL + ': ');

// .npy of mkpalette.py: uint8, C order, (frames, rows, cols, 3).
function readNpyU8(file) {
  const b = fs.readFileSync(file);
  const hlen = b[6] === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = b[6] === 1 ? 10 : 12;
  const head = b.toString('latin1', start, start + hlen);
  if (!/'descr':\s*'\|u1'/.test(head)) throw new Error(file + ': not uint8');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(head)[1].split(',').filter((s) => s.trim()).map(Number);
  return { shape, data: b.subarray(start + hlen) };
}

async function show(page, key, index) {
  return withTimeout(page.evaluate(([k, i]) => PDV.test.showImage(k, i), [key, index]), TIMEOUT,
    'showImage ' + key + ' ' + index);
}

// The viewer's own index: which series key and index shows sop/frame.
async function locate(page) {
  return page.evaluate(() => {
    const out = {};
    PDV.store.series.forEach((info) => info.series.images.forEach((im, i) => {
      out[im.sop + '/' + im.frame] = { key: info.series.key, index: i };
    }));
    return out;
  });
}

async function checkPalette(page) {
  const man = JSON.parse(fs.readFileSync(process.env.PALETTE, 'utf8'));
  await checkPaletteFrames(page, man, (e) => true);
  await page.screenshot({ path: path.join(ARTIFACTS, 'palette.png') });
  // "Open DICOM folder": the viewer reads the files itself (plain tables
  // only; segmented ones are expanded by pdiburn for the media).
  if (BROWSER !== 'chromium') return;
  await check('"Open DICOM folder" reads the palette colour files', async () => {
    await page.setInputFiles('.pdv-actions input[type=file]', MEDIA);
    await page.waitForFunction(() => PDV.test.state().source === 'folder', null, { timeout: TIMEOUT });
  });
  await checkPaletteFrames(page, man, (e) => !e.segmented, 'folder: ');
}

async function checkPaletteFrames(page, man, wanted, prefix) {
  const where = await locate(page);
  if (!prefix) {
    await check('palette colour series reach the viewer as colour', async () => {
      const series = await page.evaluate(() => PDV.test.series());
      const rgb = series.filter((s) => s.codec === 'rgb8');
      expect(rgb.length === new Set(man.map((e) => e.series)).size,
        'rgb8 series: ' + JSON.stringify(series.map((s) => s.codec)));
      return rgb.length + ' colour series';
    });
  }
  for (const e of man.filter(wanted)) {
    const npy = readNpyU8(e.rgb);
    for (let f = 0; f < e.frames; f++) {
      await check((prefix || '') + e.modality + ' ' + path.basename(e.file) + ' frame ' + (f + 1) +
        ' drawn as pydicom colours it (+-1)', async () => {
        const at = where[e.sop + '/' + f];
        expect(at, 'not in the viewer');
        await show(page, at.key, at.index);
        const got = await page.evaluate(() => PDV.test.frameRgb());
        const per = e.rows * e.columns * 3;
        expect(got && got.rgb.length === per, 'frame size');
        let max = 0, at2 = -1;
        for (let i = 0; i < per; i++) {
          const d = Math.abs(got.rgb[i] - npy.data[f * per + i]);
          if (d > max) { max = d; at2 = i; }
        }
        expect(max <= 1, 'differs by ' + max + ' at pixel ' + Math.floor(at2 / 3) +
          ' channel ' + at2 % 3);
        return 'max difference ' + max;
      });
    }
  }
}

async function checkSplit(page) {
  const want = JSON.parse(fs.readFileSync(process.env.EXPECT, 'utf8'));
  const where = await page.evaluate((uid) => {
    const info = PDV.store.series.find((s) => s.series.uid === uid);
    return info ? info.series.key : null;
  }, want.seriesUid);
  await check('the split series is on this disc', () => {
    expect(where, 'series ' + want.seriesUid + ' not in the viewer');
  });
  if (!where) return;
  await show(page, where, 0);
  await check('the banner says "' + want.disc + '" and where the rest of the series is', async () => {
    const t = await page.evaluate(() => PDV.test.discText());
    expect(t.includes(want.disc + ' \u00b7 this series also on ' + want.others), 'banner: ' + JSON.stringify(t));
    return t;
  });
  await check('the image corner says which part of the series this is', async () => {
    const t = await page.evaluate(() => PDV.test.cornerText(undefined, 2));
    expect(t.includes(want.part), 'corner: ' + JSON.stringify(t) + ', wanted ' + want.part);
    return want.part;
  });
  await check('the series list says which images are on this disc', async () => {
    const s = (await page.evaluate(() => PDV.test.series())).find((x) => x.key === where);
    expect(s.listText.includes(want.note), 'list: ' + JSON.stringify(s.listText));
    expect(s.count === want.here, s.count + ' images listed, ' + want.here + ' on this disc');
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'split-' + want.disc.replace(/\W+/g, '') + '.png') });
  await checkPreview(page, where, want);
}

async function checkPreview(page, key, want) {
  await check('a lite preview offers only preview contrast, labelled so', async () => {
    const labels = await page.evaluate(() => PDV.test.presetLabels());
    const bad = labels.filter((l) => /DICOM|\(HU\)|Lung|Bone|Brain|Soft tissue/.test(l));
    expect(!bad.length, 'offered: ' + bad.join(' | '));
    expect(labels.some((l) => /not HU/.test(l)), 'no label says the values are not HU: ' + labels.join(' | '));
    return labels.length + ' entries';
  });
  await check('the corner names the preview contrast, not a W/L in HU', async () => {
    const t = await page.evaluate(() => PDV.test.cornerText());
    expect(/^Preview contrast W \d+ L \d+ \(display values\)$/m.test(t), 'corner: ' + JSON.stringify(t));
    return t.split('\n')[0];
  });
  await check('air and tissue keep the gray of the file\'s window (dcmj2pnm within 12)', async () => {
    await show(page, key, want.pixel.index);
    const g = await page.evaluate(() => PDV.test.frameGray());
    const worst = want.pixel.points.map((p) => Math.abs(g.gray[p.row * g.width + p.col] - p.gray));
    const max = Math.max.apply(null, worst);
    expect(max <= 12, 'differs by ' + max + ' at ' + JSON.stringify(want.pixel.points));
    return want.pixel.points.length + ' points, max difference ' + max;
  });
}

async function main() {
  if (!fs.existsSync(path.join(MEDIA, 'INDEX.HTM')) || !/^(palette|split)$/.test(CHECK)) {
    console.error('usage: CHECK=palette|split MEDIA_DIR=media ... node honest.test.js');
    process.exit(2);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const b = await pdv.launch({ browser: BROWSER });
  try {
    const page = await b.ctx.newPage();
    const errors = pdv.collectErrors(page);
    await page.goto(pdv.fileUrl(path.join(MEDIA, 'INDEX.HTM')));
    await withTimeout(page.evaluate(() => PDV.test.ready), TIMEOUT, 'first image');
    await (CHECK === 'palette' ? checkPalette(page) : checkSplit(page));
    await check('no console errors', () => {
      expect(!errors.length, errors.slice(0, 3).join(' | '));
    });
    await check('no network requests', () => {
      const bad = pdv.nonLocal(b.requests);
      expect(!bad.length, bad.slice(0, 3).join(' '));
    });
  } catch (e) {
    fail('viewer session', e.stack || e.message);
  } finally {
    await b.close();
  }
  finish('# ' + LABEL + ': ');
}

main();
