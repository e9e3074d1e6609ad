/* compare.js - side-by-side comparison of two series (BIR: comparison of
 * at least two sets). X shows a second viewport with another series (a
 * series of the same modality from another study first, as comparing with
 * a prior is the usual reason). Scrolling is linked when both series share
 * a Frame of Reference UID and their slices are parallel: the partner
 * shows its slice nearest in position, along the slice normal, to the one
 * the user went to. Series in different frames of reference are never
 * linked, since equal coordinates would not mean the same place. */
(function (PDV) {
  'use strict';

  var vps = PDV.vps, store = PDV.store;
  var compare = PDV.compare = { linked: true };

  // Another series to compare with: same modality in another study, else
  // the next series in the list, else the same series.
  function partnerFor(key) {
    var info = store.info(key);
    if (!info) return null;
    var list = store.series, mod = info.series.modality;
    var prior = list.filter(function (s) { return s.study !== info.study && s.series.modality === mod; })[0];
    return (prior || list[info.pos + 1] || list[info.pos - 1] || info).series.key;
  }

  compare.set = function (on) {
    if (on === vps.compare) return;
    vps.setCompare(on);
    if (on) {
      var second = vps.list[1];
      if (!second.view.key || !store.info(second.view.key))
        PDV.ui.showSeries(partnerFor(vps.list[0].view.key), 0, second);
      compare.sync(vps.active);
    }
    PDV.cache.setFocus(vps.focus());
    vps.drawAll();
    PDV.emit('compare', on);
  };

  compare.toggle = function () { compare.set(!vps.compare); };

  compare.setLinked = function (on) {
    compare.linked = !!on;
    PDV.emit('link', compare.linked);
    if (compare.linked) compare.sync(vps.active);
  };

  function frameOfRef(vp) {
    var info = store.info(vp.view.key);
    return info ? info.series.frameOfReference || '' : '';
  }

  function dot(a, b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

  // Why two viewports are (not) linked; '' when they are.
  compare.whyNot = function (a, b) {
    if (!a.view.key || !b.view.key) return 'no series';
    var fa = frameOfRef(a), fb = frameOfRef(b);
    if (!fa || !fb) return 'no frame of reference';
    if (fa !== fb) return 'different frames of reference';
    var ia = store.info(a.view.key).series.images[a.view.index];
    var ib = store.info(b.view.key).series.images[0];
    var na = PDV.orient.normal(ia), nb = PDV.orient.normal(ib);
    if (na && nb && Math.abs(dot(na, nb)) < 0.99) return 'slices not parallel';
    return '';
  };

  // Index in `to`'s series of the slice nearest to `from`'s current one.
  function nearest(from, to) {
    var ia = store.info(from.view.key).series.images[from.view.index];
    var list = store.info(to.view.key).series.images, n = PDV.orient.normal(ia);
    if (!n || !ia.position) return Math.min(from.view.index, list.length - 1);
    var target = dot(ia.position, n), best = to.view.index, bestD = Infinity;
    list.forEach(function (im, i) {
      if (!im.position) return;
      var d = Math.abs(dot(im.position, n) - target);
      if (d < bestD) { bestD = d; best = i; }
    });
    return best;
  }

  compare.sync = function (vp) {
    var other = vps.other(vp);
    if (!other || !compare.linked || compare.whyNot(vp, other)) return;
    var i = nearest(vp, other);
    if (i !== other.view.index) PDV.ui.showIndex(i, other, true);
  };

  PDV.on('index', function (e) {
    if (!e.quiet && vps.compare) compare.sync(e.vp);
  });
})(window.PDV);
