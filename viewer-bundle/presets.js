/* presets.js - the window presets offered for an image: the DICOM file's
 * own VOI windows, the usual CT windows in HU, and min/max. A lossy 8-bit
 * preview (payload "lite") holds display values, not HU, so it gets only
 * contrast presets on those values, labelled so nobody reads them as HU. */
(function (PDV) {
  'use strict';

  var CT = [['Soft tissue', 40, 400], ['Lung', -600, 1500], ['Bone', 300, 1500], ['Brain', 40, 80]];
  var PREVIEW = [['As written', 128, 256], ['More contrast', 128, 128], ['Less contrast', 128, 384]];

  // [{label, group, c, w}] or {auto: true} entries, in the order shown.
  PDV.presets = function (series, im) {
    var out = [];
    if (series.codec === 'jpeg') {
      PREVIEW.forEach(function (p) {
        out.push({ label: p[0], group: 'Preview contrast (8-bit display values, not HU)', c: p[1], w: p[2] });
      });
    } else {
      (im.window || []).forEach(function (w, i) {
        out.push({ label: 'DICOM ' + (i + 1) + ': L ' + w[0] + ' W ' + w[1], group: 'From the DICOM file',
          c: w[0], w: w[1] });
      });
      if (series.modality === 'CT') CT.forEach(function (p) {
        out.push({ label: p[0] + ': L ' + p[1] + ' W ' + p[2], group: 'CT (HU)', c: p[1], w: p[2] });
      });
    }
    out.push({ label: 'Auto (min/max)', group: 'Other', auto: true });
    return out;
  };
})(window.PDV);
