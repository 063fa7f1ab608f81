// sa-torch-demo.hpp — built-in models, created as TorchScript without Python.
#pragma once

#include <torch/script.h>

namespace sa_torch {

// A small deterministic CNN: Gabor first layer, seeded deeper layers.
torch::jit::Module make_democnn ();

} // namespace sa_torch
