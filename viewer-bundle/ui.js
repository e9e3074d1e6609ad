/* ui.js - the page layout and navigation: patient banner, study/series
 * browser with thumbnails, toolbar, image stage with its corner
 * annotations (BIR 5.8), slider and status line. Starts with the scroll
 * tool active and the first image fitted, as BIR's start-up layout asks. */
(function (PDV) {
  'use strict';

  var view = PDV.view, render = PDV.render, store = PDV.store, tools = PDV.tools;
  var ui = PDV.ui = { overlayOn: true };
  var el = {}, firstDrawn = false, pendingKey = null;

  // Small DOM builder: h('button', {class: 'x', onclick: f}, ['text', node]).
  var h = PDV.h = function (tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
      else if (k === 'text') n.textContent = v;
      else n.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined)
        n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  };

  // --- formatting ----------------------------------------------------------

  ui.fmtDate = function (d) {
    return /^\d{8}$/.test(d || '') ? d.slice(0, 4) + '-' + d.slice(4, 6) + '-' + d.slice(6) : d || '';
  };
  ui.fmtTime = function (t) {
    return /^\d{4}/.test(t || '') ? t.slice(0, 2) + ':' + t.slice(2, 4) : '';
  };
  ui.fmtName = function (n) {
    var p = (n || '').split('^');
    return p.length > 1 ? p[0] + ', ' + p.slice(1).filter(Boolean).join(' ') : n || '';
  };

  // --- layout --------------------------------------------------------------

  function button(label, title, onclick, cls) {
    return h('button', { type: 'button', class: cls || 'pdv-btn', title: title,
      'aria-label': title, onclick: onclick }, [label]);
  }

  function buildLayout(app) {
    el.patient = h('div', { class: 'pdv-patient' });
    el.lossy = h('div', { class: 'pdv-lossy', role: 'status', hidden: true });
    el.folderInput = h('input', { type: 'file', webkitdirectory: true, multiple: true,
      class: 'pdv-hidden', 'aria-hidden': 'true', tabindex: '-1', onchange: folderChosen });
    el.actions = h('div', { class: 'pdv-actions' }, [
      button('Series', 'Show or hide the series list', toggleSide, 'pdv-btn pdv-side-toggle'),
      button('Open DICOM folder', 'Read the DICOM files of this disc or any folder', function () {
        el.folderInput.click();
      }),
      button('Media contents', 'Show the contents of this medium (reports, README)', function () {
        PDV.panels.open('media');
      }),
      button('Help', 'Keyboard shortcuts and help (H)', function () { PDV.panels.open('help'); }),
      el.folderInput]);
    el.banner = h('header', { class: 'pdv-banner' }, [el.patient, el.lossy, el.actions]);
    el.side = h('nav', { class: 'pdv-side', 'aria-label': 'Studies and series' });
    el.toolbar = PDV.toolbar ? PDV.toolbar() : h('div');
    el.img = h('canvas', { class: 'pdv-img', 'aria-hidden': 'true' });
    el.ovl = h('canvas', { class: 'pdv-ovl', tabindex: '0', role: 'img',
      'aria-label': 'Image. Arrow keys scroll, W window, Z zoom, P pan, M measure.' });
    el.ann = ['tl', 'tr', 'bl', 'br'].map(function (c) {
      return h('div', { class: 'pdv-ann pdv-' + c, 'aria-hidden': 'true' });
    });
    el.msg = h('div', { class: 'pdv-msg', role: 'status', 'aria-live': 'polite' });
    el.stage = h('div', { class: 'pdv-stage' }, [el.img, el.ovl].concat(el.ann, [el.msg]));
    el.slider = h('input', { type: 'range', min: '1', max: '1', value: '1', class: 'pdv-slider',
      'aria-label': 'Image number', oninput: function () { ui.showIndex(+el.slider.value - 1); } });
    el.pos = h('span', { class: 'pdv-pos', 'aria-live': 'off' });
    el.readout = h('span', { class: 'pdv-readout' });
    el.measure = h('span', { class: 'pdv-measure', role: 'status' });
    el.nav = h('div', { class: 'pdv-navbar' }, [
      button('\u25b2', 'Previous image (Up arrow)', function () { ui.step(-1); }),
      el.slider,
      button('\u25bc', 'Next image (Down arrow)', function () { ui.step(1); }),
      el.pos, el.readout, el.measure]);
    el.main = h('main', { class: 'pdv-main' }, [el.toolbar, el.stage, el.nav]);
    el.panel = PDV.panels.element();
    el.body = h('div', { class: 'pdv-body' }, [el.side, el.main, el.panel]);
    app.appendChild(el.banner);
    app.appendChild(el.body);
  }

  // Below this width the series list is a drawer over the image (viewer.css).
  function narrow() { return window.innerWidth <= 800; }

  function toggleSide() {
    el.body.classList.toggle('pdv-noside');
    render.draw();
  }

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
    if (narrow()) el.body.classList.add('pdv-noside');
    render.attach(el.img);
    tools.attach(el.ovl);
    message('Loading the study\u2026');
    window.addEventListener('resize', function () { render.draw(); });
    PDV.emit('ui');
  };

  ui.onDataMissing = function (msg) {
    if (el.msg) message(msg, true);
  };

  function message(text, showFolder) {
    el.msg.textContent = '';
    if (!text) { el.msg.hidden = true; return; }
    el.msg.hidden = false;
    el.msg.appendChild(h('p', {}, [text]));
    if (showFolder) el.msg.appendChild(button('Open DICOM folder',
      'Read the DICOM files of this disc', function () { el.folderInput.click(); }));
  }
  ui.message = message;

  // --- banner and browser ----------------------------------------------------

  function banner(info) {
    var p = info.patient, s = info.study;
    el.patient.textContent = '';
    el.patient.appendChild(h('strong', { class: 'pdv-name' }, [ui.fmtName(p.name) || '(no name)']));
    [['ID', p.id], ['Born', ui.fmtDate(p.birthDate)], ['Sex', p.sex],
      ['Study', [ui.fmtDate(s.date), s.description].filter(Boolean).join(' ')],
      ['Acc.', s.accession]].forEach(function (kv) {
      if (kv[1]) el.patient.appendChild(h('span', {}, [kv[0] + ': ', h('b', {}, [kv[1]])]));
    });
  }

  function lossyNotice(info, im) {
    var lite = store.payload === 'lite' || info.series.codec === 'jpeg';
    var text = lite ? 'Lossy JPEG preview \u2014 not for diagnosis. No HU values.' :
      im && im.lossy ? 'Lossy compressed image \u2014 not for diagnosis.' : '';
    el.lossy.hidden = !text;
    el.lossy.textContent = text;
  }

  function seriesButton(info) {
    var se = info.series, n = se.images.length;
    var thumb = se.thumb ? h('img', { src: se.thumb, alt: '', class: 'pdv-thumb' }) :
      h('canvas', { class: 'pdv-thumb', width: '64', height: '64' });
    var count = h('span', { class: 'pdv-count' }, [n + (n === 1 ? ' image' : ' images')]);
    var b = h('button', { type: 'button', class: 'pdv-series', 'data-key': se.key,
      onclick: function () {
        if (narrow()) el.body.classList.add('pdv-noside');
        ui.showSeries(se.key, 0);
      } }, [thumb,
      h('span', { class: 'pdv-sdesc' }, [
        h('b', {}, [(se.modality || '') + (se.number !== undefined ? ' ' + se.number : '')]),
        ' ', se.description || '', h('br'), count])]);
    info.button = b;
    info.thumb = se.thumb ? null : thumb;
    info.count = count;
    return h('li', {}, [b]);
  }

  function buildBrowser() {
    el.side.textContent = '';
    var many = (store.study.patients || []).length > 1;
    (store.study.patients || []).forEach(function (p) {
      if (many) el.side.appendChild(h('h2', { class: 'pdv-pname' }, [ui.fmtName(p.name)]));
      p.studies.forEach(function (s) {
        el.side.appendChild(h('h3', { class: 'pdv-study' }, [
          ui.fmtDate(s.date) + ' ' + ui.fmtTime(s.time), h('br'), s.description || s.modalities || '']));
        var ul = h('ul', { class: 'pdv-slist' });
        s.series.forEach(function (se) { ul.appendChild(seriesButton(store.info(se.key))); });
        el.side.appendChild(ul);
      });
    });
  }

  function drawThumb(info, frame) {
    var c = info.thumb, se = info.series, im = se.images[0];
    if (!c || !frame || frame.kind === 'error' || c.dataset.done) return;
    c.dataset.done = '1';
    var ctx = c.getContext('2d'), img = ctx.createImageData(64, 64), d = img.data;
    var win = render.defaultWindow(se, im, frame), dom = render.domain(se, im, frame);
    var s = Math.max(im.columns, im.rows) / 64, inv = im.photometric === 'MONOCHROME1';
    for (var y = 0; y < 64; y++) {
      for (var x = 0; x < 64; x++) {
        var col = Math.floor(x * s), row = Math.floor(y * s), o = (y * 64 + x) * 4;
        if (col >= im.columns || row >= im.rows) { d[o + 3] = 255; continue; }
        var i = row * im.columns + col;
        for (var ch = 0; ch < 3; ch++) {
          var v = frame.kind === 'rgb' ? frame.data[i * 4 + ch] :
            render.toDomain(dom, im, frame.data[i]);
          var g = render.voi(v, win[0], win[1]);
          d[o + ch] = inv ? 255 - g : g;
        }
        d[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  var countsQueued = false;
  function updateCounts() {
    if (countsQueued) return;
    countsQueued = true;
    setTimeout(function () {
      countsQueued = false;
      store.series.forEach(function (info) {
        if (!info.count) return;
        var n = info.series.images.length, k = store.decodedCount(info.series.key);
        info.count.textContent = n + (n === 1 ? ' image' : ' images') +
          (k < n && store.source === 'media' && store.payload !== 'none' ? ' (' + k + ' loaded)' : '');
      });
    }, 250);
  }

  // --- navigation -------------------------------------------------------------

  ui.imageCount = function () {
    var info = store.info(view.key);
    return info ? info.series.images.length : 0;
  };

  ui.showSeries = function (key, idx) {
    var info = store.info(key);
    if (!info) return;
    if (view.key !== key) {
      view.key = key;
      view.index = Math.max(0, Math.min(info.series.images.length - 1, idx | 0));
      view.fit = true;
      store.series.forEach(function (s) {
        if (s.button) s.button.setAttribute('aria-current', s === info ? 'true' : 'false');
      });
      banner(info);
      el.slider.max = String(info.series.images.length);
      PDV.emit('series', key);
    }
    ui.showIndex(idx || 0);
  };

  ui.showIndex = function (i) {
    var info = store.info(view.key);
    if (!info) return;
    var n = info.series.images.length;
    view.index = Math.max(0, Math.min(n - 1, i | 0));
    store.want(view.key, view.index);
    el.slider.value = String(view.index + 1);
    lossyNotice(info, info.series.images[view.index]);
    if (!draw()) waitFor(view.key, view.index);
  };

  ui.step = function (d) { ui.showIndex(view.index + d); };

  ui.stepSeries = function (d) {
    var info = store.info(view.key);
    if (!info) return;
    var next = store.series[info.pos + d];
    if (next) ui.showSeries(next.series.key, 0);
  };

  function waitFor(key, idx) {
    pendingKey = key + ':' + idx;
    store.whenFrame(key, idx, function () {
      if (pendingKey === key + ':' + idx) draw();
    });
  }

  function draw() {
    var cur = render.current(), ok = render.draw();
    if (ok) {
      pendingKey = null;
      message('');
    } else if (cur && cur.frame && cur.frame.kind === 'error') {
      message('This image could not be decoded: ' + cur.frame.error);
    } else if (store.payload === 'none' && store.source === 'media') {
      message('This medium carries no viewer image data. Open the DICOM folder to see the images.', true);
    } else message('Loading image ' + (view.index + 1) + '\u2026');
    annotate();
    if (ok && !firstDrawn) {
      firstDrawn = true;
      PDV.mark('first image');
      PDV.emit('first', performance.now());
    }
    return ok;
  }
  ui.draw = draw;

  // --- annotations (BIR 5.8) ----------------------------------------------------

  function lines(box, list) {
    box.textContent = '';
    list.filter(Boolean).forEach(function (t) { box.appendChild(h('div', {}, [t])); });
  }

  function annotate() {
    var cur = render.current();
    el.ann.forEach(function (a) { a.hidden = !ui.overlayOn || !cur; });
    if (!cur) return;
    var p = cur.info.patient, s = cur.info.study, se = cur.series, im = cur.image;
    var n = se.images.length, w = render.window();
    lines(el.ann[0], [ui.fmtName(p.name), p.id && 'ID ' + p.id,
      [ui.fmtDate(p.birthDate), p.sex].filter(Boolean).join(' ')]);
    lines(el.ann[1], [store.study.institution, [ui.fmtDate(s.date), ui.fmtTime(s.time)].join(' '),
      s.description, s.accession && 'Acc ' + s.accession]);
    lines(el.ann[2], [(se.modality || '') + ' Se ' + (se.number === undefined ? '' : se.number) +
      ' ' + (se.description || ''),
      'Im ' + (view.index + 1) + '/' + n + '  #' + im.instance +
        (im.frames > 1 ? ' fr ' + (im.frame + 1) + '/' + im.frames : ''),
      im.sliceThickness ? 'Thk ' + im.sliceThickness + ' mm' : '',
      im.position ? 'Pos ' + im.position.map(function (x) { return (+x).toFixed(1); }).join(' ') : '']);
    lines(el.ann[3], [w ? 'W ' + Math.round(w[1]) + ' L ' + Math.round(w[0]) : '',
      'Zoom ' + Math.round(view.scale * 100) + '%' + (view.invert ? ' INV' : ''),
      im.lossy || se.codec === 'jpeg' ? 'LOSSY' : '']);
    el.pos.textContent = (view.index + 1) + ' / ' + n;
  }

  ui.toggleOverlay = function () {
    ui.overlayOn = !ui.overlayOn;
    annotate();
  };

  // --- readout and folder -----------------------------------------------------------

  PDV.on('readout', function (v) {
    if (!v) { el.readout.textContent = ''; return; }
    var t = 'x ' + v.col + ' y ' + v.row + ': ';
    if (Array.isArray(v.stored)) t += 'RGB ' + v.stored.join(' ');
    else if (v.hu !== null && v.hu !== undefined) t += (+v.hu.toFixed(2)) + ' HU (stored ' + v.stored + ')';
    else if (v.modality !== null && v.modality !== v.stored) t += 'value ' + (+v.modality.toFixed(3)) + ' (stored ' + v.stored + ')';
    else t += (v.lossy ? 'display ' : 'value ') + v.stored;
    el.readout.textContent = t;
  });

  PDV.on('measure', function (r) { el.measure.textContent = 'Length: ' + r.text; });

  function folderChosen() {
    var files = el.folderInput.files;
    if (!files || !files.length) return;
    PDV.cine && PDV.cine.stop();
    message('Reading ' + files.length + ' files\u2026');
    PDV.folder.open(files, function (i, n) {
      if (i % 10 === 0 || i === n) message('Reading DICOM files: ' + i + ' / ' + n);
    }).then(function (r) {
      var note = r.series ? '' : 'No images that this viewer can show were found. ';
      if (r.problems.length) note += r.problems.length + ' file(s) not shown (e.g. ' + r.problems[0] + ').';
      ui.folderResult = r;
      if (!r.series) message(note, true);
      else if (note) setTimeout(function () { message(''); el.measure.textContent = note; }, 0);
    }, function (e) {
      message('The folder could not be read: ' + e.message, true);
    });
    el.folderInput.value = '';
  }

  // --- events --------------------------------------------------------------------

  PDV.on('study', function () {
    view.windows = {};
    view.key = null;
    tools.clearMeasures();
    buildBrowser();
    var first = store.series[0];
    if (!first) return message('This medium lists no images. You can open the DICOM folder.', true);
    ui.showSeries(first.series.key, 0);
    if (store.source === 'folder') localThumbs(store.series.slice());
  });

  // Folder mode decodes on demand; draw thumbnails one by one when idle.
  function localThumbs(list) {
    var info = list.shift();
    if (!info || store.source !== 'folder') return;
    drawThumb(info, store.getFrame(info.series.key, 0));
    setTimeout(function () { localThumbs(list); }, 30);
  }

  PDV.on('nostudy', function () {
    message("The viewer's data files could not be read. If you opened this from a ZIP file, " +
      'extract all files first. You can still open the DICOM folder.', true);
  });

  PDV.on('frame', function (e) {
    var info = store.info(e.key);
    if (e.index === 0 && info) drawThumb(info, e.frame);
    updateCounts();
  });

  PDV.on('drawn', function (cur) {
    var info = cur.info;
    if (info.thumb && !info.thumb.dataset.done) drawThumb(info, PDV.store.getFrame(info.series.key, 0));
  });

  PDV.on('window', annotate);
  PDV.on('zoom', annotate);
})(window.PDV);
