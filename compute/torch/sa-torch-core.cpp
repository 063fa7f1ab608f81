// sa-torch-core.cpp — shim basics: status plumbing, version, a tensor op.
#include "compute/torch/sa-torch.h"
#include "compute/torch/sa-torch-private.hpp"

#include <ATen/ATen.h>
#include <c10/core/DeviceType.h>
#include <torch/version.h>

#include <cstdlib>
#include <cstring>

namespace sa_torch {

char *
dup_message (const char *msg) noexcept
{
  size_t n = std::strlen (msg);
  char *out = static_cast<char *> (std::malloc (n + 1));
  if (out != nullptr)
    std::memcpy (out, msg, n + 1);
  return out;
}

SaTorchStatus
fail (char **error_message, SaTorchStatus status, const char *msg) noexcept
{
  if (error_message != nullptr)
    *error_message = dup_message (msg);
  return status;
}

} // namespace sa_torch

extern "C" void
sa_torch_free (void *ptr)
{
  std::free (ptr);
}

extern "C" const char *
sa_torch_version (void)
{
  return TORCH_VERSION;
}

extern "C" int
sa_torch_cuda_device_count (void)
{
  try
    {
      if (!at::hasCUDA ())
        return 0;
      return static_cast<int> (at::getNumGPUs ());
    }
  catch (...)
    {
      return 0;
    }
}

extern "C" SaTorchStatus
sa_torch_matmul (const float *a,
                 const float *b,
                 float       *out,
                 int64_t      m,
                 int64_t      k,
                 int64_t      n,
                 char       **error_message)
{
  if (a == nullptr || b == nullptr || out == nullptr || m <= 0 || k <= 0 || n <= 0)
    return sa_torch::fail (error_message, SA_TORCH_INVALID_ARGUMENT,
                           "matmul: null buffer or non-positive size");
  SA_TORCH_TRY
    {
      auto opts = at::TensorOptions ().dtype (at::kFloat);
      at::Tensor ta = at::from_blob (const_cast<float *> (a), {m, k}, opts);
      at::Tensor tb = at::from_blob (const_cast<float *> (b), {k, n}, opts);
      at::Tensor to = at::from_blob (out, {m, n}, opts);
      at::matmul_out (to, ta, tb);
      return SA_TORCH_OK;
    }
  SA_TORCH_CATCH (error_message)
}
