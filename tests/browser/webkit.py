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
import re
import shutil
import signal
import socketserver
import subprocess
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


# Under xvfb, WebKitGTK 2.50 paints through Mesa's software OpenGL
# (swrast), which crashed now and then in the web process ("WebProcess
# CRASHED"; the kernel log names swrast_dri.so in threads SkiaGPUWorker
# and ThreadedCompositor). Skia's CPU renderer draws the page and the
# canvas without GL, so no SkiaGPUWorker runs; the MiniBrowser inherits
# this through WebKitWebDriver. Compositing stays on although it still
# uses GL: without it (WEBKIT_DISABLE_COMPOSITING_MODE=1) WebDriver's
# screenshot waits for a next frame that a page that does not change
# never makes, and the command hangs for good.
GPU_FREE = {'WEBKIT_SKIA_ENABLE_CPU_RENDERING': '1'}


class Hung(Exception):
    """A WebDriver command that got no answer in time."""


# Seconds one WebDriver command may take: a few at most on a loaded
# machine; far below the test's 200 s, so a hang is reported as one.
CALL_TIMEOUT = 60


def descendants(pid):
    """pid's child processes, their children and so on."""
    kids = {}
    for stat in glob.glob('/proc/[0-9]*/stat'):
        try:
            f = open(stat).read()
        except OSError:
            continue
        fields = f[f.rindex(')') + 2:].split()
        kids.setdefault(int(fields[1]), []).append(int(stat.split('/')[2]))
    out, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out


def uptime():
    """Seconds since boot, the clock of the kernel log."""
    return float(open('/proc/uptime').read().split()[0])


def process_name(pid):
    try:
        return open('/proc/%d/comm' % pid).read().strip()
    except OSError:
        return '?'


class Browser:
    """A WebKitGTK session with the sink as its proxy, 1366x768 window."""

    def __init__(self, size=(1366, 768), call_timeout=CALL_TIMEOUT, stacks=None):
        from selenium import webdriver
        for key, value in GPU_FREE.items():
            os.environ.setdefault(key, value)
        from selenium.webdriver.webkitgtk.options import Options
        self.sink = Sink()
        opts = Options()
        opts.binary_location = minibrowser()
        opts.add_argument('--automation')
        caps = opts.to_capabilities()
        proxy = '127.0.0.1:%d' % self.sink.port
        caps['proxy'] = {'proxyType': 'manual', 'httpProxy': proxy, 'sslProxy': proxy}
        self.call_timeout = call_timeout
        self.hung = None
        self.web_threads = set()
        self.uptime0 = uptime()
        self.stacks = stacks
        self.driver = webdriver.WebKitGTK(executable_path=DRIVER, desired_capabilities=caps)
        # WebDriver's own limit for a promise that never settles comes
        # first, so a page that is alive but waits forever says so.
        self.driver.set_script_timeout(max(1, call_timeout - 15))
        self.call('set_window_size', self.driver.set_window_size, *size)

    def call(self, what, fn, *args):
        """fn(*args), a WebDriver command, given call_timeout seconds.

        A sync execute_script, a screenshot or a page load has no WebDriver
        time limit that works when the web process itself stops answering:
        the call would block until the test's outer timeout, saying
        nothing. Instead the browser's threads are dumped (if gdb is there),
        the browser is killed and Hung names the call; every later call
        fails at once."""
        if self.hung:
            raise Hung('not run: the browser hung earlier (%s)' % self.hung)
        self.note_web_threads()
        box = {}

        def run():
            try:
                box['value'] = fn(*args)
            except BaseException as e:  # handed to the caller's thread
                box['error'] = e

        t = threading.Thread(target=run, daemon=True)
        t.start()
        t.join(self.call_timeout)
        self.note_web_threads()
        if t.is_alive():
            self.hung = '%s got no answer in %d s' % (what, self.call_timeout)
            where = self.dump_stacks()
            self.kill()
            raise Hung('%s: the page or the browser hangs%s' % (self.hung, where))
        if 'error' in box:
            raise box['error']
        return box.get('value')

    def open(self, path, hash=''):
        self.call('open', self.driver.get, 'file://' + os.path.abspath(path) + hash)

    def js(self, code, *args):
        return self.call('execute_script', self.driver.execute_script, code, *args)

    def wait(self, expr, *args):
        """The value of a promise `expr` (JavaScript) evaluated in the page."""
        return self.call('execute_async_script', self.driver.execute_async_script,
                         'var a = arguments, done = a[a.length - 1];'
                         'Promise.resolve().then(function () {'
                         ' return (function () { return ' + expr + '; }).apply(null, a); })'
                         '.then(done, function (e) { done({ error: String(e && e.message || e) }); });',
                         *args)

    def screenshot(self, path):
        return self.call('save_screenshot', self.driver.save_screenshot, path)

    def gray(self):
        """PDV.test.frameGray() as (width, height, bytes)."""
        r = self.js('var g = PDV.test.frameGray(); if (!g) return null;'
                    'var s = ""; for (var i = 0; i < g.gray.length; i += 8192)'
                    ' s += String.fromCharCode.apply(null, g.gray.slice(i, i + 8192));'
                    'return { width: g.width, height: g.height, b64: btoa(s) };')
        return None if r is None else (r['width'], r['height'], base64.b64decode(r['b64']))

    def note_web_threads(self):
        """Remembers the thread ids of the web processes, to tell a crash
        of ours from another browser's in the kernel log."""
        for pid in descendants(self.driver.service.process.pid):
            if process_name(pid).startswith('WebKitWebProces'):
                for task in glob.glob('/proc/%d/task/*' % pid):
                    self.web_threads.add(int(task.rsplit('/', 1)[1]))

    def gl_crash(self):
        """The kernel log line of a crash of one of this session's web
        process threads inside Mesa's software GL driver, or None (also
        when the kernel log cannot be read)."""
        try:
            log = subprocess.run(['dmesg'], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        for line in log.splitlines():
            m = re.match(r'\[\s*([\d.]+)\]\s+(?:traps:\s+)?(\S+?)\[(\d+)\]:?\s+(segfault|general protection)'
                         r'.* in (swrast_dri\.so|libgallium[^\[ ]*\.so)', line)
            if m and float(m.group(1)) >= self.uptime0 and int(m.group(3)) in self.web_threads:
                return line.strip()
        return None

    def dump_stacks(self):
        """Threads of the browser's processes, to self.stacks (a file)."""
        if not self.stacks or not shutil.which('gdb'):
            return ''
        with open(self.stacks, 'w') as out:
            for pid in descendants(self.driver.service.process.pid):
                out.write('=== %d %s\n' % (pid, process_name(pid)))
                out.flush()
                try:
                    subprocess.run(['gdb', '-p', str(pid), '-batch', '-nx', '-ex', 'info threads',
                                    '-ex', 'thread apply all bt 30'], stdout=out,
                                   stderr=subprocess.STDOUT, timeout=20, check=False)
                except subprocess.TimeoutExpired:
                    out.write('(gdb took longer than 20 s)\n')
        return '; its threads are in ' + self.stacks

    def kill(self):
        """Ends the browser's processes (a hung one does not quit)."""
        for pid in descendants(self.driver.service.process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

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
            if self.hung:  # quit would wait for the hung browser too
                self.kill()
                self.driver.service.process.kill()
            else:
                self.driver.quit()
        finally:
            self.sink.close()
