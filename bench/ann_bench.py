#!/usr/bin/env python3
"""Benchmark of `syncact extract` against the Python a user would write.

usage: ann_bench.py SYNCACT MOVIE OUTDIR [N_TR]

For ResNet-18 and ResNet-50 (torchvision, weights=None, seed 0, scripted),
layer4, max over each filter's map, 256x180 frames (the paper's), TR 1 s,
N_TR TRs (default 300) of MOVIE:
  ours: `syncact extract` (decode thread + batches of 16 through a tapped
        graph that stops at layer4), timed as a whole process;
  peer: torchvision's VideoReader, F.resize(antialias=True), ToTensor-style
        scaling, Normalize, batches of 16, a forward hook on layer4.
Both use Debian's libtorch/python3-torch (same backend). Also prints the
model's GFLOPs up to layer4 and each side's share of a measured GEMM peak.
Prints RESULT lines; exit 77 when torchvision is missing.
"""
import math
import os
import subprocess
import sys
import time

try:
    import torch
    import torchvision
    import torchvision.models as tvm
    import torchvision.transforms.functional as F
except ImportError:
    sys.exit(77)

W, H, BATCH = 256, 180, 16
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def make_model(arch, out):
    path = os.path.join(out, f"bench-{arch}.pt")
    if not os.path.exists(path):
        torch.manual_seed(0)
        m = getattr(tvm, arch)(weights=None).eval()
        torch.jit.script(m).save(path + ".tmp")
        os.rename(path + ".tmp", path)
    return path


def gflops_to_layer4(arch):
    """Multiply-adds of every conv and linear layer up to layer4, x2."""
    torch.manual_seed(0)
    m = getattr(tvm, arch)(weights=None).eval()
    total = [0]

    def conv_hook(mod, inp, out):
        k = mod.kernel_size[0] * mod.kernel_size[1] * mod.in_channels // mod.groups
        total[0] += 2 * k * out.numel()

    for mod in m.modules():
        if isinstance(mod, torch.nn.Conv2d):
            mod.register_forward_hook(conv_hook)
    feats = torch.nn.Sequential(m.conv1, m.bn1, m.relu, m.maxpool,
                                m.layer1, m.layer2, m.layer3, m.layer4)
    with torch.no_grad():
        feats(torch.zeros(1, 3, H, W))
    return total[0] / 1e9


def gemm_peak():
    """Best GFLOP/s of a 2048x2048 float32 matrix product, same backend."""
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    torch.mm(a, b)
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = max(best, 2 * 2048 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def run_ours(syncact, model, movie, out, n_tr):
    h5 = os.path.join(out, "bench-acts.h5")
    if os.path.exists(h5):
        os.unlink(h5)  # never measure a cache hit
    t0 = time.perf_counter()
    subprocess.run([syncact, "extract", "--model", model, "--layer", "layer4",
                    "--movie", movie, "--tr", "1", "--n-tr", str(n_tr),
                    "--size", f"{W}x{H}", "--batch", str(BATCH), "--out", h5],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def run_peer(model_path, movie, n_tr):
    from torchvision.io import VideoReader
    torchvision.set_video_backend("video_reader")
    t0 = time.perf_counter()
    arch_model = torch.jit.load(model_path).eval()
    # TorchScript modules take no hooks in 1.13, so the peer uses the eager
    # torchvision model with the same weights, as a user would.
    arch = "resnet50" if "resnet50" in model_path else "resnet18"
    model = getattr(tvm, arch)(weights=None).eval()
    model.load_state_dict({k: v for k, v in arch_model.state_dict().items()})
    got = []
    model.layer4.register_forward_hook(lambda m, i, o: got.append(o.amax(dim=(2, 3))))
    reader = VideoReader(movie, "video")
    batch, k, prev = [], 0, None

    def flush():
        with torch.no_grad():
            model(torch.stack(batch))
        batch.clear()

    for frame in reader:
        while k < n_tr and frame["pts"] >= k + 1 - 1e-9:
            img = F.resize(prev if prev is not None else frame["data"], [H, W], antialias=True)
            batch.append(F.normalize(img.float() / 255.0, MEAN, STD))
            k += 1
            if len(batch) == BATCH:
                flush()
        if k == n_tr:
            break
        prev = frame["data"]
    # The movie ends exactly at the last TR's end: its last frame is shown then.
    while k < n_tr and prev is not None:
        img = F.resize(prev, [H, W], antialias=True)
        batch.append(F.normalize(img.float() / 255.0, MEAN, STD))
        k += 1
        if len(batch) == BATCH:
            flush()
    if batch:
        flush()
    secs = time.perf_counter() - t0
    acts = torch.cat(got)
    assert acts.shape[0] == n_tr, acts.shape
    return secs


def main():
    syncact, movie, out = sys.argv[1:4]
    n_tr = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    peak = gemm_peak()
    print(f"GEMM peak (2048^2 float32, torch.mm): {peak:.1f} GFLOP/s")
    for arch in ("resnet18", "resnet50"):
        model = make_model(arch, out)
        gf = gflops_to_layer4(arch)
        ours = run_ours(syncact, model, movie, out, n_tr)
        print(f"  ({arch}: syncact extract took {ours:.1f} s)", flush=True)
        peer = run_peer(model, movie, n_tr)
        fo, fp = n_tr / ours, n_tr / peer
        print(f"{arch} layer4 @ {W}x{H}, {n_tr} TRs: {gf:.2f} GFLOP/frame")
        print(f"  syncact extract: {ours:6.1f} s  {fo:6.2f} frames/s  "
              f"{100 * gf * fo / peak:5.1f}% of GEMM peak")
        print(f"  python peer    : {peer:6.1f} s  {fp:6.2f} frames/s  "
              f"{100 * gf * fp / peak:5.1f}% of GEMM peak")
        print(f"  ratio: {fo / fp:.2f}x the peer's frames/s")
        print(f"RESULT arch={arch} fps={fo:.3f} peer_fps={fp:.3f} ratio={fo / fp:.3f} "
              f"gflop={gf:.3f} peak_gflops={peak:.1f}")


if __name__ == "__main__":
    main()
