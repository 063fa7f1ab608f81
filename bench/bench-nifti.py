#!/usr/bin/env python3
"""NIfTI 4D load: SyncAct (sa_volume_load) against nibabel, same file, same run.

  bench-nifti.py BENCH_EXE [OUT_DIR]

Generates once (cached in OUT_DIR, default bench/out/) a 91x109x91x900
float32 .nii.gz shaped like preprocessed MNI fMRI: zeros outside an ellipsoid
"brain", a smooth baseline plus noise inside, so it compresses as real data
does (background well, noisy mantissas badly). Then times, each in a fresh
process so memory and caches do not carry over in the Python process:
  syncact load    sa_volume_load (whole 4D array in RAS+ float32)
  syncact stream  sa_volume_stream (one volume in memory at a time)
  nibabel         np.asanyarray(nib.load(f).dataobj)
and prints seconds, the ratio nibabel / SyncAct, and checks the sums agree.
"""
import gzip
import json
import os
import resource
import subprocess
import sys
import time

SHAPE = (91, 109, 91, 900)
REPEATS = int(os.environ.get("BENCH_REPEATS", "2"))

NIBABEL_TIMER = r"""
import sys, time, json
import numpy as np, nibabel as nib
t0 = time.perf_counter()
img = nib.load(sys.argv[1])
data = np.asanyarray(img.dataobj)
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "shape": list(data.shape),
                  "sum": float(data.sum(dtype=np.float64))}))
"""


def generate(path):
    import numpy as np
    import nibabel as nib

    nx, ny, nz, nt = SHAPE
    rng = np.random.default_rng(0)
    x, y, z = np.meshgrid(np.linspace(-1, 1, nx), np.linspace(-1, 1, ny),
                          np.linspace(-1, 1, nz), indexing="ij")
    brain = (x / 0.8) ** 2 + (y / 0.85) ** 2 + (z / 0.75) ** 2 < 1
    base = (600 + 300 * np.cos(3 * x) * np.sin(2 * y) + 100 * z).astype(np.float32)
    base[~brain] = 0
    aff = np.array([[-2, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]], float)
    hdr = nib.Nifti1Header()
    hdr.set_data_shape(SHAPE)
    hdr.set_data_dtype(np.float32)
    hdr.set_qform(aff, code=4)
    hdr.set_sform(aff, code=4)
    hdr.set_xyzt_units("mm", "sec")
    hdr["pixdim"][4] = 1.0
    hdr["vox_offset"] = 352
    tmp = path + ".part"
    # Streamed through gzip one volume at a time: 3.6 GB never sits in memory.
    with gzip.open(tmp, "wb", compresslevel=1) as f:
        f.write(hdr.binaryblock)
        f.write(b"\0\0\0\0")
        for t in range(nt):
            vol = base + rng.normal(0, 20, size=base.shape).astype(np.float32) * brain
            f.write(np.asarray(vol, dtype="<f4").tobytes(order="F"))
    os.replace(tmp, path)


def run(cmd):
    """The command's own timing, plus the CPU seconds its process used: on a
    shared, oversubscribed machine CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    res = json.loads(out.strip().splitlines()[-1])
    res["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return res


def main():
    exe = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "out")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "bold-91x109x91x900.nii.gz")
    try:
        import nibabel  # noqa: F401
    except ImportError:
        sys.exit("nibabel is missing: apt-get install python3-nibabel")
    if not os.path.exists(path):
        print("generating %s (once)..." % path, flush=True)
        t0 = time.perf_counter()
        generate(path)
        print("  %.1f s" % (time.perf_counter() - t0))
    size = os.path.getsize(path)
    raw = 4 * SHAPE[0] * SHAPE[1] * SHAPE[2] * SHAPE[3]
    print("file: %s, %.2f GB compressed, %.2f GB of float32" % (path, size / 1e9, raw / 1e9))

    best = {}
    best_cpu = {}
    sums = {}
    for r in range(REPEATS):
        for name, cmd in [("syncact load", [exe, "load", path]),
                          ("syncact stream", [exe, "stream", path]),
                          ("nibabel", [sys.executable, "-c", NIBABEL_TIMER, path])]:
            res = run(cmd)
            best[name] = min(best.get(name, float("inf")), res["seconds"])
            best_cpu[name] = min(best_cpu.get(name, float("inf")), res["cpu"])
            sums[name] = res["sum"]
            print("  run %d  %-15s %7.2f s wall  (process CPU %.2f s, incl. start-up)"
                  % (r + 1, name, res["seconds"], res["cpu"]), flush=True)

    ref = sums["nibabel"]
    for name, s in sums.items():
        if abs(s - ref) > 1e-6 * abs(ref):
            sys.exit("MISMATCH: %s sum %r, nibabel %r" % (name, s, ref))
    print("sums agree (%.6g)" % ref)
    print("best of %d:" % REPEATS)
    for name in ["syncact load", "syncact stream", "nibabel"]:
        print("  %-15s %7.2f s wall  %6.0f MB/s of float32   %7.2f s CPU"
              % (name, best[name], raw / best[name] / 1e6, best_cpu[name]))
    for name in ["syncact load", "syncact stream"]:
        print("ratio nibabel / %-15s %.2f wall, %.2f CPU"
              % (name + ":", best["nibabel"] / best[name], best_cpu["nibabel"] / best_cpu[name]))


if __name__ == "__main__":
    main()
