/* cache.js - decoded frames, bounded in bytes, around the images on screen.
 * A 1000-slice CT decoded whole is 0.5 GB of Int16 (1 GB as RGBA), so only
 * frames near each viewport's position are kept: more ahead of the scroll
 * direction than behind. Farthest frames go first when the budget is
 * reached; the compressed frames stay in the store, so a frame that went is
 * decoded again (about 10 ms) when the user comes back. */
(function (PDV) {
  'use strict';

  // 48 MB holds about 96 slices of a 512x512 CT (57 ahead, 38 behind):
  // more than a doctor scrolls through around one place, and at 10 ms a
  // decode the workers stay ahead of the wheel.
  var MB = 1024 * 1024;
  var cache = PDV.cache = { budget: (+PDV.options.cache || 48) * MB, bytes: 0 };
  var entries = {}, inflight = {}, waiters = {}, urgent = [], low = [], focus = [];
  // Buffers of dropped frames, decoded into again: scrolling through a
  // series would otherwise leave half a MB of garbage per slice, which the
  // engines free late (hundreds of MB above what is in use).
  var spare = [], SPARE_MAX = 8;
  var generation = 0;

  function id(key, idx) { return key + ':' + idx; }

  function frameSize(f) {
    return f && f.data ? f.data.byteLength : 64;
  }

  // Bytes a decoded frame of this image takes (Int16, gray JPEG, RGBA).
  function expectedSize(series, im) {
    var n = im.rows * im.columns;
    if (series.codec === 'jpeg') return im.photometric === 'RGB' ? 4 * n : n;
    return series.codec === 'rgb8' || im.photometric === 'RGB' ? 4 * n : 2 * n;
  }

  // --- where frames matter ---------------------------------------------------

  // How far ahead/behind a focus its share of the budget reaches.
  function reach(f) {
    var info = PDV.store.info(f.key);
    if (!info) return { ahead: 0, behind: 0 };
    var im = info.series.images[f.index] || info.series.images[0];
    var n = Math.max(1, Math.floor(cache.budget / focus.length / expectedSize(info.series, im)));
    var ahead = Math.ceil((n - 1) * 0.6);
    return { ahead: ahead, behind: Math.max(0, n - 1 - ahead) };
  }

  // 0 at a focus, growing with distance (behind counts 1.5x); Infinity
  // outside every focus' reach.
  function cost(key, idx) {
    var best = Infinity;
    focus.forEach(function (f) {
      if (f.key !== key) return;
      var d = (idx - f.index) * (f.dir < 0 ? -1 : 1), r = reach(f);
      if (d >= 0 && d <= r.ahead) best = Math.min(best, d);
      else if (d < 0 && -d <= r.behind) best = Math.min(best, -1.5 * d);
    });
    return best;
  }

  // --- eviction ----------------------------------------------------------------

  function evict() {
    while (cache.bytes > cache.budget) {
      var victim = null, worst = -1;
      Object.keys(entries).forEach(function (k) {
        var e = entries[k], c = cost(e.key, e.idx);
        if (c === 0) return; // on screen
        var score = c === Infinity ? 1e9 - e.used / 1e6 : c;
        if (score > worst) { worst = score; victim = k; }
      });
      if (!victim) return;
      cache.bytes -= entries[victim].size;
      keepSpare(entries[victim].frame);
      delete entries[victim];
    }
  }

  function keepSpare(f) {
    if (PDV.store.source !== 'media' || !f || !f.data || f.kind === 'error') return;
    if (spare.length >= SPARE_MAX) spare.shift();
    spare.push(f.data.buffer);
  }

  function takeSpare(size) {
    for (var i = 0; i < spare.length; i++) {
      if (spare[i].byteLength === size) return spare.splice(i, 1)[0];
    }
    return null;
  }

  function insert(key, idx, frame) {
    var k = id(key, idx);
    if (entries[k]) cache.bytes -= entries[k].size;
    entries[k] = { key: key, idx: idx, frame: frame, size: frameSize(frame), used: Date.now() };
    cache.bytes += entries[k].size;
    evict();
  }

  // --- decoding ------------------------------------------------------------------

  function startDecode(key, idx) {
    var info = PDV.store.info(key), im = info.series.images[idx], gen = generation;
    var k = id(key, idx);
    inflight[k] = true;
    PDV.pool.submit({ codec: info.series.codec, b64: PDV.store.packed(key, idx),
      rows: im.rows, columns: im.columns, signed: !!im.signed, photometric: im.photometric,
      into: takeSpare(expectedSize(info.series, im))
    }).then(function (f) { done(gen, key, idx, f); }, function (err) {
      done(gen, key, idx, { kind: 'error', error: String(err.message || err) });
    });
  }

  function done(gen, key, idx, frame) {
    if (gen !== generation) return;
    var k = id(key, idx);
    delete inflight[k];
    insert(key, idx, frame);
    deliver(key, idx, frame);
    pump();
  }

  function deliver(key, idx, frame) {
    var k = id(key, idx), w = waiters[k] || [];
    delete waiters[k];
    w.forEach(function (fn) { fn(frame); });
    PDV.emit('frame', { key: key, index: idx, frame: frame });
  }

  function ready(k) {
    var p = k.lastIndexOf(':');
    return !entries[k] && !inflight[k] && PDV.store.packed(k.slice(0, p), +k.slice(p + 1));
  }

  // Frames to prefetch around one focus, nearest (by cost) first.
  function around(f) {
    var info = PDV.store.info(f.key);
    if (!info) return [];
    var n = info.series.images.length, r = reach(f), dir = f.dir < 0 ? -1 : 1, list = [];
    for (var d = 0; d <= Math.max(r.ahead, r.behind); d++) {
      if (d <= r.ahead) list.push([d, f.index + dir * d]);
      if (d && d <= r.behind) list.push([1.5 * d, f.index - dir * d]);
    }
    return list.filter(function (c) { return c[1] >= 0 && c[1] < n; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .map(function (c) { return id(f.key, c[1]); });
  }

  function nextJob() {
    urgent = urgent.filter(function (k) { return !entries[k]; });
    var pick = urgent.filter(ready)[0];
    for (var i = 0; !pick && i < focus.length; i++) pick = around(focus[i]).filter(ready)[0];
    if (!pick) {
      low = low.filter(function (k) { return !entries[k]; });
      pick = low.filter(ready)[0];
    }
    return pick || null;
  }

  function pump() {
    if (PDV.store.source !== 'media') return;
    // No more than the decoders can take at once: a frame the user asks
    // for then waits behind one prefetch at most.
    var width = PDV.pool.width();
    while (Object.keys(inflight).length < width) {
      var k = nextJob();
      if (!k) return;
      var p = k.lastIndexOf(':');
      startDecode(k.slice(0, p), +k.slice(p + 1));
    }
  }

  // --- the interface ---------------------------------------------------------------

  // The decoded frame, or null. Folder mode decodes on the spot.
  cache.get = function (key, idx) {
    var e = entries[id(key, idx)];
    if (e) {
      e.used = Date.now();
      return e.frame;
    }
    if (PDV.store.source !== 'folder' || !PDV.store.decodeLocal) return null;
    var info = PDV.store.info(key), f;
    if (!info || !info.series.images[idx]) return null;
    try {
      f = PDV.store.decodeLocal(info.series, info.series.images[idx]);
    } catch (err) {
      f = { kind: 'error', error: String(err.message || err) };
    }
    insert(key, idx, f);
    return f;
  };

  // fn(frame) once the frame is decoded; lowPriority for thumbnails.
  cache.request = function (key, idx, fn, lowPriority) {
    var f = cache.get(key, idx);
    if (f) return fn(f);
    var k = id(key, idx);
    (waiters[k] = waiters[k] || []).push(fn);
    var list = lowPriority ? low : urgent;
    if (list.indexOf(k) < 0) list.push(k);
    pump();
  };

  // What the viewports show: [{key, index, dir}]; dir is the last step.
  cache.setFocus = function (list) {
    focus = list.filter(function (f) { return f.key; });
    // A frame asked for and scrolled past long ago is no longer urgent.
    urgent = urgent.filter(function (k) {
      var p = k.lastIndexOf(':');
      return cost(k.slice(0, p), +k.slice(p + 1)) < Infinity;
    });
    PDV.store.focus(focus);
    evict();
    pump();
  };

  cache.stats = function () {
    return { bytes: cache.bytes, budget: cache.budget, frames: Object.keys(entries).length };
  };

  cache.has = function (key, idx) { return !!entries[id(key, idx)]; };

  PDV.on('reset', function () {
    generation++;
    entries = {};
    inflight = {};
    waiters = {};
    urgent = [];
    low = [];
    focus = [];
    spare = [];
    cache.bytes = 0;
  });
  PDV.on('loaded', function () { pump(); });
})(window.PDV);
