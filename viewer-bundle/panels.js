/* panels.js - the side panel beside the image: DICOM tags of the current
 * image (tag file loaded on demand), a study's reports, the medium's own
 * contents (the static list of INDEX.HTM) and help. One panel at a time,
 * closed with Esc; focus moves into it and back for keyboard users. Links
 * that lead away open in a new tab, so the viewer stays where it was. */
(function (PDV) {
  'use strict';

  var h = PDV.h, panels = PDV.panels = {};
  var box = null, title = null, body = null, openName = null, returnFocus = null;
  var reportStudy = null, reportIndex = -1;

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
  panels.name = function () { return openName; };

  panels.open = function (name) {
    if (!openName) returnFocus = document.activeElement;
    openName = name;
    box.hidden = false;
    box.setAttribute('data-panel', name);
    fill();
    PDV.vps.drawAll();
    var first = box.querySelector('input, button:not(.pdv-close), a, iframe') || box.querySelector('.pdv-close');
    if (first) first.focus();
  };

  panels.close = function () {
    if (!openName) return;
    openName = null;
    box.hidden = true;
    PDV.vps.drawAll();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  };

  panels.toggle = function (name) {
    if (openName === name) panels.close();
    else {
      if (name === 'report') reportStudy = null;
      panels.open(name);
    }
  };

  // The reports of one study (from the series list), report i shown first.
  panels.showReports = function (study, i) {
    reportStudy = study;
    reportIndex = i === undefined ? -1 : i;
    panels.open('report');
  };

  function fill() {
    body.textContent = '';
    ({ tags: tagsPanel, report: reportPanel, media: mediaPanel, help: helpPanel })[openName]();
  }

  // --- tags -----------------------------------------------------------------------

  var filterText = '';

  function tagTable(table, list) {
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
  }

  function tagsPanel() {
    var view = PDV.vps.active.view, key = view.key, idx = view.index;
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
      if (openName === 'tags' && view.key === key && view.index === idx) tagTable(table, list);
    });
  }

  function filterRows(table) {
    var f = filterText.toLowerCase();
    Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (tr) {
      tr.hidden = !!f && tr.textContent.toLowerCase().indexOf(f) < 0;
    });
  }

  // --- reports --------------------------------------------------------------------

  function isPdf(r) { return r.kind === 'pdf' || /\.pdf$/i.test(r.href); }

  function reportPanel() {
    var cur = PDV.render.current(PDV.vps.active);
    var st = reportStudy || (cur ? cur.info.study : null), reps = st && st.reports ? st.reports : [];
    title.textContent = 'Reports' + (st && st.description ? ': ' + st.description : '');
    if (!reps.length) return body.appendChild(h('p', {}, ['No report on this medium for this study.']));
    var frame = h('iframe', { class: 'pdv-report', title: 'Report' }), list = h('ul', { class: 'pdv-reports' });
    reps.forEach(function (r, i) {
      var link = h('a', { href: r.href, target: '_blank', rel: 'noopener' }, [r.title || 'Report ' + (i + 1)]);
      var show = isPdf(r) ? null : h('button', { type: 'button', class: 'pdv-btn',
        onclick: function () { frame.src = r.href; frame.hidden = false; } }, ['Show here']);
      list.appendChild(h('li', {}, [link, isPdf(r) ? ' (PDF, opens in a new tab)' : ' ', show]));
    });
    body.appendChild(list);
    var chosen = reps[reportIndex], htm = chosen && !isPdf(chosen) ? chosen : reps.filter(function (r) {
      return !isPdf(r);
    })[0];
    frame.hidden = !htm;
    if (htm) frame.src = htm.href;
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
    Array.prototype.forEach.call(copy.querySelectorAll('a[href]'), function (a) {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener');
    });
    body.appendChild(h('p', { class: 'pdv-small' }, ['Links open in a new tab; the viewer stays here.']));
    body.appendChild(copy);
    var s = PDV.store.study;
    if (s && s.creator)
      body.appendChild(h('p', { class: 'pdv-small' }, ['Written by ' + s.creator +
        (s.created ? ' on ' + PDV.fmt.date(s.created.replace(/-/g, '')) : '') +
        (s.volume && s.volume.count > 1 ? ', disc ' + s.volume.index + ' of ' + s.volume.count : '') + '.']));
  }

  function helpPanel() {
    title.textContent = 'Help';
    var t = h('table', { class: 'pdv-help' });
    PDV.commands.HELP.forEach(function (r) {
      t.appendChild(h('tr', {}, [h('th', { scope: 'row' }, [r[0]]), h('td', {}, [r[1]])]));
    });
    body.appendChild(t);
    body.appendChild(h('p', {}, ['Images marked LOSSY are compressed and not for diagnosis; LOSSY ' +
      'PREVIEW images are 8-bit JPEG renderings without HU values. Lengths and angles use Pixel ' +
      'Spacing; a mark * means the value is not calibrated for the patient. The letters at the ' +
      'image edges give the patient direction (L left, R right, A anterior, P posterior, H head, ' +
      'F feet). "Open DICOM folder" reads the original DICOM files of this disc or of any folder.']));
  }

  PDV.on('drawn', function (e) {
    var v = PDV.vps.active.view;
    if (e.vp === PDV.vps.active && openName === 'tags' && body.getAttribute('data-img') !== v.key + ':' + v.index)
      fill();
  });
})(window.PDV);
