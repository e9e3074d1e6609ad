/* codec.js - decoders of the lossless pixel codecs "med16" and "rgb8"
 * (PROTOCOL.md: base64 -> zlib -> byte planes -> inverse JPEG-LS median
 * edge predictor). The factory is self-contained because its source text
 * also runs inside the blob: workers; it gets the JS inflate as argument. */
(function (PDV) {
  'use strict';

  PDV.src.codec = function (inflate) {
    function fromBase64(s) {
      if (typeof Uint8Array.fromBase64 === 'function')
        return Uint8Array.fromBase64(s);
      var bin = atob(s), n = bin.length, u8 = new Uint8Array(n);
      for (var i = 0; i < n; i++) u8[i] = bin.charCodeAt(i);
      return u8;
    }

    // new Response(u8).body, not Blob.stream(): WebKit workers fail on the
    // latter (VIEWER-RESEARCH.md section 1).
    function unzlib(u8, size, forceJs) {
      if (forceJs || typeof DecompressionStream !== 'function')
        return Promise.resolve(inflate(u8, size));
      var ds = new Response(u8).body.pipeThrough(
        new DecompressionStream('deflate'));
      return new Response(ds).arrayBuffer().then(function (ab) {
        return new Uint8Array(ab);
      });
    }

    function med(a, b, c) {
      var mx = a > b ? a : b, mn = a > b ? b : a;
      return c >= mx ? mn : c <= mn ? mx : a + b - c;
    }

    // Writing p + s into an Int16Array/Uint16Array performs the mod 65536
    // and the signed/unsigned reading that the protocol asks for.
    // into: an ArrayBuffer of the right size to decode into (a frame the
    // cache dropped), else a new one.
    function unmed16(planes, rows, cols, signed, into) {
      var n = rows * cols;
      if (planes.length < 2 * n) throw new Error('med16: short frame');
      var out = signed ? new Int16Array(into || n) : new Uint16Array(into || n);
      var hi = n, i, z, a, b, c, mx, mn, p, end;
      for (i = 0; i < cols; i++) {
        z = planes[i] | planes[hi + i] << 8;
        out[i] = (i ? out[i - 1] : 0) + ((z >>> 1) ^ -(z & 1));
      }
      for (var row = 1; row < rows; row++) {
        i = row * cols;
        end = i + cols;
        z = planes[i] | planes[hi + i] << 8;
        out[i] = out[i - cols] + ((z >>> 1) ^ -(z & 1));
        for (i++; i < end; i++) {
          z = planes[i] | planes[hi + i] << 8;
          a = out[i - 1];
          b = out[i - cols];
          c = out[i - cols - 1];
          if (a > b) { mx = a; mn = b; } else { mx = b; mn = a; }
          p = c >= mx ? mn : c <= mn ? mx : a + b - c;
          out[i] = p + ((z >>> 1) ^ -(z & 1));
        }
      }
      return { kind: 'gray', data: out, min: 0, max: 0 };
    }

    function minMax(r) {
      var d = r.data, min = d[0], max = d[0], x;
      for (var i = 1; i < d.length; i++) {
        x = d[i];
        if (x < min) min = x;
        else if (x > max) max = x;
      }
      r.min = min;
      r.max = max;
      return r;
    }

    function unmed8Plane(src, off, n, cols, rgba, ch) {
      var plane = new Uint8Array(n), i, p;
      for (i = 0; i < n; i++) {
        if (i < cols) p = i ? plane[i - 1] : 0;
        else if (i % cols === 0) p = plane[i - cols];
        else p = med(plane[i - 1], plane[i - cols], plane[i - cols - 1]);
        plane[i] = p + src[off + i];
        rgba[i * 4 + ch] = plane[i];
      }
    }

    function unrgb8(planes, rows, cols, into) {
      var n = rows * cols;
      if (planes.length < 3 * n) throw new Error('rgb8: short frame');
      var rgba = new Uint8ClampedArray(into || n * 4);
      for (var ch = 0; ch < 3; ch++) unmed8Plane(planes, ch * n, n, cols, rgba, ch);
      for (var i = 3; i < rgba.length; i += 4) rgba[i] = 255;
      return { kind: 'rgb', data: rgba, min: 0, max: 255 };
    }

    // job: {codec, bytes (or b64), rows, columns, signed, jsInflate, into}
    function decode(job) {
      var n = job.rows * job.columns;
      var bytes = job.bytes || fromBase64(job.b64);
      var size = job.codec === 'rgb8' ? 3 * n : 2 * n;
      return unzlib(bytes, size, job.jsInflate).then(function (planes) {
        if (job.codec === 'med16')
          return minMax(unmed16(planes, job.rows, job.columns, job.signed, job.into));
        if (job.codec === 'rgb8') return unrgb8(planes, job.rows, job.columns, job.into);
        throw new Error('unknown codec ' + job.codec);
      });
    }

    return { decode: decode, fromBase64: fromBase64, minMax: minMax };
  };
})(window.PDV);
