// sa-torch-private.hpp — shared by the shim's .cpp files, never by C.
#pragma once

#include "compute/torch/sa-torch.h"

#include <exception>

namespace sa_torch {

char         *dup_message (const char *msg) noexcept;
SaTorchStatus fail        (char **error_message, SaTorchStatus status, const char *msg) noexcept;

} // namespace sa_torch

// Every extern "C" entry wraps its body so that no exception crosses the API.
#define SA_TORCH_TRY try
#define SA_TORCH_CATCH(error_message)                                          \
  catch (const std::exception &e)                                              \
    {                                                                          \
      return sa_torch::fail ((error_message), SA_TORCH_ERROR, e.what ());      \
    }                                                                          \
  catch (...)                                                                  \
    {                                                                          \
      return sa_torch::fail ((error_message), SA_TORCH_ERROR,                  \
                             "unknown C++ exception in libtorch");             \
    }
