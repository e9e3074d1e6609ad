/* orient.js - the patient-orientation letters at the four edges of an
 * image (BIR 5.7): from Image Orientation (Patient) (0020,0037) for
 * cross-sectional images, else from Patient Orientation (0020,0020) for
 * projection images (PS3.3 C.7.6.1.1.1). Patient axes are LPS: +x is the
 * patient's Left, +y Posterior, +z Head. An oblique direction gets up to
 * three letters, strongest first ("RA"); components under 0.1 (about 6
 * degrees) are left out so a scanner's rounding does not add letters. */
(function (PDV) {
  'use strict';

  var orient = PDV.orient = {};
  var AXES = [['L', 'R'], ['P', 'A'], ['H', 'F']];
  var OPPOSITE = { L: 'R', R: 'L', A: 'P', P: 'A', H: 'F', F: 'H' };
  var MIN = 0.1;

  // Letters of one direction vector in patient coordinates.
  orient.direction = function (v) {
    return [0, 1, 2].filter(function (i) { return Math.abs(v[i]) >= MIN; })
      .sort(function (a, b) { return Math.abs(v[b]) - Math.abs(v[a]); })
      .map(function (i) { return AXES[i][v[i] > 0 ? 0 : 1]; }).join('');
  };

  function fromCosines(o) {
    var row = o.slice(0, 3), col = o.slice(3, 6);
    var neg = function (v) { return v.map(function (x) { return -x; }); };
    return { right: orient.direction(row), left: orient.direction(neg(row)),
      bottom: orient.direction(col), top: orient.direction(neg(col)) };
  }

  // "L" -> "R", "LF" -> "RH"; null when a letter is not a patient direction
  // (the quadruped terms of PS3.3 C.7.6.1.1.1 are not turned around).
  function opposite(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      if (!OPPOSITE[s[i]]) return null;
      out += OPPOSITE[s[i]];
    }
    return out;
  }

  function fromPatientOrientation(po) {
    var r = String(po[0] || '').toUpperCase(), b = String(po[1] || '').toUpperCase();
    if (!r && !b) return null;
    return { right: r, bottom: b, left: opposite(r) || '', top: opposite(b) || '' };
  }

  function usable(o) {
    return o && o.length === 6 && o.every(function (x) { return typeof x === 'number' && isFinite(x); }) &&
      (o[0] || o[1] || o[2]) && (o[3] || o[4] || o[5]);
  }

  // {left, right, top, bottom} for an image entry of the study index, or null.
  orient.letters = function (im) {
    if (!im) return null;
    if (usable(im.orientation)) return fromCosines(im.orientation);
    if (im.patientOrientation && im.patientOrientation.length >= 2)
      return fromPatientOrientation(im.patientOrientation);
    return null;
  };

  // The unit normal of an image plane (row x column), or null.
  orient.normal = function (im) {
    if (!im || !usable(im.orientation)) return null;
    var o = im.orientation;
    var n = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
    var len = Math.hypot(n[0], n[1], n[2]);
    return len ? n.map(function (x) { return x / len; }) : null;
  };
})(window.PDV);
