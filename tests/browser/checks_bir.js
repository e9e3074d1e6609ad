/* checks_bir.js - the IHE Basic Image Review functions of the viewer on the
 * synthetic media of tests/tools/viewer_fixture.py: orientation letters at
 * the right edges (BIR 5.7), angle measurement in degrees (5.10),
 * side-by-side comparison with scrolling linked by Frame of Reference, and
 * the keyboard reaching every tool and preset. Facts come from
 * expected.json, which the fixture worked out by hand. Used by
 * viewer.test.js; t is its context (page, exp, check, expect, show...). */
'use strict';

async function state(page) {
  return page.evaluate(() => PDV.test.state());
}

async function focusImage(page) {
  await page.focus('.pdv-stage[data-vp="0"] .pdv-ovl');
}

// The CSS point of an image pixel (col, row) in viewport n.
async function cssPoint(page, col, row, n) {
  return page.evaluate(([c, r, v]) => {
    const q = PDV.test.imageToCanvas(c - 0.5, r - 0.5, v);
    const box = document.querySelector('.pdv-stage[data-vp="' + (v || 0) + '"] .pdv-ovl').getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    return { x: box.left + q.x / dpr, y: box.top + q.y / dpr };
  }, [col, row, n || 0]);
}

async function checkOrientation(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('orientation letters at the image edges (axial, sagittal, oblique, projection)', async () => {
    if (!exp || !exp.orientation) throw new Skip('no fixture facts');
    const seen = [];
    for (const [key, want] of Object.entries(exp.orientation)) {
      await t.show(page, key, 0);
      const o = await page.evaluate(() => PDV.test.orientation());
      for (const side of ['left', 'right', 'top', 'bottom']) {
        expect(o[side] && o[side].text === want[side],
          key + ' ' + side + ': "' + (o[side] && o[side].text) + '", expected "' + want[side] + '"');
      }
      expect(o.left.x < 40 && o.right.x > o.width - 40, key + ': left/right letters not at the side edges');
      expect(o.top.y < 40 && o.bottom.y > o.height - 40, key + ': top/bottom letters not at the top/bottom');
      expect(Math.abs(o.left.y - o.height / 2) < 20 && Math.abs(o.top.x - o.width / 2) < 20,
        key + ': letters not centred on their edges');
      seen.push(key + ' ' + want.left + '/' + want.right + '/' + want.top + '/' + want.bottom);
    }
    await t.shot(page, 'orientation-oblique');
    const rgb = exp.rgb.series;
    await t.show(page, rgb, 0);
    const none = await page.evaluate(() => PDV.test.orientation());
    expect(!none.left && !none.right, 'letters on an image without orientation: ' + JSON.stringify(none));
    return seen.join(', ');
  });
  await check('O hides and shows the orientation letters', async () => {
    if (!exp || !exp.orientation) throw new Skip('no fixture facts');
    await t.show(page, exp.keys.ct, 0);
    await focusImage(page);
    await page.keyboard.press('o');
    const off = await page.evaluate(() => PDV.test.orientation());
    await page.keyboard.press('o');
    const on = await page.evaluate(() => PDV.test.orientation());
    expect(!off.right && on.right && on.right.text === 'L', 'off ' + JSON.stringify(off.right) + ' on ' + JSON.stringify(on.right));
  });
}

