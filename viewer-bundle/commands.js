/* commands.js - every user action in one table, shared by the toolbar and
 * the keyboard so the two cannot drift apart: modal tools (BIR 5.13),
 * window presets, invert, zoom, reset, cine, panels, and the shortcuts
 * (arrows/PageUp/PageDown, +/-, W Z P M S, R, I, C, T...). */
(function (PDV) {
  'use strict';

  var view = PDV.view, render = PDV.render, tools = PDV.tools;
  var h = PDV.h, presetSel = null, toolButtons = {}, cineBtn = null, fpsInput = null;

  var CT_PRESETS = [['Soft tissue', 40, 400], ['Lung', -600, 1500],
    ['Bone', 300, 1500], ['Brain', 40, 80]];

  function reset() {
    if (view.key) delete view.windows[view.key];
    view.invert = false;
    view.fit = true;
    tools.clearMeasures();
    PDV.ui.draw();
    PDV.emit('window', render.window());
  }

  function invert() {
    view.invert = !view.invert;
    PDV.ui.draw();
  }

  function fit() {
    view.fit = true;
    PDV.ui.draw();
  }

  var TOOLS = [['scroll', 'Scroll', 'S'], ['window', 'Window', 'W'], ['zoom', 'Zoom', 'Z'],
    ['pan', 'Pan', 'P'], ['measure', 'Measure', 'M']];

  // key -> action; keys are KeyboardEvent.key values, letters lower case.
  var KEYS = {
    ArrowUp: function () { PDV.ui.step(-1); }, ArrowLeft: function () { PDV.ui.step(-1); },
    ArrowDown: function () { PDV.ui.step(1); }, ArrowRight: function () { PDV.ui.step(1); },
    PageUp: function () { PDV.ui.stepSeries(-1); }, PageDown: function () { PDV.ui.stepSeries(1); },
    Home: function () { PDV.ui.showIndex(0); }, End: function () { PDV.ui.showIndex(1e9); },
    '+': function () { tools.zoomBy(1.25); }, '=': function () { tools.zoomBy(1.25); },
    '-': function () { tools.zoomBy(0.8); }, r: reset, i: invert, f: fit,
    '1': function () { tools.setZoom(1); },
    c: function () { PDV.cine.toggle(); }, t: function () { PDV.panels.toggle('tags'); },
    e: function () { PDV.panels.toggle('report'); }, o: function () { PDV.ui.toggleOverlay(); },
    h: function () { PDV.panels.toggle('help'); }, '?': function () { PDV.panels.toggle('help'); },
    Escape: function () { PDV.cine.stop(); PDV.panels.close(); }
  };
  TOOLS.forEach(function (t) {
    KEYS[t[2].toLowerCase()] = function () { tools.setTool(t[0]); };
  });

  function typing(e) {
    var t = e.target, tag = t && t.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag === 'INPUT' && !/^(range|button|checkbox)$/.test(t.type)) return true;
    // The slider handles its own arrow keys.
    return tag === 'INPUT' && t.type === 'range' && /^Arrow|^Page|^Home|^End/.test(e.key);
  }

  document.addEventListener('keydown', function (e) {
    var k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (e.ctrlKey || e.metaKey || e.altKey || (k !== 'Escape' && typing(e))) return;
    var fn = KEYS[k];
    if (!fn) return;
    if (k === 'Escape' && !PDV.panels.isOpen() && !PDV.cine.playing) return;
    e.preventDefault();
    fn();
  });

  function btn(label, title, fn, extra) {
    var a = { type: 'button', class: 'pdv-btn', title: title, 'aria-label': title, onclick: fn };
    for (var k in extra || {}) a[k] = extra[k];
    return h('button', a, [label]);
  }

  function presetOptions() {
    if (!presetSel) return;
    var cur = render.current();
    presetSel.textContent = '';
    presetSel.appendChild(h('option', { value: '' }, ['Window presets\u2026']));
    if (!cur) return;
    var im = cur.image, n = 0;
    (im.window || []).forEach(function (w) {
      presetSel.appendChild(h('option', { value: w[0] + '/' + w[1] },
        ['DICOM ' + (++n) + ': L ' + w[0] + ' W ' + w[1]]));
    });
    if (cur.series.modality === 'CT' && cur.series.codec !== 'jpeg')
      CT_PRESETS.forEach(function (p) {
        presetSel.appendChild(h('option', { value: p[1] + '/' + p[2] },
          [p[0] + ': L ' + p[1] + ' W ' + p[2]]));
      });
    presetSel.appendChild(h('option', { value: 'auto' }, ['Auto (min/max)']));
  }

  function applyPreset() {
    var v = presetSel.value, cur = render.current();
    presetSel.value = '';
    if (!v || !cur || !cur.frame || cur.frame.kind === 'error') return;
    if (v === 'auto') {
      var w = render.autoWindow(cur.series, cur.image, cur.frame);
      return tools.setWindow(w[0], w[1]);
    }
    var p = v.split('/');
    tools.setWindow(+p[0], +p[1]);
  }

  PDV.toolbar = function () {
    var bar = h('div', { class: 'pdv-toolbar', role: 'toolbar', 'aria-label': 'Image tools' });
    TOOLS.forEach(function (t) {
      var b = toolButtons[t[0]] = btn(t[1], t[1] + ' tool (' + t[2] + ')',
        function () { tools.setTool(t[0]); }, { 'aria-pressed': t[0] === tools.active ? 'true' : 'false' });
      bar.appendChild(b);
    });
    presetSel = h('select', { class: 'pdv-presets', 'aria-label': 'Window presets', onchange: applyPreset });
    bar.appendChild(presetSel);
    bar.appendChild(btn('Invert', 'Invert gray scale (I)', invert));
    bar.appendChild(btn('\u2212', 'Zoom out (-)', function () { tools.zoomBy(0.8); }));
    bar.appendChild(btn('+', 'Zoom in (+)', function () { tools.zoomBy(1.25); }));
    bar.appendChild(btn('Fit', 'Fit image to window (F)', fit));
    bar.appendChild(btn('1:1', 'One image pixel per screen pixel (1)', function () { tools.setZoom(1); }));
    bar.appendChild(btn('Reset', 'Reset window, zoom, pan and measurements (R)', reset));
    cineBtn = btn('\u25b6 Cine', 'Play or pause cine (C)', function () { PDV.cine.toggle(); },
      { 'aria-pressed': 'false' });
    fpsInput = h('input', { type: 'number', min: '1', max: '60', value: String(PDV.cine.fps),
      class: 'pdv-fps', 'aria-label': 'Cine frames per second', title: 'Frames per second',
      onchange: function () { PDV.cine.setFps(+fpsInput.value); } });
    bar.appendChild(cineBtn);
    bar.appendChild(h('label', { class: 'pdv-fpsl' }, [fpsInput, ' fps']));
    bar.appendChild(btn('Tags', 'DICOM tags of this image (T)', function () { PDV.panels.toggle('tags'); }));
    bar.appendChild(btn('Report', 'Reports of this study (E)', function () { PDV.panels.toggle('report'); }));
    return bar;
  };

  PDV.on('tool', function (name) {
    Object.keys(toolButtons).forEach(function (k) {
      toolButtons[k].setAttribute('aria-pressed', k === name ? 'true' : 'false');
    });
    var ovl = document.querySelector('.pdv-ovl');
    if (ovl) ovl.setAttribute('data-tool', name);
  });
  PDV.on('series', presetOptions);
  PDV.on('cine', function (playing) {
    if (!cineBtn) return;
    cineBtn.textContent = playing ? '\u275a\u275a Pause' : '\u25b6 Cine';
    cineBtn.setAttribute('aria-pressed', playing ? 'true' : 'false');
  });

  PDV.commands = { reset: reset, invert: invert, fit: fit, keys: KEYS, tools: TOOLS };
})(window.PDV);
