/* pdv.js - helpers shared by the browser tests of the media viewer:
 * launching Debian's Chromium (or Firefox ESR) through playwright-core with
 * a fresh profile, recording every request, the viewer's window formula,
 * and dumping the rendered gray values of the current image as PGM/JSON
 * for comparison with DCMTK's dcmj2pnm. */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const pw = require('playwright-core');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

// Schemes a page opened from the medium may touch; anything else is network.
const LOCAL_SCHEMES = /^(file|data|blob):/;

// Debian's Firefox ESR through WebDriver BiDi (channel moz-firefox).
// playwright-core is pinned to 1.64.1: 1.65 sends
// emulation.setMediaFeaturesOverride, unknown to Firefox ESR 153.
// Playwright sets security.fileuri.strict_origin_policy=false; a patient's
// Firefox has it true.  BiDi ignores javaScriptEnabled, so JS off is a pref.
async function launchFirefox(profile, o, common) {
  const prefs = { 'security.fileuri.strict_origin_policy': true };
  if (common.javaScriptEnabled === false) prefs['javascript.enabled'] = false;
  try {
    return await pw.firefox.launchPersistentContext(profile, Object.assign({
      channel: 'moz-firefox', executablePath: o.executablePath || process.env.FIREFOX || '/usr/bin/firefox-esr',
      headless: true, firefoxUserPrefs: prefs }, common));
  } catch (e) {
    throw new Error('Firefox via playwright-core (WebDriver BiDi) failed: ' +
      String(e.message).split('\n')[0]);
  }
}

function launchChromium(profile, o, common) {
  return pw.chromium.launchPersistentContext(profile, Object.assign({
    executablePath: o.executablePath || process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: CHROMIUM_ARGS }, common));
}

async function launch(opts) {
  const o = opts || {};
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pdv-profile-'));
  const common = { viewport: o.viewport || { width: 1366, height: 768 },
    javaScriptEnabled: o.javaScriptEnabled !== false, hasTouch: !!o.hasTouch };
  const firefox = o.browser === 'firefox';
  let ctx;
  try {
    ctx = await (firefox ? launchFirefox : launchChromium)(profile, o, common);
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  // With JS off no promise of the page settles in Firefox, so Playwright's
  // wait for document.fonts.ready before a screenshot would hang.
  const noFontsWait = firefox && !common.javaScriptEnabled;
  if (noFontsWait) process.env.PW_TEST_SCREENSHOT_NO_FONTS_READY = '1';
  // Firefox (BiDi) reports http(s) requests only, not file: loads.
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  const close = async () => {
    if (noFontsWait) delete process.env.PW_TEST_SCREENSHOT_NO_FONTS_READY;
    try {
      await ctx.close();
    } finally {
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
  return { ctx, requests, close };
}

function nonLocal(requests) {
  return requests.filter((u) => !LOCAL_SCHEMES.test(u));
}

function fileUrl(p, hash) {
  return 'file://' + path.resolve(p).split(path.sep).map(encodeURIComponent).join('/') + (hash || '');
}

// PROTOCOL.md: y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clamped, rounded.
function voi(x, c, w) {
  if (w <= 1) return x <= c - 0.5 ? 0 : 255;
  const y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
  return y <= 0 ? 0 : y >= 255 ? 255 : Math.round(y);
}

function writePgm(file, width, height, gray) {
  const head = Buffer.from('P5\n' + width + ' ' + height + '\n255\n', 'ascii');
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(Uint8Array.from(gray))]));
}

// Binary (P5) or ASCII (P2) 8-bit PGM, as dcmj2pnm +op / +opb write them.
function readPgm(file) {
  const b = fs.readFileSync(file);
  const head = b.toString('latin1', 0, 64);
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(head);
  if (m) return { width: +m[1], height: +m[2], gray: b.subarray(m[0].length) };
  const t = b.toString('latin1').replace(/#[^\n]*/g, '').trim().split(/\s+/);
  if (t[0] !== 'P2') throw new Error(file + ': not an 8-bit PGM');
  return { width: +t[1], height: +t[2], gray: t.slice(4).map(Number) };
}

// Gray values of the current image rendered 1:1 without smoothing, written
// as PGM (and JSON when asked). Compare with: dcmj2pnm --write-raw-pnm ...
// Large arrays cross from the page as base64: a JSON array of a million
// numbers costs seconds.

async function dumpGray(page, file, json) {
  const r = await page.evaluate(() => {
    const g = PDV.test.frameGray();
    if (!g) return null;
    const a = Uint8Array.from(g.gray);
    const u = new Uint8Array(a.buffer);
    let s = '';
    for (let i = 0; i < u.length; i += 32768) s += String.fromCharCode.apply(null, u.subarray(i, i + 32768));
    return { width: g.width, height: g.height, b64: btoa(s) };
  });
  if (!r) throw new Error('no image on screen');
  const g = { width: r.width, height: r.height, gray: Buffer.from(r.b64, 'base64') };
  writePgm(file, g.width, g.height, g.gray);
  if (json) fs.writeFileSync(json, JSON.stringify({ width: g.width, height: g.height, gray: Array.from(g.gray) }));
  return g;
}

// PDV.test.storedFrame() with values as an Int32Array (null for colour).
async function storedFrame(page) {
  const r = await page.evaluate(() => {
    const g = PDV.test.storedFrame();
    if (!g) return null;
    const a = Int32Array.from(g.values);
    const u = new Uint8Array(a.buffer);
    let s = '';
    for (let i = 0; i < u.length; i += 32768) s += String.fromCharCode.apply(null, u.subarray(i, i + 32768));
    return { width: g.width, height: g.height, b64: btoa(s) };
  });
  if (!r) return null;
  const b = Buffer.from(r.b64, 'base64');
  const values = new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  return { width: r.width, height: r.height, values };
}

// Largest difference between two gray images, and where it is.
function maxDiff(a, b) {
  if (a.width !== b.width || a.height !== b.height) return { max: Infinity, at: 'size' };
  let max = 0, at = -1;
  for (let i = 0; i < a.gray.length; i++) {
    const d = Math.abs(a.gray[i] - b.gray[i]);
    if (d > max) { max = d; at = i; }
  }
  return { max, at: at < 0 ? null : { col: at % a.width, row: Math.floor(at / a.width) } };
}

// The visible canvas at zoom 1, sampled on a grid of image pixels.
async function canvasSamples(page, im) {
  const pts = [];
  for (let r = 3; r < im.rows; r += Math.ceil(im.rows / 23)) {
    for (let c = 5; c < im.columns; c += Math.ceil(im.columns / 19)) pts.push([c, r]);
  }
  const vals = await page.evaluate((list) => {
    const s = PDV.test.state().canvas;
    return list.map(([col, row]) => {
      const p = PDV.test.imageToCanvas(col, row);
      if (p.x < 0 || p.y < 0 || p.x >= s.width || p.y >= s.height) return null;
      return PDV.test.canvasPixel(p.x, p.y);
    });
  }, pts);
  return pts.map((p, i) => ({ col: p[0], row: p[1], v: vals[i] })).filter((p) => p.v !== null);
}

// The console errors and uncaught exceptions of a page, as they come.
function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e.message || e)));
  return errors;
}

module.exports = { canvasSamples, collectErrors, launch, nonLocal, fileUrl, voi, writePgm, readPgm, dumpGray, storedFrame, maxDiff };
