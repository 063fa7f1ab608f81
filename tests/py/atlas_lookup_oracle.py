"""Oracle for compute/annotate/atlas-lookup.c: the atlas label at world
points, through nibabel's affine.

atlas_lookup_oracle.py ATLAS.nii.gz POINTS.f64 LABELS.i32
  POINTS.f64: n x 3 world mm (x, y, z per point), float64.
  LABELS.i32: the C labels at those points.
Nearest voxel with ties rounded up (floor(x + 0.5)) on the atlas brought to
RAS+ (nibabel's as_closest_canonical), as the C side reads every file; 0
outside the volume. Prints "ok N INSIDE" or what differs."""
import sys

try:
    import nibabel as nib
    import numpy as np
except ImportError as e:  # pragma: no cover
    sys.stderr.write(str(e))
    sys.exit(77)

img = nib.as_closest_canonical(nib.load(sys.argv[1]))
labels = np.rint(np.asanyarray(img.dataobj).astype(np.float64)).astype(np.int64)
labels[labels < 0] = 0
points = np.fromfile(sys.argv[2], dtype=np.float64).reshape(-1, 3)
got = np.fromfile(sys.argv[3], dtype=np.int32)

inv = np.linalg.inv(img.affine)
x = points @ inv[:3, :3].T + inv[:3, 3]
idx = np.floor(x + 0.5).astype(np.int64)
inside = np.all((idx >= 0) & (idx < np.array(labels.shape[:3])), axis=1)
want = np.zeros(len(points), dtype=np.int64)
want[inside] = labels[idx[inside, 0], idx[inside, 1], idx[inside, 2]]

if got.size != want.size:
    print("size %d, want %d" % (got.size, want.size))
    sys.exit(0)
bad = np.flatnonzero(got != want)
if bad.size:
    i = bad[0]
    print("%d of %d points differ; first (%g, %g, %g): got %d, want %d"
          % (bad.size, want.size, *points[i], got[i], want[i]))
    sys.exit(0)
print("ok %d %d" % (want.size, np.count_nonzero(want)))
