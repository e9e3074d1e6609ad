/* viewport.js - the image viewports: each with its own view state (series,
 * image, window per series, zoom, pan, invert), canvases, corner
 * annotations, orientation letters and message box. One viewport shows at
 * start; comparison (compare.js) shows a second beside it. Commands act on
 * the active one, which a click, a touch or V selects (BIR 5.2). */
(function (PDV) {
  'use strict';

  var h = PDV.h;
  var vps = PDV.vps = { list: [], active: null, compare: false };
  var box = null;

  function newView() {
    return { key: null, index: 0, windows: {}, invert: false,
      scale: 1, panX: 0, panY: 0, fit: true, dir: 1 };
  }

  function make(n) {
    var vp = { id: n, view: newView() };
    vp.canvas = h('canvas', { class: 'pdv-img', 'aria-hidden': 'true' });
    vp.ovl = h('canvas', { class: 'pdv-ovl', tabindex: '0', role: 'img',
      'aria-label': 'Image viewport ' + (n + 1) + '. Arrow keys use the active tool; ' +
        'H lists every key.' });
    vp.ann = ['tl', 'tr', 'bl', 'br'].map(function (c) {
      return h('div', { class: 'pdv-ann pdv-' + c, 'aria-hidden': 'true' });
    });
    vp.orient = {};
    ['left', 'right', 'top', 'bottom'].forEach(function (side) {
      vp.orient[side] = h('div', { class: 'pdv-or pdv-or-' + side, 'aria-hidden': 'true' });
    });
    vp.msg = h('div', { class: 'pdv-msg', role: 'status', 'aria-live': 'polite', hidden: true });
    vp.stage = h('div', { class: 'pdv-stage', 'data-vp': String(n) },
      [vp.canvas, vp.ovl].concat(vp.ann, [vp.orient.left, vp.orient.right, vp.orient.top,
        vp.orient.bottom, vp.msg]));
    vp.stage.addEventListener('pointerdown', function () { vps.setActive(vp); }, true);
    vp.ovl.addEventListener('focus', function () { vps.setActive(vp); });
    return vp;
  }

  vps.build = function () {
    vps.list = [make(0), make(1)];
    vps.list[1].stage.hidden = true;
    vps.active = vps.list[0];
    box = h('div', { class: 'pdv-stages' }, vps.list.map(function (vp) { return vp.stage; }));
    markActive();
    return box;
  };

  function markActive() {
    vps.list.forEach(function (vp) {
      vp.stage.classList.toggle('pdv-active', vp === vps.active && vps.compare);
    });
  }

  vps.visible = function () {
    return vps.compare ? vps.list.slice() : [vps.list[0]];
  };

  vps.other = function (vp) {
    return vps.compare ? vps.list[(vp || vps.active).id ? 0 : 1] : null;
  };

  vps.setActive = function (vp) {
    if (!vp || vp === vps.active || (vp.id && !vps.compare)) return;
    vps.active = vp;
    markActive();
    PDV.emit('active', vp);
  };

  vps.setCompare = function (on) {
    vps.compare = !!on;
    vps.list[1].stage.hidden = !vps.compare;
    box.classList.toggle('pdv-two', vps.compare);
    if (!vps.compare && vps.active.id) vps.active = vps.list[0];
    markActive();
    PDV.emit('layout', vps.compare);
  };

  // What is on screen, for the frame cache and the chunk order.
  vps.focus = function () {
    return vps.visible().filter(function (vp) { return vp.view.key; }).map(function (vp) {
      return { key: vp.view.key, index: vp.view.index, dir: vp.view.dir };
    });
  };

  // A message over one viewport's image; showFolder adds the folder button.
  vps.message = function (vp, text, showFolder) {
    vp.msg.textContent = '';
    if (!text) { vp.msg.hidden = true; return; }
    vp.msg.hidden = false;
    vp.msg.appendChild(h('p', {}, [text]));
    if (showFolder) vp.msg.appendChild(h('button', { type: 'button', class: 'pdv-btn',
      onclick: function () { PDV.ui.openFolder(); } }, ['Open DICOM folder']));
  };

  vps.resetViews = function () {
    vps.list.forEach(function (vp) { vp.view = newView(); });
  };

  vps.drawAll = function () {
    vps.visible().forEach(function (vp) { PDV.ui.draw(vp); });
  };
})(window.PDV);
