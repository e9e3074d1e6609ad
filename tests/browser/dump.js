#!/usr/bin/env node
/* dump.js - writes the gray values the viewer renders for one image at 1:1
 * (no smoothing) as a binary PGM, for comparison with DCMTK:
 *
 *   node dump.js MEDIA_DIR SERIES INDEX CENTER WIDTH out.pgm
 *   dcmj2pnm --write-raw-pnm --set-window CENTER WIDTH DICOM/... ref.pgm
 *   node dump.js --compare out.pgm ref.pgm      (exit 1 if any |diff| > 1)
 *
 * SERIES is a key of the study index (s0001...), INDEX the image position
 * in it; the DICOM file of that image is printed (images[i].file). */
'use strict';

const path = require('path');
const pdv = require('./pdv');

async function dump(media, key, index, c, w, out) {
  const b = await pdv.launch({ browser: process.env.BROWSER || 'chromium' });
  try {
    const page = await b.ctx.newPage();
    await page.goto(pdv.fileUrl(path.join(media, 'INDEX.HTM')));
    await page.evaluate(() => PDV.test.ready);
    await page.evaluate(([k, i]) => PDV.test.showImage(k, i), [key, index]);
    await page.evaluate(([cc, ww]) => { PDV.test.setZoom(1); PDV.test.setWindow(cc, ww); }, [c, w]);
    const g = await pdv.dumpGray(page, out);
    const file = await page.evaluate(([k, i]) => PDV.store.info(k).series.images[i].file, [key, index]);
    console.log(out + ': ' + g.width + 'x' + g.height + ', DICOM file ' + (file || '(unknown)'));
  } finally {
    await b.close();
  }
}

function compare(a, b) {
  const d = pdv.maxDiff(pdv.readPgm(a), pdv.readPgm(b));
  console.log('max difference ' + d.max + (d.at ? ' at ' + JSON.stringify(d.at) : ''));
  return d.max <= 1 ? 0 : 1;
}

const args = process.argv.slice(2);
if (args[0] === '--compare' && args.length === 3) process.exit(compare(args[1], args[2]));
if (args.length !== 6) {
  console.error('usage: dump.js MEDIA_DIR SERIES INDEX CENTER WIDTH out.pgm | --compare a.pgm b.pgm');
  process.exit(2);
}
dump(path.resolve(args[0]), args[1], +args[2], +args[3], +args[4], args[5]).catch((e) => {
  console.error(e.message);
  process.exit(1);
});
