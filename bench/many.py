#!/usr/bin/python3
"""Benchmark: what one more instance costs, in time and memory.

Usage: bench/many.py [--instances N ...] [--rounds R] [--work DIR]
                     [--pdiburn PATH] [--strace] [--keep] [--usb]

Generates an archive of small instances (64x64, 16-bit, Implicit VR Little
Endian as archives store them): patients x 2 studies x 2 series x 25
images, N instances in all (default 20,000: 200 patients, ~254 MB).  Then,
from a warm page cache, with a sync before each run, in R interleaved
rounds (default 3), each run writing to a name of its own (outputs are
deleted only at the end, and a later run waits until they have aged: see
runs()), it times:

  copy floor      cp -r of the archive, then sync -f: a durable copy
  read-back       cat of that copy's files, its cached pages dropped first
                  (untimed): what reading a copy back from the device
                  costs, which pdiburn does after writing and cp does not;
                  copy floor + read-back is the like-for-like floor of a
                  written and verified copy
  ISO floor       xorriso -as mkisofs -J -r on pdiburn's own dir output
  dir --no-web    pdiburn dir, DICOM only
  iso --no-web    pdiburn iso, DICOM only
  dir             pdiburn dir with pages and the viewer (the default media)

and prints the median wall time, peak RSS, and the ratios the issue sets
targets for: dir --no-web / copy floor (<= 1.5) and, beside it, against
the copy floor plus read-back, iso --no-web / ISO floor
(<= 2.0), dir / dir --no-web (<= 1.5), and peak RSS of dir (< 100 MB at
20,000).  Several --instances values show how time and memory grow: the
time and peak RSS per instance of each run, and whether each grows in
proportion to the instances (linear: the ratio of times within 25% of
the ratio of instance counts) or faster.  --strace also counts system
calls per file of dir --no-web.  --keep keeps each generated archive in
WORK/src-N and uses it again next time (generating 20,000 instances
takes minutes).  --usb also times `pdiburn usb --no-web` onto a FAT32
image mounted through a loop device against a durable copy onto it
(root, a kernel with vfat and a free loop device; said when not).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ImplicitVRLittleEndian

ROOT = "1.2.826.0.1.3680043.10.1234.78"
PER_SERIES = 25
# ext4 without a journal skips an inode freed in the last 60 s, or the
# last 360 s while its inode table block is dirty (RECENTCY_MIN,
# RECENTCY_DIRTY in fs/ext4/ialloc.c), and any file created next to it
# dirties the block again: after deleting outputs, wait this long.
RECENTLY_DELETED_S = 370
CLEARED = ".cleared"  # when outputs were last deleted, in WORK


def template():
    ds = Dataset()
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.4"  # MR Image Storage
    ds.StudyTime, ds.Modality = "120000", "MR"
    ds.Rows = ds.Columns = 64
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.PixelRepresentation, ds.SamplesPerPixel = 0, 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelSpacing = [1, 1]
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ScanningSequence, ds.SequenceVariant = "SE", "NONE"
    ds.ScanOptions, ds.MRAcquisitionType = "", "2D"
    ds.EchoTime, ds.RepetitionTime = 20, 500
    return ds


def write_instance(path, ds, sop_uid):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ds.SOPClassUID
    meta.MediaStorageSOPInstanceUID = sop_uid
    meta.TransferSyntaxUID = ImplicitVRLittleEndian
    ds.file_meta = meta
    ds.SOPInstanceUID = sop_uid
    ds.is_implicit_VR, ds.is_little_endian = True, True
    ds.save_as(path, write_like_original=False)  # pydicom 2.3 (Debian 12)


def make_archive(folder, instances):
    """patients x 2 studies x 2 series x 25 images, in one folder per
    series as archives often lay them out."""
    ds = template()
    rng = np.random.default_rng(11)
    ramp = (np.add.outer(np.arange(64), np.arange(64)) * 16).astype(np.uint16)
    patients = max(instances // (2 * 2 * PER_SERIES), 1)
    n = 0
    for p in range(patients):
        ds.PatientName, ds.PatientID = "MANY^P%05d" % p, "M%05d" % p
        ds.PatientBirthDate, ds.PatientSex = "19700101", "O"
        for st in range(2):
            ds.StudyInstanceUID = "%s.%d.%d" % (ROOT, p, st)
            ds.StudyDate, ds.StudyID = "2024%02d01" % (st + 1), str(st + 1)
            ds.AccessionNumber = "A%05d%d" % (p, st)
            for se in range(2):
                ds.SeriesInstanceUID = "%s.%d.%d.%d" % (ROOT, p, st, se)
                ds.SeriesNumber = se + 1
                sub = os.path.join(folder, "p%05d" % p, "s%d_%d" % (st, se))
                os.makedirs(sub, exist_ok=True)
                for i in range(PER_SERIES):
                    ds.InstanceNumber = i + 1
                    noise = rng.integers(0, 8, size=(64, 64), dtype=np.uint16)
                    ds.PixelData = (ramp + noise + i).tobytes()
                    uid = "%s.%d.%d.%d.%d" % (ROOT, p, st, se, i)
                    write_instance(os.path.join(sub, "%d.dcm" % i), ds, uid)
                    n += 1
    return n


def drop_cached(folder):
    """Forgets the (synced, so clean) cached pages of every file under
    folder, so that reading them goes to the device."""
    for parent, _, names in os.walk(folder):
        for name in names:
            fd = os.open(os.path.join(parent, name), os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)


def timed(cmd, before=None):
    """Wall time and peak RSS (MB) of one run; `before` (a command or a
    function) runs untimed."""
    if callable(before):
        before()
    elif before:
        subprocess.run(before, check=True)
    os.sync()
    t = time.monotonic()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    wall = time.monotonic() - t
    if out.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), out.stderr))
    return wall, int(out.stderr.strip().splitlines()[-1]) / 1024


def runs(exe, src, work, r):
    """Round r's commands, each writing where no earlier run wrote: on
    ext4 without a journal (as here), creating a file looks past every
    inode freed in the last minutes, so a run soon after deleting the
    previous output spends most of its time in the kernel's
    recently_deleted() (85% of cp -r's time, by perf)."""
    n = os.path.basename(src).split("-")[-1]
    out = lambda name: os.path.join(work, "%s.%s.%d" % (name, n, r))
    ref = os.path.join(work, "ref." + n)
    pd = [exe, "-q"]
    return {
        "copy floor": (["sh", "-c", 'cp -r "$0" "$1" && sync -f "$1"', src,
                        out("copy")], None),
        "read-back": (["sh", "-c", 'find "$0" -type f -exec cat {} + '
                       '>/dev/null', out("copy")],
                      lambda: drop_cached(out("copy"))),
        "ISO floor": (["xorriso", "-as", "mkisofs", "-quiet", "-J", "-r",
                       "-o", out("floor.iso"), ref], None),
        "dir --no-web": (pd + ["dir", "--no-web", "--from", src, out("d")],
                         None),
        "iso --no-web": (pd + ["iso", "--no-web", "--media", "bd", "--from",
                               src, out("i.iso")], None),
        "dir": (pd + ["dir", "--media", "bd", "--from", src, out("w")],
                None),
    }


def syscalls_per_file(exe, src, work, files):
    target = os.path.join(work, "strace.%d" % files)
    log = os.path.join(work, "strace.txt")
    subprocess.run(["strace", "-f", "-c", "-o", log, exe, "-q", "dir",
                    "--no-web", "--from", src, target], check=True)
    calls = {}
    for line in open(log):
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
            calls[parts[-1]] = int(parts[3])
    total = sum(calls.values())
    top = sorted(calls.items(), key=lambda kv: -kv[1])[:8]
    print("system calls of dir --no-web: %.1f per file (%s)" % (
        total / files, ", ".join("%s %.2f" % (k, v / files) for k, v in top)))


def archive(work, n, keep):
    """The archive of n instances: made anew, or with --keep the one made
    before (a marker file says it is complete)."""
    src = os.path.join(work, "src-%d" % n)
    done = os.path.join(work, "src-%d.done" % n)
    if keep and os.path.exists(done):
        return src, int(open(done).read())
    shutil.rmtree(src, ignore_errors=True)
    print("generating %d instances ..." % n, flush=True)
    files = make_archive(src, n)
    with open(done, "w") as f:
        f.write(str(files))
    return src, files


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def clear_outputs(work):
    """Deletes every output, and notes when."""
    for name in os.listdir(work):
        if not name.startswith("src-") and name != CLEARED:
            remove(os.path.join(work, name))
    os.sync()
    with open(os.path.join(work, CLEARED), "w") as f:
        f.write("%f" % time.time())


def await_aged(work):
    """Waits until what the last run deleted has aged (see runs())."""
    try:
        cleared = float(open(os.path.join(work, CLEARED)).read())
    except (OSError, ValueError):
        return
    left = cleared + RECENTLY_DELETED_S - time.time()
    if left > 0:
        print("waiting %.0f s for the inodes the last run freed to age"
              % left, flush=True)
        time.sleep(left)


def fat_mount(work, size):
    """A FAT32 image on a loop device, mounted; None and why when not."""
    img, mnt = os.path.join(work, "fat.img"), os.path.join(work, "fat")
    if os.geteuid() != 0 or not shutil.which("mkfs.vfat"):
        return None, "needs root and mkfs.vfat (dosfstools)"
    with open(img, "wb") as f:
        f.truncate(max(3 * size, 64 << 20))
    subprocess.run(["mkfs.vfat", "-F", "32", img], check=True,
                   stdout=subprocess.DEVNULL)
    os.makedirs(mnt, exist_ok=True)
    out = subprocess.run(["mount", "-o", "loop", img, mnt], text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if out.returncode != 0:
        os.unlink(img)
        return None, out.stdout.strip().splitlines()[0]
    return mnt, None


def usb_runs(exe, src, mnt):
    wipe = ["sh", "-c", 'rm -rf "$0"/* "$0"/.pdiburn* 2>/dev/null; true', mnt]
    return {
        "copy to FAT": (["sh", "-c", 'cp -r "$0" "$1/copy" && sync -f "$1"',
                         src, mnt], wipe),
        "usb --no-web": ([exe, "-q", "usb", "--no-web", "--from", src, mnt],
                         wipe),
    }


def bench(exe, n, rounds, work, strace, keep, usb):
    src, files = archive(work, n, keep)
    size = sum(os.path.getsize(os.path.join(r, f))
               for r, _, fs in os.walk(src) for f in fs)
    subprocess.run([exe, "-q", "dir", "--no-web", "--no-verify", "--from",
                    src, os.path.join(work, "ref.%d" % n)], check=True)
    # Warm the page cache; find -exec, since 200,000 names overflow argv.
    subprocess.run(["find", src, "-type", "f", "-exec", "cat", "{}", "+"],
                   stdout=subprocess.DEVNULL, check=True)
    mnt = None
    if usb:
        mnt, why = fat_mount(work, size)
        if not mnt:
            print("no USB measurement: a loop-mounted FAT image: %s" % why)
    times, rss = {}, {}
    for r in range(rounds):  # interleaved, so drift hits every run alike
        cmds = runs(exe, src, work, r)
        if mnt:
            cmds.update(usb_runs(exe, src, mnt))
        for name, (cmd, before) in cmds.items():
            wall, peak = timed(cmd, before)
            times.setdefault(name, []).append(wall)
            rss[name] = max(rss.get(name, 0.0), peak)
    med = {k: statistics.median(v) for k, v in times.items()}
    if mnt:
        subprocess.run(["umount", mnt], check=True)
        os.unlink(os.path.join(work, "fat.img"))
    load = os.getloadavg()
    print("\n%d instances, %.0f MB, Implicit VR LE, warm cache, median of %d"
          " (load average %.1f %.1f %.1f, %d CPUs)"
          % (files, size / 1e6, rounds, load[0], load[1], load[2],
             os.cpu_count()))
    print("%-14s %9s %12s" % ("run", "seconds", "peak RSS MB"))
    for name in times:
        print("%-14s %9.2f %12.1f" % (name, med[name], rss[name]))
    print("dir --no-web / copy floor   %5.2f  (target <= 1.5)"
          % (med["dir --no-web"] / med["copy floor"]))
    print("dir --no-web / (copy floor + read-back) %5.2f"
          % (med["dir --no-web"] / (med["copy floor"] + med["read-back"])))
    print("iso --no-web / ISO floor    %5.2f  (target <= 2.0)"
          % (med["iso --no-web"] / med["ISO floor"]))
    print("dir / dir --no-web          %5.2f  (target <= 1.5)"
          % (med["dir"] / med["dir --no-web"]))
    if "usb --no-web" in med:
        print("usb --no-web / copy to FAT  %5.2f"
              % (med["usb --no-web"] / med["copy to FAT"]))
    if strace and shutil.which("strace"):
        syscalls_per_file(exe, src, work, files)
    return files, med, rss


def growth_report(growth):
    """Per instance, and each step against the one before: time grows
    linearly when its ratio is within 25% of the instances' ratio."""
    print("\ngrowth (per instance: time ms, peak RSS KB):")
    names = ["dir --no-web", "iso --no-web", "dir"]
    for files, med, rss in growth:
        print("  %7d instances: " % files + ", ".join(
            "%s %.3f ms %.1f KB" % (k, 1e3 * med[k] / files,
                                    rss[k] * 1024 / files) for k in names))
    for (n0, m0, r0), (n1, m1, r1) in zip(growth, growth[1:]):
        k = n1 / n0
        print("  %d -> %d (x%.0f):" % (n0, n1, k))
        for name in names:
            t = m1[name] / m0[name]
            slope = (r1[name] - r0[name]) * 1024 / (n1 - n0)
            print("    %-13s time x%.2f (%s), peak RSS %.0f -> %.0f MB, "
                  "%.2f KB per added instance" % (
                      name, t, "linear" if t <= 1.25 * k else "faster "
                      "than linear", r0[name], r1[name], slope))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--instances", type=int, nargs="+", default=[20000])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--work", default="/var/tmp/pdiburn-many")
    ap.add_argument("--pdiburn", default="build/cli/pdiburn")
    ap.add_argument("--strace", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--usb", action="store_true")
    a = ap.parse_args()
    exe = os.path.abspath(a.pdiburn)
    os.makedirs(a.work, exist_ok=True)
    if any(n != CLEARED and not n.startswith("src-")
           for n in os.listdir(a.work)):
        clear_outputs(a.work)  # an interrupted run's
    await_aged(a.work)
    growth = [bench(exe, n, a.rounds, a.work, a.strace, a.keep, a.usb)
              for n in sorted(a.instances)]
    if len(growth) > 1:
        growth_report(growth)
    if not a.keep:  # the archives go too; the note of when stays
        for name in os.listdir(a.work):
            if name.startswith("src-"):
                remove(os.path.join(a.work, name))
    clear_outputs(a.work)


if __name__ == "__main__":
    main()
