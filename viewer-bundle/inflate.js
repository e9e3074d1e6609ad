/* inflate.js - pure-JS zlib/deflate decoder (RFC 1950, RFC 1951).
 * Used only where DecompressionStream is missing (older browsers). The
 * factory below must stay self-contained: its source text is copied into
 * the blob: worker, so it may not reference anything outside itself. */
(function (PDV) {
  'use strict';

  PDV.src.inflate = function () {
    var LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
      35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
    var LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
      4, 4, 4, 4, 5, 5, 5, 5, 0];
    var DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
      193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
      12289, 16385, 24577];
    var DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8,
      8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
    var CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
      14, 1, 15];

    // One-level table indexed by the next `bits` input bits (LSB first):
    // entry = symbol << 4 | code length. Codes are at most 15 bits.
    function buildTable(lengths, n) {
      var max = 0, i;
      for (i = 0; i < n; i++) if (lengths[i] > max) max = lengths[i];
      if (max === 0) max = 1;
      var count = new Uint16Array(16), next = new Uint16Array(16);
      for (i = 0; i < n; i++) count[lengths[i]]++;
      count[0] = 0;
      var code = 0;
      for (i = 1; i <= 15; i++) {
        code = (code + count[i - 1]) << 1;
        next[i] = code;
      }
      var size = 1 << max, table = new Uint32Array(size);
      for (var sym = 0; sym < n; sym++) {
        var len = lengths[sym];
        if (!len) continue;
        var c = next[len]++, rev = 0;
        for (var b = 0; b < len; b++) rev |= ((c >> b) & 1) << (len - 1 - b);
        for (var j = rev; j < size; j += 1 << len) table[j] = sym << 4 | len;
      }
      return { table: table, bits: max };
    }

    var FIXED_LIT = (function () {
      var l = new Uint8Array(288), i;
      for (i = 0; i < 144; i++) l[i] = 8;
      for (; i < 256; i++) l[i] = 9;
      for (; i < 280; i++) l[i] = 7;
      for (; i < 288; i++) l[i] = 8;
      return buildTable(l, 288);
    })();
    var FIXED_DIST = (function () {
      var l = new Uint8Array(30);
      l.fill(5);
      return buildTable(l, 30);
    })();

    function Reader(u8, pos) {
      this.u8 = u8;
      this.pos = pos;
      this.buf = 0;
      this.cnt = 0;
    }
    Reader.prototype.need = function (n) {
      while (this.cnt < n) {
        var byte = this.pos < this.u8.length ? this.u8[this.pos] : 0;
        if (this.pos > this.u8.length + 4) throw new Error('inflate: truncated');
        this.pos++;
        this.buf |= byte << this.cnt;
        this.cnt += 8;
      }
    };
    Reader.prototype.bits = function (n) {
      if (n === 0) return 0;
      this.need(n);
      var v = this.buf & ((1 << n) - 1);
      this.buf >>>= n;
      this.cnt -= n;
      return v;
    };
    Reader.prototype.sym = function (t) {
      this.need(t.bits);
      var e = t.table[this.buf & ((1 << t.bits) - 1)];
      var len = e & 15;
      if (!len) throw new Error('inflate: bad code');
      this.buf >>>= len;
      this.cnt -= len;
      return e >> 4;
    };

    function Output(size) {
      this.u8 = new Uint8Array(size > 0 ? size : 65536);
      this.n = 0;
    }
    Output.prototype.room = function (k) {
      if (this.n + k <= this.u8.length) return;
      var bigger = new Uint8Array(Math.max(this.u8.length * 2, this.n + k));
      bigger.set(this.u8.subarray(0, this.n));
      this.u8 = bigger;
    };

    function dynamicTables(r) {
      var hlit = r.bits(5) + 257, hdist = r.bits(5) + 1, hclen = r.bits(4) + 4;
      var cl = new Uint8Array(19), i;
      for (i = 0; i < hclen; i++) cl[CL_ORDER[i]] = r.bits(3);
      var clt = buildTable(cl, 19);
      var lens = new Uint8Array(hlit + hdist);
      for (i = 0; i < hlit + hdist;) {
        var s = r.sym(clt);
        if (s < 16) { lens[i++] = s; continue; }
        var rep, val = 0;
        if (s === 16) {
          if (!i) throw new Error('inflate: bad repeat');
          val = lens[i - 1];
          rep = 3 + r.bits(2);
        } else if (s === 17) rep = 3 + r.bits(3);
        else rep = 11 + r.bits(7);
        if (i + rep > lens.length) throw new Error('inflate: bad lengths');
        while (rep--) lens[i++] = val;
      }
      return [buildTable(lens.subarray(0, hlit), hlit),
        buildTable(lens.subarray(hlit), hdist)];
    }

    function stored(r, out) {
      r.buf = 0;
      r.cnt = 0; // stored blocks start on a byte boundary
      var u8 = r.u8, p = r.pos;
      var len = u8[p] | u8[p + 1] << 8;
      p += 4;
      out.room(len);
      out.u8.set(u8.subarray(p, p + len), out.n);
      out.n += len;
      r.pos = p + len;
    }

    function huffman(r, out, lit, dist) {
      for (;;) {
        var s = r.sym(lit);
        if (s < 256) {
          out.room(1);
          out.u8[out.n++] = s;
          continue;
        }
        if (s === 256) return;
        s -= 257;
        var len = LEN_BASE[s] + r.bits(LEN_EXTRA[s]);
        var d = r.sym(dist);
        var back = DIST_BASE[d] + r.bits(DIST_EXTRA[d]);
        if (back > out.n) throw new Error('inflate: bad distance');
        out.room(len);
        var o = out.u8, n = out.n, from = n - back;
        for (var k = 0; k < len; k++) o[n + k] = o[from + k];
        out.n = n + len;
      }
    }

    function rewindToByte(r) {
      // Give back whole bytes still held in the bit buffer.
      r.pos -= r.cnt >> 3;
      r.buf = 0;
      r.cnt = 0;
    }

    function adler32(u8, n) {
      var a = 1, b = 0;
      for (var i = 0; i < n;) {
        var end = Math.min(i + 3800, n);
        for (; i < end; i++) {
          a += u8[i];
          b += a;
        }
        a %= 65521;
        b %= 65521;
      }
      return ((b << 16) | a) >>> 0;
    }

    // zlib stream in, bytes out; sizeHint avoids regrowing the output.
    return function inflate(u8, sizeHint) {
      if ((u8[0] & 15) !== 8 || ((u8[0] << 8) | u8[1]) % 31)
        throw new Error('inflate: not a zlib stream');
      var r = new Reader(u8, 2), out = new Output(sizeHint), last;
      do {
        last = r.bits(1);
        var type = r.bits(2);
        if (type === 0) {
          rewindToByte(r);
          stored(r, out);
        } else if (type === 1) huffman(r, out, FIXED_LIT, FIXED_DIST);
        else if (type === 2) {
          var t = dynamicTables(r);
          huffman(r, out, t[0], t[1]);
        } else throw new Error('inflate: bad block type');
      } while (!last);
      rewindToByte(r);
      var p = r.pos;
      var want = ((u8[p] << 24) | (u8[p + 1] << 16) | (u8[p + 2] << 8) |
        u8[p + 3]) >>> 0;
      if (p + 4 <= u8.length && adler32(out.u8, out.n) !== want)
        throw new Error('inflate: checksum mismatch');
      return out.u8.length === out.n ? out.u8 : out.u8.subarray(0, out.n);
    };
  };
})(window.PDV);
