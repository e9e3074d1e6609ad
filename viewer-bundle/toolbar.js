/* toolbar.js - the row of controls above the images: the modal tools
 * with their pressed state (BIR 5.13), the window preset list, view
 * actions, comparison and link, cine and the panels. Every control calls
 * the same functions as its key (commands.js); the preset list keeps the
 * chosen entry selected, so arrow keys on the closed list walk through it. */
(function (PDV) {
  'use strict';

  var h = PDV.h, btn = PDV.button, cmd = PDV.commands, tools = PDV.tools, render = PDV.render;
  var presetSel = null, toolButtons = {}, cineBtn = null, fpsInput = null;
  var compareBtn = null, linkBtn = null, shown = [];

  // Options numbered as Shift+digit selects them, grouped by their source.
  function fillPresets() {
    var cur = render.current(PDV.vps.active);
    presetSel.textContent = '';
    presetSel.appendChild(h('option', { value: '' }, ['Window presets\u2026']));
    shown = cur ? PDV.presets(cur.series, cur.image) : [];
    var group = null, label = '';
    shown.forEach(function (p, i) {
      if (p.group !== label) {
        label = p.group;
        group = presetSel.appendChild(h('optgroup', { label: label }));
      }
      group.appendChild(h('option', { value: String(i + 1) }, [(i + 1) + ' \u00b7 ' + p.label]));
    });
    markPreset();
  }

  // The window a preset sets on the active image (Auto: its min/max).
  function presetWindow(p) {
    if (!p.auto) return [p.c, p.w];
    var cur = render.current(PDV.vps.active);
    return cur && cur.frame && cur.frame.kind !== 'error' ?
      render.autoWindow(cur.series, cur.image, cur.frame) : null;
  }

  function matches(p, w) {
    var pw = p && w ? presetWindow(p) : null;
    return !!(pw && pw[0] === w[0] && pw[1] === w[1]);
  }

  // Selects the preset the current window equals, else the title entry.
  // The entry already selected wins when it matches (two presets may be
  // equal), else the arrow keys would jump back to the first of them.
  function markPreset() {
    if (!presetSel) return;
    var w = render.window(PDV.vps.active), val = '';
    if (matches(shown[+presetSel.value - 1], w)) return;
    shown.forEach(function (p, i) {
      if (!val && matches(p, w)) val = String(i + 1);
    });
    if (presetSel.value !== val) presetSel.value = val;
  }

  function applyPreset() {
    if (presetSel.value) cmd.preset(+presetSel.value);
  }

  function toolButton(t) {
    var b = toolButtons[t[0]] = btn(t[1], t[1] + ' tool (' + t[2] + '): ' + t[3],
      function () { tools.setTool(t[0]); }, { 'aria-pressed': t[0] === tools.active ? 'true' : 'false' });
    return b;
  }

  function viewButtons(bar) {
    bar.appendChild(btn('Invert', 'Invert gray scale (I)', cmd.invert));
    bar.appendChild(btn('\u2212', 'Zoom out (-)', function () { tools.zoomBy(0.8); }));
    bar.appendChild(btn('+', 'Zoom in (+)', function () { tools.zoomBy(1.25); }));
    bar.appendChild(btn('Fit', 'Fit image to window (F)', cmd.fit));
    bar.appendChild(btn('1:1', 'One image pixel per screen pixel (1)', function () { tools.setZoom(1); }));
    bar.appendChild(btn('Reset', 'Reset window, zoom, pan and measurements (R)', cmd.reset));
  }

  function compareButtons(bar) {
    compareBtn = btn('Compare', 'Two series side by side (X)', function () { cmd.keys.x(); },
      { 'aria-pressed': 'false' });
    linkBtn = btn('Link', 'Link scrolling of the two viewports (L); only series in the same ' +
      'frame of reference are linked', function () { cmd.keys.l(); },
      { 'aria-pressed': 'true', hidden: true });
    bar.appendChild(compareBtn);
    bar.appendChild(linkBtn);
  }

  function cineControls(bar) {
    cineBtn = btn('\u25b6 Cine', 'Play or pause cine (C)', function () { PDV.cine.toggle(); },
      { 'aria-pressed': 'false' });
    fpsInput = h('input', { type: 'number', min: '1', max: '60', value: String(PDV.cine.fps),
      class: 'pdv-fps', 'aria-label': 'Cine frames per second', title: 'Frames per second',
      onchange: function () { PDV.cine.setFps(+fpsInput.value); } });
    bar.appendChild(cineBtn);
    bar.appendChild(h('label', { class: 'pdv-fpsl' }, [fpsInput, ' fps']));
  }

  PDV.toolbar = function () {
    var bar = h('div', { class: 'pdv-toolbar', role: 'toolbar', 'aria-label': 'Image tools' });
    cmd.TOOLS.forEach(function (t) { bar.appendChild(toolButton(t)); });
    presetSel = h('select', { class: 'pdv-presets', title: 'Window presets (Shift + 1 \u2026 9)',
      'aria-label': 'Window presets', onchange: applyPreset });
    bar.appendChild(presetSel);
    viewButtons(bar);
    compareButtons(bar);
    cineControls(bar);
    bar.appendChild(btn('Tags', 'DICOM tags of this image (T)', function () { PDV.panels.toggle('tags'); }));
    bar.appendChild(btn('Report', 'Reports of this study (E)', function () { PDV.panels.toggle('report'); }));
    return bar;
  };

  PDV.on('tool', function (name) {
    Object.keys(toolButtons).forEach(function (k) {
      toolButtons[k].setAttribute('aria-pressed', k === name ? 'true' : 'false');
    });
    PDV.vps.list.forEach(function (vp) { vp.ovl.setAttribute('data-tool', name); });
  });
  PDV.on('series', fillPresets);
  PDV.on('active', fillPresets);
  PDV.on('window', markPreset);
  PDV.on('drawn', function (e) { if (e.vp === PDV.vps.active) markPreset(); });
  PDV.on('compare', function (on) {
    compareBtn.setAttribute('aria-pressed', on ? 'true' : 'false');
    linkBtn.hidden = !on;
  });
  PDV.on('link', function (on) { linkBtn.setAttribute('aria-pressed', on ? 'true' : 'false'); });
  PDV.on('cine', function (playing) {
    if (!cineBtn) return;
    cineBtn.textContent = playing ? '\u275a\u275a Pause' : '\u25b6 Cine';
    cineBtn.setAttribute('aria-pressed', playing ? 'true' : 'false');
  });
})(window.PDV);
