#!/usr/bin/env python3
"""Python peer of bench-movie: torchvision's VideoReader (FFmpeg inside).

usage: movie_peer.py MOVIE [WIDTH HEIGHT]

Same work as bench-movie: the last frame before the end of each 1 s TR,
resized with antialiasing, then 100 random exact seeks.
"""
import math
import random
import sys
import time

import torch
import torchvision
import torchvision.transforms.functional as F

torchvision.set_video_backend("video_reader")
from torchvision.io import VideoReader  # noqa: E402


def main():
    path = sys.argv[1]
    w, h = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (224, 224)
    torch.set_num_threads(2)
    reader = VideoReader(path, "video")
    duration = reader.get_metadata()["video"]["duration"][0]
    n_tr = int(math.floor(duration))

    t0 = time.perf_counter()
    k, prev, decoded, kept = 0, None, 0, 0
    for frame in reader:
        decoded += 1
        while k < n_tr and frame["pts"] >= k + 1 - 1e-9:
            F.resize(prev if prev is not None else frame["data"], [h, w], antialias=True)
            k += 1
            kept += 1
        if k == n_tr:
            break
        prev = frame["data"]
    secs = time.perf_counter() - t0
    print(f"peer sample: {kept} TRs, {decoded} frames decoded in {secs:.2f} s: "
          f"{decoded / secs:.0f} frames/s, {n_tr / secs:.1f}x real time")

    rng = random.Random(7)
    lat = []
    for _ in range(100):
        t = rng.uniform(0.0, duration - 0.1)
        s = time.perf_counter()
        reader.seek(t)
        frame = next(reader)
        F.resize(frame["data"], [h, w], antialias=True)
        lat.append((time.perf_counter() - s) * 1e3)
    lat.sort()
    print(f"peer seek: p50 {lat[50]:.1f} ms, p95 {lat[95]:.1f} ms")
    print(f"RESULT fps={decoded / secs:.1f} realtime={n_tr / secs:.2f} "
          f"seek_p50_ms={lat[50]:.2f} seek_p95_ms={lat[95]:.2f}")


if __name__ == "__main__":
    main()
