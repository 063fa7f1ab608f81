// The shim's C header compiles as C++ and its symbols link from C++.
#include "compute/torch/sa-torch.h"
#include "compute/torch/sa-torch-embed.h"
#include "compute/torch/sa-torch-model.h"

#include <cstdio>
#include <cstring>

int
main ()
{
  const char *v = sa_torch_version ();
  if (v == nullptr || std::strlen (v) == 0)
    return 1;
  if (sa_torch_builtin_names ()[0] == nullptr)
    return 1;
  std::printf ("libtorch %s\n", v);
  return 0;
}
