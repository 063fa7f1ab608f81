#!/usr/bin/env python3
"""A scripted model with awkward layers for error tests: "flat" gives a 3D
output (N x 4 x H*W), "pair" returns a tuple; FROZEN.pt, when asked for, is
the same model after torch.jit.freeze (no submodules left).
Usage: make_odd_model.py OUT.pt [FROZEN.pt]"""
import sys

try:
    import torch
    from torch import nn
except ImportError:
    sys.exit(77)


class Pair(nn.Module):
    def forward(self, x):
        return x, x + 1


class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.pair = Pair()
        self.flat = nn.Flatten(2)

    def forward(self, x):
        a, b = self.pair(self.conv(x))
        return self.flat(a + b)


torch.manual_seed(0)
scripted = torch.jit.script(Odd().eval())
scripted.save(sys.argv[1])
if len(sys.argv) > 2:
    torch.jit.freeze(scripted).save(sys.argv[2])
print("ok")
