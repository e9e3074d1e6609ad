/* viewer.js - bootstrap of the pdiburn media viewer (PROTOCOL.md, version 1).
 * Owns the global PDV object, the base folder and the insertion of classic
 * scripts. INDEX.HTM references only this file: everything else (the other
 * viewer scripts in FILES.txt order, viewer.css, then data/study.js) is
 * inserted from here, because file:// pages can load code only that way.
 * All of them, study.js first, are inserted at once as ordered scripts, so
 * the files are read in parallel and run in order. */
(function () {
  'use strict';
  if (window.PDV && window.PDV.booted) return;

  // MODULES then LATER must stay identical to FILES.txt (minus viewer.js
  // and viewer.css).
  var MODULES = ['inflate.js', 'codec.js', 'pool.js', 'store.js', 'cache.js',
    'dom.js', 'format.js', 'render.js', 'viewport.js', 'orient.js',
    'measure.js', 'tools.js', 'cine.js', 'presets.js', 'commands.js',
    'toolbar.js', 'annotate.js', 'studies.js', 'ui.js', 'panels.js',
    'testapi.js'];
  // Read after the first image: each script file costs Chromium about 5 ms
  // before the first image, and only comparison and "Open DICOM folder"
  // need these (PDV.later waits for them).
  var LATER = ['compare.js', 'dicom.js', 'tagnames.js', 'folder.js'];

  var ZIP_HINT = "The viewer's data files could not be read. If you opened " +
    'this from a ZIP file, extract all files first. You can still open the ' +
    'DICOM folder.';

  var PDV = window.PDV = { booted: true, src: {}, options: {}, marks: {} };

  // Milestones in ms since navigation start, for the timing tests.
  PDV.mark = function (name) {
    if (!(name in PDV.marks)) PDV.marks[name] = Math.round(performance.now());
  };

  function baseFolder() {
    var me = document.currentScript;
    var src = me ? me.src : '';
    if (!src) {
      var all = document.getElementsByTagName('script');
      src = all[all.length - 1].src;
    }
    return src.replace(/[^\/]*$/, '');
  }
  PDV.base = baseFolder();
  // On the media every name is upper case (IHE PDI; Rock Ridge and folders
  // look names up in exact case): VIEWER/, VIEWER/DATA/STUDY.JS, ...
  PDV.dataBase = PDV.base + 'DATA/';

  // Options for tests and support: INDEX.HTM#noworker,jsinflate,cache=32
  // (cache: the decoded-frame budget in MB, cache.js).
  (location.hash || '').replace(/^#/, '').split(',').forEach(function (o) {
    var kv = o.split('=');
    if (o) PDV.options[kv[0]] = kv.length > 1 ? kv[1] : true;
  });

  // Classic script insertion is the only way a file:// page reads data.
  // ordered=true keeps execution order while the files load in parallel.
  PDV.loadScript = function (url, ordered, onload, onerror) {
    var s = document.createElement('script');
    s.src = url;
    s.async = !ordered;
    s.onload = function () {
      if (onload) onload();
    };
    s.onerror = function () {
      if (onerror) onerror(url);
    };
    document.head.appendChild(s);
    return s;
  };

  PDV.showFatal = function (msg) {
    var app = document.getElementById('pdv-app');
    var box = document.createElement('p');
    box.className = 'pdv-fatal';
    box.setAttribute('role', 'alert');
    box.textContent = msg;
    if (app) app.insertBefore(box, app.firstChild);
    var st = document.getElementById('pdv-static');
    if (st) st.style.display = '';
    if (PDV.ui && PDV.ui.onDataMissing) PDV.ui.onDataMissing(msg);
  };

  PDV.dataMissing = function () {
    if (PDV.dataFailed) return;
    PDV.dataFailed = true;
    PDV.showFatal(ZIP_HINT);
  };

  // Data scripts call these. study.js loads alongside the code and may
  // run before the viewer has started; it then also starts reading the
  // chunk of the first image (listed first, PROTOCOL.md), so that file is
  // read while the code is parsed. What arrives early waits for start().
  var started = false, early = null, studyFailed = false, earlyChunks = [], first = null;
  PDV.study = function (index) {
    PDV.mark('study.js');
    if (started) return PDV.store.onStudy(index);
    early = index;
    prefetchFirst(index);
  };
  PDV.tags = function (t) { PDV.store.onTags(t); };
  PDV.chunk = function (c) {
    if (started) PDV.store.onChunk(c);
    else earlyChunks.push(c);
  };

  function noStudy() {
    if (started) PDV.store.noStudy();
    else studyFailed = true;
  }

  function firstSeries(index) {
    var found = null;
    (index.patients || []).forEach(function (p) {
      (p.studies || []).forEach(function (s) {
        (s.series || []).forEach(function (se) { found = found || se; });
      });
    });
    return found;
  }

  function prefetchFirst(index) {
    var se = firstSeries(index);
    if (!se || !se.chunks || !se.chunks.length || index.payload === 'none') return;
    first = { key: se.key, chunk: 0, state: 'loading' };
    var s = PDV.loadScript(PDV.dataBase + se.chunks[0], true, function () { settled('loaded'); },
      function () { settled('failed'); });
    function settled(state) {
      if (s.parentNode) s.parentNode.removeChild(s);
      first.state = state;
      if (started) PDV.store.prefetched(first);
    }
  }

  function addStyle() {
    var l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = PDV.base + 'VIEWER.CSS';
    document.head.appendChild(l);
  }

  function codeMissing(url) {
    PDV.codeFailed = true;
    PDV.showFatal('The viewer could not load ' + url.replace(/^.*\//, '') +
      '. ' + ZIP_HINT);
  }

  // PDV.later(fn): fn runs once the LATER scripts have run.
  var laterState = 'no', laterFns = [];
  PDV.later = function (fn) {
    if (laterState === 'done') return fn();
    laterFns.push(fn);
    loadLater();
  };

  function loadLater() {
    if (laterState !== 'no') return;
    laterState = 'loading';
    LATER.forEach(function (m, i) {
      PDV.loadScript(PDV.base + m.toUpperCase(), true, i === LATER.length - 1 ? function () {
        laterState = 'done';
        laterFns.splice(0).forEach(function (fn) { fn(); });
      } : null, codeMissing);
    });
  }

  function start() {
    if (PDV.codeFailed) return;
    PDV.mark('code');
    PDV.ui.start();
    PDV.on('first', loadLater);
    setTimeout(loadLater, 3000);
    started = true;
    if (early) PDV.store.onStudy(early, first);
    else if (studyFailed) PDV.store.noStudy();
    earlyChunks.forEach(function (c) { PDV.store.onChunk(c); });
    if (first && first.state !== 'loading') PDV.store.prefetched(first);
    early = null;
    earlyChunks = [];
  }

  // Ordered scripts: async ones get a low priority and were read last.
  // study.js goes first, so the first image's chunk is asked for at once.
  addStyle();
  PDV.loadScript(PDV.dataBase + 'STUDY.JS', true, null, noStudy);
  MODULES.forEach(function (m, i) {
    var last = i === MODULES.length - 1;
    PDV.loadScript(PDV.base + m.toUpperCase(), true, last ? start : null,
      codeMissing);
  });
})();
