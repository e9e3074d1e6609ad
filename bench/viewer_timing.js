// Times the viewer on real media in Chromium, opened by file://: time to
// the first image, and until the first series is fully decoded.  Prints
// one JSON line.  Usage: node bench/viewer_timing.js MEDIA_DIR [RUNS]
'use strict';
const path = require('path');
const pdv = require('../tests/browser/pdv.js');

async function once(media) {
  const b = await pdv.launch({});
  try {
    const page = await b.ctx.newPage();
    await page.goto(pdv.fileUrl(path.join(media, 'INDEX.HTM')));
    const first = await page.evaluate(() => PDV.test.ready);
    const s = await page.evaluate(() => PDV.test.series()[0]);
    const all = await page.evaluate((k) => PDV.test.seriesDecoded(k), s.key);
    return { first, all, images: s.count };
  } finally {
    await b.close();
  }
}

(async () => {
  const media = process.argv[2];
  const runs = Number(process.argv[3] || 3);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(media));
  const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs / 2)];
  console.log(JSON.stringify({ first_image_ms: Math.round(median('first')),
    series_decoded_ms: Math.round(median('all')), images: results[0].images, runs }));
})().catch((e) => { console.error(e); process.exit(1); });
