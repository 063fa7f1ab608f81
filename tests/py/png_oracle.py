"""Reads a PNG with PIL and compares it with raw RGB24 bytes.

png_oracle.py IMAGE.png RAW.rgb WIDTH HEIGHT  -> "ok" or what differs."""
import sys

try:
    import numpy as np
    from PIL import Image
except ImportError as e:  # pragma: no cover
    sys.stderr.write(str(e))
    sys.exit(77)

path, raw, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
im = Image.open(path)
if im.size != (w, h) or im.mode != "RGB":
    print("size %s mode %s, want %dx%d RGB" % (im.size, im.mode, w, h))
    sys.exit(0)
got = np.asarray(im, dtype=np.uint8)
want = np.fromfile(raw, dtype=np.uint8).reshape(h, w, 3)
bad = np.count_nonzero(got != want)
print("ok" if bad == 0 else "%d values differ" % bad)
