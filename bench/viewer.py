#!/usr/bin/python3
"""Viewer benchmark: what the web content costs and how fast it shows.

Usage: bench/viewer.py [--slices N] [--work DIR] [--pdiburn PATH]

Generates a CT series of N slices (default 300, 512x512, Implicit VR LE)
and writes it with `pdiburn dir` three ways: --viewer=full (lossless
payload), --viewer=lite (8-bit JPEG previews) and --no-web.  Reports:
  - payload size relative to the DICOM files, for full and lite;
  - time to first image and to a fully decoded series in Chromium
    (headless, from the page cache: no CD drive here), median of 3;
  - how many such CT slices a CD-R (80 min) holds with the full payload,
    with the lite one, and with DICOM only, from the measured sizes.
Needs chromium and tests/browser/node_modules (npm ci there).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
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


def timing(media):
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(["node", os.path.join(here, "viewer_timing.js"),
                          media, "3"], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=300)
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
        runs[name] = out
    dicom = tree_bytes(os.path.join(runs["none"], "DICOM"))
    print("CT series: %d slices, DICOM files %.1f MB (in 2 KB blocks)"
          % (a.slices, dicom / 1e6))
    for name in ("full", "lite"):
        payload = tree_bytes(os.path.join(runs[name], "VIEWER", "DATA"))
        web = tree_bytes(runs[name]) - tree_bytes(runs["none"])
        per_slice = tree_bytes(runs[name]) / a.slices
        t = timing(runs[name])
        print("%s: viewer payload %.1f MB = %.3f of the DICOM data; all web "
              "content %.1f MB; first image %d ms; %d slices decoded at %d ms; "
              "a CD-R holds %d such slices"
              % (name, payload / 1e6, payload / dicom, web / 1e6,
                 t["first_image_ms"], t["images"], t["series_decoded_ms"],
                 CD // per_slice))
    print("DICOM only: a CD-R holds %d such slices"
          % (CD // (tree_bytes(runs["none"]) / a.slices)))
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