async function checkAngle(t) {
  const { page, exp, expect, check, Skip } = t;
  const want = exp && exp.angle;
  await check('angle in degrees from Pixel Spacing (non-square pixels)', async () => {
    if (!want) throw new Skip('no fixture facts');
    await t.show(page, want.series, want.index);
    const p = want.points;
    const r = await page.evaluate((q) => PDV.test.angle(q[0][0], q[0][1], q[1][0], q[1][1], q[2][0], q[2][1]), p);
    expect(Math.abs(r.degrees - want.degrees) < 0.01, r.degrees + ' degrees, expected ' + want.degrees);
    expect(r.shown.indexOf(want.degrees.toFixed(1) + '\u00b0') >= 0, 'status shows "' + r.shown + '"');
    return r.shown;
  });
  await check('angle tool: three clicks, the middle one the vertex', async () => {
    if (!want) throw new Skip('no fixture facts');
    await t.show(page, want.series, want.index);
    await page.keyboard.press('r');
    await page.keyboard.press('a');
    expect((await state(page)).tool === 'angle', 'A does not select the angle tool');
    for (const [c, r] of want.points) {
      const q = await cssPoint(page, c, r);
      await page.mouse.click(q.x, q.y);
    }
    const text = await page.evaluate(() => PDV.test.measureText());
    const m = /([\d.]+)\u00b0/.exec(text);
    expect(m && Math.abs(+m[1] - want.degrees) < 0.5, 'status "' + text + '", expected ' + want.degrees.toFixed(1));
    await t.shot(page, 'angle');
    return text;
  });
  await check('angle by keyboard: arrows move the cross, Enter places points', async () => {
    if (!want) throw new Skip('no fixture facts');
    await t.show(page, want.series, want.index);
    await page.keyboard.press('r');
    await focusImage(page);
    await page.keyboard.press('a');
    // From the centre: A, then 100 px right (vertex), then 100 up and 100 left.
    const steps = [[], Array(10).fill('Shift+ArrowRight'),
      Array(10).fill('Shift+ArrowUp').concat(Array(10).fill('Shift+ArrowLeft'))];
    for (const keys of steps) {
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
    }
    const text = await page.evaluate(() => PDV.test.measureText());
    expect(text.indexOf(want.degrees.toFixed(1) + '\u00b0') >= 0, 'status "' + text + '"');
    await page.keyboard.press('s');
    return text;
  });
}

async function checkLinked(t, pairs, lead, follow) {
  const { page, expect } = t;
  for (const [i, j] of pairs) {
    await page.evaluate(([k, n]) => PDV.test.showIn(0, k, n), [lead, i]);
    const st = await state(page);
    expect(st.viewports[1].series === follow && st.viewports[1].index === j,
      lead + '[' + i + '] -> ' + st.viewports[1].series + '[' + st.viewports[1].index + '], expected ' + follow + '[' + j + ']');
  }
}

async function checkCompare(t) {
  const { page, exp, expect, check, Skip } = t;
  await check('X compares two series side by side; scrolling linked by Frame of Reference', async () => {
    if (!exp || !exp.linked) throw new Skip('no fixture facts');
    const L = exp.linked;
    await t.show(page, L.lead, 0);
    await focusImage(page);
    await page.keyboard.press('x');
    // compare.js is read after the first image: X may wait for it.
    await page.waitForFunction(() => PDV.test.state().compare, null, { timeout: 10000 }).catch(() => {});
    let st = await state(page);
    expect(st.compare && st.viewports.length === 2, 'X did not open a second viewport');
    expect(st.viewports[1].series === L.follow, 'second viewport shows ' + st.viewports[1].series);
    const boxes = await page.evaluate(() => Array.from(document.querySelectorAll('.pdv-stage'))
      .filter((e) => !e.hidden).map((e) => e.getBoundingClientRect().toJSON()));
    expect(boxes.length === 2 && boxes[1].left >= boxes[0].right - 1 && boxes[0].width > 200,
      'viewports not side by side: ' + JSON.stringify(boxes));
    await checkLinked(t, L.pairs, L.lead, L.follow);
    await page.evaluate((k) => PDV.test.showIn(0, k, 12), L.lead);
    await focusImage(page);
    await page.keyboard.press('ArrowDown');
    st = await state(page);
    expect(st.viewports[0].index === 13 && st.viewports[1].index === 3,
      'ArrowDown: ' + st.viewports[0].index + ' / ' + st.viewports[1].index);
    await t.shot(page, 'compare-linked');
    return L.pairs.length + ' linked positions';
  });
  await check('compare: different frames of reference are not linked; V and L', async () => {
    if (!exp || !exp.linked) throw new Skip('no fixture facts');
    const L = exp.linked;
    await page.evaluate((k) => PDV.test.showIn(1, k, 2), exp.unlinked);
    await page.evaluate((k) => PDV.test.showIn(0, k, 30), L.lead);
    let st = await state(page);
    expect(st.viewports[1].series === exp.unlinked && st.viewports[1].index === 2,
      'an MR followed a CT: ' + JSON.stringify(st.viewports[1]));
    await page.evaluate((k) => PDV.test.showIn(1, k, 0), L.follow);
    await focusImage(page);
    await page.keyboard.press('l');
    await page.waitForFunction(() => !PDV.test.state().linked, null, { timeout: 10000 }).catch(() => {});
    st = await state(page);
    expect(!st.linked, 'L did not unlink');
    await page.evaluate((k) => PDV.test.showIn(0, k, 39), L.lead);
    st = await state(page);
    expect(st.viewports[1].index === 0, 'unlinked viewport moved to ' + st.viewports[1].index);
    await page.keyboard.press('l');
    await page.waitForFunction(() => PDV.test.state().linked, null, { timeout: 10000 }).catch(() => {});
    await page.keyboard.press('v');
    st = await state(page);
    expect(st.active === 1 && st.linked, 'V: active ' + st.active + ', linked ' + st.linked);
    await page.keyboard.press('x');
    await page.waitForFunction(() => !PDV.test.state().compare, null, { timeout: 10000 }).catch(() => {});
    st = await state(page);
    expect(!st.compare && st.active === 0 && st.viewports.length === 1, 'X did not close the comparison');
  });
}

