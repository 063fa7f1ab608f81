"""Oracle for compute/annotate/atlas.c: nearest-neighbour resampling of the
mricron-data atlases through nibabel's affines, and a map's top regions.

atlas_oracle.py ATLAS.nii.gz GRID.nii LABELS.i32 [MAP.f32 TOP.txt]
  GRID.nii: any NIfTI whose grid and affine are the target (nibabel reads it
  as stored; the C side read it as RAS+: the world coordinates agree).
  LABELS.i32: the C resampling, int32 in the C side's RAS+ order.
  MAP.f32, TOP.txt: a map on that grid (RAS+ order) and the C top regions
  ("label share" per line). Prints "ok" or what differs."""
import sys

try:
    import nibabel as nib
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.stderr.write(str(e))
    sys.exit(77)

atlas_img = nib.load(sys.argv[1])
grid_img = nib.load(sys.argv[2])
atlas = np.rint(np.asanyarray(atlas_img.dataobj).astype(np.float64)).astype(np.int64)

# The C side works in RAS+ voxel order: bring the grid there with nibabel.
ras = nib.as_closest_canonical(grid_img)
shape = ras.shape[:3]
ijk = np.indices(shape).reshape(3, -1)
world = ras.affine[:3, :3] @ ijk + ras.affine[:3, 3:4]
src = np.linalg.inv(atlas_img.affine)
x = src[:3, :3] @ world + src[:3, 3:4]
idx = np.floor(x + 0.5).astype(np.int64)
inside = np.all((idx >= 0) & (idx < np.array(atlas.shape)[:, None]), axis=0)
want = np.zeros(idx.shape[1], dtype=np.int64)
want[inside] = atlas[idx[0, inside], idx[1, inside], idx[2, inside]]
# nibabel is x-fastest in Fortran order: the C side's flat order.
want = want.reshape(shape).ravel(order="F")

got = np.fromfile(sys.argv[3], dtype=np.int32)
if got.size != want.size:
    print("size %d, want %d" % (got.size, want.size))
    sys.exit(0)
bad = np.count_nonzero(got != want)
if bad:
    print("%d of %d voxels differ" % (bad, want.size))
    sys.exit(0)
if np.count_nonzero(want) < 100:
    print("the grid barely overlaps the atlas")
    sys.exit(0)

if len(sys.argv) > 5:
    m = np.fromfile(sys.argv[4], dtype=np.float32)
    pos = np.where(m > 0, m, 0).astype(np.float64)
    total = pos.sum()
    sums = np.bincount(want, weights=pos)
    order = [l for l in np.argsort(-sums[1:], kind="stable") + 1 if sums[l] > 0]
    rows = [line.split() for line in open(sys.argv[5]) if line.strip()]
    for r, (label, share) in enumerate(rows):
        if int(label) != order[r] or abs(float(share) - sums[order[r]] / total) > 1e-6:
            print("rank %d: got %s %s, want %d %.6f" % (r + 1, label, share, order[r],
                                                        sums[order[r]] / total))
            sys.exit(0)
print("ok")
