/* tools.js - what the pointer does on a viewport: the modal tools of BIR
 * (scroll, window, zoom, pan, distance, angle), right-drag windowing,
 * middle-drag panning, wheel scrolling, two-finger pinch on touch screens
 * and the pixel readout. Window drag follows BIR 5.4: right = wider
 * window, up = lower centre. The same view changes are offered to the
 * keyboard (commands.js) through setWindow, zoomBy and panBy. */
(function (PDV) {
  'use strict';

  var render = PDV.render, measure = PDV.measure;
  var tools = PDV.tools = { active: 'scroll' };
  var pointers = {}, action = null, pinch = null;
  var MEASURING = { measure: 'length', angle: 'angle' };

  function act() { return PDV.vps.active; }

  tools.attach = function (vp) {
    var o = vp.ovl;
    o.addEventListener('pointerdown', function (e) { down(vp, e); });
    o.addEventListener('pointermove', function (e) { move(vp, e); });
    o.addEventListener('pointerup', function (e) { up(vp, e); });
    o.addEventListener('pointercancel', function (e) { up(vp, e); });
    o.addEventListener('pointerleave', function () { PDV.emit('readout', null); });
    o.addEventListener('wheel', function (e) { wheel(vp, e); }, { passive: false });
    o.addEventListener('contextmenu', function (e) { e.preventDefault(); });
  };

  tools.setTool = function (name) {
    if (tools.active !== name) measure.cancel();
    tools.active = name;
    PDV.emit('tool', name);
  };

  // The kind of measurement the active tool makes, or null.
  tools.measuring = function () { return MEASURING[tools.active] || null; };

  function canvasXY(vp, e) {
    var r = vp.ovl.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
    return { x: (e.clientX - r.left) * dpr, y: (e.clientY - r.top) * dpr };
  }

  function toolFor(e) {
    if (e.pointerType === 'mouse' && e.button === 2) return 'window';
    if (e.pointerType === 'mouse' && e.button === 1) return 'pan';
    return tools.active;
  }

  function imagePoint(vp, p) {
    var ip = render.canvasToImage(vp, p.x, p.y);
    return ip ? [ip.col + 0.5, ip.row + 0.5] : null;
  }

  function down(vp, e) {
    vp.ovl.setPointerCapture(e.pointerId);
    pointers[e.pointerId] = canvasXY(vp, e);
    var ids = Object.keys(pointers);
    if (ids.length === 2) {
      action = null;
      pinch = startPinch(vp);
      return;
    }
    if (ids.length > 2) return;
    var p = pointers[e.pointerId], w = render.window(vp), v = vp.view;
    action = { vp: vp, tool: toolFor(e), x0: p.x, y0: p.y, x: p.x, y: p.y,
      win: w ? w.slice() : null, scale: v.scale, index: v.index, panX: v.panX, panY: v.panY };
    var kind = MEASURING[action.tool], at = imagePoint(vp, p);
    if (kind && at) measure.place(vp, kind, at[0], at[1]);
    e.preventDefault();
  }

  function move(vp, e) {
    var p = canvasXY(vp, e);
    if (pointers[e.pointerId]) pointers[e.pointerId] = p;
    if (pinch) return applyPinch(pinch.vp);
    var at = imagePoint(vp, p);
    if (at && tools.measuring()) measure.hover(vp, at[0], at[1]);
    if (!action) return readout(vp, p);
    action.x = p.x;
    action.y = p.y;
    drag(action);
  }

  // A measuring drag of at least 3 px places the next point where it ends,
  // so a line can be drawn by dragging or by two clicks.
  function up(vp, e) {
    delete pointers[e.pointerId];
    if (pinch && Object.keys(pointers).length < 2) pinch = null;
    var a = action, kind = a && MEASURING[a.tool];
    action = null;
    if (!kind || Math.hypot(a.x - a.x0, a.y - a.y0) < 3 || !measure.pendingCount()) return;
    var at = imagePoint(vp, { x: a.x, y: a.y });
    if (at) measure.place(vp, kind, at[0], at[1]);
  }

  function drag(a) {
    var dx = a.x - a.x0, dy = a.y - a.y0, vp = a.vp;
    if (a.tool === 'window' && a.win) {
      var sens = Math.max(0.5, a.win[1] / 300);
      tools.setWindow(a.win[0] + dy * sens, Math.max(1, a.win[1] + dx * sens), vp);
    } else if (a.tool === 'zoom') {
      zoomTo(vp, a.scale * Math.exp(-dy / 150), a.x0, a.y0, a);
    } else if (a.tool === 'pan') {
      setPan(vp, a.panX + dx, a.panY + dy);
    } else if (a.tool === 'scroll') {
      var n = PDV.ui.imageCount(vp), step = Math.max(4, vp.ovl.height / Math.max(n, 1));
      PDV.ui.showIndex(a.index + Math.round(dy / step), vp);
    }
  }

  tools.setWindow = function (c, w, vp) {
    vp = vp || act();
    if (!vp.view.key) return;
    vp.view.windows[vp.view.key] = [c, Math.max(1, w)];
    PDV.ui.draw(vp);
    PDV.emit('window', vp);
  };

  // Keyboard windowing: dw widens, dc raises the centre; steps scale with
  // the width so that both a brain and a bone window move sensibly.
  tools.nudgeWindow = function (dc, dw) {
    var w = render.window(act());
    if (!w) return;
    var step = Math.max(1, Math.round(w[1] / 50));
    tools.setWindow(w[0] + dc * step, w[1] + dw * step);
  };

  function setPan(vp, x, y) {
    vp.view.fit = false;
    vp.view.panX = x;
    vp.view.panY = y;
    PDV.ui.draw(vp);
  }

  tools.panBy = function (dx, dy) {
    var vp = act(), dpr = window.devicePixelRatio || 1;
    setPan(vp, vp.view.panX + dx * dpr, vp.view.panY + dy * dpr);
  };

  // Zoom keeping the image point under (cx, cy) in place.
  function zoomTo(vp, scale, cx, cy, base) {
    if (!render.current(vp)) return;
    var v = vp.view;
    scale = Math.min(64, Math.max(0.05, scale));
    var b = base || { scale: v.scale, panX: v.panX, panY: v.panY };
    var s = scale / b.scale, w = vp.ovl.width / 2, h = vp.ovl.height / 2;
    v.fit = false;
    v.panX = cx - w - (cx - w - b.panX) * s;
    v.panY = cy - h - (cy - h - b.panY) * s;
    v.scale = scale;
    PDV.ui.draw(vp);
    PDV.emit('zoom', vp);
  }

  tools.zoomBy = function (f) {
    var vp = act();
    zoomTo(vp, vp.view.scale * f, vp.ovl.width / 2, vp.ovl.height / 2);
  };

  tools.setZoom = function (scale) {
    var v = act().view;
    v.fit = false;
    v.scale = scale;
    v.panX = v.panY = 0;
    PDV.ui.draw(act());
    PDV.emit('zoom', act());
  };

  function wheel(vp, e) {
    e.preventDefault();
    PDV.vps.setActive(vp);
    if (e.ctrlKey) {
      var p = canvasXY(vp, e);
      zoomTo(vp, vp.view.scale * Math.exp(-e.deltaY / 300), p.x, p.y);
      return;
    }
    if (!e.deltaY) return;
    PDV.ui.showIndex(vp.view.index + (e.deltaY > 0 ? 1 : -1), vp);
  }

  function startPinch(vp) {
    var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
    return { vp: vp, d0: dist(p[0], p[1]) || 1, m0: mid(p[0], p[1]),
      scale: vp.view.scale, panX: vp.view.panX, panY: vp.view.panY };
  }

  function applyPinch(vp) {
    var p = Object.keys(pointers).map(function (k) { return pointers[k]; });
    if (p.length < 2) return;
    var m = mid(p[0], p[1]);
    zoomTo(vp, pinch.scale * dist(p[0], p[1]) / pinch.d0, pinch.m0.x, pinch.m0.y, pinch);
    setPan(vp, vp.view.panX + m.x - pinch.m0.x, vp.view.panY + m.y - pinch.m0.y);
  }

  function dist(a, b) { return Math.hypot(a.x - b.x, a.y - b.y); }
  function mid(a, b) { return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }; }

  // --- pixel readout ---------------------------------------------------

  tools.valueAt = function (col, row, vp) {
    var cur = render.current(vp || act());
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    var im = cur.image, se = cur.series, fr = cur.frame;
    col = Math.floor(col);
    row = Math.floor(row);
    if (col < 0 || row < 0 || col >= im.columns || row >= im.rows) return null;
    var i = row * im.columns + col, preview = se.codec === 'jpeg';
    if (fr.kind === 'rgb') {
      var d = fr.data, rgb = [d[i * 4], d[i * 4 + 1], d[i * 4 + 2]];
      return { col: col, row: row, stored: preview && im.photometric !== 'RGB' ? rgb[0] : rgb,
        modality: null, hu: null, preview: preview, lossy: preview || !!im.lossy };
    }
    if (fr.kind === 'gray8')
      return { col: col, row: row, stored: fr.data[i], modality: null, hu: null,
        preview: true, lossy: true };
    var stored = fr.data[i], slope = im.slope === undefined ? 1 : im.slope;
    var mod = stored * slope + (im.intercept || 0);
    var isHu = se.modality === 'CT' && (!im.rescaleType || im.rescaleType === 'HU');
    return { col: col, row: row, stored: stored, modality: mod,
      hu: isHu ? mod : null, preview: false, lossy: !!im.lossy };
  };

  function readout(vp, p) {
    var ip = render.canvasToImage(vp, p.x, p.y);
    PDV.emit('readout', ip ? tools.valueAt(ip.col + 0.5, ip.row + 0.5, vp) : null);
  }
})(window.PDV);
