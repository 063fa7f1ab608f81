#!/usr/bin/env python3
"""The Python peer of bench-ica: the same group ICA recipe with numpy and
scikit-learn's FastICA, on the files `bench-ica generate` wrote.

usage: bench-ica.py DIR M [SYNCACT_MAPS.f32]

Per subject: temporal PCA through the T x T Gram (numpy.linalg.eigh), the
reduced data stacked under the running group matrix and reduced again
(MIGP, as MELODIC and SyncAct do), then
FastICA(whiten="unit-variance", fun="logcosh", random_state=0) with voxels
as samples. One subject in memory at a time. Prints seconds and peak RSS;
with SyncAct's maps, how well the two agree and how well each finds the
planted maps.
"""
import resource
import sys
import time
import warnings

import numpy as np
from sklearn.decomposition import FastICA
from sklearn.exceptions import ConvergenceWarning


def reduce_rows(a, k):
    g = (a @ a.T).astype(np.float64)
    w, v = np.linalg.eigh(g)
    u = v[:, ::-1][:, :k].astype(np.float32)
    return u.T @ a, w[::-1][:k]


def group_ica(d, s, t, n, m):
    k1 = min(2 * m, t)
    k2 = max(2 * m, k1)
    g = np.zeros((0, n), dtype=np.float32)
    for i in range(s):
        y = np.fromfile(f"{d}/sub-{i:03d}.f32", dtype=np.float32).reshape(t, n)
        r, _ = reduce_rows(y, k1)
        del y
        stack = np.vstack([g, r])
        g, _ = reduce_rows(stack, min(k2, stack.shape[0]))
        del stack, r
    x = g[:m].astype(np.float64)
    ica = FastICA(n_components=m, algorithm="parallel", whiten="unit-variance",
                  fun="logcosh", max_iter=200, tol=1e-4, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        maps = ica.fit_transform(x.T)  # n x m
    converged = not any(issubclass(c.category, ConvergenceWarning) for c in caught)
    maps = (maps - maps.mean(0)) / maps.std(0)
    peak = maps[np.abs(maps).argmax(0), np.arange(m)]
    maps *= np.sign(peak)
    return maps.astype(np.float32), ica.n_iter_, converged


def best_r(truth, maps):
    tz = (truth - truth.mean(0)) / truth.std(0)
    mz = (maps - maps.mean(0)) / maps.std(0)
    r = tz.T @ mz / len(tz)
    return np.abs(r).max(1)


def main():
    d, m = sys.argv[1], int(sys.argv[2])
    s, t, n, k = (int(v) for v in open(f"{d}/meta.txt").read().split())
    u0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    maps, n_iter, converged = group_ica(d, s, t, n, m)
    t1 = time.perf_counter()
    u1 = resource.getrusage(resource.RUSAGE_SELF)
    rss = u1.ru_maxrss / 1024.0
    cpu = (u1.ru_utime + u1.ru_stime) - (u0.ru_utime + u0.ru_stime)
    print(f"python group ICA: {t1 - t0:.2f} s, peak RSS {rss:.0f} MiB, CPU {cpu:.2f} s, "
          f"FastICA {n_iter} iterations{'' if converged else ' (not converged)'}")
    truth = np.fromfile(f"{d}/truth-maps.f32", dtype=np.float32).reshape(n, k)
    r_py = best_r(truth, maps)
    print(f"python: planted maps found, best spatial |r| min {r_py.min():.3f} "
          f"median {np.median(r_py):.3f}")
    if len(sys.argv) > 3:
        ours = np.fromfile(sys.argv[3], dtype=np.float32).reshape(n, m)
        r_c = best_r(truth, ours)
        print(f"syncact: planted maps found, best spatial |r| min {r_c.min():.3f} "
              f"median {np.median(r_c):.3f}")
        both = best_r(maps[:, :], ours)
        print(f"agreement: each python component's best |r| with a syncact one: "
              f"median {np.median(both):.3f}, planted-network components "
              f"{np.sort(both)[-k:].min():.3f}+")


if __name__ == "__main__":
    main()
