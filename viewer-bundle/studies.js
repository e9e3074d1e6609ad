/* studies.js - the list beside the image (BIR 5.3): patients, their
 * studies, each study's series as thumbnails and its reports. A series
 * opens in the active viewport; a report opens in the side panel, so a
 * study holding only a structured report still has something to click.
 * Series without a thumbnail on the medium get one from their first frame. */
(function (PDV) {
  'use strict';

  var h = PDV.h, fmt = PDV.fmt, store = PDV.store, render = PDV.render;
  var studies = PDV.studies = {};
  var side = null, countsQueued = false;

  studies.element = function () {
    side = h('nav', { class: 'pdv-side', 'aria-label': 'Studies and series' });
    return side;
  };

  function seriesButton(info) {
    var se = info.series, n = se.images.length;
    var thumb = se.thumb ? h('img', { src: se.thumb, alt: '', class: 'pdv-thumb' }) :
      h('canvas', { class: 'pdv-thumb', width: '64', height: '64' });
    var count = h('span', { class: 'pdv-count' }, [n + (n === 1 ? ' image' : ' images')]);
    var b = h('button', { type: 'button', class: 'pdv-series', 'data-key': se.key,
      onclick: function () {
        PDV.ui.closeDrawer();
        PDV.ui.showSeries(se.key, 0);
      } }, [thumb,
      h('span', { class: 'pdv-sdesc' }, [
        h('b', {}, [(se.modality || '') + (se.number !== undefined ? ' ' + se.number : '')]),
        ' ', se.description || '', h('br'), count].concat(se.split ?
        [h('br'), h('span', { class: 'pdv-split' }, [fmt.split(se.split)])] : []))]);
    info.button = b;
    info.thumb = se.thumb ? null : thumb;
    info.count = count;
    return h('li', {}, [b]);
  }

  function reportButton(study, r, i) {
    var isPdf = r.kind === 'pdf' || /\.pdf$/i.test(r.href);
    return h('li', {}, [h('button', { type: 'button', class: 'pdv-series pdv-repitem',
      'data-report': r.href, onclick: function () {
        PDV.ui.closeDrawer();
        PDV.panels.showReports(study, i);
      } }, [h('span', { class: 'pdv-thumb pdv-repicon', 'aria-hidden': 'true' }, [isPdf ? 'PDF' : 'SR']),
      h('span', { class: 'pdv-sdesc' }, [h('b', {}, ['Report']), ' ', r.title || '', h('br'),
        h('span', { class: 'pdv-count' }, [isPdf ? 'PDF document' : 'text report'])])])]);
  }

  function studyBlock(s) {
    side.appendChild(h('h3', { class: 'pdv-study' }, [
      fmt.date(s.date) + ' ' + fmt.time(s.time), h('br'), s.description || s.modalities || '']));
    var ul = h('ul', { class: 'pdv-slist' });
    (s.series || []).forEach(function (se) { ul.appendChild(seriesButton(store.info(se.key))); });
    (s.reports || []).forEach(function (r, i) { ul.appendChild(reportButton(s, r, i)); });
    if (!ul.firstChild) ul.appendChild(h('li', { class: 'pdv-count' }, ['Nothing to show from this study.']));
    side.appendChild(ul);
  }

  function build() {
    side.textContent = '';
    var pats = store.study.patients || [], many = pats.length > 1;
    pats.forEach(function (p) {
      if (many) side.appendChild(h('h2', { class: 'pdv-pname' }, [fmt.name(p.name)]));
      (p.studies || []).forEach(studyBlock);
    });
  }

  // The first study that has reports, for a medium without images.
  studies.firstReport = function () {
    var found = null;
    (store.study.patients || []).forEach(function (p) {
      (p.studies || []).forEach(function (s) {
        if (!found && s.reports && s.reports.length) found = s;
      });
    });
    return found;
  };

  // --- thumbnails drawn from the first frame ---------------------------------------

  function drawThumb(info, frame) {
    var c = info.thumb, se = info.series, im = se.images[0];
    if (!c || !frame || frame.kind === 'error' || c.dataset.done) return;
    c.dataset.done = '1';
    var ctx = c.getContext('2d'), img = ctx.createImageData(64, 64), d = img.data;
    var win = render.defaultWindow(se, im, frame), dom = render.domain(se, im, frame);
    var s = Math.max(im.columns, im.rows) / 64;
    var inv = im.photometric === 'MONOCHROME1' && se.codec !== 'jpeg';
    for (var y = 0; y < 64; y++) {
      for (var x = 0; x < 64; x++) {
        var col = Math.floor(x * s), row = Math.floor(y * s), o = (y * 64 + x) * 4;
        d[o + 3] = 255;
        if (col >= im.columns || row >= im.rows) continue;
        var i = row * im.columns + col;
        for (var ch = 0; ch < 3; ch++) {
          var v = frame.kind === 'rgb' ? frame.data[i * 4 + ch] :
            render.toDomain(dom, im, frame.data[i]);
          var g = render.voi(v, win[0], win[1]);
          d[o + ch] = inv ? 255 - g : g;
        }
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  function wantThumb(info) {
    if (!info || !info.thumb || info.thumb.dataset.asked) return;
    info.thumb.dataset.asked = '1';
    PDV.cache.request(info.series.key, 0, function (f) { drawThumb(info, f); }, true);
  }

  function updateCounts() {
    if (countsQueued) return;
    countsQueued = true;
    setTimeout(function () {
      countsQueued = false;
      store.series.forEach(function (info) {
        if (!info.count) return;
        var n = info.series.images.length, k = store.loadedCount(info.series.key);
        info.count.textContent = n + (n === 1 ? ' image' : ' images') +
          (k < n && store.source === 'media' && store.payload !== 'none' ? ' (' + k + ' loaded)' : '');
      });
    }, 250);
  }

  // Folder mode decodes on demand; thumbnails one by one when idle.
  function localThumbs(list) {
    var info = list.shift();
    if (!info || store.source !== 'folder') return;
    drawThumb(info, PDV.cache.get(info.series.key, 0));
    setTimeout(function () { localThumbs(list); }, 30);
  }

  function markCurrent() {
    var shown = {};
    PDV.vps.visible().forEach(function (vp) { shown[vp.view.key] = true; });
    store.series.forEach(function (s) {
      if (s.button) s.button.setAttribute('aria-current', shown[s.series.key] ? 'true' : 'false');
    });
  }

  PDV.on('study', function () {
    build();
    if (store.source === 'folder') localThumbs(store.series.slice());
  });
  PDV.on('loaded', function (e) {
    if (e.index === 0) wantThumb(store.info(e.key));
    updateCounts();
  });
  PDV.on('drawn', function (e) {
    if (e.cur.info.thumb) drawThumb(e.cur.info, PDV.cache.get(e.cur.series.key, 0));
  });
  PDV.on('series', markCurrent);
  PDV.on('layout', markCurrent);
})(window.PDV);
