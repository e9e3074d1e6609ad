/* store.js - the study model the viewer shows: the PDV.study index, which
 * chunk file to read next, decoded frames and tag lists. Chunks load one at
 * a time (optical media read fastest in order); the chunk holding the image
 * on screen goes first, then the rest of its series, then other series. */
(function (PDV) {
  'use strict';

  var handlers = {};
  PDV.on = function (name, fn) {
    (handlers[name] = handlers[name] || []).push(fn);
  };
  PDV.emit = function (name, arg) {
    (handlers[name] || []).forEach(function (fn) { fn(arg); });
  };

  var store = PDV.store = {
    study: null, payload: 'none', series: [], byKey: {}, source: 'media'
  };
  var frames = {}, waiting = {}, chunkState = {}, loading = null;
  var tagWaiters = {}, tagData = {}, generation = 0, decodeLocal = null;
  var current = { key: null, index: 0 };
  // Parsing the next multi-MB chunk blocks the page, so it waits until the
  // first image is on screen (or 2 s, should that image fail to decode).
  var holdForFirst = true;
  PDV.on('first', function () { release(); });

  function release() {
    if (!holdForFirst) return;
    holdForFirst = false;
    loadNextChunk();
  }

  function indexSeries(index) {
    var list = [], byKey = {};
    (index.patients || []).forEach(function (pat) {
      (pat.studies || []).forEach(function (st) {
        (st.series || []).forEach(function (se) {
          var info = { series: se, study: st, patient: pat, pos: list.length,
            slots: slotMap(se) };
          list.push(info);
          byKey[se.key] = info;
          frames[se.key] = new Array(se.images.length);
        });
      });
    });
    store.series = list;
    store.byKey = byKey;
  }

  // slots[chunk][slot] -> image index, to place decoded chunk entries.
  function slotMap(se) {
    var slots = [];
    (se.images || []).forEach(function (im, i) {
      var c = slots[im.chunk] = slots[im.chunk] || [];
      c[im.slot] = i;
    });
    return slots;
  }

  function reset(index, source) {
    generation++;
    frames = {};
    waiting = {};
    chunkState = {};
    tagData = {};
    tagWaiters = {};
    store.study = index;
    store.payload = index.payload || 'none';
    store.source = source;
    indexSeries(index);
    var first = store.series[0];
    current = { key: first ? first.series.key : null, index: 0 };
  }

  store.onStudy = function (index) {
    if (store.source === 'folder') return; // the user chose files instead
    PDV.mark('study');
    reset(index, 'media');
    PDV.emit('study', index);
    loadNextChunk();
  };

  store.noStudy = function () {
    PDV.dataMissing();
    PDV.emit('nostudy');
  };

  // Folder mode: frames are decoded on demand from the files the user chose.
  store.useLocal = function (index, decode) {
    reset(index, 'folder');
    decodeLocal = decode;
    loading = null;
    PDV.emit('study', index);
  };

  function chunkOrder() {
    var order = [], info = store.byKey[current.key];
    if (info) {
      var se = info.series, im = se.images[current.index];
      var first = im ? im.chunk : 0;
      for (var c = first; c < se.chunks.length; c++) order.push([se.key, c]);
      for (c = 0; c < first; c++) order.push([se.key, c]);
    }
    store.series.forEach(function (s) {
      for (var k = 0; k < s.series.chunks.length; k++)
        order.push([s.series.key, k]);
    });
    return order;
  }

  function loadNextChunk() {
    if (loading || store.source !== 'media' || store.payload === 'none') return;
    var next = chunkOrder().filter(function (o) {
      return !chunkState[o[0] + '/' + o[1]];
    })[0];
    if (!next) return;
    var id = next[0] + '/' + next[1], gen = generation;
    var url = PDV.dataBase + store.byKey[next[0]].series.chunks[next[1]];
    chunkState[id] = 'loading';
    loading = PDV.loadScript(url, false, function () {
      chunkDone(id, gen, 'loaded');
    }, function () {
      chunkDone(id, gen, 'failed');
      PDV.dataMissing();
    });
  }

  function chunkDone(id, gen, state) {
    if (loading && loading.parentNode) loading.parentNode.removeChild(loading);
    loading = null;
    if (gen !== generation) return;
    PDV.mark('chunk ' + id);
    chunkState[id] = state;
    if (holdForFirst && state === 'loaded') {
      setTimeout(release, 2000);
      return;
    }
    loadNextChunk();
  }

  store.onChunk = function (c) {
    var info = store.byKey[c.series];
    if (!info || store.source !== 'media') return;
    var se = info.series, slots = info.slots[c.chunk] || [];
    c.pixels.forEach(function (b64, slot) {
      var idx = slots[slot];
      if (idx === undefined) return;
      var im = se.images[idx];
      submit(se, idx, { codec: se.codec, b64: b64, rows: im.rows,
        columns: im.columns, signed: !!im.signed });
    });
  };

  function submit(se, idx, job) {
    var gen = generation;
    PDV.pool.submit(se.key + ':' + idx, job).then(function (f) {
      if (gen === generation) putFrame(se.key, idx, f);
    }, function (err) {
      if (gen !== generation) return;
      putFrame(se.key, idx, { kind: 'error', error: String(err.message || err) });
    });
  }

  function putFrame(key, idx, f) {
    frames[key][idx] = f;
    var id = key + ':' + idx;
    (waiting[id] || []).forEach(function (fn) { fn(f); });
    delete waiting[id];
    PDV.emit('frame', { key: key, index: idx, frame: f });
    if (f.kind !== 'error' && store.decodedCount(key) === frames[key].length)
      PDV.emit('seriesdone', key);
  }

  store.decodedCount = function (key) {
    var fr = frames[key] || [], n = 0;
    for (var i = 0; i < fr.length; i++) if (fr[i] && fr[i].kind !== 'error') n++;
    return n;
  };

  store.getFrame = function (key, idx) {
    var fr = frames[key];
    if (!fr) return null;
    if (!fr[idx] && store.source === 'folder' && decodeLocal) {
      var info = store.byKey[key];
      try {
        fr[idx] = decodeLocal(info.series, info.series.images[idx]);
      } catch (e) {
        fr[idx] = { kind: 'error', error: String(e.message || e) };
      }
    }
    return fr[idx] || null;
  };

  store.whenFrame = function (key, idx, fn) {
    var f = store.getFrame(key, idx);
    if (f) return fn(f);
    (waiting[key + ':' + idx] = waiting[key + ':' + idx] || []).push(fn);
  };

  // The viewer tells the store what is on screen, so loading follows it.
  store.want = function (key, idx) {
    current = { key: key, index: idx };
    PDV.pool.prefer(key + ':' + idx);
    loadNextChunk();
  };

  store.info = function (key) {
    return store.byKey[key] || null;
  };

  // fn(list of [tag, name, VR, value]) for one image, or fn(null).
  store.tagsFor = function (key, idx, fn) {
    var info = store.byKey[key];
    if (!info) return fn(null);
    if (store.source === 'folder')
      return fn(PDV.folder.tags(info.series.images[idx]));
    loadTags(info, function (t) {
      fn(t && t.images ? t.images[idx] || null : null);
    });
  };

  function loadTags(info, fn) {
    var key = info.series.key;
    if (tagData[key]) return fn(tagData[key]);
    if (!info.series.tags) return fn(null);
    if (tagWaiters[key]) return tagWaiters[key].push(fn);
    tagWaiters[key] = [fn];
    function done() {
      var w = tagWaiters[key] || [];
      delete tagWaiters[key];
      w.forEach(function (f) { f(tagData[key] || null); });
    }
    PDV.loadScript(PDV.dataBase + info.series.tags, false, done, done);
  }

  store.onTags = function (t) {
    if (t && t.series) tagData[t.series] = t;
  };

})(window.PDV);
