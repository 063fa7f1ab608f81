#!/usr/bin/env python3
"""Reference resize for tests/compute/test-movie.c: PIL's Image.resize.

usage: movie_pil_resize.py IN.ppm OUT.ppm WIDTH HEIGHT [bilinear|bicubic|nearest|box]
"""
import sys

try:
    from PIL import Image
except ImportError:
    sys.stderr.write("PIL is not installed\n")
    sys.exit(77)

FILTERS = {
    "bilinear": Image.BILINEAR,
    "bicubic": Image.BICUBIC,
    "nearest": Image.NEAREST,
    "box": Image.BOX,
}


def main():
    src, dst, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    method = FILTERS[sys.argv[5] if len(sys.argv) > 5 else "bilinear"]
    img = Image.open(src).convert("RGB")
    img.resize((w, h), method).save(dst)


if __name__ == "__main__":
    main()
