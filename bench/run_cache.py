#!/usr/bin/env python3
"""Run cache benchmark: build and reuse time of SyncAct's per-run cache
(masked, z-scored, T x n float32, mmap) for a 45x54x45x300 float32 run, against
the numpy peer a user would otherwise write (nibabel load, mask, z-score) in
the same run.  usage: run_cache.py BENCH_EXE [WORKDIR]"""
import os
import subprocess
import sys
import tempfile
import time

import nibabel as nib
import numpy as np


def main():
    exe = sys.argv[1]
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="syncact-bench-")
    shape = (45, 54, 45, 300)
    rng = np.random.default_rng(0)
    x, y, z = np.meshgrid(*[np.arange(n) for n in shape[:3]], indexing="ij")
    brain = (((x - 22) / 18.0) ** 2 + ((y - 26.5) / 22.0) ** 2 + ((z - 22) / 18.0) ** 2) <= 1
    affine = np.diag([4.0, 4.0, 4.0, 1.0])
    affine[:3, 3] = [-90, -126, -72]
    mask_path = os.path.join(work, "mask.nii.gz")
    nib.save(nib.Nifti1Image(brain.astype(np.uint8), affine), mask_path)
    data = rng.normal(0, 1, size=shape).astype(np.float32)
    data[brain] += 1000
    for ext in (".nii", ".nii.gz"):
        bold = os.path.join(work, "sub-01_task-movie_run-1_bold" + ext)
        img = nib.Nifti1Image(data, affine)
        img.header.set_zooms((4.0, 4.0, 4.0, 2.0))
        nib.save(img, bold)
        cache_dir = os.path.join(work, "cache" + ext.replace(".", "-"))
        if os.path.isdir(cache_dir):
            for f in os.listdir(cache_dir):
                os.unlink(os.path.join(cache_dir, f))
        out = subprocess.run([exe, bold, mask_path, cache_dir], check=True,
                             capture_output=True, text=True).stdout
        got = dict(line.split() for line in out.splitlines())

        t0 = time.perf_counter()
        m = np.asarray(nib.load(mask_path).dataobj) != 0
        s = np.asarray(nib.load(bold).dataobj, dtype=np.float32)[m].T  # T x n
        s = (s - s.mean(0)) / np.where(s.std(0) > 0, s.std(0), 1)
        peer = time.perf_counter() - t0

        build = float(got["build_s"])
        print(f"{ext:7s} {shape} mask {got['voxels']} voxels: "
              f"cache build {build:.2f} s (peak RSS {got['peak_rss_mib']} MiB), "
              f"reuse {float(got['reuse_s']) * 1000:.1f} ms; "
              f"numpy/nibabel load+mask+zscore {peer:.2f} s; "
              f"build/numpy {build / peer:.2f}x, numpy/reuse {peer / float(got['reuse_s']):.0f}x")


if __name__ == "__main__":
    main()
