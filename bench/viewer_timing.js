// Times the viewer on real media, opened by file://, and measures what it
// costs in memory.  Prints one JSON line (medians of RUNS runs):
//   first_image_ms      navigation start -> first image drawn
//   series_loaded_ms    ... -> every chunk of the first series read (the
//                       first pass; older viewers: every frame decoded)
//   walk_max_ms, walk_p95_ms, walk_mean_ms
//                       after the first pass, each slice of the first
//                       series shown in order, then 100 at random: time
//                       from asking for a slice to it being drawn
//   empty_mb            PSS of the browser's processes with an empty page
//   loaded_mb, peak_mb, walked_mb
//                       PSS above empty_mb after the first pass, the
//                       highest sample during the walk, and after it
// Usage: node bench/viewer_timing.js MEDIA_DIR [RUNS] [chromium|firefox]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const pdv = require('../tests/browser/pdv.js');
const { treePssMb } = require('./procmem.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function emptyPage() {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pdv-empty-')), 'empty.htm');
  fs.writeFileSync(f, '<!DOCTYPE html><html><body></body></html>\n');
  return f;
}

// Resolves when every chunk of the series is read: seriesLoaded in
// viewers with a bounded frame cache, seriesDecoded before them.
function firstPass(page, key) {
  return page.evaluate((k) => (PDV.test.seriesLoaded || PDV.test.seriesDecoded)(k), key);
}

async function showTimed(page, key, i) {
  return page.evaluate(async ([k, n]) => {
    const t = performance.now();
    await PDV.test.showImage(k, n);
    return performance.now() - t;
  }, [key, i]);
}

async function walk(page, s) {
  const times = [];
  let peak = 0;
  const order = Array.from({ length: s.count }, (_, i) => i);
  let seed = 12345;
  for (let k = 0; k < 100; k++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    order.push(seed % s.count);
  }
  for (let k = 0; k < order.length; k++) {
    times.push(await showTimed(page, s.key, order[k]));
    if (k % 25 === 0) peak = Math.max(peak, treePssMb());
  }
  times.sort((a, b) => a - b);
  return { max: times[times.length - 1], p95: times[Math.floor(times.length * 0.95)],
    mean: times.reduce((a, b) => a + b, 0) / times.length, peak };
}

async function once(media, browser) {
  const b = await pdv.launch({ browser });
  const empty = emptyPage();
  try {
    const page = await b.ctx.newPage();
    await page.goto(pdv.fileUrl(empty));
    await sleep(1500);
    const base = treePssMb();
    await page.goto(pdv.fileUrl(path.join(media, 'INDEX.HTM')));
    const first = await page.evaluate(() => PDV.test.ready);
    const s = await page.evaluate(() => PDV.test.series()[0]);
    const loaded = await firstPass(page, s.key);
    await sleep(1000);
    const loadedMb = treePssMb();
    const w = await walk(page, s);
    await sleep(1000);
    const walked = treePssMb();
    return { first, loaded, images: s.count, base, loadedMb, peak: Math.max(w.peak, walked),
      walked, w };
  } finally {
    await b.close();
    fs.rmSync(path.dirname(empty), { recursive: true, force: true });
  }
}

(async () => {
  const media = process.argv[2];
  const runs = Number(process.argv[3] || 3);
  const browser = process.argv[4] || 'chromium';
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(media, browser));
  const median = (f) => results.map(f).sort((a, b) => a - b)[Math.floor(runs / 2)];
  const r = (x) => Math.round(x);
  console.log(JSON.stringify({ browser, images: results[0].images, runs,
    first_image_ms: r(median((x) => x.first)), series_loaded_ms: r(median((x) => x.loaded)),
    walk_max_ms: r(median((x) => x.w.max)), walk_p95_ms: r(median((x) => x.w.p95)),
    walk_mean_ms: +median((x) => x.w.mean).toFixed(1),
    empty_mb: r(median((x) => x.base)), loaded_mb: r(median((x) => x.loadedMb - x.base)),
    peak_mb: r(median((x) => x.peak - x.base)), walked_mb: r(median((x) => x.walked - x.base)) }));
})().catch((e) => { console.error(e); process.exit(1); });
