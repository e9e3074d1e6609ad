/* tools.js - what the pointer does on the image: the modal tools of BIR
 * (scroll, window, zoom, pan, distance), right-drag windowing, wheel
 * scrolling, two-finger pinch on touch screens, the pixel readout and the
 * measurement overlay. Window drag follows BIR 5.4: right = wider window,
 * up = lower centre. */
(function (PDV) {
  'use strict';

  var view = PDV.view, render = PDV.render;
  var tools = PDV.tools = { active: 'scroll' };
  var overlay = null, octx = null, pointers = {}, action = null, pinch = null;
  var measures = {};

  tools.attach = function (ovl) {
    overlay = ovl;
    octx = ovl.getContext('2d');
    ovl.addEventListener('pointerdown', down);
    ovl.addEventListener('pointermove', move);
    ovl.addEventListener('pointerup', up);
    ovl.addEventListener('pointercancel', up);
    ovl.addEventListener('pointerleave', function () { PDV.emit('readout', null); });
    ovl.addEventListener('wheel', wheel, { passive: false });
    ovl.addEventListener('contextmenu', function (e) { e.preventDefault(); });
    PDV.on('drawn', drawOverlay);
  };

  tools.setTool = function (name) {
    tools.active = name;
    PDV.emit('tool', name);
  };

  function canvasXY(e) {
    var r = overlay.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    return { x: (e.clientX - r.left) * dpr, y: (e.clientY - r.top) * dpr };
  }

  function toolFor(e) {
    if (e.pointerType === 'mouse' && e.button === 2) return 'window';
    if (e.pointerType === 'mouse' && e.button === 1) return 'pan';
    return tools.active;
  }

  function down(e) {
    overlay.setPointerCapture(e.pointerId);
    pointers[e.pointerId] = canvasXY(e);
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      action = null;
      pinch = startPinch();
      return;
    }
    if (ids.length > 2) return;
    var p = pointers[e.pointerId], w = render.window();
    action = { tool: toolFor(e), x0: p.x, y0: p.y, x: p.x, y: p.y,
      win: w ? w.slice() : null, scale: view.scale, index: view.index,
      panX: view.panX, panY: view.panY, start: render.canvasToImage(p.x, p.y) };
    e.preventDefault();
  }

  function move(e) {
    var p = canvasXY(e);
    if (pointers[e.pointerId]) pointers[e.pointerId] = p;
    if (pinch) return applyPinch();
    if (!action) return readout(p);
    action.x = p.x;
    action.y = p.y;
    drag(action);
  }

  function up(e) {
    delete pointers[e.pointerId];
    if (pinch && Object.keys(pointers).length < 2) pinch = null;
    if (action && action.tool === 'measure') commitMeasure(action);
    action = null;
  }

  function drag(a) {
    var dx = a.x - a.x0, dy = a.y - a.y0;
    if (a.tool === 'window' && a.win) {
      var sens = Math.max(0.5, a.win[1] / 300);
      tools.setWindow(a.win[0] + dy * sens, Math.max(1, a.win[1] + dx * sens));
    } else if (a.tool === 'zoom') {
      zoomTo(a.scale * Math.exp(-dy / 150), a.x0, a.y0, a);
    } else if (a.tool === 'pan') {
      view.fit = false;
      view.panX = a.panX + dx;
      view.panY = a.panY + dy;
      render.draw();
    } else if (a.tool === 'scroll') {
      var n = PDV.ui.imageCount(), step = Math.max(4, overlay.height / Math.max(n, 1));
      PDV.ui.showIndex(a.index + Math.round(dy / step));
    } else if (a.tool === 'measure') drawOverlay();
  }

  tools.setWindow = function (c, w) {
    if (!view.key) return;
    view.windows[view.key] = [c, Math.max(1, w)];
    render.draw();
    PDV.emit('window', view.windows[view.key]);
  };

  // Zoom keeping the image point under (cx, cy) in place.
  function zoomTo(scale, cx, cy, base) {
    var cur = render.current();
    if (!cur) return;
    scale = Math.min(64, Math.max(0.05, scale));
    var b = base || { scale: view.scale, panX: view.panX, panY: view.panY };
    var s = scale / b.scale, w = overlay.width / 2, h = overlay.height / 2;
    view.fit = false;
    view.panX = cx - w - (cx - w - b.panX) * s;
    view.panY = cy - h - (cy - h - b.panY) * s;
    view.scale = scale;
    render.draw();
    PDV.emit('zoom', scale);
  }

  tools.zoomBy = function (f) {
    zoomTo(view.scale * f, overlay.width / 2, overlay.height / 2);
  };

  tools.setZoom = function (scale) {
    view.fit = false;
    view.scale = scale;
    view.panX = view.panY = 0;
    render.draw();
    PDV.emit('zoom', scale);
  };

  function wheel(e) {
    e.preventDefault();
    if (e.ctrlKey) {
      var p = canvasXY(e);
      zoomTo(view.scale * Math.exp(-e.deltaY / 300), p.x, p.y);
      return;
    }
    if (!e.deltaY) return;
    PDV.ui.showIndex(view.index + (e.deltaY > 0 ? 1 : -1));
  }

  function startPinch() {
    var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
    return { d0: dist(p[0], p[1]) || 1, m0: mid(p[0], p[1]),
      scale: view.scale, panX: view.panX, panY: view.panY };
  }

  function applyPinch() {
    var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
    if (p.length < 2) return;
    var m = mid(p[0], p[1]);
    zoomTo(pinch.scale * dist(p[0], p[1]) / pinch.d0, pinch.m0.x, pinch.m0.y, pinch);
    view.panX += m.x - pinch.m0.x;
    view.panY += m.y - pinch.m0.y;
    render.draw();
  }

  function dist(a, b) { return Math.hypot(a.x - b.x, a.y - b.y); }
  function mid(a, b) { return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }; }

  // --- pixel readout ---------------------------------------------------

  tools.valueAt = function (col, row) {
    var cur = render.current();
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    var im = cur.image, se = cur.series, fr = cur.frame;
    col = Math.floor(col);
    row = Math.floor(row);
    if (col < 0 || row < 0 || col >= im.columns || row >= im.rows) return null;
    var i = row * im.columns + col;
    if (fr.kind === 'rgb') {
      var d = fr.data;
      var rgb = [d[i * 4], d[i * 4 + 1], d[i * 4 + 2]];
      return { col: col, row: row, stored: se.codec === 'jpeg' ? rgb[0] : rgb,
        modality: null, hu: null, lossy: se.codec === 'jpeg' };
    }
    var stored = fr.data[i], slope = im.slope === undefined ? 1 : im.slope;
    var mod = stored * slope + (im.intercept || 0);
    var isHu = se.modality === 'CT' && (!im.rescaleType || im.rescaleType === 'HU');
    return { col: col, row: row, stored: stored, modality: mod,
      hu: isHu ? mod : null, lossy: !!im.lossy };
  };

  function readout(p) {
    var ip = render.canvasToImage(p.x, p.y);
    PDV.emit('readout', ip ? tools.valueAt(ip.col + 0.5, ip.row + 0.5) : null);
  }

  // --- length measurement ------------------------------------------------

  tools.measureResult = function (im, c1, r1, c2, r2) {
    var dc = c2 - c1, dr = r2 - r1, px = Math.hypot(dc, dr);
    var ps = im.pixelSpacing, src = im.spacingSource || (ps ? 'PixelSpacing' : '');
    if (!ps || !(ps[0] > 0 && ps[1] > 0))
      return { mm: null, px: px, source: '', warning: true,
        text: px.toFixed(1) + ' px (no pixel spacing: not calibrated)' };
    var mm = Math.hypot(dc * ps[1], dr * ps[0]);
    var text = mm.toFixed(1) + ' mm';
    var warn = src !== 'PixelSpacing';
    if (warn) text += ' (at detector, ImagerPixelSpacing: not corrected for magnification)';
    return { mm: mm, px: px, source: src, warning: warn, text: text };
  };

  function mkey() { return view.key + ':' + view.index; }

  tools.addMeasure = function (c1, r1, c2, r2) {
    var cur = render.current();
    if (!cur) return null;
    var m = { c1: c1, r1: r1, c2: c2, r2: r2,
      result: tools.measureResult(cur.image, c1, r1, c2, r2) };
    (measures[mkey()] = measures[mkey()] || []).push(m);
    drawOverlay();
    PDV.emit('measure', m.result);
    return m.result;
  };

  tools.clearMeasures = function () {
    measures = {};
    drawOverlay();
  };

  function commitMeasure(a) {
    var end = render.canvasToImage(a.x, a.y);
    if (!a.start || !end || Math.hypot(a.x - a.x0, a.y - a.y0) < 3) return;
    // canvasToImage gives pixel-centre coordinates; keep them as drawn.
    tools.addMeasure(a.start.col + 0.5, a.start.row + 0.5, end.col + 0.5, end.row + 0.5);
  }

  function drawLine(c1, r1, c2, r2, label) {
    var p1 = render.imageToCanvas(c1 - 0.5, r1 - 0.5), p2 = render.imageToCanvas(c2 - 0.5, r2 - 0.5);
    var dpr = window.devicePixelRatio || 1;
    octx.strokeStyle = '#ffd400';
    octx.lineWidth = 2 * dpr;
    octx.beginPath();
    octx.moveTo(p1.x, p1.y);
    octx.lineTo(p2.x, p2.y);
    octx.stroke();
    if (!label) return;
    octx.font = (13 * dpr) + 'px sans-serif';
    octx.fillStyle = '#000';
    octx.fillText(label, p2.x + 7 * dpr, p2.y + 1 * dpr);
    octx.fillStyle = '#ffd400';
    octx.fillText(label, p2.x + 6 * dpr, p2.y);
  }

  function drawOverlay() {
    if (!overlay) return;
    var size = render.size();
    if (overlay.width !== size.width) overlay.width = size.width;
    if (overlay.height !== size.height) overlay.height = size.height;
    octx.clearRect(0, 0, overlay.width, overlay.height);
    if (!render.current()) return;
    (measures[mkey()] || []).forEach(function (m) {
      drawLine(m.c1, m.r1, m.c2, m.r2, m.result.text.replace(/ \(.*/, m.result.warning ? ' *' : ''));
    });
    if (action && action.tool === 'measure' && action.start) {
      var e = render.canvasToImage(action.x, action.y), s = action.start, cur = render.current();
      var r = tools.measureResult(cur.image, s.col, s.row, e.col, e.row);
      drawLine(s.col + 0.5, s.row + 0.5, e.col + 0.5, e.row + 0.5, r.text.replace(/ \(.*/, ''));
    }
  }
  tools.redrawOverlay = drawOverlay;
})(window.PDV);
