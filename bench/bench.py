#!/usr/bin/python3
"""Benchmark: pdiburn iso against the pipeline a site scripts today.

Usage: bench/bench.py [--slices N] [--rounds R] [--work DIR] [--pdiburn PATH]

Generates a CT study of N slices (default 2000; 512x512, 16-bit, Implicit
VR Little Endian as archives store them, about 1 GB), then times, each
from a warm page cache, pdiburn --no-web, pdiburn with its default web
content and the floor in R interleaved rounds (default 3; medians, so
that load on a shared machine hits each alike), the rest once:

  pdiburn          pdiburn iso --no-web --media dvd: the same job as the
                   pipeline (re-encodes every header, streams the pixels,
                   writes DICOMDIR, README, SHA256.TXT) and then reads the
                   image back to verify it
  pdiburn-noverify the same with --no-verify
  pdiburn+web      pdiburn iso --media dvd: also the pages and the viewer
                   with its lossless payload (extra work the others skip)
  pipeline (a)     copy to 8-character names, dcmconv +te each file,
                   dcmmkdir, xorriso -as mkisofs
  floor (b)        xorriso -as mkisofs alone on the tree (a) staged and
                   converted: the I/O floor
  durable floor (c) the same and then `sync -f` on the image: pdiburn
                   fsyncs what it writes before giving it its name, and
                   xorriso leaves the image in the page cache, so (b)
                   does not pay for writing to the device; (c) and
                   pdiburn both do

It prints wall time, peak RSS, and the ratios that matter: (a)/pdiburn
(target >= 10), pdiburn/(b) (target <= 1.2) and pdiburn+web/(b), the
default media (target <= 2.0), the same two against (c), with the
viewer's payload in MB and the load average of the machine.  Peak RSS is also measured at N/4 slices to
show it does not grow with the study.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ImplicitVRLittleEndian

ROOT = "1.2.826.0.1.3680043.10.1234.77"


def make_study(folder, slices):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:512, 0:512]
    body = ((xx - 256) ** 2 + (yy - 256) ** 2) < 200 ** 2
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.StudyInstanceUID = ROOT + ".1"
    ds.SeriesInstanceUID = ROOT + ".2"
    ds.PatientName, ds.PatientID = "BENCH^CT", "BENCH1"
    ds.StudyDate, ds.StudyTime, ds.StudyID = "20240101", "120000", "1"
    ds.AccessionNumber, ds.Modality, ds.SeriesNumber = "B1", "CT", 1
    ds.Rows = ds.Columns = 512
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation, ds.SamplesPerPixel = 1, 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.RescaleIntercept, ds.RescaleSlope = -1024, 1
    noise = rng.integers(-20, 20, size=(512, 512))
    for i in range(slices):
        pixels = np.where(body, 1040 + noise + (i % 50), 0).astype(np.int16)
        ds.SOPInstanceUID = "%s.3.%d" % (ROOT, i + 1)
        ds.InstanceNumber = i + 1
        ds.PixelData = pixels.tobytes()
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = ds.SOPClassUID
        meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        meta.TransferSyntaxUID = ImplicitVRLittleEndian
        ds.file_meta = meta
        ds.is_little_endian, ds.is_implicit_VR = True, True
        ds.save_as(os.path.join(folder, "1.3.%d.dcm" % (i + 1)),
                   write_like_original=False)


def run(cmd, cwd=None, repeat=1):
    """Median wall seconds of `repeat` runs, and the highest peak RSS (MB)
    as GNU time sees it (a child forked from this Python would inherit its
    RSS)."""
    walls, rss = [], 0.0
    for _ in range(repeat):
        start = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        walls.append(time.monotonic() - start)
        if proc.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), proc.stderr.decode()))
        peak = int(proc.stderr.decode().strip().splitlines()[-1]) / 1024
        rss = max(rss, peak)
    return statistics.median(walls), rss


def run_script(script, cwd):
    return run(["sh", "-c", script], cwd=cwd)


def site_pipeline(src, work):
    """(a): what sites script today, one tool after the other."""
    stage = os.path.join(work, "stage")
    shutil.rmtree(stage, ignore_errors=True)
    script = """
