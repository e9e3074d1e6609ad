/* checks_display.js - what the viewer says and how it lays out, on the
 * synthetic media of tests/tools/viewer_fixture.py: person names with
 * component groups formatted as INDEX.HTM does, honest readouts of lossy
 * images, a banner that does not move the image, tiny images magnified
 * without blur, readable preset lists, links that keep the viewer, a
 * report-only study that can be opened, "Disc k of n", preview presets of
 * payload lite, and a status line that follows the image shown. Used by
 * viewer.test.js; t is its context (page, exp, check, expect, show...). */
'use strict';

async function stageBox(page) {
  return page.evaluate(() => document.querySelector('.pdv-stage[data-vp="0"]').getBoundingClientRect().toJSON());
}

async function checkNames(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('names with component groups shown as INDEX.HTM shows them', async () => {
    const p = exp && exp.patients.find((x) => x.name.indexOf('=') >= 0);
    if (!p) throw new Skip('no such patient in the fixture');
    await t.show(page, exp.keys.cr, 0);
    const shown = await page.evaluate(() => ({ banner: document.querySelector('.pdv-name').textContent,
      corner: document.querySelector('.pdv-stage[data-vp="0"] .pdv-tl div').textContent }));
    expect(shown.banner === p.shown && shown.corner === p.shown,
      'banner "' + shown.banner + '", corner "' + shown.corner + '", expected "' + p.shown + '"');
    return shown.banner;
  });
}

async function checkReadoutWording(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('readout of a lossy original or a preview says what the value is', async () => {
    if (!exp) throw new Skip('no expected.json');
    const key = exp.lossy ? exp.keys.ct : exp.lossy_original;
    await t.show(page, key, 0);
    const text = await page.evaluate(() => PDV.test.readout(20, 30));
    expect(text.indexOf('display') < 0, '"' + text + '" says display');
    if (exp.lossy) expect(/preview gray \d+ .*not a DICOM value/.test(text), '"' + text + '"');
    else expect(/value \d+ \(lossy original\)/.test(text), '"' + text + '"');
    return text;
  });
}

