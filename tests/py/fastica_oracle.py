#!/usr/bin/env python3
"""sklearn's FastICA on a raw float32 matrix (rows = signals, columns = samples).

usage: fastica_oracle.py IN.f32 ROWS COLS N_COMPONENTS OUT.f32
Writes the sources as float32, N_COMPONENTS x COLS row-major.
"""
import sys

try:
    import numpy as np
    from sklearn.decomposition import FastICA
except ImportError as e:  # the test is skipped, not failed
    print(e, file=sys.stderr)
    sys.exit(77)

path, rows, cols, m, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
x = np.fromfile(path, dtype=np.float32).reshape(rows, cols).astype(np.float64)
ica = FastICA(n_components=m, algorithm="parallel", whiten="unit-variance",
              fun="logcosh", max_iter=200, tol=1e-4, random_state=0)
s = ica.fit_transform(x.T)  # samples x components
s.T.astype(np.float32).tofile(out)
print(ica.n_iter_)
