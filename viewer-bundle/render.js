/* render.js - turns a decoded frame into the pixels of one viewport: the
 * linear VOI transfer of DICOM PS3.3 C.11.2.1.2 exactly as PROTOCOL.md
 * writes it, and the image<->canvas mapping of a viewport's view state
 * (image, window, zoom, pan). At zoom 1 the image is drawn unsmoothed on
 * whole canvas pixels, so a test can compare every gray value with a
 * reference renderer; from 2x up it is drawn nearest-neighbour, so a small
 * image shows its pixels instead of a blur. */
(function (PDV) {
  'use strict';

  // BIR 5.4: these modalities window the stored values, not rescaled ones.
  var WINDOW_ON_STORED = { MR: 1, PT: 1, NM: 1, XA: 1, RF: 1 };
  var render = PDV.render = {};

  render.attach = function (vp) {
    vp.ctx = vp.canvas.getContext('2d', { willReadFrequently: true });
    vp.off = document.createElement('canvas');
    vp.offCtx = vp.off.getContext('2d');
    vp.offKey = '';
    vp.lut16 = new Uint8Array(65536);
    vp.lutKey = '';
    vp.lutLo = 1;
    vp.lutHi = 0;
  };

  render.current = function (vp) {
    var v = vp.view, info = PDV.store.info(v.key);
    if (!info) return null;
    var im = info.series.images[v.index];
    if (!im) return null;
    return { info: info, series: info.series, image: im, frame: PDV.cache.get(v.key, v.index) };
  };

  // What the window is applied to: 'display' (8-bit colour or JPEG),
  // 'stored' (BIR 5.4 modalities) or 'modality' (stored*slope+intercept).
  render.domain = function (series, im, frame) {
    if (series.codec === 'jpeg' || series.codec === 'rgb8' ||
        (frame && (frame.kind === 'rgb' || frame.kind === 'gray8'))) return 'display';
    return WINDOW_ON_STORED[series.modality] ? 'stored' : 'modality';
  };

  render.toDomain = function (domain, im, stored) {
    if (domain !== 'modality') return stored;
    return stored * (im.slope === undefined ? 1 : im.slope) + (im.intercept || 0);
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

  function windowOf(vp, series, im, frame) {
    var w = vp.view.windows[series.key];
    if (!w) w = vp.view.windows[series.key] = render.defaultWindow(series, im, frame);
    return w;
  }

  // A JPEG frame already holds presentation values: only the user inverts it.
  function inverted(vp, series, im) {
    var mono1 = im.photometric === 'MONOCHROME1' && series.codec !== 'jpeg';
    return mono1 !== vp.view.invert;
  }

  // Fills lut[v & 0xffff] for stored values lo..hi: y of the window
  // formula, inverted when asked. Inlined: it runs before the first image.
  function fillLut(lut, lo, hi, slope, icpt, c, w, inv) {
    for (var v = lo; v <= hi; v++) {
      var x = v * slope + icpt, y;
      if (w <= 1) y = x <= c - 0.5 ? 0 : 255;
      else {
        y = ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
        y = y <= 0 ? 0 : y >= 255 ? 255 : Math.round(y);
      }
      lut[v & 0xffff] = inv ? 255 - y : y;
    }
  }

  // Only the stored values the frame holds are filled (a CT uses a few
  // thousand of the 65536); the range grows as frames need more.
  function buildLut16(vp, series, im, frame, win) {
    var dom = render.domain(series, im, frame), inv = inverted(vp, series, im);
    var mod = dom === 'modality', slope = mod ? (im.slope === undefined ? 1 : im.slope) : 1;
    var icpt = mod ? im.intercept || 0 : 0;
    var key = [win[0], win[1], inv, slope, icpt, !!im.signed].join();
    if (key !== vp.lutKey) {
      vp.lutKey = key;
      vp.lutLo = 1;
      vp.lutHi = 0;
    }
    var lo = frame.min, hi = frame.max, c = win[0], w = win[1];
    if (vp.lutLo > vp.lutHi) {
      fillLut(vp.lut16, lo, hi, slope, icpt, c, w, inv);
      vp.lutLo = lo;
      vp.lutHi = hi;
      return vp.lut16;
    }
    if (lo < vp.lutLo) fillLut(vp.lut16, lo, vp.lutLo - 1, slope, icpt, c, w, inv);
    if (hi > vp.lutHi) fillLut(vp.lut16, vp.lutHi + 1, hi, slope, icpt, c, w, inv);
    vp.lutLo = Math.min(lo, vp.lutLo);
    vp.lutHi = Math.max(hi, vp.lutHi);
    return vp.lut16;
  }

  function lut8(win, inv) {
    var lut = new Uint8Array(256);
    for (var i = 0; i < 256; i++) {
      var y = render.voi(i, win[0], win[1]);
      lut[i] = inv ? 255 - y : y;
    }
    return lut;
  }

  function paintGray(frame, lut, img, mask) {
    var d = frame.data, u32 = new Uint32Array(img.data.buffer), n = d.length;
    for (var i = 0; i < n; i++) u32[i] = 0xff000000 | lut[d[i] & mask] * 0x010101;
  }

  function paintRgb(frame, lut, img) {
    var s = frame.data, d = img.data;
    for (var i = 0; i < s.length; i += 4) {
      d[i] = lut[s[i]];
      d[i + 1] = lut[s[i + 1]];
      d[i + 2] = lut[s[i + 2]];
      d[i + 3] = 255;
    }
  }

  // The windowed frame at 1:1, cached while window and frame stay the same.
  function windowed(vp, cur) {
    var se = cur.series, im = cur.image, fr = cur.frame, win = windowOf(vp, se, im, fr);
    var key = [se.key, vp.view.index, win[0], win[1], vp.view.invert].join();
    if (key === vp.offKey) return vp.off;
    if (vp.off.width !== im.columns || vp.off.height !== im.rows) {
      vp.off.width = im.columns;
      vp.off.height = im.rows;
    }
    // One ImageData per size and viewport: a new one per draw is a MB of
    // garbage per slice while scrolling, which the engine frees late.
    if (!vp.img || vp.img.width !== im.columns || vp.img.height !== im.rows)
      vp.img = vp.offCtx.createImageData(im.columns, im.rows);
    var img = vp.img;
    if (fr.kind === 'rgb') paintRgb(fr, lut8(win, vp.view.invert), img);
    else if (fr.kind === 'gray8') paintGray(fr, lut8(win, vp.view.invert), img, 0xff);
    else paintGray(fr, buildLut16(vp, se, im, fr, win), img, 0xffff);
    vp.offCtx.putImageData(img, 0, 0);
    vp.offKey = key;
    return vp.off;
  }

  render.aspect = function (im) {
    var ps = im && im.pixelSpacing;
    return ps && ps[0] > 0 && ps[1] > 0 ? ps[0] / ps[1] : 1;
  };

  render.fitScale = function (vp, im) {
    var a = render.aspect(im);
    return Math.min(vp.canvas.width / im.columns, vp.canvas.height / (im.rows * a));
  };

  // Top-left corner and scale of the image on the canvas. Rounded so that
  // at scale 1 every image pixel lands on exactly one canvas pixel.
  render.placement = function (vp, im) {
    var v = vp.view, sx = v.scale, sy = v.scale * render.aspect(im);
    var x = Math.round(vp.canvas.width / 2 + v.panX - im.columns * sx / 2);
    var y = Math.round(vp.canvas.height / 2 + v.panY - im.rows * sy / 2);
    return { x: x, y: y, sx: sx, sy: sy };
  };

  // Smoothing blurs the pixels of a magnified small image; below 2x it
  // hides the uneven pixel sizes nearest-neighbour would give.
  render.smooth = function (p) {
    if (p.sx === 1 && p.sy === 1) return false;
    return Math.min(p.sx, p.sy) < 2;
  };

  render.imageToCanvas = function (vp, col, row) {
    var cur = render.current(vp);
    if (!cur) return null;
    var p = render.placement(vp, cur.image);
    return { x: p.x + (col + 0.5) * p.sx, y: p.y + (row + 0.5) * p.sy };
  };

  render.canvasToImage = function (vp, x, y) {
    var cur = render.current(vp);
    if (!cur) return null;
    var p = render.placement(vp, cur.image);
    return { col: (x - p.x) / p.sx - 0.5, row: (y - p.y) / p.sy - 0.5 };
  };

  render.resize = function (vp) {
    var c = vp.canvas, dpr = window.devicePixelRatio || 1;
    var w = Math.max(1, Math.round(c.clientWidth * dpr));
    var h = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
    }
  };

  render.window = function (vp) {
    var cur = render.current(vp);
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    return windowOf(vp, cur.series, cur.image, cur.frame);
  };

  // Returns false while the frame is not decoded yet.
  render.draw = function (vp) {
    if (!vp.ctx) return false;
    render.resize(vp);
    var ctx = vp.ctx, v = vp.view;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, vp.canvas.width, vp.canvas.height);
    var cur = render.current(vp);
    if (!cur || !cur.frame || cur.frame.kind === 'error') return false;
    var im = cur.image, src = windowed(vp, cur);
    if (v.fit) {
      v.scale = render.fitScale(vp, im);
      v.panX = v.panY = 0;
    }
    var p = render.placement(vp, im);
    ctx.imageSmoothingEnabled = render.smooth(p);
    // 'high' filters well when shrinking a large image, but costs WebKit
    // (Cairo) twice as long as 'low', which is as good when enlarging.
    ctx.imageSmoothingQuality = p.sx < 1 ? 'high' : 'low';
    ctx.drawImage(src, p.x, p.y, im.columns * p.sx, im.rows * p.sy);
    PDV.emit('drawn', { vp: vp, cur: cur });
    return true;
  };

  render.canvasPixel = function (vp, x, y) {
    return vp.ctx.getImageData(Math.floor(x), Math.floor(y), 1, 1).data[0];
  };

  // Gray values of the whole current frame rendered 1:1, unsmoothed: the
  // same pixels the viewer draws, for comparison with dcmj2pnm.
  // With `rgb`, R, G, B of each pixel (colour images: palette colour
  // reaches the viewer as RGB).
  render.frameGray = function (vp, rgb) {
    var cur = render.current(vp);
    if (!cur || !cur.frame || cur.frame.kind === 'error') return null;
    var im = cur.image, src = windowed(vp, cur);
    var c = document.createElement('canvas');
    c.width = im.columns;
    c.height = im.rows;
    var g = c.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(src, 0, 0);
    var d = g.getImageData(0, 0, im.columns, im.rows).data;
    var k = rgb ? 3 : 1, out = new Array(im.columns * im.rows * k);
    for (var i = 0; i < out.length; i++) out[i] = d[Math.floor(i / k) * 4 + i % k];
    return rgb ? { width: im.columns, height: im.rows, rgb: out }
      : { width: im.columns, height: im.rows, gray: out };
  };

  render.size = function (vp) {
    return vp.canvas ? { width: vp.canvas.width, height: vp.canvas.height } : null;
  };
})(window.PDV);
