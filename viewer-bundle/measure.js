/* measure.js - distance and angle measurements (BIR 5.10): their values
 * in calibrated units from Pixel Spacing (PROTOCOL.md display rules), the
 * points placed by pointer or keyboard, the keyboard cursor, and their
 * drawing on a viewport's overlay. Points are image coordinates where
 * pixel k spans [k, k+1). Angles are computed in millimetres, so
 * non-square pixels do not bend them. */
(function (PDV) {
  'use strict';

  var measure = PDV.measure = {};
  var marks = {}, pending = null, cursors = {};
  var NEEDS = { length: 2, angle: 3 };
  var COLOR = '#ffd400';

  function spacing(im) {
    var ps = im.pixelSpacing;
    return ps && ps[0] > 0 && ps[1] > 0 ? ps : null;
  }

  measure.lengthResult = function (im, c1, r1, c2, r2) {
    var dc = c2 - c1, dr = r2 - r1, px = Math.hypot(dc, dr);
    var ps = spacing(im), src = im.spacingSource || (ps ? 'PixelSpacing' : '');
    if (!ps)
      return { kind: 'length', mm: null, px: px, source: '', warning: true,
        text: px.toFixed(1) + ' px (no pixel spacing: not calibrated)' };
    var mm = Math.hypot(dc * ps[1], dr * ps[0]);
    var text = mm.toFixed(1) + ' mm', warn = src !== 'PixelSpacing';
    if (warn) text += ' (at detector, ImagerPixelSpacing: not corrected for magnification)';
    return { kind: 'length', mm: mm, px: px, source: src, warning: warn, text: text };
  };

  // Angle at the vertex b between the rays to a and c, in degrees.
  measure.angleResult = function (im, a, b, c) {
    var ps = spacing(im) || [1, 1];
    var u = [(a[0] - b[0]) * ps[1], (a[1] - b[1]) * ps[0]];
    var v = [(c[0] - b[0]) * ps[1], (c[1] - b[1]) * ps[0]];
    var deg = Math.atan2(Math.abs(u[0] * v[1] - u[1] * v[0]), u[0] * v[0] + u[1] * v[1]) * 180 / Math.PI;
    var warn = !spacing(im);
    return { kind: 'angle', degrees: deg, warning: warn,
      text: deg.toFixed(1) + '\u00b0' + (warn ? ' (no pixel spacing: square pixels assumed)' : '') };
  };

  function result(im, type, pts) {
    if (type === 'angle') return measure.angleResult(im, pts[0], pts[1], pts[2]);
    return measure.lengthResult(im, pts[0][0], pts[0][1], pts[1][0], pts[1][1]);
  }

  function imageOf(vp) {
    var cur = PDV.render.current(vp);
    return cur ? cur.image : null;
  }

  function keyOf(vp) { return vp.view.key + ':' + vp.view.index; }

  // Adds a finished measurement to the image of vp; returns its result.
  measure.add = function (vp, type, pts) {
    var im = imageOf(vp);
    if (!im) return null;
    var m = { type: type, pts: pts, result: result(im, type, pts) };
    (marks[keyOf(vp)] = marks[keyOf(vp)] || []).push(m);
    pending = null;
    measure.draw(vp);
    PDV.emit('measure', m.result);
    return m.result;
  };

  // Places the next point of a `type` measurement on vp's image; the last
  // point finishes it. Returns the result when finished, else null.
  measure.place = function (vp, type, col, row) {
    if (!imageOf(vp)) return null;
    if (!pending || pending.vp !== vp || pending.type !== type || pending.key !== keyOf(vp))
      pending = { vp: vp, type: type, key: keyOf(vp), pts: [], hover: null };
    pending.pts.push([col, row]);
    if (pending.pts.length === NEEDS[type]) return measure.add(vp, type, pending.pts);
    measure.draw(vp);
    return null;
  };

  measure.hover = function (vp, col, row) {
    if (!pending || pending.vp !== vp) return;
    pending.hover = [col, row];
    measure.draw(vp);
  };

  measure.pendingCount = function () { return pending ? pending.pts.length : 0; };

  measure.cancel = function () {
    var vp = pending && pending.vp;
    pending = null;
    if (vp) measure.draw(vp);
  };

  measure.clear = function () {
    marks = {};
    pending = null;
    cursors = {};
    PDV.vps.list.forEach(measure.draw);
  };

  // Text of the last measurement on the image vp shows, or ''.
  measure.lastText = function (vp) {
    var list = marks[keyOf(vp)] || [];
    return list.length ? list[list.length - 1].result.text : '';
  };

  measure.list = function (vp) {
    return (marks[keyOf(vp)] || []).map(function (m) { return m.result; });
  };

  // --- keyboard cursor ----------------------------------------------------------

  measure.cursor = function (vp) {
    var im = imageOf(vp);
    if (!im) return null;
    var c = cursors[vp.id];
    if (!c || c.key !== keyOf(vp)) {
      c = cursors[vp.id] = { key: keyOf(vp), col: Math.floor(im.columns / 2) + 0.5,
        row: Math.floor(im.rows / 2) + 0.5 };
    }
    return c;
  };

  measure.moveCursor = function (vp, dc, dr) {
    var c = measure.cursor(vp), im = imageOf(vp);
    if (!c) return;
    c.col = Math.max(0.5, Math.min(im.columns - 0.5, c.col + dc));
    c.row = Math.max(0.5, Math.min(im.rows - 0.5, c.row + dr));
    measure.hover(vp, c.col, c.row);
    measure.draw(vp);
  };

  measure.placeAtCursor = function (vp, type) {
    var c = measure.cursor(vp);
    return c ? measure.place(vp, type, c.col, c.row) : null;
  };

  // --- drawing ------------------------------------------------------------------------

  function pt(vp, p) {
    return PDV.render.imageToCanvas(vp, p[0] - 0.5, p[1] - 0.5);
  }

  function label(ctx, text, at, dpr) {
    ctx.font = (13 * dpr) + 'px sans-serif';
    ctx.fillStyle = '#000';
    ctx.fillText(text, at.x + 7 * dpr, at.y + 1 * dpr);
    ctx.fillStyle = COLOR;
    ctx.fillText(text, at.x + 6 * dpr, at.y);
  }

  function polyline(ctx, vp, pts, dpr) {
    ctx.strokeStyle = COLOR;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath();
    pts.forEach(function (p, i) {
      var q = pt(vp, p);
      if (i) ctx.lineTo(q.x, q.y); else ctx.moveTo(q.x, q.y);
    });
    ctx.stroke();
  }

  function drawMark(ctx, vp, m, dpr) {
    polyline(ctx, vp, m.pts, dpr);
    var at = pt(vp, m.type === 'angle' ? m.pts[1] : m.pts[m.pts.length - 1]);
    label(ctx, m.result.text.replace(/ \(.*/, m.result.warning ? ' *' : ''), at, dpr);
  }

  function drawCursor(ctx, vp, dpr) {
    var c = cursors[vp.id];
    if (!c || c.key !== keyOf(vp)) return;
    var q = pt(vp, [c.col, c.row]), r = 8 * dpr;
    ctx.strokeStyle = '#00e0ff';
    ctx.lineWidth = 1.5 * dpr;
    ctx.beginPath();
    ctx.moveTo(q.x - r, q.y); ctx.lineTo(q.x + r, q.y);
    ctx.moveTo(q.x, q.y - r); ctx.lineTo(q.x, q.y + r);
    ctx.stroke();
  }

  measure.draw = function (vp) {
    var o = vp.ovl, size = PDV.render.size(vp);
    if (!o || !size) return;
    if (o.width !== size.width) o.width = size.width;
    if (o.height !== size.height) o.height = size.height;
    var ctx = o.getContext('2d'), dpr = window.devicePixelRatio || 1;
    var mine = pending && pending.vp === vp, c = cursors[vp.id];
    var busy = (marks[keyOf(vp)] || []).length || mine || (c && c.key === keyOf(vp));
    // An empty overlay stays empty: clearing it on every draw costs time.
    if (!busy && o.dataset.empty === '1') return;
    ctx.clearRect(0, 0, o.width, o.height);
    o.dataset.empty = busy ? '0' : '1';
    if (!imageOf(vp)) return;
    (marks[keyOf(vp)] || []).forEach(function (m) { drawMark(ctx, vp, m, dpr); });
    if (pending && pending.vp === vp && pending.key === keyOf(vp)) {
      var pts = pending.pts.concat(pending.hover ? [pending.hover] : []);
      if (pts.length > 1) polyline(ctx, vp, pts, dpr);
      if (pending.hover && pts.length === NEEDS[pending.type])
        label(ctx, result(imageOf(vp), pending.type, pts).text.replace(/ \(.*/, ''), pt(vp, pts[pts.length - 1]), dpr);
    }
    drawCursor(ctx, vp, dpr);
  };

  PDV.on('drawn', function (e) { measure.draw(e.vp); });
})(window.PDV);
