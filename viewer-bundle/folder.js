/* folder.js - "Open DICOM folder": turns the files of an <input
 * webkitdirectory> into the same study index PDV.study() delivers, so the
 * rest of the viewer does not know where images came from. The DICOMDIR
 * (PS3.10 section 8, PS3.3 F.3) chooses the files when it resolves;
 * otherwise every file is tried. Names match case-insensitively because
 * ISO 9660 media show up in upper or lower case depending on the OS. */
(function (PDV) {
  'use strict';

  var dicom = PDV.dicom, folder = PDV.folder = {};
  var SKIP_EXT = /\.(js|css|htm|html|xhtml|txt|pdf|jpg|jpeg|png|gif|inf|ico|exe|md|xml|json|zip)$/i;
  var ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';

  // Path inside the chosen folder, upper case, '/' separated.
  function relPath(f) {
    var p = (f.webkitRelativePath || f.name).split('/');
    if (p.length > 1) p.shift();
    return p.join('/').toUpperCase();
  }

  function fileMap(files) {
    var map = {};
    files.forEach(function (f) { map[relPath(f)] = f; });
    return map;
  }

  function findDicomdir(map) {
    var best = null;
    Object.keys(map).forEach(function (p) {
      if (/(^|\/)DICOMDIR$/.test(p) && (!best || p.length < best.length)) best = p;
    });
    return best;
  }

  function fromDicomdir(buf, dirPath, map) {
    var f = dicom.parse(buf);
    if (!f || !f.ds) return [];
    var v = dicom.view(f), prefix = dirPath.replace(/DICOMDIR$/, ''), out = [];
    v.items('00041220').forEach(function (rec) {
      var id = dicom.view(f, rec).str('00041500');
      if (!id) return;
      var p = prefix + id.split('\\').join('/').toUpperCase();
      if (map[p]) out.push(map[p]);
    });
    return out;
  }

  function readBuf(file) {
    if (file.arrayBuffer) return file.arrayBuffer();
    return new Promise(function (res, rej) {
      var r = new FileReader();
      r.onload = function () { res(r.result); };
      r.onerror = function () { rej(r.error); };
      r.readAsArrayBuffer(file);
    });
  }

  // Picks the files to read: the DICOMDIR's references, else all files.
  folder.choose = function (files) {
    var map = fileMap(files), dd = findDicomdir(map);
    var all = files.filter(function (f) {
      return !SKIP_EXT.test(f.name) && !/(^|\/)DICOMDIR$/.test(relPath(f));
    });
    if (!dd) return Promise.resolve({ files: all, via: 'all files' });
    return readBuf(map[dd]).then(function (buf) {
      var refs = fromDicomdir(buf, dd, map);
      return refs.length ? { files: refs, via: 'DICOMDIR' } : { files: all, via: 'all files' };
    }, function () {
      return { files: all, via: 'all files' };
    });
  };

  // --- one file -> image entries ------------------------------------------

  function geometry(v) {
    var ps = v.nums('00280030'), ips = v.nums('00181164');
    var src = ps.length === 2 ? 'PixelSpacing' : ips.length === 2 ? 'ImagerPixelSpacing' : '';
    return {
      pixelSpacing: ps.length === 2 ? ps : ips.length === 2 ? ips : null,
      spacingSource: src,
      position: v.nums('00200032').length === 3 ? v.nums('00200032') : null,
      orientation: v.nums('00200037').length === 6 ? v.nums('00200037') : null,
      patientOrientation: v.str('00200020') ? v.str('00200020').split('\\') : null,
      laterality: v.str('00200062') || v.str('00200060'),
      sliceThickness: v.num('00180050', null)
    };
  }

  function windows(v) {
    var c = v.nums('00281050'), w = v.nums('00281051'), out = [];
    for (var i = 0; i < Math.min(c.length, w.length); i++) out.push([c[i], w[i]]);
    return out;
  }

  function pixelInfo(v) {
    return {
      rows: v.us('00280010', 0), columns: v.us('00280011', 0),
      samples: v.us('00280002', 1), planar: v.us('00280006', 0),
      bitsAllocated: v.us('00280100', 16), bitsStored: v.us('00280101', 16),
      signed: v.us('00280103', 0) === 1,
      photometric: v.str('00280004') || 'MONOCHROME2',
      frames: Math.max(1, v.num('00280008', 1))
    };
  }

  function imageEntries(file, path) {
    var v = dicom.view(file), px = pixelInfo(v), g = geometry(v), list = [];
    var base = {
      sop: v.str('00080018'), instance: v.num('00200013', 0),
      file: path, rows: px.rows, columns: px.columns,
      photometric: px.samples === 3 || px.photometric === 'PALETTE COLOR' ? 'RGB' : px.photometric,
      bitsStored: px.bitsStored, signed: px.signed,
      slope: v.num('00281053', 1), intercept: v.num('00281052', 0),
      rescaleType: v.str('00281054'), window: windows(v),
      lossy: v.str('00282110') === '01', frames: px.frames,
      _file: file, _px: px
    };
    for (var k in g) base[k] = g[k];
    for (var f = 0; f < px.frames; f++) {
      var im = Object.assign({}, base);
      im.frame = f;
      list.push(im);
    }
    return list;
  }

  function studyKeys(v) {
    return {
      patient: v.str('00100020') + '|' + v.str('00100010'),
      study: v.str('0020000D'), series: v.str('0020000E')
    };
  }

  function pdfReport(v, file) {
    var e = v.el('00420011');
    if (!e) return null;
    var bytes = new Uint8Array(file.buf, e.offset, e.length);
    var url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
    return { title: v.str('00420010') || 'PDF document', href: url, kind: 'pdf' };
  }

  // --- grouping --------------------------------------------------------------

  function Builder() {
    this.patients = {};
    this.order = [];
    this.problems = [];
  }

  Builder.prototype.node = function (v, k) {
    var pat = this.patients[k.patient];
    if (!pat) {
      pat = this.patients[k.patient] = { name: v.str('00100010'), id: v.str('00100020'),
        birthDate: v.str('00100030'), sex: v.str('00100040'), studies: [], _st: {} };
      this.order.push(pat);
    }
    var st = pat._st[k.study];
    if (!st) {
      st = pat._st[k.study] = { uid: k.study, date: v.str('00080020'), time: v.str('00080030'),
        description: v.str('00081030'), accession: v.str('00080050'), id: v.str('00200010'),
        modalities: '', reports: [], series: [], _se: {} };
      pat.studies.push(st);
    }
    return st;
  };

  Builder.prototype.add = function (file, path) {
    var v = dicom.view(file), k = studyKeys(v), st = this.node(v, k);
    if (v.str('00080016') === ENCAPSULATED_PDF) {
      var rep = pdfReport(v, file);
      if (rep) st.reports.push(rep);
      return;
    }
    var pd = v.el('7FE00010');
    if (!pd) return; // SR, KOS, presentation states: nothing to draw
    if (pd.encapsulated) return this.problems.push(path + ': compressed pixel data');
    var se = st._se[k.series];
    if (!se) {
      se = st._se[k.series] = { key: '', codec: 'local', uid: k.series,
        number: v.num('00200011', 0), modality: v.str('00080060'),
        frameOfReference: v.str('00200052'),
        description: v.str('0008103E'), thumb: '', chunks: [], tags: '', images: [] };
      st.series.push(se);
    }
    imageEntries(file, path).forEach(function (im) { se.images.push(im); });
  };

  function byNumber(a, b) { return a.number - b.number; }
  function byInstance(a, b) { return a.instance - b.instance || a.frame - b.frame; }

  Builder.prototype.index = function () {
    var n = 0;
    this.order.forEach(function (pat) {
      pat.studies.forEach(function (st) {
        st.series = st.series.filter(function (se) { return se.images.length; });
        st.series.sort(byNumber);
        var mods = {};
        st.series.forEach(function (se) {
          se.key = 'f' + ('000' + (++n)).slice(-4);
          se.images.sort(byInstance);
          mods[se.modality] = 1;
        });
        st.modalities = Object.keys(mods).join('\\');
      });
    });
    return { protocol: 1, payload: 'full', created: '', creator: 'local files',
      institution: '', volume: null, patients: this.order };
  };

  // --- pixel decoding ------------------------------------------------------------

  function frameBytes(im) {
    var px = im._px, pd = im._file.ds.elements['7FE00010'];
    var size = px.rows * px.columns * px.samples * (px.bitsAllocated >> 3);
    var start = pd.offset + im.frame * size;
    if (start + size > pd.offset + pd.length || start + size > im._file.buf.byteLength)
      throw new Error('pixel data shorter than the header says');
    return im._file.buf.slice(start, start + size);
  }

  function grayFrame(im) {
    var px = im._px, bytes = frameBytes(im), n = px.rows * px.columns;
    var raw = px.bitsAllocated === 8 ? new Uint8Array(bytes) : new Uint16Array(bytes);
    var out = px.signed ? new Int16Array(n) : new Uint16Array(n);
    var mask = px.bitsStored >= 16 ? 0xffff : (1 << px.bitsStored) - 1;
    var sign = px.signed && px.bitsStored < 16 ? 1 << (px.bitsStored - 1) : 0;
    for (var i = 0; i < n; i++) {
      var x = raw[i] & mask;
      out[i] = sign && (x & sign) ? x - (mask + 1) : x;
    }
    return PDV.pool.codec.minMax({ kind: 'gray', data: out, min: 0, max: 0 });
  }

  function ybrToRgb(y, cb, cr) {
    return [y + 1.402 * (cr - 128), y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
      y + 1.772 * (cb - 128)];
  }

  function colorFrame(im) {
    var px = im._px, s = new Uint8Array(frameBytes(im)), n = px.rows * px.columns;
    var rgba = new Uint8ClampedArray(n * 4), ybr = /^YBR_FULL$/.test(px.photometric);
    for (var i = 0; i < n; i++) {
      var c = px.planar ? [s[i], s[n + i], s[2 * n + i]] : [s[3 * i], s[3 * i + 1], s[3 * i + 2]];
      if (ybr) c = ybrToRgb(c[0], c[1], c[2]);
      rgba[4 * i] = c[0];
      rgba[4 * i + 1] = c[1];
      rgba[4 * i + 2] = c[2];
      rgba[4 * i + 3] = 255;
    }
    return { kind: 'rgb', data: rgba, min: 0, max: 255 };
  }

  // One Palette Color LUT (PS3.3 C.7.6.3.1.5-6) as 8-bit values, read as
  // lib/image/palette.c reads it on the media: 16-bit entries rounded to 8
  // bits, 8-bit ones packed two to a word or one per word. Segmented
  // tables (C.7.9) are expanded on the media only.
  function paletteTable(v, c, signed) {
    var d = v.el('0028110' + (c + 1)), data = v.el('0028120' + (c + 1));
    if (!d || d.length < 6 || !data || data.length < 2) {
      throw new Error('PALETTE COLOR without plain lookup tables (segmented ones are shown on the media only)');
    }
    var entries = v.dv.getUint16(d.offset, true) || 65536, first = v.dv.getUint16(d.offset + 2, true);
    var bits = v.dv.getUint16(d.offset + 4, true), words = data.length >> 1;
    var packed = bits === 8 && words < entries, lut = new Uint8Array(entries);
    for (var i = 0; i < entries; i++) {
      var x = packed ? (i < data.length ? v.u8[data.offset + i] : 0)
        : v.dv.getUint16(data.offset + 2 * Math.min(i, words - 1), true);
      if (!packed && (bits === 16 || x > 255)) x = Math.floor((x + 128) / 257);
      lut[i] = Math.min(x, 255);
    }
    return { lut: lut, first: signed && first > 32767 ? first - 65536 : first };
  }

  function paletteFrame(im) {
    var f = im._file, n = im._px.rows * im._px.columns;
    if (!f.palette) {
      var v = dicom.view(f);
      f.palette = [0, 1, 2].map(function (c) { return paletteTable(v, c, im._px.signed); });
    }
    var values = grayFrame(im).data, rgba = new Uint8ClampedArray(n * 4), t = f.palette;
    var last = t[0].lut.length - 1;
    for (var i = 0; i < n; i++) {
      var k = Math.max(0, Math.min(last, values[i] - t[0].first));
      rgba[4 * i] = t[0].lut[k];
      rgba[4 * i + 1] = t[1].lut[Math.min(k, t[1].lut.length - 1)];
      rgba[4 * i + 2] = t[2].lut[Math.min(k, t[2].lut.length - 1)];
      rgba[4 * i + 3] = 255;
    }
    return { kind: 'rgb', data: rgba, min: 0, max: 255 };
  }

  folder.decode = function (series, im) {
    var px = im._px;
    if (px.bitsAllocated !== 8 && px.bitsAllocated !== 16)
      throw new Error(px.bitsAllocated + '-bit pixels are not supported');
    if (px.samples === 3) {
      if (px.bitsAllocated !== 8) throw new Error('16-bit colour is not supported');
      return colorFrame(im);
    }
    if (px.samples === 1 && px.photometric === 'PALETTE COLOR') return paletteFrame(im);
    if (px.samples !== 1) throw new Error(px.photometric + ' is not supported');
    return grayFrame(im);
  };

  // --- tags ---------------------------------------------------------------------

  function display(v, el) {
    if (el.items) return '(sequence, ' + el.items.length + ' items)';
    if (el.encapsulated) return '(compressed data)';
    var vr = el.vr;
    if (vr === 'US' && el.length <= 16) return String(v.us(el.tag, ''));
    if (vr === 'UL' && el.length <= 16) return String(v.ul(el.tag, ''));
    if (/^(OB|OW|OF|OD|OL|UN|SQ)$/.test(vr) || el.length > 256)
      return '(' + el.length + ' bytes)';
    var s = v.str(el.tag);
    return /[\x00-\x08\x0e-\x1f]/.test(s) ? '(' + el.length + ' bytes)' : s;
  }

  folder.tags = function (im) {
    var v = dicom.view(im._file), names = PDV.dicom.NAMES || {};
    return im._file.ds.order.map(function (el) {
      var t = '(' + el.tag.slice(0, 4) + ',' + el.tag.slice(4) + ')';
      return [t, names[el.tag] || '', el.vr, display(v, el)];
    });
  };

  // Reads the chosen files one by one (progress(done, total)) and hands the
  // result to the store.
  folder.open = function (fileList, progress) {
    var files = Array.prototype.slice.call(fileList || []);
    var b = new Builder(), skipped = 0;
    return folder.choose(files).then(function (pick) {
      var i = 0;
      function next() {
        if (i >= pick.files.length) return finish(pick.via);
        var f = pick.files[i++];
        if (progress) progress(i, pick.files.length);
        return readBuf(f).then(function (buf) {
          try {
            var parsed = dicom.parse(buf);
            if (!parsed) skipped++;
            else if (!parsed.supported)
              b.problems.push(relPath(f) + ': ' + (dicom.TS_NAMES[parsed.ts] || parsed.ts));
            else b.add(parsed, relPath(f));
          } catch (e) {
            b.problems.push(relPath(f) + ': ' + e.message);
          }
        }, function () { skipped++; }).then(next);
      }
      return next();
    });

    function finish(via) {
      var index = b.index();
      PDV.store.useLocal(index, folder.decode);
      return { via: via, problems: b.problems, skipped: skipped,
        series: PDV.store.series.length };
    }
  };
})(window.PDV);
