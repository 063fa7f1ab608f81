#!/usr/bin/env python3
"""A scripted model with awkward layers for error tests: "flat" gives a 3D
output (N x 4 x H*W), "pair" returns a tuple. Usage: make_odd_model.py OUT.pt"""
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
torch.jit.script(Odd().eval()).save(sys.argv[1])
print("ok")
