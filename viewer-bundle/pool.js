/* pool.js - runs frame decodes: two blob: URL workers (file:// pages may not
 * start workers from files), a main-thread fallback when workers fail, and
 * the JPEG path of payload "lite" (createImageBitmap needs the page). The
 * frame cache (cache.js) decides what to decode and keeps only a few jobs
 * here at a time, so this queue is first come, first served. */
(function (PDV) {
  'use strict';

  var codec = PDV.src.codec(PDV.src.inflate());
  var queue = [], jpegQueue = [], workers = [], nextId = 1, mainBusy = false;
  var jpegCanvas = null, jpegCtx = null;
  var pool = PDV.pool = { codec: codec, mode: 'starting', decoded: 0 };

  function workerSource() {
    return 'var codec = (' + PDV.src.codec + ')((' + PDV.src.inflate +
      ')());\n' +
      'self.onmessage = function (e) {\n' +
      '  var j = e.data;\n' +
      '  codec.decode(j).then(function (r) {\n' +
      '    self.postMessage({ id: j.id, ok: true, r: r }, [r.data.buffer]);\n' +
      '  }, function (err) {\n' +
      '    self.postMessage({ id: j.id, ok: false, error: String(err && err.message || err) });\n' +
      '  });\n' +
      '};\n';
  }

  function startWorkers() {
    if (PDV.options.noworker || typeof Worker !== 'function') {
      pool.mode = 'main';
      return;
    }
    try {
      var url = URL.createObjectURL(new Blob([workerSource()],
        { type: 'text/javascript' }));
      var n = Math.max(1, Math.min(2, navigator.hardwareConcurrency || 2));
      for (var i = 0; i < n; i++) workers.push(makeWorker(url));
      pool.mode = 'workers';
    } catch (e) {
      pool.mode = 'main';
    }
  }

  function makeWorker(url) {
    var w = { w: new Worker(url), job: null };
    w.w.onmessage = function (e) { finished(w, e.data); };
    w.w.onerror = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      workersFailed();
    };
    return w;
  }

  // A worker that cannot run at all (policy, old engine) gives its job back
  // and every later job goes to the main thread.
  function workersFailed() {
    pool.mode = 'main';
    workers.forEach(function (w) {
      if (w.job) queue.unshift(w.job);
      w.job = null;
      try { w.w.terminate(); } catch (e) { /* already gone */ }
    });
    workers = [];
    pump();
  }

  function finished(w, msg) {
    var job = w.job;
    w.job = null;
    if (job && job.id === msg.id) settle(job, msg.ok, msg.ok ? msg.r : msg.error);
    pump();
  }

  function settle(job, ok, value) {
    if (ok) {
      pool.decoded++;
      job.resolve(value);
    } else job.reject(new Error(value));
  }

  function runOnMain(job) {
    mainBusy = true;
    var run = job.codec === 'jpeg' ? decodeJpeg(job) : codec.decode(job);
    run.then(function (r) { settle(job, true, r); },
      function (e) { settle(job, false, String(e && e.message || e)); })
      .then(function () {
        mainBusy = false;
        setTimeout(pump, 0); // let the page paint between frames
      });
  }

  // The worker gets a copy of the compressed frame: the store keeps its
  // own to decode the frame again after the cache dropped it.
  function pumpWorkers() {
    for (var i = 0; i < workers.length && queue.length; i++) {
      if (workers[i].job) continue;
      var job = workers[i].job = queue.shift();
      workers[i].w.postMessage({ id: job.id, codec: job.codec, b64: job.b64,
        rows: job.rows, columns: job.columns, signed: job.signed,
        jsInflate: job.jsInflate, into: job.into }, job.into ? [job.into] : []);
    }
  }

  // JPEG frames (payload "lite") always decode on the page.
  function pump() {
    if (pool.mode === 'workers') pumpWorkers();
    if (mainBusy) return;
    if (jpegQueue.length) runOnMain(jpegQueue.shift());
    else if (pool.mode === 'main' && queue.length) runOnMain(queue.shift());
  }

  // Gray JPEGs keep one byte per pixel (a quarter of RGBA): a 1000-slice
  // lite CT would otherwise hold a GB of RGBA.
  function jpegPixels(job, rgba) {
    if (job.photometric === 'RGB') return { kind: 'rgb', data: rgba, min: 0, max: 255 };
    var n = job.rows * job.columns, g = new Uint8Array(job.into || n);
    for (var i = 0; i < n; i++) g[i] = rgba[i * 4];
    return { kind: 'gray8', data: g, min: 0, max: 255 };
  }

  function decodeJpeg(job) {
    var blob = new Blob([codec.fromBase64(job.b64)], { type: 'image/jpeg' });
    return createImageBitmap(blob).then(function (bmp) {
      if (!jpegCanvas) {
        jpegCanvas = document.createElement('canvas');
        jpegCtx = jpegCanvas.getContext('2d', { willReadFrequently: true });
      }
      jpegCanvas.width = job.columns;
      jpegCanvas.height = job.rows;
      jpegCtx.drawImage(bmp, 0, 0, job.columns, job.rows);
      if (bmp.close) bmp.close();
      return jpegPixels(job, jpegCtx.getImageData(0, 0, job.columns, job.rows).data);
    });
  }

  // job: {codec, b64, rows, columns, signed, photometric, into}; into, an
  // ArrayBuffer to decode into, is handed over (transferred) to the decoder.
  pool.submit = function (job) {
    return new Promise(function (resolve, reject) {
      job.id = nextId++;
      job.resolve = resolve;
      job.reject = reject;
      job.jsInflate = !!PDV.options.jsinflate;
      (job.codec === 'jpeg' ? jpegQueue : queue).push(job);
      pump();
    });
  };

  // How many decodes may run at once without queueing behind each other.
  pool.width = function () {
    return pool.mode === 'workers' ? workers.length : 1;
  };

  startWorkers();
})(window.PDV);
