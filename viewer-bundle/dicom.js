/* dicom.js - a small DICOM Part 10 reader (PS3.10 section 7, PS3.5 section
 * 7) for "Open DICOM folder": Explicit and Implicit VR Little Endian with
 * native pixel data, which is what STD-GEN-CD media hold. Other transfer
 * syntaxes are recognised and reported, not decoded. */
(function (PDV) {
  'use strict';

  var dicom = PDV.dicom = {};
  var LONG_VR = { OB: 1, OD: 1, OF: 1, OL: 1, OV: 1, OW: 1, SQ: 1, UC: 1,
    UN: 1, UR: 1, UT: 1, SV: 1, UV: 1 };
  var EXPLICIT_LE = '1.2.840.10008.1.2.1', IMPLICIT_LE = '1.2.840.10008.1.2';
  var UNDEFINED = 0xffffffff;

  // Implicit VR needs the VR of the few elements that are not strings.
  var IMPLICIT_VR = {
    '00280010': 'US', '00280011': 'US', '00280100': 'US', '00280101': 'US',
    '00280102': 'US', '00280103': 'US', '00280002': 'US', '00280006': 'US',
    '00041220': 'SQ', '7FE00010': 'OW', '00081115': 'SQ', '00081140': 'SQ',
    '00081110': 'SQ', '00081111': 'SQ', '00082112': 'SQ', '00400275': 'SQ',
    '00540016': 'SQ', '52009229': 'SQ', '52009230': 'SQ', '00186011': 'SQ',
    '00280106': 'US', '00280107': 'US', '00041410': 'US', '00041400': 'UL',
    '00041420': 'UL', '00041200': 'UL', '00041202': 'UL', '00041212': 'US'
  };

  function hex4(n) { return ('0000' + n.toString(16).toUpperCase()).slice(-4); }

  function Reader(buf, explicit) {
    this.v = new DataView(buf);
    this.u8 = new Uint8Array(buf);
    this.explicit = explicit;
  }

  Reader.prototype.vrAt = function (p) {
    return String.fromCharCode(this.u8[p], this.u8[p + 1]);
  };

  // One element header at p: {tag, vr, len, value offset}.
  Reader.prototype.header = function (p) {
    var v = this.v, g = v.getUint16(p, true), e = v.getUint16(p + 2, true);
    var tag = hex4(g) + hex4(e);
    if (g === 0xfffe) return { tag: tag, vr: '', len: v.getUint32(p + 4, true), at: p + 8 };
    if (this.explicit && /^[A-Z]{2}$/.test(this.vrAt(p + 4))) {
      var vr = this.vrAt(p + 4);
      if (LONG_VR[vr]) return { tag: tag, vr: vr, len: v.getUint32(p + 8, true), at: p + 12 };
      return { tag: tag, vr: vr, len: v.getUint16(p + 6, true), at: p + 8 };
    }
    return { tag: tag, vr: IMPLICIT_VR[tag] || '', len: v.getUint32(p + 4, true), at: p + 8 };
  };

  // Parses elements from p to end (or to an item/sequence delimiter).
  Reader.prototype.dataset = function (p, end, depth) {
    var ds = { elements: {}, order: [], end: end };
    while (p + 8 <= end) {
      var h = this.header(p);
      if (h.tag === 'FFFEE00D' || h.tag === 'FFFEE0DD') { ds.end = h.at; return ds; }
      var el = { tag: h.tag, vr: h.vr, offset: h.at, length: h.len };
      if (h.vr === 'SQ' || (h.len === UNDEFINED && h.tag !== '7FE00010')) {
        var sq = this.sequence(h.at, h.len, end, depth + 1);
        el.items = sq.items;
        p = sq.end;
      } else if (h.len === UNDEFINED) {
        el.encapsulated = true;
        p = this.skipFragments(h.at, end);
      } else p = h.at + h.len;
      ds.elements[h.tag] = el;
      ds.order.push(el);
    }
    ds.end = p;
    return ds;
  };

  Reader.prototype.sequence = function (p, len, end, depth) {
    if (depth > 16) throw new Error('sequences nested too deep');
    var stop = len === UNDEFINED ? end : p + len, items = [];
    while (p + 8 <= stop) {
      var h = this.header(p);
      if (h.tag === 'FFFEE0DD') return { items: items, end: h.at };
      if (h.tag !== 'FFFEE000') throw new Error('bad sequence item');
      var iend = h.len === UNDEFINED ? stop : h.at + h.len;
      var item = this.dataset(h.at, iend, depth);
      items.push(item);
      p = h.len === UNDEFINED ? item.end : iend;
    }
    return { items: items, end: stop };
  };

  Reader.prototype.skipFragments = function (p, end) {
    while (p + 8 <= end) {
      var h = this.header(p);
      if (h.tag === 'FFFEE0DD') return h.at;
      p = h.at + h.len;
    }
    return end;
  };

  function metaGroup(buf) {
    var r = new Reader(buf, true), p = 132, meta = {};
    var u8 = r.u8;
    while (p + 8 <= u8.length && r.v.getUint16(p, true) === 0x0002) {
      var h = r.header(p);
      meta[h.tag] = { offset: h.at, length: h.len, vr: h.vr };
      p = h.at + h.len;
    }
    return { elements: meta, end: p, reader: r };
  }

  function isDicm(u8) {
    return u8.length > 132 && u8[128] === 68 && u8[129] === 73 &&
      u8[130] === 67 && u8[131] === 77;
  }

  // Files without preamble (old media) start with group 0008 or 0002.
  function looksRaw(u8) {
    return u8.length > 8 && (u8[0] === 8 || u8[0] === 2) && u8[1] === 0 && u8[3] === 0;
  }

  // Parses a whole file. Returns {ts, supported, ds, buf} or null if the
  // bytes are not DICOM.
  dicom.parse = function (buf) {
    var u8 = new Uint8Array(buf), ts = IMPLICIT_LE, start = 0, meta = null;
    if (isDicm(u8)) {
      var m = metaGroup(buf);
      meta = m.elements;
      if (meta['00020010'])
        ts = text(u8, meta['00020010'].offset, meta['00020010'].length, 'latin1');
      start = m.end;
    } else if (!looksRaw(u8)) return null;
    else if (/^[A-Z]{2}$/.test(String.fromCharCode(u8[4], u8[5]))) ts = EXPLICIT_LE;
    var supported = ts === EXPLICIT_LE || ts === IMPLICIT_LE;
    var res = { ts: ts, supported: supported, buf: buf, meta: meta, ds: null };
    if (!supported) return res;
    var r = new Reader(buf, ts === EXPLICIT_LE);
    res.ds = r.dataset(start, u8.length, 0);
    res.ds.charset = charsetOf(u8, res.ds);
    return res;
  };

  var decoders = {};
  function text(u8, off, len, enc) {
    var d = decoders[enc] = decoders[enc] || new TextDecoder(enc);
    return d.decode(u8.subarray(off, off + len)).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  }

  function charsetOf(u8, ds) {
    var el = ds.elements['00080005'];
    var cs = el ? text(u8, el.offset, el.length, 'latin1') : '';
    if (/ISO_IR 192/.test(cs)) return 'utf-8';
    if (/ISO_IR 100/.test(cs)) return 'latin1';
    if (/ISO_IR 101/.test(cs)) return 'iso-8859-2';
    if (/ISO_IR 144/.test(cs)) return 'iso-8859-5';
    if (/ISO_IR 127/.test(cs)) return 'iso-8859-6';
    if (/ISO_IR 126/.test(cs)) return 'iso-8859-7';
    if (/ISO_IR 138/.test(cs)) return 'iso-8859-8';
    if (/ISO_IR 148/.test(cs)) return 'iso-8859-9';
    if (/GB18030/.test(cs)) return 'gb18030';
    if (/ISO_IR 166/.test(cs)) return 'windows-874';
    return 'latin1';
  }

  // --- value access --------------------------------------------------------

  function View(file, ds) {
    this.u8 = new Uint8Array(file.buf);
    this.dv = new DataView(file.buf);
    this.ds = ds;
    this.charset = ds.charset || 'latin1';
  }
  dicom.view = function (file, ds) { return new View(file, ds || file.ds); };

  View.prototype.el = function (tag) { return this.ds.elements[tag] || null; };

  View.prototype.str = function (tag) {
    var e = this.el(tag);
    return e && !e.items ? text(this.u8, e.offset, e.length, this.charset) : '';
  };

  View.prototype.nums = function (tag) {
    var s = this.str(tag);
    if (!s) return [];
    return s.split('\\').map(Number).filter(function (x) { return isFinite(x); });
  };

  View.prototype.num = function (tag, dflt) {
    var n = this.nums(tag);
    return n.length ? n[0] : dflt;
  };

  View.prototype.us = function (tag, dflt) {
    var e = this.el(tag);
    if (!e || e.length < 2) return dflt;
    return this.dv.getUint16(e.offset, true);
  };

  View.prototype.ul = function (tag, dflt) {
    var e = this.el(tag);
    if (!e || e.length < 4) return dflt;
    return this.dv.getUint32(e.offset, true);
  };

  View.prototype.items = function (tag) {
    var e = this.el(tag);
    return e && e.items ? e.items : [];
  };

  dicom.TS_NAMES = {
    '1.2.840.10008.1.2': 'Implicit VR Little Endian',
    '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
    '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
    '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
    '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
    '1.2.840.10008.1.2.4.70': 'JPEG Lossless',
    '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
    '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
    '1.2.840.10008.1.2.4.91': 'JPEG 2000',
    '1.2.840.10008.1.2.5': 'RLE Lossless'
  };
})(window.PDV);
