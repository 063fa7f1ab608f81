#!/usr/bin/env python3
"""Creates the paper's ten torchvision architectures as TorchScript files
(scripted and traced, weights=None, seed 0) in OUTDIR, plus the outputs of a
few layers per model on one fixed input, recorded with forward hooks: the
oracle that SyncAct's graph-edited taps are compared with.

Writes OUTDIR/input.bin (float32 1x3xHxW), OUTDIR/<arch>-script.pt,
OUTDIR/<arch>-trace.pt, OUTDIR/<arch>--<layer>.bin and prints one manifest
line per layer: arch<TAB>layer<TAB>dims (comma separated).
Usage: make_torchvision_models.py OUTDIR [SIZE] [ARCH...]
"""
import os
import sys
import warnings

try:
    import torch
    import torchvision.models as tvm
except ImportError:
    sys.exit(77)

warnings.filterwarnings("ignore")

# Several layers per model: early convs followed by in-place ReLUs (the
# clone matters), nested blocks, whole stages, and a 2D output.
LAYERS = {
    "alexnet": ["features.0", "features.10", "classifier.4"],
    "vgg16": ["features.0", "features.28", "features"],
    "resnet18": ["layer1.0.bn1", "layer3.1.conv2", "layer4", "fc"],
    "resnet50": ["layer2.0.downsample.0", "layer4"],
    "densenet161": ["features.conv0", "features.denseblock1.denselayer2",
                    "features.transition2", "features"],
    "inception_v3": ["Conv2d_1a_3x3", "Mixed_5b", "Mixed_7c"],
    "shufflenet_v2_x1_0": ["conv1", "stage2", "stage4.0", "conv5"],
    "mobilenet_v2": ["features.1", "features.18"],
    "resnext50_32x4d": ["layer1", "layer4.2.conv2"],
    "mnasnet1_0": ["layers.0", "layers.8", "layers"],
}


def build(arch):
    torch.manual_seed(0)
    kwargs = {"weights": None}
    if arch == "inception_v3":
        kwargs.update(aux_logits=False, init_weights=False)
    return getattr(tvm, arch)(**kwargs).eval()


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 112
    archs = sys.argv[3:] or list(LAYERS)
    torch.manual_seed(1234)
    x = torch.rand(1, 3, size, size) * 2 - 1
    x.numpy().tofile(os.path.join(out, "input.bin"))
    for arch in archs:
        model = build(arch)
        got = {}
        modules = dict(model.named_modules())
        hooks = []
        for layer in LAYERS[arch]:
            def hook(_m, _i, o, layer=layer):
                got[layer] = o.detach().clone()
            hooks.append(modules[layer].register_forward_hook(hook))
        with torch.no_grad():
            model(x)
        for h in hooks:
            h.remove()
        with torch.no_grad():
            torch.jit.script(model).save(os.path.join(out, arch + "-script.pt"))
            torch.jit.trace(model, x).save(os.path.join(out, arch + "-trace.pt"))
        for layer in LAYERS[arch]:
            t = got[layer].contiguous()
            t.numpy().astype("float32").tofile(os.path.join(out, f"{arch}--{layer}.bin"))
            print(f"{arch}\t{layer}\t{','.join(str(d) for d in t.shape)}")


if __name__ == "__main__":
    main()