// What the keys must reach: HU windows on lossless CT, contrast presets
// on the display values of a lossy preview.
function presetFacts(exp) {
  if (exp && exp.lossy) return { reach: ['128/128', '128/384'], key: 'Shift+Digit2', c: 128, w: 128 };
  return { reach: ['-600/1500', '300/1500', '40/80'], key: 'Shift+Digit6', c: 40, w: 80 };
}

async function presetWalk(t, ct) {
  const { page, expect } = t;
  await t.show(page, ct, 0);
  await page.focus('select.pdv-presets');
  const windows = [];
  for (let k = 0; k < 6; k++) {
    await page.keyboard.press('ArrowDown');
    const st = await state(page);
    windows.push(st.center + '/' + st.width);
  }
  for (const w of presetFacts(t.exp).reach) {
    expect(windows.includes(w), 'arrow keys on the closed list never reached ' + w + ': ' + windows.join(' '));
  }
  return windows;
}

async function checkKeyboard(t) {
  const { page, exp, expect, check } = t;
  const ct = exp ? exp.keys.ct : t.index[0].key;
  await check('keyboard: arrow keys walk the closed preset list (every preset reachable)', async () => {
    const w = await presetWalk(t, ct);
    return w.join(' ');
  });
  await check('keyboard: Shift+digit picks a preset, tools act on arrow keys', async () => {
    await t.show(page, ct, 0);
    await focusImage(page);
    await page.keyboard.press('r');
    const f = presetFacts(exp);
    await page.keyboard.press(f.key);
    let st = await state(page);
    expect(st.center === f.c && st.width === f.w, f.key + ': ' + st.center + '/' + st.width);
    await page.keyboard.press('w');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    const w = await state(page);
    expect(w.width > f.w && w.center < f.c, 'window keys: ' + w.center + '/' + w.width);
    await page.keyboard.press('z');
    await page.keyboard.press('ArrowUp');
    const z = await state(page);
    expect(z.zoom > st.zoom * 1.05, 'zoom key: ' + st.zoom + ' -> ' + z.zoom);
    await page.keyboard.press('p');
    await page.keyboard.press('ArrowRight');
    const p = await state(page);
    expect(p.panX > z.panX, 'pan key: ' + z.panX + ' -> ' + p.panX);
    await page.keyboard.press('r');
    await page.keyboard.press('m');
    await page.keyboard.press('Enter');
    for (let k = 0; k < 10; k++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Enter');
    const text = await page.evaluate(() => PDV.test.measureText());
    // 100 pixels of 0.5 mm.
    expect(text.indexOf('50.0 mm') >= 0, 'length by keyboard: "' + text + '"');
    await page.keyboard.press('s');
    await page.keyboard.press('.');
    st = await state(page);
    expect(st.index === 1 && st.tool === 'scroll', '. steps to ' + st.index);
    return text;
  });
  await check('help lists the keys of every tool and of comparison', async () => {
    await page.keyboard.press('h');
    const text = await page.locator('.pdv-help').innerText();
    await page.keyboard.press('Escape');
    for (const k of ['Shift + 1', 'S W Z P M (or D) A', 'Enter places a point', 'compare', 'link']) {
      expect(text.toLowerCase().indexOf(k.toLowerCase()) >= 0, 'help lacks "' + k + '"');
    }
  });
}

module.exports = { checkOrientation, checkAngle, checkCompare, checkKeyboard };
