/* annotate.js - the text over a viewport's image (BIR 5.7 and 5.8): who
 * and when in the top corners, series, image, slice and position at the
 * bottom left, window, zoom and the lossy flag at the bottom right, and
 * the orientation letters in the middle of each edge. O hides them all. */
(function (PDV) {
  'use strict';

  var h = PDV.h, fmt = PDV.fmt;

  // Rewrites a corner only when its text changed: every draw comes here,
  // and touching the DOM each time costs layout while scrolling.
  function lines(box, list) {
    var text = list.filter(Boolean);
    if (box.dataset.text === text.join('\n')) return;
    box.dataset.text = text.join('\n');
    box.textContent = '';
    text.forEach(function (t) { box.appendChild(h('div', {}, [t])); });
  }

  function seriesLines(vp, cur) {
    var se = cur.series, im = cur.image, n = se.images.length;
    return [(se.modality || '') + ' Se ' + (se.number === undefined ? '' : se.number) +
      ' ' + (se.description || ''),
      se.split ? 'Part: ' + (se.split.first === se.split.last ? 'image ' + se.split.first
        : 'images ' + se.split.first + '\u2013' + se.split.last) + ' of ' + se.split.total +
        ' (rest on ' + fmt.otherDiscs(se.split) + ')' : '',
      'Im ' + (vp.view.index + 1) + '/' + n + '  #' + im.instance +
        (im.frames > 1 ? ' fr ' + (im.frame + 1) + '/' + im.frames : ''),
      im.laterality ? 'Laterality ' + im.laterality : '',
      im.sliceThickness ? 'Thk ' + im.sliceThickness + ' mm' : '',
      im.position ? 'Pos ' + im.position.map(function (x) { return (+x).toFixed(1); }).join(' ') : ''];
  }

  function lossyLine(cur) {
    if (cur.series.codec === 'jpeg') return 'LOSSY PREVIEW';
    return cur.image.lossy ? 'LOSSY' : '';
  }

  // An 8-bit preview holds display values: its window is a contrast
  // setting on them, never W/L in the modality's units.
  function viewLines(vp, cur) {
    var w = PDV.render.window(vp), wl = w ? 'W ' + Math.round(w[1]) + ' L ' + Math.round(w[0]) : '';
    if (wl && cur.series.codec === 'jpeg') wl = 'Preview contrast ' + wl + ' (display values)';
    return [wl,
      'Zoom ' + Math.round(vp.view.scale * 100) + '%' + (vp.view.invert ? ' INV' : ''),
      lossyLine(cur)];
  }

  function letters(vp, im, on) {
    var l = on ? PDV.orient.letters(im) : null;
    Object.keys(vp.orient).forEach(function (side) {
      var t = l ? l[side] || '' : '';
      if (vp.orient[side].textContent !== t) vp.orient[side].textContent = t;
      vp.orient[side].hidden = !t;
    });
  }

  PDV.annotate = function (vp) {
    if (!vp || !vp.ann) return;
    var cur = PDV.render.current(vp), on = PDV.ui.overlayOn && !!cur;
    vp.ann.forEach(function (a) { a.hidden = !on; });
    letters(vp, cur && cur.image, on);
    if (!on) return;
    var p = cur.info.patient, s = cur.info.study;
    lines(vp.ann[0], [fmt.name(p.name), p.id && 'ID ' + p.id,
      [fmt.date(p.birthDate), p.sex].filter(Boolean).join(' ')]);
    lines(vp.ann[1], [PDV.store.study.institution, [fmt.date(s.date), fmt.time(s.time)].join(' '),
      s.description, s.accession && 'Acc ' + s.accession]);
    lines(vp.ann[2], seriesLines(vp, cur));
    lines(vp.ann[3], viewLines(vp, cur));
  };
})(window.PDV);
