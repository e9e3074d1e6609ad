/* pool.js - runs frame decodes: two blob: URL workers (file:// pages may not
 * start workers from files), a main-thread fallback when workers fail, and
 * the JPEG path of payload "lite" (createImageBitmap needs the page). Jobs
 * wait in one queue; the frame the user is looking at jumps the queue. */
(function (PDV) {
  'use strict';

  var codec = PDV.src.codec(PDV.src.inflate());
  var queue = [], jpegQueue = [], workers = [], nextId = 1, mainBusy = false;
  var pool = PDV.pool = {
    codec: codec, mode: 'starting', preferred: null, decoded: 0
  };

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

  function takeNext(q) {
    var p = pool.preferred, best = 0;
    if (p) {
      for (var i = 0; i < q.length; i++) {
        if (q[i].key === p) { best = i; break; }
      }
    }
    return q.splice(best, 1)[0];
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

  function pumpWorkers() {
    for (var i = 0; i < workers.length && queue.length; i++) {
      if (workers[i].job) continue;
      var job = workers[i].job = takeNext(queue);
      workers[i].w.postMessage({ id: job.id, codec: job.codec, b64: job.b64,
        rows: job.rows, columns: job.columns, signed: job.signed,
        jsInflate: job.jsInflate });
    }
  }

  // JPEG frames (payload "lite") always decode on the page.
  function pump() {
    if (pool.mode === 'workers') pumpWorkers();
    if (mainBusy) return;
    if (jpegQueue.length) runOnMain(takeNext(jpegQueue));
    else if (pool.mode === 'main' && queue.length) runOnMain(takeNext(queue));
  }

  function decodeJpeg(job) {
    var blob = new Blob([codec.fromBase64(job.b64)], { type: 'image/jpeg' });
    return createImageBitmap(blob).then(function (bmp) {
      var c = document.createElement('canvas');
      c.width = job.columns;
      c.height = job.rows;
      var ctx = c.getContext('2d');
      ctx.drawImage(bmp, 0, 0, job.columns, job.rows);
      var d = ctx.getImageData(0, 0, job.columns, job.rows).data;
      return { kind: 'rgb', data: d, min: 0, max: 255 };
    });
  }

  // key identifies the frame ("s0001:12") so the viewer can prefer it.
  pool.submit = function (key, job) {
    return new Promise(function (resolve, reject) {
      job.id = nextId++;
      job.key = key;
      job.resolve = resolve;
      job.reject = reject;
      job.jsInflate = !!PDV.options.jsinflate;
      (job.codec === 'jpeg' ? jpegQueue : queue).push(job);
      pump();
    });
  };

  pool.prefer = function (key) {
    pool.preferred = key;
  };

  pool.pending = function () {
    return queue.length + jpegQueue.length;
  };

  startWorkers();
})(window.PDV);
