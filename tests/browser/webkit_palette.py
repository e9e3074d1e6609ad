#!/usr/bin/python3
"""webkit_palette.py - palette colour images of REAL pdiburn output in
WebKitGTK (Safari's engine), the check honest.test.js makes in Chromium
and Firefox: every frame of tests/tools/mkpalette.py's manifest is drawn
at zoom 1 with the R, G, B of the generator's truth (pydicom's
apply_color_lut) within 1, and the page makes no network request (the
proxy sink of webkit.py sees none, while it sees a canary request).

Usage: MEDIA_DIR=media PALETTE=manifest.json [ARTIFACTS=dir]
       xvfb-run -a /usr/bin/python3 webkit_palette.py
Exit 0 when every check passed, 1 otherwise, 2 on bad usage.
Used by tests/e2e/t500-viewer-palette.sh.
"""

import base64
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import webkit  # noqa: E402

MEDIA = os.path.abspath(os.environ.get('MEDIA_DIR', ''))
ARTIFACTS = os.path.abspath(os.environ.get('ARTIFACTS', 'artifacts'))


def frame_rgb(b):
    r = b.js('var g = PDV.test.frameRgb(); if (!g) return null;'
             'var s = ""; for (var i = 0; i < g.rgb.length; i += 8192)'
             ' s += String.fromCharCode.apply(null, g.rgb.slice(i, i + 8192));'
             'return { width: g.width, height: g.height, b64: btoa(s) };')
    if r is None:
        return None
    data = np.frombuffer(base64.b64decode(r['b64']), dtype=np.uint8)
    return data.reshape(r['height'], r['width'], 3).astype(int)


def main():
    if not os.path.exists(os.path.join(MEDIA, 'INDEX.HTM')) or 'PALETTE' not in os.environ:
        print(__doc__, file=sys.stderr)
        return 2
    man = json.load(open(os.environ['PALETTE']))
    os.makedirs(ARTIFACTS, exist_ok=True)
    failed = passed = 0
    b = webkit.Browser()
    try:
        b.open(os.path.join(MEDIA, 'INDEX.HTM'))
        b.wait('PDV.test.ready')
        where = b.js('var o = {}; PDV.store.series.forEach(function (s) {'
                     ' s.series.images.forEach(function (im, i) {'
                     '  o[im.sop + "/" + im.frame] = [s.series.key, i]; }); });'
                     'return o;')
        for e in man:
            truth = np.load(e['rgb']).astype(int)
            for f in range(e['frames']):
                name = '%s %s frame %d' % (e['modality'], os.path.basename(e['file']), f + 1)
                at = where.get('%s/%d' % (e['sop'], f))
                got = None
                if at:
                    b.wait('PDV.test.showImage(arguments[0], arguments[1])', at[0], at[1])
                    got = frame_rgb(b)
                if got is None or got.shape != truth[f].shape:
                    failed += 1
                    print('FAIL - webkit: %s: not drawn' % name)
                    continue
                d = int(np.abs(got - truth[f]).max())
                ok = d <= 1
                passed, failed = passed + ok, failed + (not ok)
                print('%s - webkit: %s drawn as pydicom colours it (+-1): max difference %d'
                      % ('ok' if ok else 'FAIL', name, d))
        b.driver.save_screenshot(os.path.join(ARTIFACTS, 'webkit-palette.png'))
        seen = b.sink.requests()
        canary = b.canary()
        ok = not seen and canary
        passed, failed = passed + ok, failed + (not ok)
        print('%s - webkit: no network requests (sink saw %s; canary %s)'
              % ('ok' if ok else 'FAIL', seen or 'none', 'seen' if canary else 'NOT seen'))
    finally:
        b.close()
    print('# webkit palette: %d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
