/* render.js - turns a decoded frame into canvas pixels: the view state
 * (image, window, zoom, pan), the linear VOI transfer of DICOM PS3.3
 * C.11.2.1.2 exactly as PROTOCOL.md writes it, and the image<->canvas
 * mapping. At zoom 1 the image is drawn unsmoothed on whole canvas pixels,
 * so a test can compare every gray value with a reference renderer. */
(function (PDV) {
  'use strict';

  // BIR 5.4: these modalities window the stored values, not rescaled ones.
  var WINDOW_ON_STORED = { MR: 1, PT: 1, NM: 1, XA: 1, RF: 1 };

  var view = PDV.view = {
    key: null, index: 0, windows: {}, invert: false,
    scale: 1, panX: 0, panY: 0, fit: true
  };
  var render = PDV.render = {};
  var canvas = null, ctx = null, off = null, offCtx = null, offKey = '';
  var lut16 = new Uint8Array(65536), lut16Key = '';

  render.attach = function (c) {
    canvas = c;
    ctx = c.getContext('2d', { willReadFrequently: true });
    off = document.createElement('canvas');
    offCtx = off.getContext('2d');
  };

  render.current = function () {
    var info = PDV.store.info(view.key);
    if (!info) return null;
    var im = info.series.images[view.index];
    if (!im) return null;
    return { info: info, series: info.series, image: im,
      frame: PDV.store.getFrame(view.key, view.index) };
  };

  // What the window is applied to: 'display' (8-bit colour or JPEG),
  // 'stored' (BIR 5.4 modalities) or 'modality' (stored*slope+intercept).
  render.domain = function (series, im, frame) {
    if (series.codec === 'jpeg' || series.codec === 'rgb8' ||
        (frame && frame.kind === 'rgb')) return 'display';
    return WINDOW_ON_STORED[series.modality] ? 'stored' : 'modality';
  };

  render.toDomain = function (domain, im, stored) {
    if (domain !== 'modality') return stored;
    return stored * (im.slope === undefined ? 1 : im.slope) +
      (im.intercept || 0);
  };

  // Window that spans min..max exactly: y(min) = 0, y(max) = 255.
  render.autoWindow = function (series, im, frame) {
    var d = render.domain(series, im, frame);
    var a = render.toDomain(d, im, frame.min), b = render.toDomain(d, im, frame.max);
    var lo = Math.min(a, b), hi = Math.max(a, b), w = hi - lo + 1;
    return [lo + w / 2, w];
  };

  render.defaultWindow = function (series, im, frame) {
    if (render.domain(series, im, frame) === 'display') return [128, 256];
    if (im.window && im.window.length) return im.window[0].slice(0, 2);
    if (series.modality === 'CT') return [40, 400];
    return render.autoWindow(series, im, frame);
  };

  // y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clamped, rounded.
  render.voi = function (x, c, w) {
    if (w <= 1) return x <= c - 0.5 ? 0 : 255;
    var y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
    return y <= 0 ? 0 : y >= 255 ? 255 : Math.round(y);
  };

  function windowOf(series, im, frame) {
    var w = view.windows[series.key];
    if (!w) w = view.windows[series.key] = render.defaultWindow(series, im, frame);
    return w;
  }

  function inverted(im) {
    return (im.photometric === 'MONOCHROME1') !== view.invert;
  }

  function buildLut16(series, im, frame, win) {
    var dom = render.domain(series, im, frame), inv = inverted(im);
    var key = [win[0], win[1], inv, dom, im.slope, im.intercept, !!im.signed].join();
    if (key === lut16Key) return lut16;
    for (var i = 0; i < 65536; i++) {
      var v = im.signed && i >= 32768 ? i - 65536 : i;
      var y = render.voi(render.toDomain(dom, im, v), win[0], win[1]);
      lut16[i] = inv ? 255 - y : y;
    }
    lut16Key = key;
    return lut16;
  }

  function paintGray(frame, lut, img) {
    var d = frame.data, u32 = new Uint32Array(img.data.buffer), n = d.length;
    for (var i = 0; i < n; i++) u32[i] = 0xff000000 | lut[d[i] & 0xffff] * 0x010101;
  }

  function paintRgb(frame, win, inv, img) {
    var lut = new Uint8Array(256), s = frame.data, d = img.data, i;
    for (i = 0; i < 256; i++) {
      var y = render.voi(i, win[0], win[1]);
      lut[i] = inv ? 255 - y : y;
    }
    for (i = 0; i < s.length; i += 4) {
      d[i] = lut[s[i]];
      d[i + 1] = lut[s[i + 1]];
      d[i + 2] = lut[s[i + 2]];
      d[i + 3] = 255;
    }
  }

  // The windowed frame at 1:1, cached while window and frame stay the same.
  function windowed(cur) {
    var se = cur.series, im = cur.image, fr = cur.frame, win = windowOf(se, im, fr);
    var key = [se.key, view.index, win[0], win[1], view.invert].join();
    if (key === offKey) return off;
    off.width = im.columns;
    off.height = im.rows;
    var img = offCtx.createImageData(im.columns, im.rows);
    if (fr.kind === 'rgb') paintRgb(fr, win, view.invert, img);
    else paintGray(fr, buildLut16(se, im, fr, win), img);
    offCtx.putImageData(img, 0, 0);
    offKey = key;
    return off;
  }

  render.aspect = function (im) {
    var ps = im && im.pixelSpacing;
    return ps && ps[0] > 0 && ps[1] > 0 ? ps[0] / ps[1] : 1;
  };

  render.fitScale = function (im) {
    var a = render.aspect(im);
    return Math.min(canvas.width / im.columns, canvas.height / (im.rows * a));
  };

  // Top-left corner and scale of the image on the canvas. Rounded so that
  // at scale 1 every image pixel lands on exactly one canvas pixel.
  render.placement = function (im) {
    var sx = view.scale, sy = view.scale * render.aspect(im);
    var x = Math.round(canvas.width / 2 + view.panX - im.columns * sx / 2);
    var y = Math.round(canvas.height / 2 + view.panY - im.rows * sy / 2);
    return { x: x, y: y, sx: sx, sy: sy };
  };

  render.imageToCanvas = function (col, row) {
    var cur = render.current();
    if (!cur) return null;
    var p = render.placement(cur.image);
    return { x: p.x + (col + 0.5) * p.sx, y: p.y + (row + 0.5) * p.sy };
  };

  render.canvasToImage = function (x, y) {
    var cur = render.current();
    if (!cur) return null;
    var p = render.placement(cur.image);
    return { col: (x - p.x) / p.sx - 0.5, row: (y - p.y) / p.sy - 0.5 };
  };

  render.resize = function () {
    var dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    var h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
  };

  render.window = function () {
    var cur = render.current();
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    return windowOf(cur.series, cur.image, cur.frame);
  };

  // Returns false while the frame is not decoded yet.
  render.draw = function () {
    if (!canvas) return false;
    render.resize();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    var cur = render.current();
    if (!cur || !cur.frame || cur.frame.kind === 'error') return false;
    var im = cur.image, src = windowed(cur);
    if (view.fit) {
      view.scale = render.fitScale(im);
      view.panX = view.panY = 0;
    }
    var p = render.placement(im);
    ctx.imageSmoothingEnabled = !(p.sx === 1 && p.sy === 1);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(src, p.x, p.y, im.columns * p.sx, im.rows * p.sy);
    PDV.emit('drawn', cur);
    return true;
  };

  render.canvasPixel = function (x, y) {
    return ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data[0];
  };

  // Gray values of the whole current frame rendered 1:1, unsmoothed: the
  // same pixels the viewer draws, for comparison with dcmj2pnm.
  render.frameGray = function () {
    var cur = render.current();
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    var im = cur.image, src = windowed(cur);
    var c = document.createElement('canvas');
    c.width = im.columns;
    c.height = im.rows;
    var g = c.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(src, 0, 0);
    var d = g.getImageData(0, 0, im.columns, im.rows).data;
    var out = new Array(im.columns * im.rows);
    for (var i = 0; i < out.length; i++) out[i] = d[i * 4];
    return { width: im.columns, height: im.rows, gray: out };
  };

  render.size = function () {
    return canvas ? { width: canvas.width, height: canvas.height } : null;
  };
})(window.PDV);
