/* sa-torch-model.h — TorchScript models and their intermediate outputs
 *
 * Compiles as C and as C++. Same conventions as sa-torch.h: opaque handles,
 * no exception crosses, failures return a status and a malloc'd message.
 *
 * A "tap" exposes the outputs of named submodules (dotted names as PyTorch's
 * named_modules() gives them: "layer4", "features.10", "layer3.1.conv2") by
 * editing a copy of the forward graph: calls on the path to each module are
 * inlined and the module's output is cloned right after its call and
 * returned, so in-place ops later in the network cannot change it. Work
 * after the last tapped module is dropped, so a tap on an early layer runs
 * only that part of the network.
 */
#pragma once

#include "compute/torch/sa-torch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SaTorchModel SaTorchModel;
typedef struct SaTorchTap   SaTorchTap;

#define SA_TORCH_BUILTIN_PREFIX "builtin:"
#define SA_TORCH_MAX_DIMS 8

/* Loads a TorchScript file, or a built-in model ("builtin:democnn"), onto
 * @device ("cpu", "cuda", "cuda:N"; NULL or "" = cpu) in eval mode. */
SaTorchStatus sa_torch_model_load        (const char    *path,
                                          const char    *device,
                                          SaTorchModel **out,
                                          char         **error_message);
void          sa_torch_model_free        (SaTorchModel  *model);

/* Writes the model as a TorchScript archive that Python's torch.jit.load
 * reads (used for the built-in models). */
SaTorchStatus sa_torch_model_save        (SaTorchModel  *model,
                                          const char    *path,
                                          char         **error_message);

/* Names of the built-in models, NULL-terminated, static. */
const char *const *sa_torch_builtin_names (void);

/* named_modules() in order, the root first (name ""). Types are the class
 * names without TorchScript's module path and mangling ("Conv2d"). Strings
 * belong to the model. */
size_t        sa_torch_model_n_modules   (SaTorchModel  *model);
const char   *sa_torch_model_module_name (SaTorchModel  *model,
                                          size_t         i);
const char   *sa_torch_model_module_type (SaTorchModel  *model,
                                          size_t         i);

/* Runs one forward pass on a 1×3×@height×@width zero image with every
 * submodule tapped and records each one's output shape. Modules that are
 * not reached (or sit inside control flow, or return no tensor) get 0 dims.
 * Fails with a message naming the size when the model fails at that size. */
SaTorchStatus sa_torch_model_probe       (SaTorchModel  *model,
                                          int            width,
                                          int            height,
                                          char         **error_message);
/* After a probe: the output shape of module @i (batch dimension included);
 * returns its number of dimensions, 0 when unknown. */
int           sa_torch_model_module_shape (SaTorchModel *model,
                                           size_t        i,
                                           int64_t       shape[SA_TORCH_MAX_DIMS]);

/* A tap on @n_names modules. Unknown names fail with SA_TORCH_NOT_FOUND and
 * a message listing the closest names. The tap keeps a reference to the
 * model; free it before the model. */
SaTorchStatus sa_torch_tap_new           (SaTorchModel       *model,
                                          const char *const  *names,
                                          size_t              n_names,
                                          SaTorchTap        **out,
                                          char              **error_message);
void          sa_torch_tap_free          (SaTorchTap         *tap);

/* Runs a batch: @input is @n×3×@height×@width float32, C-contiguous, on the
 * host. A module whose output is not a tensor fails naming what it is. */
SaTorchStatus sa_torch_tap_run           (SaTorchTap         *tap,
                                          const float        *input,
                                          int64_t             n,
                                          int64_t             height,
                                          int64_t             width,
                                          char              **error_message);
/* After a run: output @i as host float32, C-contiguous; valid until the next
 * run or free. Returns the number of dimensions. */
int           sa_torch_tap_output        (SaTorchTap         *tap,
                                          size_t              i,
                                          const float       **data,
                                          int64_t             shape[SA_TORCH_MAX_DIMS]);

/* Intra-op threads for libtorch (at::set_num_threads); <= 0 leaves it. */
void          sa_torch_set_num_threads   (int                 n);
int           sa_torch_get_num_threads   (void);

#ifdef __cplusplus
}
#endif
