#!/usr/bin/env python3
"""Benchmark: SyncAct's pairing + circular-shift null against numpy peers.

Same sizes (default m=64 FBNs, K=2048 filters, T=900 TRs, 1000 surrogates),
same computation: Pearson r of every FBN with every filter, the r of every
pair under every surrogate shift, per-pair exceedance counts and the
family maxima for the FWER p. Peers, timed in this run:
  numpy-fft   the same algorithm in numpy (rfft cross-correlation per FBN)
  numpy-loop  the straightforward loop: per surrogate, np.roll the FBNs and
              np.corrcoef again. Timed on a few surrogates and scaled to the
              full count (it is linear in the surrogates).
Usage: bench-sync.py BENCH_SYNC_EXE [M K T S]
"""
import subprocess
import sys
import time

import numpy as np


def numpy_fft(zf, zg, shifts):
    m, t = zf.shape
    n = 1 << (2 * t - 1).bit_length()
    r = zf @ zg.T / t
    fg = np.fft.rfft(zg, n=n, axis=1)
    ff = np.fft.rfft(zf, n=n, axis=1)
    exceed = np.zeros(r.shape, np.int32)
    fbn_max = np.zeros((m, len(shifts)), np.float32)
    filt_max = np.zeros((zg.shape[0], len(shifts)), np.float32)
    for i in range(m):
        c = np.fft.irfft(np.conj(ff[i])[None, :] * fg, n=n, axis=1) / t
        nul = np.abs(c[:, shifts] + c[:, n + shifts - t]).astype(np.float32)  # K × S
        exceed[i] = (nul >= np.abs(r[i])[:, None]).sum(1)
        fbn_max[i] = nul.max(0)
        np.maximum(filt_max, nul, out=filt_max)
    return r, exceed, fbn_max, filt_max


def numpy_loop(f, g, shifts):
    m = len(f)
    r = np.corrcoef(f, g)[:m, m:]
    exceed = np.zeros(r.shape, np.int32)
    for s in shifts:
        nul = np.abs(np.corrcoef(np.roll(f, s, axis=1), g)[:m, m:])
        exceed += nul >= np.abs(r)
    return exceed


def main():
    exe = sys.argv[1]
    m, k, t, s = (int(v) for v in sys.argv[2:6]) if len(sys.argv) > 5 else (64, 2048, 900, 1000)
    out = subprocess.run([exe, str(m), str(k), str(t), str(s)], check=True,
                         capture_output=True, text=True).stdout
    c = dict(line.split() for line in out.splitlines())
    syncact = float(c["seconds_total"])

    rng = np.random.default_rng(1)
    def smooth(n):
        x = rng.uniform(-1, 1, (n, t))
        for j in range(1, t):
            x[:, j] += 0.8 * x[:, j - 1]
        return x
    f, g = smooth(m), smooth(k)
    shifts = rng.integers(max(1, t // 20), t - max(1, t // 20) + 1, s)

    t0, c0 = time.perf_counter(), time.process_time()
    zf = (f - f.mean(1, keepdims=True)) / f.std(1, keepdims=True)
    zg = (g - g.mean(1, keepdims=True)) / g.std(1, keepdims=True)
    numpy_fft(zf, zg, shifts)
    fft_s = time.perf_counter() - t0
    fft_cpu = time.process_time() - c0

    n_loop = max(3, s // 100)
    t0, c0 = time.perf_counter(), time.process_time()
    numpy_loop(f, g, shifts[:n_loop])
    loop_s = (time.perf_counter() - t0) * s / n_loop
    loop_cpu = (time.process_time() - c0) * s / n_loop
    sync_cpu = float(c["cpu_seconds_total"])
    load = open("/proc/loadavg").read().split()[0]

    print(f"sync bench: m={m} K={k} T={t} surrogates={s} (circular shift, FWER), "
          f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
          f"load average {load}")
    print(f"                  wall          cpu (all threads)")
    print(f"  syncact      {syncact:8.3f} s      {sync_cpu:8.3f} s   (correlate "
          f"{float(c['seconds_correlate']):.3f} s, null {float(c['seconds_null']):.3f} s wall)")
    print(f"  numpy-fft    {fft_s:8.3f} s {fft_s / syncact:5.1f}x {fft_cpu:8.3f} s {fft_cpu / sync_cpu:5.1f}x")
    print(f"  numpy-loop   {loop_s:8.3f} s {loop_s / syncact:5.1f}x {loop_cpu:8.3f} s {loop_cpu / sync_cpu:5.1f}x"
          f"   (timed on {n_loop} surrogates, scaled to {s})")
    print(f"  target: syncact < 2 s: {'yes' if syncact < 2 else 'NO'}; "
          f">= 10x the loop: {'yes' if loop_s / syncact >= 10 else 'NO'}")


if __name__ == "__main__":
    main()
