"""webkit.py - drives WebKitGTK (the engine of Safari) for the viewer's
tests and benchmarks: Debian's MiniBrowser through WebKitWebDriver and
python3-selenium, run under xvfb-run. WebDriver classic shows no network
log, so the browser gets a proxy that is a sink: every connection it
opens, plain HTTP or TLS, is recorded and refused. A page opened from
file:// must never make one; canary() proves the sink sees requests.

Used by webkit_real.py (tests/e2e/t097-viewer-webkit.sh) and
bench/viewer.py.
"""

import base64
import glob
import os
import socketserver
import threading
import time

DRIVER = os.environ.get('WEBKITDRIVER', '/usr/bin/WebKitWebDriver')


def minibrowser():
    """MiniBrowser of Debian's libwebkit2gtk (the path has the arch)."""
    if os.environ.get('MINIBROWSER'):
        return os.environ['MINIBROWSER']
    found = sorted(glob.glob('/usr/lib/*/webkit2gtk-4.*/MiniBrowser'))
    return found[-1] if found else ''


class Sink:
    """A proxy that records the first bytes of every connection."""

    def __init__(self):
        self.seen = []
        seen = self.seen

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(2)
                try:
                    seen.append(self.request.recv(200))
                except OSError as e:
                    seen.append(('error %s' % e).encode())

        self.server = socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def requests(self):
        """What was asked for: 'GET http://...' lines, or 'TLS' for HTTPS."""
        out = []
        for b in list(self.seen):
            out.append('TLS' if b[:1] == b'\x16' else b.split(b'\r\n')[0].decode('latin1'))
        return out

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """A WebKitGTK session with the sink as its proxy, 1366x768 window."""

    def __init__(self, size=(1366, 768)):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        self.sink = Sink()
        opts = Options()
        opts.binary_location = minibrowser()
        opts.add_argument('--automation')
        caps = opts.to_capabilities()
        proxy = '127.0.0.1:%d' % self.sink.port
        caps['proxy'] = {'proxyType': 'manual', 'httpProxy': proxy, 'sslProxy': proxy}
        self.driver = webdriver.WebKitGTK(executable_path=DRIVER, desired_capabilities=caps)
        self.driver.set_script_timeout(120)
        self.driver.set_window_size(*size)

    def open(self, path, hash=''):
        self.driver.get('file://' + os.path.abspath(path) + hash)

    def js(self, code, *args):
        return self.driver.execute_script(code, *args)

    def wait(self, expr, *args):
        """The value of a promise `expr` (JavaScript) evaluated in the page."""
        return self.driver.execute_async_script(
            'var a = arguments, done = a[a.length - 1];'
            'Promise.resolve().then(function () {'
            ' return (function () { return ' + expr + '; }).apply(null, a); })'
            '.then(done, function (e) { done({ error: String(e && e.message || e) }); });', *args)

    def gray(self):
        """PDV.test.frameGray() as (width, height, bytes)."""
        r = self.js('var g = PDV.test.frameGray(); if (!g) return null;'
                    'var s = ""; for (var i = 0; i < g.gray.length; i += 8192)'
                    ' s += String.fromCharCode.apply(null, g.gray.slice(i, i + 8192));'
                    'return { width: g.width, height: g.height, b64: btoa(s) };')
        return None if r is None else (r['width'], r['height'], base64.b64decode(r['b64']))

    def canary(self):
        """Makes the page ask for a URL on the network; True when the sink saw it."""
        before = len(self.sink.seen)
        self.js("new Image().src = 'http://pdv-canary.invalid/canary.png';")
        for _ in range(100):
            if len(self.sink.seen) > before:
                return True
            time.sleep(0.1)
        return False

    def pids(self):
        return [self.driver.service.process.pid]

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.sink.close()
