#!/usr/bin/env python3
"""Small BIDS movie-watching datasets written by nibabel, and numpy/scipy
reference answers for SyncAct's dataset reader, brain mask and run cache.

  bids_ref.py make OUT [options]        write a dataset (see --help)
  bids_ref.py zscore BOLD MASK OUT      T x n float32 z-scores (ddof 0, constant -> 0)
                                        of the voxels MASK selects, RAS+ order, x fastest
  bids_ref.py epimask OUT BOLD...       nilearn's compute_epi_mask rule (scipy.ndimage),
                                        intersected over runs with finite, varying voxels;
                                        uint8 in RAS+ order, x fastest
Exit 77 when nibabel/numpy/scipy are missing (the test is skipped).
"""
import argparse
import json
import os
import sys

try:
    import nibabel as nib
    import numpy as np
    from scipy import ndimage
except ImportError as e:  # pragma: no cover
    print(f"missing Python module: {e}", file=sys.stderr)
    sys.exit(77)

SPACE = "MNI152NLin2009cAsym"


def affine_for(shape, voxel=3.0, shift=0.0):
    # LPS-ish storage (x flipped) so the reader's RAS+ reorientation is exercised.
    a = np.diag([-voxel, voxel, voxel, 1.0])
    a[:3, 3] = [voxel * (shape[0] - 1) / 2 + shift, -voxel * shape[1] / 2, -voxel * shape[2] / 2]
    return a


def make_run(shape, tr_header, rng, nan_at=None, dtype="float32", demean=False):
    nx, ny, nz, nt = shape
    x, y, z = np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij")
    r = ((x - (nx - 1) / 2) / (nx * 0.38)) ** 2 + ((y - (ny - 1) / 2) / (ny * 0.38)) ** 2 \
        + ((z - (nz - 1) / 2) / (nz * 0.38)) ** 2
    brain = r <= 1.0
    t = np.arange(nt)
    data = np.abs(rng.normal(5.0, 2.0, size=shape))
    signal = 1000.0 + 30.0 * np.sin(2 * np.pi * t / 12.0)[None, :] \
        + rng.normal(0, 10.0, size=(int(brain.sum()), nt))
    data[brain] = signal
    # One constant voxel inside the brain: z-scoring must give 0 there.
    c = (nx // 2, ny // 2, nz // 2)
    data[c] = 1000.0
    if demean:
        data -= data.mean(axis=3, keepdims=True)
    if nan_at is not None:
        data[c[0] + 1, c[1], c[2], nan_at] = np.nan
    img = nib.Nifti1Image(data.astype(dtype), affine_for(shape))
    img.header.set_xyzt_units("mm", "sec")
    zooms = list(img.header.get_zooms())
    zooms[3] = tr_header
    img.header.set_zooms(zooms)
    img.header.set_sform(img.affine, code=1)
    img.header.set_qform(img.affine, code=1)
    return img, brain


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f)


