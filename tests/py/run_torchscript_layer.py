#!/usr/bin/env python3
"""Loads a TorchScript file with Python's torch.jit.load and writes one
module's output (forward hook) on a raw float32 input.
Usage: run_torchscript_layer.py MODEL.pt INPUT.bin N,C,H,W LAYER OUT.bin
"""
import sys

try:
    import numpy as np
    import torch
except ImportError:
    sys.exit(77)

model_path, input_path, shape, layer, out_path = sys.argv[1:6]
shape = [int(s) for s in shape.split(",")]
x = torch.from_numpy(np.fromfile(input_path, dtype=np.float32).reshape(shape))
model = torch.jit.load(model_path).eval()
got = {}
# TorchScript modules take no hooks in 1.13: run the parents' code up to it
# by calling the submodule chain the model's forward uses.
with torch.no_grad():
    m = dict(model.named_modules())
    y = x
    for name, child in model.named_children():
        if name == "fc":
            y = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(y, 1), 1)
        y = child(y)
        if name == layer:
            break
        if name in ("conv1", "conv2"):
            y = torch.nn.functional.max_pool2d(y, 2, 2)
y.contiguous().numpy().astype(np.float32).tofile(out_path)
