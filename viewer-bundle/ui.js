/* ui.js - the page layout and navigation: patient banner, the series
 * list beside the viewports, toolbar, slider and status line; showing a
 * series or an image in a viewport, and drawing it once it is decoded.
 * Starts with the scroll tool active and the first image fitted, as BIR's
 * start-up layout asks. */
(function (PDV) {
  'use strict';

  var render = PDV.render, store = PDV.store, tools = PDV.tools, vps = PDV.vps;
  var h = PDV.h, button = PDV.button, fmt = PDV.fmt;
  var ui = PDV.ui = { overlayOn: true };
  var el = {}, firstDrawn = false;

  // Kept for code that formatted through ui (panels, older callers).
  ui.fmtDate = fmt.date;
  ui.fmtTime = fmt.time;
  ui.fmtName = fmt.name;

  // --- layout --------------------------------------------------------------

  function buildBanner() {
    el.patient = h('div', { class: 'pdv-patient' });
    el.disc = h('div', { class: 'pdv-disc', hidden: true });
    el.lossy = h('div', { class: 'pdv-lossy', role: 'status', hidden: true });
    el.folderInput = h('input', { type: 'file', webkitdirectory: true, multiple: true,
      class: 'pdv-hidden', 'aria-hidden': 'true', tabindex: '-1', onchange: folderChosen });
    el.actions = h('div', { class: 'pdv-actions' }, [
      button('Series', 'Show or hide the series list', toggleSide, { class: 'pdv-btn pdv-side-toggle' }),
      button('Open DICOM folder', 'Read the DICOM files of this disc or any folder', ui.openFolder),
      button('Media contents', 'Show the contents of this medium (reports, README)', function () {
        PDV.panels.open('media');
      }),
      button('Help', 'Keyboard shortcuts and help (H)', function () { PDV.panels.open('help'); }),
      el.folderInput]);
    return h('header', { class: 'pdv-banner' }, [el.patient, el.disc, el.lossy, el.actions]);
  }

  function buildNavbar() {
    el.slider = h('input', { type: 'range', min: '1', max: '1', value: '1', class: 'pdv-slider',
      'aria-label': 'Image number', oninput: function () { ui.showIndex(+el.slider.value - 1); } });
    el.pos = h('span', { class: 'pdv-pos', 'aria-live': 'off' });
    el.readout = h('span', { class: 'pdv-readout' });
    el.measure = h('span', { class: 'pdv-measure', role: 'status' });
    return h('div', { class: 'pdv-navbar' }, [
      button('\u25b2', 'Previous image (Up arrow)', function () { ui.step(-1); }),
      el.slider,
      button('\u25bc', 'Next image (Down arrow)', function () { ui.step(1); }),
      el.pos, el.readout, el.measure]);
  }

  function buildLayout(app) {
    el.banner = buildBanner();
    el.side = PDV.studies.element();
    el.main = h('main', { class: 'pdv-main' }, [PDV.toolbar(), vps.build(), buildNavbar()]);
    el.body = h('div', { class: 'pdv-body' }, [el.side, el.main, PDV.panels.element()]);
    app.appendChild(el.banner);
    app.appendChild(el.body);
  }

  // Below this width the series list is a drawer over the image (viewer.css).
  ui.narrow = function () { return window.innerWidth <= 800; };

  ui.closeDrawer = function () {
    if (ui.narrow()) el.body.classList.add('pdv-noside');
  };

  function toggleSide() {
    el.body.classList.toggle('pdv-noside');
    vps.drawAll();
  }

  ui.openFolder = function () { el.folderInput.click(); };

  ui.start = function () {
    var app = document.getElementById('pdv-app');
    if (!app) {
      app = h('div', { id: 'pdv-app' });
      document.body.appendChild(app);
    }
    var st = document.getElementById('pdv-static');
    if (st) st.style.display = 'none';
    document.documentElement.classList.add('pdv-js');
    app.classList.add('pdv-on');
    buildLayout(app);
    if (ui.narrow()) el.body.classList.add('pdv-noside');
    vps.list.forEach(function (vp) {
      render.attach(vp);
      tools.attach(vp);
    });
    vps.message(vps.list[0], 'Loading the study\u2026');
    window.addEventListener('resize', function () { vps.drawAll(); });
    PDV.emit('ui');
  };

  ui.onDataMissing = function (msg) {
    if (vps.active) vps.message(vps.active, msg, true);
  };

  ui.message = function (text, showFolder) { vps.message(vps.active, text, showFolder); };

  // --- banner ------------------------------------------------------------------

  function banner(info) {
    var p = info.patient, s = info.study, vol = store.study && store.study.volume;
    el.patient.textContent = '';
    el.patient.appendChild(h('strong', { class: 'pdv-name' }, [fmt.name(p.name) || '(no name)']));
    [['ID', p.id], ['Born', fmt.date(p.birthDate)], ['Sex', p.sex],
      ['Study', [fmt.date(s.date), s.description].filter(Boolean).join(' ')],
      ['Acc.', s.accession]].forEach(function (kv) {
      if (kv[1]) el.patient.appendChild(h('span', {}, [kv[0] + ': ', h('b', {}, [kv[1]])]));
    });
    el.patient.title = el.patient.textContent;
    // Short, so the patient stays in view; the series list and the
    // image corner say which images of a split series are here.
    var many = vol && vol.count > 1, sp = info.series.split;
    el.disc.hidden = !many;
    el.disc.textContent = many ? 'Disc ' + vol.index + ' of ' + vol.count +
      (sp ? ' \u00b7 this series also on ' + fmt.otherDiscs(sp) : '') : '';
    el.disc.title = sp ? fmt.split(sp) : '';
  }

  function lossyText(vp) {
    var cur = render.current(vp);
    if (!cur) return '';
    if (store.payload === 'lite' || cur.series.codec === 'jpeg')
      return 'Lossy JPEG preview \u2014 not for diagnosis. No HU values.';
    return cur.image.lossy ? 'Lossy compressed image \u2014 not for diagnosis.' : '';
  }

  // One notice for whatever the visible viewports show. The banner keeps
  // its height whether it is there or not (viewer.css), so the image does
  // not move when the user goes from a lossless to a lossy series.
  function lossyNotice() {
    var text = vps.visible().map(lossyText).filter(Boolean)[0] || '';
    el.lossy.hidden = !text;
    el.lossy.textContent = text;
  }

  // --- navigation -------------------------------------------------------------

  ui.imageCount = function (vp) {
    var info = store.info((vp || vps.active).view.key);
    return info ? info.series.images.length : 0;
  };

  ui.showSeries = function (key, idx, vp) {
    vp = vp || vps.active;
    var info = store.info(key);
    if (!info) return;
    if (vp.view.key !== key) {
      vp.view.key = key;
      vp.view.index = Math.max(0, Math.min(info.series.images.length - 1, idx | 0));
      vp.view.fit = true;
      PDV.emit('series', vp);
    }
    ui.showIndex(idx || 0, vp);
  };

  // quiet: a viewport following its linked partner does not lead it back.
  ui.showIndex = function (i, vp, quiet) {
    vp = vp || vps.active;
    var info = store.info(vp.view.key);
    if (!info) return;
    var n = info.series.images.length, next = Math.max(0, Math.min(n - 1, i | 0));
    if (next !== vp.view.index) vp.view.dir = next > vp.view.index ? 1 : -1;
    vp.view.index = next;
    PDV.cache.setFocus(vps.focus());
    if (!ui.draw(vp)) waitFor(vp, vp.view.key, next);
    PDV.emit('index', { vp: vp, quiet: !!quiet });
  };

  ui.step = function (d, vp) {
    vp = vp || vps.active;
    ui.showIndex(vp.view.index + d, vp);
  };

  ui.stepSeries = function (d) {
    var info = store.info(vps.active.view.key);
    if (!info) return;
    var next = store.series[info.pos + d];
    if (next) ui.showSeries(next.series.key, 0);
  };

  function waitFor(vp, key, idx) {
    PDV.cache.request(key, idx, function () {
      if (vp.view.key === key && vp.view.index === idx) ui.draw(vp);
    });
  }

  function drawMessage(vp, cur) {
    if (cur && cur.frame && cur.frame.kind === 'error')
      vps.message(vp, 'This image could not be decoded: ' + cur.frame.error);
    else if (store.payload === 'none' && store.source === 'media')
      vps.message(vp, 'This medium carries no viewer image data. Open the DICOM folder to see the images.', true);
    else vps.message(vp, 'Loading image ' + (vp.view.index + 1) + '\u2026');
  }

  ui.draw = function (vp) {
    vp = vp || vps.active;
    var cur = render.current(vp), ok = render.draw(vp);
    if (ok) vps.message(vp, '');
    else drawMessage(vp, cur);
    PDV.annotate(vp);
    if (vp === vps.active) activeChanged();
    lossyNotice();
    if (ok && !firstDrawn) {
      firstDrawn = true;
      PDV.mark('first image');
      PDV.emit('first', performance.now());
    }
    return ok;
  };

  // The slider, position, banner and status line follow the active viewport.
  function activeChanged() {
    var vp = vps.active, info = store.info(vp.view.key);
    if (!info) return;
    var n = info.series.images.length;
    el.slider.max = String(n);
    el.slider.value = String(vp.view.index + 1);
    el.pos.textContent = (vp.view.index + 1) + ' / ' + n;
    if (el.bannerKey !== info.series.key) {
      el.bannerKey = info.series.key;
      banner(info);
    }
    el.measure.textContent = PDV.measure.lastText(vp) ? 'Measurement: ' + PDV.measure.lastText(vp) : '';
  }

  ui.toggleOverlay = function () {
    ui.overlayOn = !ui.overlayOn;
    vps.visible().forEach(PDV.annotate);
  };

  // --- readout and status ------------------------------------------------------

  // What the value under the pointer is, said honestly: HU only for CT
  // from lossless data, "preview gray" for the 8-bit JPEG of payload lite.
  ui.readoutText = function (v) {
    var t = 'x ' + v.col + ' y ' + v.row + ': ';
    if (Array.isArray(v.stored)) return t + 'RGB ' + v.stored.join(' ') + (v.preview ? ' (lossy preview)' : '');
    if (v.preview) return t + 'preview gray ' + v.stored + ' (0\u2013255, not a DICOM value)';
    var lossy = v.lossy ? ' (lossy original)' : '';
    if (v.hu !== null && v.hu !== undefined) return t + (+v.hu.toFixed(2)) + ' HU (stored ' + v.stored + ')' + lossy;
    if (v.modality !== null && v.modality !== v.stored)
      return t + 'value ' + (+v.modality.toFixed(3)) + ' (stored ' + v.stored + ')' + lossy;
    return t + 'value ' + v.stored + lossy;
  };

  PDV.on('readout', function (v) {
    el.readout.textContent = v ? ui.readoutText(v) : '';
  });

  PDV.on('measure', function (r) { el.measure.textContent = 'Measurement: ' + r.text; });
  PDV.on('active', function () { el.bannerKey = null; activeChanged(); });

  ui.status = function (text) { el.measure.textContent = text; };

  // --- folder -------------------------------------------------------------------

  function folderChosen() {
    // A copy: clearing the input below would empty its live list.
    var files = Array.prototype.slice.call(el.folderInput.files || []);
    if (!files.length) return;
    if (PDV.cine) PDV.cine.stop();
    ui.message('Reading ' + files.length + ' files\u2026');
    PDV.later(function () { readFolder(files); });
    el.folderInput.value = '';
  }

  function readFolder(files) {
    PDV.folder.open(files, function (i, n) {
      if (i % 10 === 0 || i === n) ui.message('Reading DICOM files: ' + i + ' / ' + n);
    }).then(function (r) {
      var note = r.series ? '' : 'No images that this viewer can show were found. ';
      if (r.problems.length) note += r.problems.length + ' file(s) not shown (e.g. ' + r.problems[0] + ').';
      ui.folderResult = r;
      if (!r.series) ui.message(note, true);
      else if (note) setTimeout(function () { ui.message(''); ui.status(note); }, 0);
    }, function (e) {
      ui.message('The folder could not be read: ' + e.message, true);
    });
  }

  // --- events --------------------------------------------------------------------

  PDV.on('study', function () {
    vps.resetViews();
    PDV.measure.clear();
    el.bannerKey = null;
    var first = store.series[0];
    if (!first) {
      var reps = PDV.studies.firstReport();
      if (reps) PDV.panels.showReports(reps);
      return ui.message('This medium lists no images' + (reps ? '; its reports are listed on the left.' :
        '. You can open the DICOM folder.'), !reps);
    }
    ui.showSeries(first.series.key, 0, vps.list[0]);
  });

  PDV.on('nostudy', function () {
    ui.message("The viewer's data files could not be read. If you opened this from a ZIP file, " +
      'extract all files first. You can still open the DICOM folder.', true);
  });

  PDV.on('window', PDV.annotate);
  PDV.on('zoom', PDV.annotate);
})(window.PDV);
