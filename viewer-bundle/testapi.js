/* testapi.js - window.PDV.test, the small frozen surface that browser tests
 * drive and read. It goes through the same functions as the UI (draw,
 * window, readout, measurement), so a test checks what a user sees. */
(function (PDV) {
  'use strict';

  var view = PDV.view, render = PDV.render, tools = PDV.tools, store = PDV.store;
  var readyResolve, ready = new Promise(function (r) { readyResolve = r; });
  var doneTimes = {}, doneWaiters = {};

  PDV.on('first', function (ms) { readyResolve(ms); });
  PDV.on('seriesdone', function (key) {
    if (doneTimes[key]) return;
    doneTimes[key] = performance.now();
    PDV.mark('decoded ' + key);
    (doneWaiters[key] || []).forEach(function (fn) { fn(doneTimes[key]); });
  });

  function state() {
    var cur = render.current(), w = render.window();
    return {
      series: view.key, index: view.index,
      instance: cur && cur.image ? cur.image.instance : null,
      frame: cur && cur.image ? cur.image.frame : null,
      center: w ? w[0] : null, width: w ? w[1] : null,
      zoom: view.scale, invert: view.invert, tool: tools.active,
      payload: store.payload, source: store.source, decoder: PDV.pool.mode,
      canvas: render.size()
    };
  }

  // Resolves once the image is on the canvas (it may still be loading).
  function showImage(key, index) {
    return new Promise(function (resolve) {
      PDV.ui.showSeries(key, index);
      store.whenFrame(key, view.index, function () {
        setTimeout(function () {
          PDV.ui.draw();
          resolve(state());
        }, 0);
      });
    });
  }

  function seriesDecoded(key) {
    if (doneTimes[key]) return Promise.resolve(doneTimes[key]);
    var info = store.info(key);
    if (info && store.decodedCount(key) === info.series.images.length) {
      doneTimes[key] = performance.now();
      return Promise.resolve(doneTimes[key]);
    }
    return new Promise(function (r) { (doneWaiters[key] = doneWaiters[key] || []).push(r); });
  }

  function storedFrame() {
    var cur = render.current();
    if (!cur || !cur.frame || cur.frame.kind !== 'gray') return null;
    return { width: cur.image.columns, height: cur.image.rows,
      values: Array.prototype.slice.call(cur.frame.data) };
  }

  function measure(c1, r1, c2, r2) {
    var r = tools.addMeasure(c1, r1, c2, r2);
    var shown = document.querySelector('.pdv-measure');
    return r ? { mm: r.mm, px: r.px, source: r.source, warning: r.warning, text: r.text,
      shown: shown ? shown.textContent : '' } : null;
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
    showImage: showImage,
    canvasPixel: function (x, y) { return render.canvasPixel(x, y); },
    imageToCanvas: function (col, row) { return render.imageToCanvas(col, row); },
    valueAt: function (col, row) { return tools.valueAt(col, row); },
    measure: measure,
    frameGray: function () { return render.frameGray(); },
    storedFrame: storedFrame,
    seriesDecoded: seriesDecoded,
    decodedCount: function (key) { return store.decodedCount(key); },
    marks: function () { return JSON.parse(JSON.stringify(PDV.marks)); },
    lossyText: function () { return visibleText('.pdv-lossy'); },
    readoutText: function () { return visibleText('.pdv-readout'); },
    series: function () {
      return store.series.map(function (i) {
        return { key: i.series.key, modality: i.series.modality, codec: i.series.codec,
          count: i.series.images.length, description: i.series.description };
      });
    }
  });
})(window.PDV);
