#!/usr/bin/env python3
"""Python peer of bench-movie: torchvision's VideoReader (FFmpeg inside).

usage: movie_peer.py MOVIE [WIDTH HEIGHT]

Same work as bench-movie: the last frame before the end of each 1 s TR,
resized with antialiasing, then random seeks (seek + next frame).
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
    meta = reader.get_metadata()["video"]
    duration, fps = meta["duration"][0], meta["fps"][0]
    n_tr = int(math.floor(duration))

    t0, c0 = time.perf_counter(), time.process_time()
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
    while k < n_tr:  # the movie ends within the last TR: its last frame
        F.resize(prev, [h, w], antialias=True)
        k += 1
        kept += 1
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"peer sample: {kept} TRs ({decoded} frames decoded) in {secs:.2f} s: "
          f"{n_tr * fps / secs:.0f} movie frames/s, {n_tr / secs:.1f}x real time")
    print(f"peer sample CPU: {cpu:.2f} s ({n_tr / cpu:.1f}x real time per CPU second)")

    # 30 seeks, not 100: each one costs the peer seconds (it converts every
    # frame it decodes to RGB on the way to the target).
    rng = random.Random(7)
    lat = []
    for _ in range(30):
        t = rng.uniform(0.0, duration - 0.1)
        s = time.perf_counter()
        reader.seek(t)
        frame = next(reader)
        F.resize(frame["data"], [h, w], antialias=True)
        lat.append((time.perf_counter() - s) * 1e3)
    lat.sort()
    p50, p95 = lat[len(lat) // 2], lat[int(len(lat) * 0.95)]
    print(f"peer seek: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({len(lat)} seeks)")
    print(f"RESULT fps={n_tr * fps / secs:.1f} realtime={n_tr / secs:.2f} cpu_s={cpu:.2f} "
          f"seek_p50_ms={p50:.2f} seek_p95_ms={p95:.2f}")


if __name__ == "__main__":
    main()
