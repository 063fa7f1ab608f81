#!/usr/bin/env python3
"""Dual regression by numpy least squares, written independently of SyncAct.

usage: dual_regression_oracle.py DATA.f32 T N MAPS.f32 M STAGE1.f32 STAGE2.f32
DATA is T x N, MAPS is N x M (float32, row-major). Writes stage-1 time
courses (T x M) and stage-2 maps (N x M, time courses demeaned and scaled to
unit sample variance, as FSL's --des_norm).
"""
import sys

try:
    import numpy as np
except ImportError as e:
    print(e, file=sys.stderr)
    sys.exit(77)

data, t, n, maps, m, out1, out2 = sys.argv[1:8]
t, n, m = int(t), int(n), int(m)
y = np.fromfile(data, dtype=np.float32).reshape(t, n).astype(np.float64)
a = np.fromfile(maps, dtype=np.float32).reshape(n, m).astype(np.float64)

# Stage 1: volumes on maps, both demeaned over voxels (fsl_glm --demean).
yc = y - y.mean(axis=1, keepdims=True)
ac = a - a.mean(axis=0)
tc = np.linalg.lstsq(ac, yc.T, rcond=None)[0].T
tc.astype(np.float32).tofile(out1)

# Stage 2: voxel time series on the demeaned, variance-normalised time courses.
x = tc - tc.mean(axis=0)
x /= x.std(axis=0, ddof=1)
ycc = y - y.mean(axis=0)
beta = np.linalg.lstsq(x, ycc, rcond=None)[0].T
beta.astype(np.float32).tofile(out2)