def cmd_make(argv):
    p = argparse.ArgumentParser(prog="bids_ref.py make")
    p.add_argument("out")
    p.add_argument("--subjects", type=int, default=3)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--shape", type=int, nargs=4, default=[10, 12, 8, 40])
    p.add_argument("--tr", type=float, default=2.0, help="the TR the dataset means")
    p.add_argument("--layout", choices=["raw", "fmriprep", "both"], default="raw")
    p.add_argument("--task-tr", type=float, default=None,
                   help="top-level task-movie_bold.json TR (overridden per file by --tr)")
    p.add_argument("--header-tr", type=float, default=None, help="pixdim[4] (default: --tr)")
    p.add_argument("--grid-mismatch", default=None, help="subject whose grid differs")
    p.add_argument("--tr-mismatch", default=None, help="subject whose sidecar TR differs")
    p.add_argument("--missing-movie", action="store_true", help="events name a movie not in stimuli/")
    p.add_argument("--nan", default=None, help="SUB:RUN:T puts a NaN in the brain")
    p.add_argument("--uncompressed", action="store_true")
    p.add_argument("--session", default=None, help="put every run in ses-<SESSION>")
    p.add_argument("--demean", action="store_true", help="subtract each voxel's mean (no baseline)")
    p.add_argument("--extra-space", default=None,
                   help="also write sub-01's preprocessed runs in this space (fewer runs than MNI)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)

    rng = np.random.default_rng(a.seed)
    ext = ".nii" if a.uncompressed else ".nii.gz"
    root = a.out
    os.makedirs(root, exist_ok=True)
    write_json(os.path.join(root, "dataset_description.json"),
               {"Name": "Synthetic movie", "BIDSVersion": "1.8.0"})
    with open(os.path.join(root, "participants.tsv"), "w") as f:
        f.write("participant_id\tage\n")
        for s in range(1, a.subjects + 1):
            f.write(f"sub-{s:02d}\t30\n")
    os.makedirs(os.path.join(root, "stimuli"), exist_ok=True)
    if not a.missing_movie:
        with open(os.path.join(root, "stimuli", "movie.mp4"), "wb") as f:
            f.write(b"\0" * 16)
    if a.task_tr is not None:
        write_json(os.path.join(root, "task-movie_bold.json"),
                   {"RepetitionTime": a.task_tr, "TaskName": "movie"})

    if a.layout in ("fmriprep", "both"):
        d = os.path.join(root, "derivatives", "fmriprep")
        write_json(os.path.join(d, "dataset_description.json"),
                   {"Name": "fMRIPrep", "BIDSVersion": "1.8.0", "DatasetType": "derivative"})
        # SyncAct's own outputs must never be read as input: a broken file here
        # would fail the open if it were.
        bogus = os.path.join(root, "derivatives", "syncact", "sub-01", "func")
        os.makedirs(bogus, exist_ok=True)
        with open(os.path.join(bogus, "sub-01_task-movie_run-1_space-%s_desc-preproc_bold.nii.gz"
                               % SPACE), "wb") as f:
            f.write(b"not a nifti file")

    nan_sub = nan_run = nan_t = None
    if a.nan:
        nan_sub, nan_run, nan_t = a.nan.split(":")
        nan_run, nan_t = int(nan_run), int(nan_t)

    for s in range(1, a.subjects + 1):
        sub = f"{s:02d}"
        shape = list(a.shape)
        if a.grid_mismatch == sub:
            shape[0] += 1
        tr = a.tr * 1.5 if a.tr_mismatch == sub else a.tr
        for r in range(1, a.runs + 1):
            ses = f"_ses-{a.session}" if a.session else ""
            ses_dir = f"ses-{a.session}" if a.session else ""
            stem = f"sub-{sub}{ses}_task-movie_run-{r}"
            nan_at = nan_t if (nan_sub == sub and nan_run == r) else None
            header_tr = a.header_tr if a.header_tr is not None else tr
            img, brain = make_run(shape, header_tr, rng, nan_at, demean=a.demean)
            events = f"onset\tduration\tstim_file\n0\t{shape[3] * tr}\tmovie.mp4\n"
            if a.layout in ("raw", "both"):
                func = os.path.join(root, f"sub-{sub}", ses_dir, "func")
                os.makedirs(func, exist_ok=True)
                nib.save(img, os.path.join(func, stem + "_bold" + ext))
                # With a task-level TR at the top, a subject-level sidecar
                # overrides it for every run and a file sidecar for run 1, so
                # each level of inheritance is exercised (nearest wins).
                if a.task_tr is None or r == 1:
                    write_json(os.path.join(func, stem + "_bold.json"), {"RepetitionTime": tr})
                if a.task_tr is not None and r == 1:
                    write_json(os.path.join(root, f"sub-{sub}", f"sub-{sub}_task-movie_bold.json"),
                               {"RepetitionTime": tr})
                with open(os.path.join(func, stem + "_events.tsv"), "w") as f:
                    f.write(events)
            if a.layout in ("fmriprep", "both"):
                func = os.path.join(root, "derivatives", "fmriprep", f"sub-{sub}", ses_dir, "func")
                os.makedirs(func, exist_ok=True)
                if a.extra_space and sub == "01":
                    nib.save(img, os.path.join(func, f"{stem}_space-{a.extra_space}_desc-preproc_bold" + ext))
                pre = f"{stem}_space-{SPACE}"
                nib.save(img, os.path.join(func, pre + "_desc-preproc_bold" + ext))
                write_json(os.path.join(func, pre + "_desc-preproc_bold.json"),
                           {"RepetitionTime": tr, "SkullStripped": False})
                m = nib.Nifti1Image(brain.astype(np.uint8), img.affine)
                m.header.set_sform(img.affine, code=1)
                nib.save(m, os.path.join(func, pre + "_desc-brain_mask" + ext))
                if a.layout == "fmriprep":
                    raw = os.path.join(root, f"sub-{sub}", ses_dir, "func")
                    os.makedirs(raw, exist_ok=True)
                    with open(os.path.join(raw, stem + "_events.tsv"), "w") as f:
                        f.write(events)
    print(root)


def canonical(path):
    img = nib.as_closest_canonical(nib.load(path))
    return np.asarray(img.dataobj, dtype=np.float64)


def cmd_zscore(argv):
    bold, mask, out = argv
    data = canonical(bold)
    m = canonical(mask)
    if m.ndim == 4:
        m = m[..., 0]
    sel = np.flatnonzero((m != 0).ravel(order="F"))
    t = data.shape[3]
    s = data.reshape(-1, t, order="F")[sel].T  # T x n
    mean = s.mean(axis=0)
    std = s.std(axis=0)
    z = np.where(std > 0, (s - mean) / np.where(std > 0, std, 1), 0.0)
    z.astype("<f4").tofile(out)
    print(len(sel))


def epi_rule(mean):
    values = np.sort(mean.ravel())
    lower = int(np.floor(0.2 * len(values)))
    upper = min(int(np.floor(0.85 * len(values))), len(values) - 1)
    delta = values[lower + 1:upper + 1] - values[lower:upper]
    ia = delta.argmax()
    threshold = 0.5 * (values[ia + lower] + values[ia + lower + 1])
    mask = mean >= threshold
    mask = ndimage.binary_erosion(mask, iterations=2)
    if mask.any():
        labels, n = ndimage.label(mask)
        counts = np.bincount(labels.ravel())
        counts[0] = 0
        mask = labels == counts.argmax()
    mask = ndimage.binary_dilation(mask, iterations=4)
    mask = ndimage.binary_erosion(mask, iterations=2)
    return mask


def cmd_epimask(argv):
    out, bolds = argv[0], argv[1:]
    total = None
    for b in bolds:
        data = canonical(b)
        finite = np.isfinite(data).all(axis=3)
        with np.errstate(invalid="ignore"):
            mean = np.where(finite, np.nanmean(np.where(np.isfinite(data), data, np.nan), axis=3), 0)
            varying = np.nanmax(data, axis=3) > np.nanmin(data, axis=3)
        m = finite & varying
        if (mean >= 0).all() and (mean > 0).any():
            m &= epi_rule(mean)
        total = m if total is None else total & m
    total.astype(np.uint8).ravel(order="F").tofile(out)
    print(int(total.sum()))


def cmd_big(argv):
    """big BOLD MASK NX NY NZ NT: an uncompressed float32 run of noise and a
    10x10x10 cube mask, for memory checks."""
    bold, mask = argv[0], argv[1]
    nx, ny, nz, nt = (int(v) for v in argv[2:6])
    rng = np.random.default_rng(3)
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    data = rng.normal(100, 1, size=(nx, ny, nz, nt)).astype(np.float32)
    nib.save(nib.Nifti1Image(data, affine), bold)
    m = np.zeros((nx, ny, nz), np.uint8)
    m[:10, :10, :10] = 1
    nib.save(nib.Nifti1Image(m, affine), mask)
    print(data.nbytes)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    cmd, argv = sys.argv[1], sys.argv[2:]
    {"make": cmd_make, "zscore": cmd_zscore, "epimask": cmd_epimask, "big": cmd_big}[cmd](argv)


if __name__ == "__main__":
    main()
