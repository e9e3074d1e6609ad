/* store.js - the study model the viewer shows: the PDV.study index, which
 * chunk file to read next, the compressed frames read from the chunks and
 * the tag lists. Chunks load one at a time (optical media read fastest in
 * order): the chunks of the images on screen first, then the rest of their
 * series, then the other series. Compressed frames are kept for good (about
 * 0.4 of the raw size); decoded ones live in the bounded cache (cache.js). */
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
    study: null, payload: 'none', series: [], byKey: {}, source: 'media', decodeLocal: null
  };
  var packed = {}, loaded = {}, chunkState = {}, loading = null;
  var tagWaiters = {}, tagData = {}, generation = 0, focus = [];
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
          packed[se.key] = new Array(se.images.length);
          loaded[se.key] = 0;
        });
      });
    });
    store.series = list;
    store.byKey = byKey;
  }

  // slots[chunk][slot] -> image index, to place the entries of a chunk.
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
    packed = {};
    loaded = {};
    chunkState = {};
    tagData = {};
    tagWaiters = {};
    store.study = index;
    store.payload = index.payload || 'none';
    store.source = source;
    indexSeries(index);
    var first = store.series[0];
    focus = first ? [{ key: first.series.key, index: 0 }] : [];
    PDV.emit('reset', index);
  }

  // pre: the first image's chunk, when viewer.js started reading it before
  // the code had run ({key, chunk, state}); it counts as the chunk loading.
  store.onStudy = function (index, pre) {
    if (store.source === 'folder') return; // the user chose files instead
    PDV.mark('study');
    reset(index, 'media');
    if (pre && store.byKey[pre.key]) {
      chunkState[pre.key + '/' + pre.chunk] = 'loading';
      loading = { prefetch: pre };
    }
    PDV.emit('study', index);
    loadNextChunk();
  };

  // The chunk viewer.js read early has finished (pre.state loaded/failed).
  store.prefetched = function (pre) {
    if (!loading || loading.prefetch !== pre) return;
    chunkDone(pre.key + '/' + pre.chunk, generation, pre.state);
    if (pre.state === 'failed') PDV.dataMissing();
  };

  store.noStudy = function () {
    PDV.dataMissing();
    PDV.emit('nostudy');
  };

  // Folder mode: frames are decoded on demand from the files the user chose.
  store.useLocal = function (index, decode) {
    reset(index, 'folder');
    store.decodeLocal = decode;
    loading = null;
    PDV.emit('study', index);
  };

  // The chunks of the images on screen, the rest of their series, the rest.
  function chunkOrder() {
    var order = [];
    focus.forEach(function (f) {
      var info = store.byKey[f.key];
      if (!info) return;
      var se = info.series, im = se.images[f.index], first = im ? im.chunk : 0;
      for (var c = first; c < se.chunks.length; c++) order.push([se.key, c]);
      for (c = 0; c < first; c++) order.push([se.key, c]);
    });
    store.series.forEach(function (s) {
      for (var k = 0; k < s.series.chunks.length; k++) order.push([s.series.key, k]);
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

  // The script element goes as soon as it ran, so the engine can drop the
  // source text; what the chunk delivered is in `packed`.
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

  // The base64 strings the chunk delivered are what is kept: turning them
  // into bytes would save a quarter, but allocate that much more while the
  // strings wait for the garbage collector, which measured worse at the
  // peak (Chromium keeps each script's source text as well).
  store.onChunk = function (c) {
    var info = store.byKey[c.series];
    if (!info || store.source !== 'media') return;
    var key = c.series, slots = info.slots[c.chunk] || [], list = packed[key];
    c.pixels.forEach(function (b64, slot) {
      var idx = slots[slot];
      if (idx === undefined || list[idx]) return;
      list[idx] = b64;
      loaded[key]++;
      PDV.emit('loaded', { key: key, index: idx });
    });
    if (loaded[key] === list.length) PDV.emit('seriesloaded', key);
  };

  // The compressed frame (base64), or null while its chunk is not read.
  store.packed = function (key, idx) {
    var list = packed[key];
    return list ? list[idx] || null : null;
  };

  store.loadedCount = function (key) {
    return store.source === 'folder' ? (packed[key] || []).length : loaded[key] || 0;
  };

  // The viewports say what is on screen ([{key, index}...]), so loading
  // follows them.
  store.focus = function (list) {
    focus = list.slice();
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
