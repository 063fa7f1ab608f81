#!/usr/bin/python3
"""Independent checks of a `syncact demo` dataset with nibabel and numpy.

Usage: demo_oracle.py DATASET
Prints one JSON object: per bold file its shape, zooms, affine and whether
the data are finite with a positive baseline in the brain; per network the
mean over subjects of the Pearson r between the planted time course and the
voxel at its centre, and at the brain voxel farthest from every centre.
Exit 77 when nibabel or numpy is missing (the test is skipped).
"""
import glob
import json
import os
import sys

try:
    import nibabel as nib
    import numpy as np
except ImportError:
    sys.exit(77)


def pearson(a, b):
    a = (a - a.mean()) / a.std()
    b = (b - b.mean()) / b.std()
    return float((a * b).mean())


def main():
    root = sys.argv[1]
    truth = json.load(open(os.path.join(root, "code", "truth", "truth.json")))
    maps = nib.load(os.path.join(root, "code", "truth", "planted_maps.nii.gz"))
    mask = nib.load(os.path.join(root, "code", "truth", "brain_mask.nii.gz")).get_fdata() > 0
    centres = [tuple(int(round(c)) for c in n["centre_voxel"]) for n in truth["networks"]]
    # The brain voxel farthest from every centre: no planted signal there.
    ii = np.argwhere(mask)
    d = np.min([np.sum((ii - np.array(c)) ** 2, axis=1) for c in centres], axis=0)
    far = tuple(ii[np.argmax(d)])
    out = {"files": [], "networks": [], "far_voxel": [int(x) for x in far],
           "maps_shape": list(maps.shape),
           "map_peaks": [[int(x) for x in np.unravel_index(np.argmax(maps.get_fdata()[..., k]),
                                                          maps.shape[:3])]
                         for k in range(maps.shape[3])]}
    r_centre = {task: np.zeros(len(centres)) for task in ("movie", "control")}
    r_far = {task: np.zeros(len(centres)) for task in ("movie", "control")}
    files = sorted(glob.glob(os.path.join(root, "sub-*", "func", "*_bold.nii.gz")))
    counts = {"movie": 0, "control": 0}
    for f in files:
        img = nib.load(f)
        data = np.asarray(img.dataobj, dtype=np.float64)
        mean = data.mean(axis=3)
        task = "control" if "task-control" in f else "movie"
        counts[task] += 1
        out["files"].append({
            "path": os.path.relpath(f, root),
            "shape": list(img.shape),
            "zooms": [float(z) for z in img.header.get_zooms()],
            "affine": img.affine.tolist(),
            "finite": bool(np.isfinite(data).all()),
            "min_brain_mean": float(mean[mask].min()),
            "max_outside": float(np.abs(data[~mask]).max()) if (~mask).any() else 0.0,
        })
        for k, n in enumerate(truth["networks"]):
            tc = np.array(n["time_course"])
            r_centre[task][k] += pearson(data[centres[k]], tc)
            r_far[task][k] += pearson(data[far], tc)
    for k, n in enumerate(truth["networks"]):
        out["networks"].append({
            "name": n["name"],
            "r_centre_movie": r_centre["movie"][k] / max(1, counts["movie"]),
            "r_far_movie": r_far["movie"][k] / max(1, counts["movie"]),
            "r_centre_control": r_centre["control"][k] / max(1, counts["control"]),
        })
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