async function checkBannerLayout(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('the lossy notice does not move the image (1366, 1024, 760 px wide)', async () => {
    if (!exp || exp.lossy) throw new Skip('needs lossless and lossy series on one medium');
    const sizes = [[1366, 768], [1024, 768], [760, 700]], notes = [];
    for (const [w, h] of sizes) {
      await page.setViewportSize({ width: w, height: h });
      await t.show(page, exp.keys.ct, 0);
      const a = await stageBox(page);
      const before = await page.evaluate(() => PDV.test.lossyText());
      await t.show(page, exp.lossy_original, 0);
      const b = await stageBox(page);
      const notice = await page.evaluate(() => PDV.test.lossyText());
      expect(!before && /not for diagnosis/.test(notice), w + ': notice "' + before + '" -> "' + notice + '"');
      expect(a.top === b.top && a.height === b.height && a.left === b.left && a.width === b.width,
        w + ' px: image area moved from ' + JSON.stringify(a) + ' to ' + JSON.stringify(b));
      notes.push(w + ': top ' + a.top);
      if (w === 760) await t.shot(page, 'lossy-banner-narrow');
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    return notes.join(', ');
  });
}

async function checkTiny(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('a 32x32 image magnified shows its pixels (no smoothing above 2x)', async () => {
    if (!exp || !exp.tiny) throw new Skip('no fixture facts');
    if (exp.lossy) throw new Skip('JPEG preview of a checkerboard is not two-valued');
    await t.show(page, exp.tiny.series, 0);
    await page.keyboard.press('f');
    const [c, w] = exp.tiny.window;
    const r = await page.evaluate(([cc, ww]) => {
      PDV.test.setWindow(cc, ww);
      const st = PDV.test.state(), a = PDV.test.imageToCanvas(-0.5, -0.5), b = PDV.test.imageToCanvas(31.5, 31.5);
      const vals = {};
      let n = 0;
      for (let y = Math.ceil(a.y) + 1; y < b.y - 1; y += 3) {
        for (let x = Math.ceil(a.x) + 1; x < b.x - 1; x += 3) {
          const v = PDV.test.canvasPixel(x, y);
          vals[v] = (vals[v] || 0) + 1;
          n++;
        }
      }
      return { zoom: st.zoom, vals, n };
    }, [c, w]);
    const levels = Object.keys(r.vals).map(Number);
    expect(r.zoom >= 2, 'fit zoom ' + r.zoom);
    expect(levels.every((v) => v === 0 || v === 255) && levels.length === 2,
      'gray levels between black and white at zoom ' + r.zoom.toFixed(1) + ': ' + JSON.stringify(r.vals));
    await t.shot(page, 'tiny-nearest');
    return r.n + ' canvas pixels, all black or white at zoom ' + r.zoom.toFixed(1);
  });
}

// WCAG contrast ratio of two CSS rgb() colours.
function contrast(a, b) {
  const lum = (s) => {
    const c = s.match(/\d+(\.\d+)?/g).slice(0, 3).map((x) => {
      const v = +x / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function checkSelectColours(t) {
  const { page, expect, check } = t;
  await check('the preset list has its own colours (WebKit drew it near-white on grey)', async () => {
    const s = await page.evaluate(() => {
      const sel = document.querySelector('select.pdv-presets'), opt = sel.querySelector('option');
      const cs = getComputedStyle(sel), co = getComputedStyle(opt);
      return { app: cs.appearance || cs.webkitAppearance, color: cs.color, bg: cs.backgroundColor,
        ocolor: co.color, obg: co.backgroundColor };
    });
    expect(s.app === 'none', 'select appearance ' + s.app + ' (the system theme draws it)');
    const c1 = contrast(s.color, s.bg), c2 = contrast(s.ocolor, s.obg);
    expect(c1 >= 7 && c2 >= 7, 'contrast select ' + c1.toFixed(1) + ', option ' + c2.toFixed(1) + ': ' + JSON.stringify(s));
    return 'contrast ' + c1.toFixed(1) + ' / ' + c2.toFixed(1);
  });
}

async function checkMediaLinks(t) {
  const { page, expect, check } = t;
  await check('links in "Media contents" open in a new tab and keep the viewer', async () => {
    const before = page.url();
    await page.locator('.pdv-actions button', { hasText: 'Media contents' }).click();
    const targets = await page.evaluate(() => Array.from(document.querySelectorAll('.pdv-static-copy a[href]'))
      .map((a) => a.getAttribute('target')));
    expect(targets.length && targets.every((x) => x === '_blank'), 'link targets ' + JSON.stringify(targets));
    const [popup] = await Promise.all([page.context().waitForEvent('page', { timeout: 10000 }),
      page.locator('.pdv-static-copy a[href]').first().click()]);
    await popup.close();
    expect(page.url() === before, 'the viewer page went to ' + page.url());
    expect(await page.evaluate(() => !!PDV.test.state().series), 'the viewer lost its state');
    await page.keyboard.press('Escape');
    return targets.length + ' links';
  });
}

async function checkReportOnly(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('a study with only a report has a clickable entry that shows it', async () => {
    if (!exp || !exp.report_only) throw new Skip('no fixture facts');
    const href = exp.report_only.href;
    const btn = page.locator('.pdv-side button[data-report="' + href + '"]');
    expect(await btn.count() === 1, 'no entry for ' + href + ' in the series list');
    await btn.click();
    const src = await page.locator('iframe.pdv-report').getAttribute('src');
    expect(src && src.endsWith(href), 'report panel shows ' + src);
    const title = await page.locator('.pdv-ptitle').innerText();
    expect(title.indexOf(exp.report_only.study) >= 0, 'panel title "' + title + '"');
    await t.shot(page, 'report-only-study');
    await page.keyboard.press('Escape');
    return title;
  });
}

async function checkDisc(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('"Disc k of n" in the banner when the study spans discs', async () => {
    if (!exp || !exp.volume) throw new Skip('no fixture facts');
    const text = await page.evaluate(() => {
      const d = document.querySelector('.pdv-disc');
      return d && !d.hidden ? d.textContent : '';
    });
    const v = exp.volume;
    if (v.count > 1) expect(text === 'Disc ' + v.index + ' of ' + v.count, 'banner "' + text + '"');
    else expect(!text, 'single disc shows "' + text + '"');
    return text || 'single disc, nothing shown';
  });
}

async function checkLitePresets(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('lossy previews offer display-value presets only, labelled as such', async () => {
    if (!exp || !exp.lossy) throw new Skip('lossless payload');
    await t.show(page, exp.keys.ct, 0);
    const o = await page.evaluate(() => ({
      groups: Array.from(document.querySelectorAll('select.pdv-presets optgroup')).map((g) => g.label),
      options: Array.from(document.querySelectorAll('select.pdv-presets option')).map((x) => x.textContent) }));
    expect(o.groups.some((g) => /not HU/.test(g)), 'groups ' + JSON.stringify(o.groups));
    expect(!o.options.some((x) => /Lung|Bone|Brain|DICOM/.test(x)), 'HU presets on a preview: ' + JSON.stringify(o.options));
    await page.keyboard.press('Shift+Digit2');
    const st = await page.evaluate(() => PDV.test.state());
    expect(st.center === 128 && st.width === 128, 'preset 2 on a preview: ' + st.center + '/' + st.width);
    return o.groups.join('; ');
  });
}

async function checkMeasureStatus(t) {
  const { page, exp, expect, check } = t;
  await check('a measurement stays with its image, not in the status bar of others', async () => {
    const key = exp ? exp.keys.ct : t.index[0].key;
    await t.show(page, key, 2);
    await page.keyboard.press('r');
    const r = await page.evaluate(() => PDV.test.measure(10, 10, 110, 10));
    expect(/mm/.test(r.shown), 'status "' + r.shown + '"');
    await t.show(page, key, 3);
    const other = await page.evaluate(() => PDV.test.measureText());
    await t.show(page, key, 2);
    const back = await page.evaluate(() => PDV.test.measureText());
    expect(!other, 'image 4 shows "' + other + '"');
    expect(back.indexOf(r.text) >= 0, 'back on image 3: "' + back + '"');
    await page.keyboard.press('r');
  });
}

async function checkAll(t) {
  await checkNames(t);
  await checkReadoutWording(t);
  await checkBannerLayout(t);
  await checkTiny(t);
  await checkSelectColours(t);
  await checkMediaLinks(t);
  await checkReportOnly(t);
  await checkDisc(t);
  await checkLitePresets(t);
  await checkMeasureStatus(t);
}

module.exports = { checkAll, contrast };
