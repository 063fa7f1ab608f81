#!/usr/bin/env python3
"""Reference computations for the compute/sync tests (numpy/scipy).

Time courses travel as BIDS-style TSV (one row per TR, one column per
series); the C test writes the seeds' shifts, phases and splits so both
sides use the very same surrogates.
"""
import sys

try:
    import numpy as np
    import scipy.stats
except ImportError as e:  # skip, not fail, where the oracle is missing
    print(e, file=sys.stderr)
    sys.exit(77)


def read_tsv(path):
    return np.loadtxt(path, delimiter="\t", skiprows=1, ndmin=2)


def write_tsv(path, cols, data):
    with open(path, "w") as f:
        f.write("\t".join(cols) + "\n")
        for row in np.atleast_2d(data):
            f.write("\t".join("%.17g" % v for v in row) + "\n")


def smooth_noise(rng, n, t, width):
    """Autocorrelated noise: white noise through a Gaussian kernel (circular)."""
    x = rng.standard_normal((n, t))
    k = np.exp(-0.5 * (np.arange(-3 * width, 3 * width + 1) / width) ** 2)
    out = np.empty_like(x)
    for i in range(n):
        out[i] = np.convolve(np.concatenate([x[i, -len(k):], x[i], x[i, :len(k)]]),
                             k, mode="same")[len(k):-len(k)]
    return out


def cmd_corr(d, seed):
    rng = np.random.default_rng(int(seed))
    m, k, t = 6, 40, 120
    f = rng.standard_normal((m, t))
    g = rng.standard_normal((k, t)) * rng.uniform(0.1, 50, (k, 1)) + 7.0
    g[5] = 0.5 * f[2] + 0.01 * rng.standard_normal(t)  # a known best pair
    g[11] = 3.25                            # a constant filter
    write_tsv(d + "/fbn.tsv", ["fbn-%03d" % (i + 1) for i in range(m)], f.T)
    write_tsv(d + "/filters.tsv", ["%d" % i for i in range(k)], g.T)
    valid = np.ones(k, bool)
    valid[11] = False
    r = np.zeros((m, k))
    r[:, valid] = np.corrcoef(f, g[valid])[:m, m:]
    write_tsv(d + "/r.tsv", ["%d" % i for i in range(k)], r)


def cmd_pearsonp():
    rng = np.random.default_rng(3)
    for t in (5, 10, 30, 100, 900, 5000):
        for target in (0.0, 0.05, 0.2, 0.5, 0.8, 0.95, 0.999):
            x = rng.standard_normal(t)
            y = target * x + np.sqrt(1 - target ** 2) * rng.standard_normal(t)
            r, p = scipy.stats.pearsonr(x, y)
            print("%.17g %d %.17g" % (r, t, p))


def cmd_null(d, kind):
    f = read_tsv(d + "/fbn.tsv").T
    g = read_tsv(d + "/filters.tsv").T
    t = f.shape[1]
    def z(a):
        sd = a.std(1, keepdims=True)
        const = sd[:, 0] <= 1e-10 * np.abs(a).max(1)
        sd[const] = 1.0
        out = (a - a.mean(1, keepdims=True)) / sd
        out[const] = 0.0    # excluded rows: no null r, as in the C code
        return out
    zf, zg = z(f), z(g)
    r = zf @ zg.T / t
    if kind == "shift":
        shifts = np.loadtxt(d + "/shifts.txt", dtype=int, ndmin=1)
        # the straightforward way: roll the FBN, correlate again
        nulls = np.stack([np.roll(zf, s, axis=1) @ zg.T / t for s in shifts])
    else:
        ph = np.loadtxt(d + "/phases.txt", ndmin=2)
        spec = np.fft.rfft(zf, axis=1)
        nulls = []
        for p in ph:
            sur = np.fft.irfft(spec * np.exp(1j * p)[None, :], n=t, axis=1)
            nulls.append(sur @ zg.T / t)
        nulls = np.stack(nulls)
    a = np.abs(nulls)
    exceed = (a >= np.abs(r)[None] - 1e-6).sum(0)
    write_tsv(d + "/exceed.tsv", ["%d" % i for i in range(len(zg))], exceed)
    write_tsv(d + "/fbn_max.tsv", ["s"], a.max(2).T.reshape(-1, 1))
    write_tsv(d + "/filter_max.tsv", ["s"], a.max(1).T.reshape(-1, 1))
    write_tsv(d + "/null_r.tsv", ["r"], nulls.reshape(-1, 1))


def cmd_ceiling(d):
    tc = np.loadtxt(d + "/tc.txt")          # (subjects*fbns) × T
    n_sub, n_fbn = [int(v) for v in open(d + "/dims.txt").read().split()]
    tc = tc.reshape(n_sub, n_fbn, -1)
    splits = np.loadtxt(d + "/splits.txt", dtype=int, ndmin=2).astype(bool)
    out = []
    for f in range(n_fbn):
        rs = [np.corrcoef(tc[s, f].mean(0), tc[~s, f].mean(0))[0, 1] for s in splits]
        r = np.mean(rs)
        out.append(2 * r / (1 + r))
    print(" ".join("%.17g" % v for v in out))


def cmd_linregress():
    x = np.array([0.56, 0.69, 0.71, 0.76, 0.78, 0.81])
    y = np.array([0.21, 0.25, 0.24, 0.29, 0.27, 0.31])
    res = scipy.stats.linregress(x, y)
    print("%.17g %.17g %.17g %.17g %.17g" % (res.slope, res.intercept, res.rvalue ** 2,
                                             res.pvalue, res.stderr))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"corr": cmd_corr, "pearsonp": cmd_pearsonp, "null": cmd_null,
     "ceiling": cmd_ceiling, "linregress": cmd_linregress}[cmd](*args)
