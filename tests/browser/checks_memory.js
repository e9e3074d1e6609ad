/* checks_memory.js - the decoded-frame cache stays within its budget.
 * Opens the medium with a small budget (INDEX.HTM#cache=4, 4 MB: eight
 * 512x512 CT slices), walks the whole first series slice by slice once
 * its chunks are read, and checks after every step that the cache holds
 * no more than the budget; then that a slice the cache dropped is decoded
 * again to exactly the DICOM pixels, and that a JPEG preview of a gray
 * image is kept at one byte per pixel. Used by viewer.test.js. */
'use strict';

const BUDGET_MB = 4;

async function walk(page, key, count, budget) {
  let worst = 0, most = 0;
  for (let i = 0; i < count; i++) {
    const r = await page.evaluate(async ([k, n]) => {
      const st = await PDV.test.showImage(k, n);
      return { st, c: PDV.test.cacheStats() };
    }, [key, i]);
    if (!r.st.drawn || r.st.index !== i) throw new Error('slice ' + i + ' not drawn');
    worst = Math.max(worst, r.c.bytes);
    most = Math.max(most, r.c.frames);
    if (r.c.bytes > budget) throw new Error('after slice ' + i + ': ' + r.c.bytes + ' bytes cached, budget ' + budget);
  }
  return { worst, most };
}

async function checkBounded(t, launchPage) {
  const { exp, expect, check, Skip } = t;
  await check('decoded frames stay within the cache budget; dropped ones decode again exactly', async () => {
    if (!exp) throw new Skip('no expected.json');
    const { page, close } = await launchPage('#cache=' + BUDGET_MB);
    try {
      const key = exp.keys.ct, n = exp.series.find((s) => s.key === key).count;
      const budget = BUDGET_MB * 1024 * 1024;
      await page.evaluate(() => PDV.test.ready);
      const stats = await page.evaluate(() => PDV.test.cacheStats());
      expect(stats.budget === budget, 'budget ' + stats.budget);
      await page.evaluate((k) => PDV.test.seriesLoaded(k), key);
      const w = await walk(page, key, n, budget);
      expect(n > 2 * w.most, n + ' slices walked but ' + w.most + ' held: nothing was dropped');
      expect(!(await page.evaluate((k) => PDV.test.cached(k, 0), key)), 'slice 1 still cached at the end');
      if (!exp.lossy) {
        const raw = exp.raw.find((r) => r.series === key && r.index === 0);
        await t.show(page, key, 0);
        const got = await page.evaluate(() => PDV.test.storedFrame());
        const want = t.readRaw(exp, raw);
        expect(got.values.every((v, i) => v === want[i]), 'slice 1 decoded again differs from the DICOM pixels');
      } else {
        await t.show(page, key, 0);
        const b = await page.evaluate((k) => PDV.test.frameBytes(k, 0), key);
        expect(b === 512 * 512, 'a gray JPEG slice takes ' + b + ' bytes, expected one per pixel');
      }
      return n + ' slices walked, at most ' + w.most + ' frames / ' + (w.worst / 1048576).toFixed(1) +
        ' MB decoded at once (budget ' + BUDGET_MB + ' MB)';
    } finally {
      await close();
    }
  });
}

module.exports = { checkBounded };
