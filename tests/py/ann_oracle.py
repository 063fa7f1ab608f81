#!/usr/bin/env python3
"""Reference values for compute/ann, computed the way a PyTorch user would.

  ann_oracle.py reduce MAPS.bin C N PCT OUT.bin
      MAPS: float32 C×N; writes max, mean, topk-mean (top ceil(PCT% of N),
      at least 1) per channel: float32 3×C.
  ann_oracle.py preprocess RGB.bin W H OUT.bin
      RGB24 H×W×3 → torchvision ToTensor + Normalize(ImageNet): float32 3×H×W.
"""
import math
import sys

try:
    import numpy as np
except ImportError:
    sys.exit(77)


def reduce(args):
    path, c, n, pct, out = args[0], int(args[1]), int(args[2]), float(args[3]), args[4]
    maps = np.fromfile(path, dtype=np.float32).reshape(c, n)
    k = max(1, min(n, math.ceil(n * pct / 100.0 - 1e-9)))
    top = -np.sort(-maps.astype(np.float64), axis=1)[:, :k]
    res = np.stack([maps.max(axis=1), maps.astype(np.float64).mean(axis=1), top.mean(axis=1)])
    res.astype(np.float32).tofile(out)


def preprocess(args):
    try:
        import torch
        import torchvision.transforms.functional as F
        from PIL import Image
    except ImportError:
        sys.exit(77)
    path, w, h, out = args[0], int(args[1]), int(args[2]), args[3]
    rgb = np.fromfile(path, dtype=np.uint8).reshape(h, w, 3)
    t = F.to_tensor(Image.fromarray(rgb, "RGB"))
    t = F.normalize(t, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    t.numpy().astype(np.float32).tofile(out)


{"reduce": reduce, "preprocess": preprocess}[sys.argv[1]](sys.argv[2:])