set -e
mkdir -p stage/DICOM
i=0
for f in "$SRC"/*; do
    i=$((i + 1))
    name=$(printf 'IM%06d' $i)
    cp "$f" stage/DICOM/$name
    dcmconv +te stage/DICOM/$name stage/DICOM/$name
done
cd stage && dcmmkdir --recurse --input-directory . DICOM >/dev/null && cd ..
xorriso -as mkisofs -quiet -iso-level 1 -R -J -V BENCH -o pipeline.iso stage
"""
    env_script = "SRC=%s; %s" % (src, script)
    return run_script(env_script, work)


XORRISO = 'xorriso -as mkisofs -quiet -iso-level 1 -R -J -V BENCH'


def floor_cmd(work, durable=False):
    """(b): xorriso alone on the staged, converted tree; (c) with the
    image then synced to the device."""
    sync = " && sync -f floor.iso" if durable else ""
    return ["sh", "-c", 'cd "$0" && rm -f floor.iso && %s -o floor.iso stage'
            "%s" % (XORRISO, sync), work]


def pdiburn_cmd(exe, src, work, out, *extra):
    path = os.path.join(work, out)
    return ["sh", "-c", 'rm -f "$0" && exec "$@"', path, exe, "-q", "iso",
            "--spool", work, *extra, "--from", src, path]


def interleaved(cmds, rounds):
    """Each command once per round, in turn: medians and peak RSS."""
    walls = {k: [] for k in cmds}
    rss = {k: 0.0 for k in cmds}
    for _ in range(rounds):
        for name, cmd in cmds.items():
            os.sync()  # the last run's writeback is not charged to this one
            wall, peak = run(cmd)
            walls[name].append(wall)
            rss[name] = max(rss[name], peak)
    return {k: (statistics.median(v), rss[k]) for k, v in walls.items()}


def payload_mb(iso):
    """Bytes of the viewer's chunk files in the image, in MB."""
    out = subprocess.run(["bsdtar", "-tvf", iso], capture_output=True,
                         text=True).stdout
    total = 0
    for line in out.splitlines():
        parts = line.split()
        name = parts[-1].lower() if parts else ""
        if "viewer/data/" in name and "/c" in name and name.endswith(".js"):
            total += int(parts[4])
    return total / 1e6


def warm(folder):
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "rb") as f:
            while f.read(1 << 20):
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default="/var/tmp/pdiburn-bench")
    ap.add_argument("--pdiburn", default="build/cli/pdiburn")
    a = ap.parse_args()
    exe = os.path.abspath(a.pdiburn)
    work = a.work
    src = os.path.join(work, "src")
    small = os.path.join(work, "small")
    shutil.rmtree(work, ignore_errors=True)
    print("generating %d slices ..." % a.slices, flush=True)
    make_study(src, a.slices)
    make_study(small, max(a.slices // 4, 1))
    size = sum(os.path.getsize(os.path.join(src, f)) for f in os.listdir(src))
    os.sync()  # no writeback of the new study while we time
    warm(src)

    results = {}
    like = ("--no-web", "--media", "dvd")
    results["pipeline (a)"] = site_pipeline(src, work)
    os.sync()
    results["pdiburn (1/4 study)"] = run(
        pdiburn_cmd(exe, small, work, "s.iso", *like))
    results["pdiburn-noverify"] = run(
        pdiburn_cmd(exe, src, work, "q.iso", *like, "--no-verify"))
    results.update(interleaved({
        "pdiburn": pdiburn_cmd(exe, src, work, "p.iso", *like),
        "pdiburn+web": pdiburn_cmd(exe, src, work, "w.iso", "--media", "dvd"),
        "floor (b)": floor_cmd(work),
        "durable floor (c)": floor_cmd(work, durable=True),
    }, a.rounds))
    payload = payload_mb(os.path.join(work, "w.iso"))

    print("\nstudy: %d slices, %.0f MB, Implicit VR LE, warm page cache, "
          "median of %d rounds" % (a.slices, size / 1e6, a.rounds))
    print("load average: %.1f %.1f %.1f on %d CPUs"
          % (os.getloadavg() + (os.cpu_count(),)))
    print("%-22s %9s %12s" % ("run", "seconds", "peak RSS MB"))
    for name, (wall, rss) in results.items():
        print("%-22s %9.2f %12.1f" % (name, wall, rss))
    p = results["pdiburn"][0]
    w = results["pdiburn+web"][0]
    q = results["pdiburn-noverify"][0]
    b = results["floor (b)"][0]
    c = results["durable floor (c)"][0]
    print("\n(a) / pdiburn             %6.1fx faster   (target >= 10)"
          % (results["pipeline (a)"][0] / p))
    print("pdiburn --no-web / (b)    %6.2fx          (target <= 1.2)" % (p / b))
    print("pdiburn default / (b)     %6.2fx          (target <= 2.0)" % (w / b))
    print("pdiburn --no-verify / (b) %6.2fx" % (q / b))
    print("pdiburn --no-web / (c)    %6.2fx" % (p / c))
    print("pdiburn default / (c)     %6.2fx" % (w / c))
    print("viewer payload (chunk files): %.1f MB, %.3f of the study"
          % (payload, payload * 1e6 / size))
    print("peak RSS full / quarter study: %.1f / %.1f MB"
          % (results["pdiburn"][1], results["pdiburn (1/4 study)"][1]))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
