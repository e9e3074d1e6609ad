/* testapi.js - window.PDV.test, the small frozen surface that browser tests
 * drive and read. It goes through the same functions as the UI (draw,
 * window, readout, measurement, comparison), so a test checks what a user
 * sees. Unless a function takes a viewport number, it acts on the active
 * viewport. */
(function (PDV) {
  'use strict';

  var render = PDV.render, tools = PDV.tools, store = PDV.store, vps = PDV.vps;
  var readyResolve, ready = new Promise(function (r) { readyResolve = r; });
  var loadTimes = {}, loadWaiters = {};

  PDV.on('first', function (ms) { readyResolve(ms); });
  PDV.on('seriesloaded', function (key) {
    if (loadTimes[key]) return;
    loadTimes[key] = performance.now();
    PDV.mark('loaded ' + key);
    (loadWaiters[key] || []).forEach(function (fn) { fn(loadTimes[key]); });
  });

  function act() { return vps.active; }
  function vpAt(n) { return n === undefined ? act() : vps.list[n]; }

  function vpState(vp) {
    var cur = render.current(vp), w = render.window(vp);
    return { series: vp.view.key, index: vp.view.index,
      instance: cur && cur.image ? cur.image.instance : null,
      frame: cur && cur.image ? cur.image.frame : null,
      center: w ? w[0] : null, width: w ? w[1] : null, zoom: vp.view.scale,
      invert: vp.view.invert, panX: vp.view.panX, panY: vp.view.panY,
      canvas: render.size(vp), drawn: !!(cur && cur.frame) };
  }

  function state() {
    var s = vpState(act());
    s.tool = tools.active;
    s.payload = store.payload;
    s.source = store.source;
    s.decoder = PDV.pool.mode;
    s.active = act().id;
    s.compare = vps.compare;
    s.linked = PDV.compare ? PDV.compare.linked : true;
    s.viewports = vps.visible().map(vpState);
    return s;
  }

  // Resolves once the image is on the canvas of viewport n (default: the
  // active one); it may still be loading when called. The viewer draws it
  // (at once, or when it is decoded: its own request comes first), so this
  // only waits and draws nothing itself; timings taken around it are the
  // user's.
  function showIn(n, key, index) {
    var vp = vpAt(n);
    return new Promise(function (resolve) {
      PDV.ui.showSeries(key, index, vp);
      PDV.cache.request(vp.view.key, vp.view.index, function () { resolve(state()); });
    });
  }

  function seriesLoaded(key) {
    var info = store.info(key);
    if (!loadTimes[key] && info && store.loadedCount(key) === info.series.images.length)
      loadTimes[key] = performance.now();
    if (loadTimes[key]) return Promise.resolve(loadTimes[key]);
    return new Promise(function (r) { (loadWaiters[key] = loadWaiters[key] || []).push(r); });
  }

  function storedFrame() {
    var cur = render.current(act());
    if (!cur || !cur.frame || cur.frame.kind !== 'gray') return null;
    return { width: cur.image.columns, height: cur.image.rows,
      values: Array.prototype.slice.call(cur.frame.data) };
  }

  function shownMeasure(r) {
    var shown = document.querySelector('.pdv-measure');
    return r ? { mm: r.mm, px: r.px, degrees: r.degrees, source: r.source, warning: r.warning,
      text: r.text, shown: shown ? shown.textContent : '' } : null;
  }

  function measure(c1, r1, c2, r2) {
    return shownMeasure(PDV.measure.add(act(), 'length', [[c1, r1], [c2, r2]]));
  }

  function angle(c1, r1, c2, r2, c3, r3) {
    return shownMeasure(PDV.measure.add(act(), 'angle', [[c1, r1], [c2, r2], [c3, r3]]));
  }

  // The orientation letters of viewport n and where they are, in CSS
  // pixels relative to the viewport's box.
  function orientation(n) {
    var vp = vpAt(n), box = vp.stage.getBoundingClientRect(), out = {};
    Object.keys(vp.orient).forEach(function (side) {
      var e = vp.orient[side], r = e.getBoundingClientRect();
      out[side] = e.hidden ? null : { text: e.textContent, x: r.left + r.width / 2 - box.left,
        y: r.top + r.height / 2 - box.top };
    });
    out.width = box.width;
    out.height = box.height;
    return out;
  }

  function visibleText(sel) {
    var n = document.querySelector(sel);
    return n && !n.hidden ? n.textContent : '';
  }

  PDV.test = Object.freeze({
    ready: ready,
    state: state,
    setWindow: function (c, w) { tools.setWindow(c, w); return state(); },
    setZoom: function (s) { tools.setZoom(s); return state(); },
    setTool: function (name) { tools.setTool(name); return state(); },
    showImage: function (key, index) { return showIn(undefined, key, index); },
    showIn: showIn,
    // These two resolve once compare.js, read after the first image, ran.
    compare: function (on) {
      return new Promise(function (r) { PDV.later(function () { PDV.compare.set(on); r(state()); }); });
    },
    setActive: function (n) { vps.setActive(vps.list[n]); return state(); },
    setLinked: function (on) {
      return new Promise(function (r) { PDV.later(function () { PDV.compare.setLinked(on); r(state()); }); });
    },
    canvasPixel: function (x, y, n) { return render.canvasPixel(vpAt(n), x, y); },
    imageToCanvas: function (col, row, n) { return render.imageToCanvas(vpAt(n), col, row); },
    valueAt: function (col, row) { return tools.valueAt(col, row); },
    readout: function (col, row) { return PDV.ui.readoutText(tools.valueAt(col, row)); },
    measure: measure,
    angle: angle,
    orientation: orientation,
    frameGray: function () { return render.frameGray(act()); },
    frameRgb: function () { return render.frameGray(act(), true); },
    storedFrame: storedFrame,
    seriesLoaded: seriesLoaded,
    loadedCount: function (key) { return store.loadedCount(key); },
    cacheStats: function () { return PDV.cache.stats(); },
    cached: function (key, idx) { return PDV.cache.has(key, idx); },
    // Bytes the decoded frame takes in the cache, or null when not cached.
    frameBytes: function (key, idx) {
      var f = PDV.cache.has(key, idx) ? PDV.cache.get(key, idx) : null;
      return f && f.data ? f.data.byteLength : null;
    },
    marks: function () { return JSON.parse(JSON.stringify(PDV.marks)); },
    lossyText: function () { return visibleText('.pdv-lossy'); },
    discText: function () { return visibleText('.pdv-disc'); },
    // Corner 0-3: top left, top right, bottom left, bottom right (default).
    cornerText: function (n, corner) {
      var vp = vpAt(n), a = vp.ann && vp.ann[corner === undefined ? 3 : corner];
      return a && !a.hidden ? a.dataset.text || '' : '';
    },
    presetLabels: function () {
      return Array.prototype.map.call(document.querySelectorAll('.pdv-presets option'),
        function (o) { return (o.parentNode.label ? o.parentNode.label + ': ' : '') + o.textContent; });
    },
    readoutText: function () { return visibleText('.pdv-readout'); },
    measureText: function () { return visibleText('.pdv-measure'); },
    series: function () {
      return store.series.map(function (i) {
        return { key: i.series.key, modality: i.series.modality, codec: i.series.codec,
          count: i.series.images.length, description: i.series.description,
          split: i.series.split || null,
          listText: i.button ? i.button.textContent : '' };
      });
    }
  });
})(window.PDV);
