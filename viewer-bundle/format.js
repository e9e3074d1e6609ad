/* format.js - attribute values as people read them: dates, times and
 * person names (PS3.5 6.2.1), formatted exactly as the C library formats
 * them for INDEX.HTM (lib/dicom/text.c pdb_text_person), so the viewer and
 * the static page name a patient the same way. */
(function (PDV) {
  'use strict';

  var fmt = PDV.fmt = {};

  fmt.date = function (d) {
    return /^\d{8}$/.test(d || '') ? d.slice(0, 4) + '-' + d.slice(4, 6) + '-' + d.slice(6) : d || '';
  };

  fmt.time = function (t) {
    return /^\d{4}/.test(t || '') ? t.slice(0, 2) + ':' + t.slice(2, 4) : '';
  };

  // "Family^Given^Middle^Prefix^Suffix" as "Family, Given Middle Prefix
  // Suffix"; no comma when the family name is missing ("^John": "John").
  function group(g) {
    var p = g.split('^'), rest = p.slice(1).filter(Boolean);
    return p[0] + (rest.length ? (p[0] ? ', ' : '') + rest.join(' ') : '');
  }

  // Component groups (alphabetic=ideographic=phonetic): the first as it
  // is, the others in parentheses: "Yamada, Tarou (山田, 太郎; やまだ, たろう)".
  // A series spread over discs (PROTOCOL.md "split"): "This disc holds
  // images 930–1500 of the 1500 of this series; images 1–929 are on disc
  // 1." The same words as lib/web/pages.c split_note().
  function range(a, b, verb) {
    return (a === b ? 'image ' + a : 'images ' + a + '\u2013' + b) +
      (verb ? (a === b ? ' is' : ' are') : '');
  }

  fmt.split = function (sp) {
    if (!sp) return '';
    var out = 'This disc holds ' + range(sp.first, sp.last, false) + ' of the ' + sp.total +
      ' of this series';
    if (sp.first > 1 && sp.prevDisc) out += '; ' + range(1, sp.first - 1, true) + ' on disc ' + sp.prevDisc;
    if (sp.last < sp.total && sp.nextDisc) {
      out += '; ' + range(sp.last + 1, sp.total, true) + ' on disc ' + sp.nextDisc;
    }
    return out + '.';
  };

  // The other discs of a split series: "disc 2", "discs 1 and 3".
  fmt.otherDiscs = function (sp) {
    var d = [sp.prevDisc, sp.nextDisc].filter(Boolean);
    return (d.length > 1 ? 'discs ' : 'disc ') + d.join(' and ');
  };

  fmt.name = function (pn) {
    var groups = String(pn || '').split('='), out = group(groups[0]), extra = [];
    groups.slice(1).forEach(function (g) {
      if (g) extra.push(group(g));
    });
    if (!extra.length) return out;
    return out + (out ? ' (' : '(') + extra.join('; ') + ')';
  };
})(window.PDV);
