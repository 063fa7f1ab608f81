#!/usr/bin/env python3
"""Checks syncact train's outputs with nibabel: the FBN maps lie on the input
grid with the input's affine, and the mixing table has one column per FBN.

  check_embed_outputs.py COMPONENTS.nii.gz BOLD.nii MIXING.tsv M
"""
import sys

try:
    import nibabel as nib
    import numpy as np
except ImportError as e:
    print(e, file=sys.stderr)
    sys.exit(77)

maps_path, bold_path, mixing_path, m = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
maps = nib.load(maps_path)
bold = nib.load(bold_path)
assert maps.shape == bold.shape[:3] + (m,), (maps.shape, bold.shape)
assert np.allclose(maps.affine, bold.affine), (maps.affine, bold.affine)
data = np.asarray(maps.dataobj)
assert np.isfinite(data).all()
# Outside the brain (no signal in the input) every map is 0.
outside = np.asarray(bold.dataobj).std(axis=3) == 0
assert (data[outside] == 0).all()
assert (np.abs(data[~outside]).sum(axis=0) > 0).all()
with open(mixing_path) as f:
    header = f.readline().rstrip("\n").split("\t")
    rows = [line.split("\t") for line in f]
assert header == [f"fbn-{j:03d}" for j in range(1, m + 1)], header
assert len(rows) == bold.shape[3], (len(rows), bold.shape)
print("ok")
