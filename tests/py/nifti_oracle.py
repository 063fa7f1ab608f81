#!/usr/bin/env python3
"""nibabel's reading of NIfTI files, the reference for tests/compute/test-nifti.c.

  nifti_oracle.py make DIR          write nibabel-made files covering every
                                    datatype, scaling, byte order, orientation
  nifti_oracle.py describe DIR F... one JSON array, one object per file F, with
                                    what nibabel reads; the RAS+ (closest
                                    canonical) data of small files is written
                                    as DIR/<index>.f32 (x fastest) for an exact
                                    comparison, big ones get stats + samples
  nifti_oracle.py check FILE        what nibabel reads back from a file SyncAct
                                    wrote (affine, zooms, codes, data as .f32)

Exit 77 when nibabel is missing, so the test skips.
"""
import glob
import json
import os
import sys

try:
    import numpy as np
    import nibabel as nib
except ImportError:
    sys.exit(77)

# Files with at most this many voxels are compared value by value.
FULL_LIMIT = 2_000_000


def nibabel_data_files():
    d = os.path.join(os.path.dirname(nib.__file__), "tests", "data")
    return sorted(glob.glob(os.path.join(d, "*.nii")) + glob.glob(os.path.join(d, "*.nii.gz")))


def make(out):
    rng = np.random.default_rng(7)
    shape = (7, 6, 5)
    base = np.diag([2.0, 2.5, 3.0, 1.0])
    base[:3, 3] = [-10, 20, -30]
    made = []

    def save(img, name):
        path = os.path.join(out, name)
        nib.save(img, path)
        made.append(path)

    for dt in ["u1", "i1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"]:
        info = np.iinfo(dt) if dt[0] in "iu" else None
        if info is not None:
            lo, hi = max(info.min, -(2 ** 20)), min(info.max, 2 ** 20)
            data = rng.integers(lo, hi, size=shape, endpoint=True).astype(dt)
            data.flat[0] = lo
            data.flat[1] = hi
        else:
            data = rng.normal(0, 100, size=shape).astype(dt)
        img = nib.Nifti1Image(data, base, dtype=dt)
        save(img, "dtype-%s.nii" % dt)

    # scaled int16, stored big-endian, gzipped; LPS; 4D with a TR
    data = rng.normal(0, 1000, size=shape + (3,))
    hdr = nib.Nifti1Header(endianness=">")
    hdr.set_data_dtype(np.int16)
    lps = np.diag([-2.0, -2.0, 2.0, 1.0])
    img = nib.Nifti1Image(data, lps, hdr)
    img.header.set_slope_inter(0.37, -12.5)
    img.header.set_xyzt_units("mm", "msec")
    img.header["pixdim"][4] = 1500
    save(img, "scaled-be-lps-4d.nii.gz")

    # oblique sform (rotation of ~20° about two axes), permuted axes
    th, ph = np.radians(20), np.radians(-35)
    rx = np.array([[1, 0, 0], [0, np.cos(th), -np.sin(th)], [0, np.sin(th), np.cos(th)]])
    rz = np.array([[np.cos(ph), -np.sin(ph), 0], [np.sin(ph), np.cos(ph), 0], [0, 0, 1]])
    perm = np.array([[0, 0, -1], [1, 0, 0], [0, -1, 0]])
    obl = np.eye(4)
    obl[:3, :3] = rz @ rx @ perm @ np.diag([1.5, 2.0, 2.5])
    obl[:3, 3] = [5, -7, 11]
    save(nib.Nifti1Image(rng.normal(size=shape).astype("f4"), obl), "oblique.nii.gz")

    # qform only, with qfac -1
    img = nib.Nifti1Image(rng.normal(size=shape).astype("f4"), None)
    aff = np.diag([3.0, -2.0, -1.5, 1.0])
    aff[:3, 3] = [1, 2, 3]
    img.header.set_qform(aff, code=1)
    img.header.set_sform(None, code=0)
    save(img, "qform-only.nii")

    # no transform at all: the base affine
    img = nib.Nifti1Image(rng.normal(size=shape).astype("f4"), None)
    img.header.set_qform(None, code=0)
    img.header.set_sform(None, code=0)
    img.header.set_zooms((1.5, 2.5, 3.5))
    save(img, "no-xform.nii")

    # NIfTI-2, 4D, gzipped, with NaNs
    data = rng.normal(size=shape + (2,)).astype("f4")
    data[1, 2, 3, 1] = np.nan
    data[0, 0, 0, 0] = np.nan
    save(nib.Nifti2Image(data, obl), "nifti2-nan.nii.gz")

    # NIfTI-2 big-endian, scaled uint16, qform only
    hdr = nib.Nifti2Header(endianness=">")
    hdr.set_data_dtype(np.uint16)
    img = nib.Nifti2Image(rng.uniform(0, 5000, size=shape + (2,)), None, hdr)
    img.header.set_qform(lps, code=2)
    img.header.set_sform(None, code=0)
    img.header.set_slope_inter(2.0, 100.0)
    save(img, "nifti2-be-scaled.nii")
    print(json.dumps(made))


