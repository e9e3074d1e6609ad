#!/usr/bin/python3
"""Benchmark: pdiburn iso --pacs against DCMTK's getscu retrieving alone.

Usage (as root, from the repository root, after building):
    bench/pacs.py [--slices N] [--work DIR] [--pdiburn PATH] [--runs R]

Re-executes itself in a private network namespace with only loopback
(unshare -n), starts Debian's Orthanc there with its storage under WORK,
uploads a generated CT study of N slices (default 800; 512x512, 16-bit,
Implicit VR Little Endian as archives hold them, about 0.5 MB a slice)
through the REST API, then times, best of R runs (default 2), each from
a PACS whose files are in the page cache:

  getscu          getscu --bit-preserving: a Study Root C-GET of the study
                  into a folder, nothing else (the floor)
  pdiburn         pdiburn iso --pacs --no-web: C-FIND, count, C-GET into
                  the spool, then the whole export (DICOMDIR, README,
                  SHA256.TXT, ISO image) and its verification
  pdiburn+web     pdiburn iso --pacs: also the IHE PDI pages and the
                  viewer with its lossless payload

It prints wall times, pdiburn's own retrieve rates (from --json) and the
ratio that matters: pdiburn / getscu (goal <= 1.25).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import make_study  # noqa: E402  the same CT as bench.py

HTTP, DICOM = 8042, 4242


def isolate():
    if os.environ.get("PDIBURN_NETNS") == "1":
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        return
    if os.geteuid() != 0:
        sys.exit("bench/pacs.py: run as root (it needs a network namespace)")
    env = dict(os.environ, PDIBURN_NETNS="1")
    os.execvpe("unshare", ["unshare", "-n", "--", sys.executable] + sys.argv,
               env)


def start_orthanc(work):
    db = os.path.join(work, "orthanc")
    os.makedirs(db, exist_ok=True)
    cfg = os.path.join(work, "orthanc.json")
    with open(cfg, "w") as f:
        json.dump({"Name": "bench", "StorageDirectory": db,
                   "IndexDirectory": db, "Plugins": [],
                   "HttpPort": HTTP, "DicomPort": DICOM, "DicomAet": "ORTHANC",
                   "RemoteAccessAllowed": False,
                   "AuthenticationEnabled": False,
                   "DicomAlwaysAllowGet": True, "DicomAlwaysAllowFind": True,
                   "SaveJobs": False, "StorageCompression": False}, f)
    log = open(os.path.join(work, "orthanc.log"), "w")
    proc = subprocess.Popen(["Orthanc", cfg], stdout=log, stderr=log)
    for _ in range(150):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/system" % HTTP)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("Orthanc did not start; see %s/orthanc.log" % work)


def upload(folder):
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            req = urllib.request.Request(
                "http://127.0.0.1:%d/instances" % HTTP, data=f.read(),
                method="POST")
            urllib.request.urlopen(req).read()


def timed(cmd):
    t0 = time.monotonic()
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.monotonic() - t0
    if res.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), res.stderr.decode()))
    return elapsed, res.stdout


def getscu(work, study):
    out = os.path.join(work, "getscu")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    return timed(["getscu", "--bit-preserving", "-aet", "PDIBURN", "-aec",
                  "ORTHANC", "-od", out, "-k", "QueryRetrieveLevel=STUDY",
                  "-k", "StudyInstanceUID=" + study, "127.0.0.1", str(DICOM)])


def pdiburn(exe, work, study, *extra):
    iso = os.path.join(work, "out.iso")
    if os.path.exists(iso):
        os.remove(iso)
    return timed([exe, "--json", "iso", "--pacs", "ORTHANC@127.0.0.1:%d" % DICOM,
                  "--study", study, "--media", "dvd", "--spool", work]
                 + list(extra) + [iso])


def best(runs, fn, *args):
    results = [fn(*args) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=800)
    ap.add_argument("--work", default="/var/tmp/pdiburn-bench-pacs")
    ap.add_argument("--pdiburn", default="build/cli/pdiburn")
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    isolate()
    exe = os.path.abspath(args.pdiburn)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    src = os.path.join(args.work, "src")
    make_study(src, args.slices)
    study = "1.2.826.0.1.3680043.10.1234.77.1"
    orthanc = start_orthanc(args.work)
    try:
        upload(src)
        getscu(args.work, study)  # warms Orthanc's files into the cache
        floor, _ = best(args.runs, getscu, args.work, study)
        plain, doc = best(args.runs, pdiburn, exe, args.work, study,
                          "--no-web")
        web, _ = best(args.runs, pdiburn, exe, args.work, study)
    finally:
        orthanc.terminate()
        orthanc.wait()
    r = json.loads(doc)["retrieve"]
    print("%d slices, %.0f MB from Orthanc on loopback" %
          (args.slices, r["bytes"] / 1e6))
    print("getscu (C-GET into a folder) %7.2f s" % floor)
    print("pdiburn iso --no-web         %7.2f s  (retrieve %.2f s: %.0f "
          "instances/s, %.1f MB/s)" % (plain, r["seconds"],
                                       r["instances_per_second"],
                                       r["mb_per_second"]))
    print("pdiburn iso (pages, viewer)  %7.2f s" % web)
    print("ratio pdiburn --no-web / getscu: %.2f (goal <= 1.25)" %
          (plain / floor))
    print("ratio pdiburn with web / getscu: %.2f" % (web / floor))
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
