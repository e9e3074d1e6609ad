/* panels.js - the side panel beside the image: DICOM tags of the current
 * image (tag file loaded on demand), the study's reports, the medium's own
 * contents (the static list of index.htm) and help. One panel at a time,
 * closed with Esc; focus moves into it and back for keyboard users. */
(function (PDV) {
  'use strict';

  var h = PDV.h, panels = PDV.panels = {};
  var box = null, title = null, body = null, openName = null, returnFocus = null;

  panels.element = function () {
    title = h('h2', { class: 'pdv-ptitle', id: 'pdv-ptitle' });
    body = h('div', { class: 'pdv-pbody' });
    var close = h('button', { type: 'button', class: 'pdv-btn pdv-close', title: 'Close (Esc)',
      'aria-label': 'Close panel', onclick: function () { panels.close(); } }, ['\u2715']);
    box = h('aside', { class: 'pdv-panel', hidden: true, 'aria-labelledby': 'pdv-ptitle' },
      [h('div', { class: 'pdv-phead' }, [title, close]), body]);
    return box;
  };

  panels.isOpen = function () { return !!openName; };

  panels.open = function (name) {
    if (!openName) returnFocus = document.activeElement;
    openName = name;
    box.hidden = false;
    box.setAttribute('data-panel', name);
    fill();
    PDV.render.draw();
    var first = box.querySelector('input, button:not(.pdv-close), a, iframe') || box.querySelector('.pdv-close');
    if (first) first.focus();
  };

  panels.close = function () {
    if (!openName) return;
    openName = null;
    box.hidden = true;
    PDV.render.draw();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  };

  panels.toggle = function (name) {
    if (openName === name) panels.close();
    else panels.open(name);
  };

  function fill() {
    body.textContent = '';
    ({ tags: tagsPanel, report: reportPanel, media: mediaPanel, help: helpPanel })[openName]();
  }

  // --- tags -----------------------------------------------------------------------

  var filterText = '';

  function tagsPanel() {
    var view = PDV.view, key = view.key, idx = view.index;
    title.textContent = 'DICOM tags, image ' + (idx + 1);
    body.setAttribute('data-img', key + ':' + idx);
    var filter = h('input', { type: 'search', class: 'pdv-filter', placeholder: 'Filter tags',
      'aria-label': 'Filter tags', value: filterText });
    var table = h('table', { class: 'pdv-tags' });
    filter.addEventListener('input', function () {
      filterText = filter.value;
      filterRows(table);
    });
    body.appendChild(filter);
    body.appendChild(table);
    table.appendChild(h('caption', {}, ['Loading tags\u2026']));
    PDV.store.tagsFor(key, idx, function (list) {
      if (openName !== 'tags' || view.key !== key || view.index !== idx) return;
      table.textContent = '';
      if (!list) return table.appendChild(h('caption', {}, ['No tag list on this medium for this series.']));
      table.appendChild(h('thead', {}, [h('tr', {}, ['Tag', 'Name', 'VR', 'Value'].map(function (c) {
        return h('th', { scope: 'col' }, [c]);
      }))]));
      var tb = h('tbody');
      list.forEach(function (r) {
        tb.appendChild(h('tr', {}, r.map(function (c) { return h('td', {}, [String(c)]); })));
      });
      table.appendChild(tb);
      filterRows(table);
    });
  }

  function filterRows(table) {
    var f = filterText.toLowerCase();
    Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (tr) {
      tr.hidden = !!f && tr.textContent.toLowerCase().indexOf(f) < 0;
    });
  }

  // --- reports --------------------------------------------------------------------

  function reportPanel() {
    var cur = PDV.render.current(), st = cur ? cur.info.study : null;
    var reps = st && st.reports ? st.reports : [];
    title.textContent = 'Reports';
    if (!reps.length) return body.appendChild(h('p', {}, ['No report on this medium for this study.']));
    var frame = h('iframe', { class: 'pdv-report', title: 'Report' });
    var list = h('ul', { class: 'pdv-reports' });
    reps.forEach(function (r, i) {
      var isPdf = r.kind === 'pdf' || /\.pdf$/i.test(r.href);
      var link = h('a', { href: r.href, target: '_blank', rel: 'noopener' },
        [r.title || 'Report ' + (i + 1)]);
      var show = isPdf ? null : h('button', { type: 'button', class: 'pdv-btn',
        onclick: function () { frame.src = r.href; frame.hidden = false; } }, ['Show here']);
      list.appendChild(h('li', {}, [link, isPdf ? ' (PDF, opens in a new tab)' : ' ', show]));
    });
    body.appendChild(list);
    var firstHtm = reps.filter(function (r) { return !(r.kind === 'pdf' || /\.pdf$/i.test(r.href)); })[0];
    frame.hidden = !firstHtm;
    if (firstHtm) frame.src = firstHtm.href;
    body.appendChild(frame);
  }

  // --- media contents and help ----------------------------------------------------

  function mediaPanel() {
    title.textContent = 'Contents of this medium';
    var st = document.getElementById('pdv-static');
    if (!st) return body.appendChild(h('p', {}, ['No contents list.']));
    var copy = st.cloneNode(true);
    copy.removeAttribute('id');
    copy.style.display = '';
    copy.className = 'pdv-static-copy';
    body.appendChild(copy);
    var s = PDV.store.study;
    if (s && s.creator)
      body.appendChild(h('p', { class: 'pdv-small' }, ['Written by ' + s.creator +
        (s.created ? ' on ' + PDV.ui.fmtDate(s.created.replace(/-/g, '')) : '') +
        (s.volume && s.volume.count > 1 ? ', disc ' + s.volume.index + ' of ' + s.volume.count : '') + '.']));
  }

  var HELP = [
    ['Up / Left, Down / Right, wheel', 'previous / next image'],
    ['Page Up / Page Down', 'previous / next series'], ['Home / End', 'first / last image'],
    ['S W Z P M', 'tool: scroll, window, zoom, pan, measure'],
    ['Right mouse drag', 'window: right = wider, up = lower centre'],
    ['Middle mouse drag', 'pan'], ['Ctrl + wheel, + / -', 'zoom'],
    ['F, 1', 'fit to window, 1:1'], ['R', 'reset window, zoom, pan, measurements'],
    ['I', 'invert'], ['C', 'cine play / pause'], ['T', 'DICOM tags'], ['E', 'reports'],
    ['O', 'annotations on / off'], ['H or ?', 'this help'], ['Esc', 'close panel, stop cine'],
    ['Touch: one finger', 'active tool'], ['Touch: two fingers', 'pinch to zoom, move to pan']
  ];

  function helpPanel() {
    title.textContent = 'Help';
    var t = h('table', { class: 'pdv-help' });
    HELP.forEach(function (r) {
      t.appendChild(h('tr', {}, [h('th', { scope: 'row' }, [r[0]]), h('td', {}, [r[1]])]));
    });
    body.appendChild(t);
    body.appendChild(h('p', {}, ['Images marked LOSSY are compressed previews and not for diagnosis. ' +
      'Lengths use Pixel Spacing; a mark * means the value is not calibrated for the patient. ' +
      '"Open DICOM folder" reads the original DICOM files of this disc or of any folder.']));
  }

  PDV.on('drawn', function () {
    if (openName === 'tags' && body.getAttribute('data-img') !== PDV.view.key + ':' + PDV.view.index)
      fill();
  });
})(window.PDV);