def summary(data):
    d = data.astype(np.float64)
    finite = np.isfinite(d)
    return {
        "nan_count": int(np.isnan(d).sum()),
        "sum": float(d[finite].sum()),
        "abs_sum": float(np.abs(d[finite]).sum()),
        "min": float(d[finite].min()) if finite.any() else 0.0,
        "max": float(d[finite].max()) if finite.any() else 0.0,
    }


def describe(out, files):
    rng = np.random.default_rng(3)
    result = []
    for n, path in enumerate(files):
        entry = {"path": path}
        try:
            img = nib.load(path)
            if not isinstance(img, (nib.Nifti1Image, nib.Nifti2Image)) or img.ndim not in (3, 4):
                raise ValueError("not a 3D/4D NIfTI image for SyncAct")
        except Exception as e:  # SyncAct must refuse it too
            entry["error"] = str(e)
            result.append(entry)
            continue
        hdr = img.header
        canon = nib.as_closest_canonical(img)
        data = canon.get_fdata(dtype=np.float64)
        entry.update({
            "format": 2 if isinstance(img, nib.Nifti2Image) else 1,
            "shape": list(canon.shape),
            "stored_shape": list(img.shape),
            "stored_zooms": [float(z) for z in hdr.get_zooms()],
            "zooms": [float(z) for z in canon.header.get_zooms()[:3]],
            "affine": canon.affine.tolist(),
            "stored_affine": img.affine.tolist(),
            "orientation": "".join(nib.aff2axcodes(img.affine)),
            "qform_code": int(hdr["qform_code"]),
            "sform_code": int(hdr["sform_code"]),
            "datatype": int(hdr["datatype"]),
        })
        entry.update(summary(data))
        if data.size <= FULL_LIMIT:
            raw = os.path.join(out, "%d.f32" % n)
            np.asarray(data, dtype=np.float32).ravel(order="F").tofile(raw)
            entry["raw"] = raw
        else:
            idx = [tuple(int(rng.integers(0, s)) for s in data.shape) for _ in range(200)]
            entry["samples"] = [list(i) + [float(data[i])] for i in idx]
        result.append(entry)
    print(json.dumps(result))


def check(path):
    img = nib.load(path)
    hdr = img.header
    data = img.get_fdata(dtype=np.float64)
    raw = path + ".f32"
    np.asarray(data, dtype=np.float32).ravel(order="F").tofile(raw)
    print(json.dumps({
        "shape": list(img.shape),
        "affine": img.affine.tolist(),
        "qform": hdr.get_qform().tolist(),
        "sform": hdr.get_sform().tolist(),
        "qform_code": int(hdr["qform_code"]),
        "sform_code": int(hdr["sform_code"]),
        "zooms": [float(z) for z in hdr.get_zooms()],
        "units": list(hdr.get_xyzt_units()),
        "dtype": str(hdr.get_data_dtype()),
        "raw": raw,
    }))


def main():
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
    elif cmd == "describe":
        files = sys.argv[3:]
        if files == ["--real"]:
            files = nibabel_data_files()
            tmpl = os.environ.get("MRICRON_TEMPLATES", "/usr/share/mricron/templates")
            for name in ["ch2better.nii.gz", "aal.nii.gz", "JHU-WhiteMatter-labels-2mm.nii.gz",
                         "inia19-t1-brain.nii.gz", "inia19-NeuroMaps.nii.gz",
                         "natbrainlab.nii.gz"]:
                if os.path.exists(os.path.join(tmpl, name)):
                    files.append(os.path.join(tmpl, name))
        describe(sys.argv[2], files)
    elif cmd == "check":
        check(sys.argv[2])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
