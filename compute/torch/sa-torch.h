/* sa-torch.h — the C face of SyncAct's libtorch shim
 *
 * Compiles as C and as C++. Opaque handles, no exceptions: every function
 * that can fail returns SA_TORCH_OK or an error status and, on failure, a
 * message in *@error_message that the caller frees with sa_torch_free().
 * compute/ turns these into GErrors; nothing else should call the shim.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  SA_TORCH_OK = 0,
  SA_TORCH_ERROR = 1,          /* libtorch threw */
  SA_TORCH_INVALID_ARGUMENT = 2,
  SA_TORCH_NOT_FOUND = 3,
} SaTorchStatus;

/* Frees a string or buffer the shim allocated. */
void          sa_torch_free            (void *ptr);

/* The libtorch version the shim was built against ("1.13.1"); static. */
const char   *sa_torch_version         (void);

/* Whether the linked libtorch can use CUDA, and how many devices it sees. */
int           sa_torch_cuda_device_count (void);

/* A first tensor op through the shim: out = a @ b, row-major float32
 * (a: m×k, b: k×n, out: m×n). Used by the smoke test and as a check that
 * libtorch loads in this process. */
SaTorchStatus sa_torch_matmul          (const float *a,
                                        const float *b,
                                        float       *out,
                                        int64_t      m,
                                        int64_t      k,
                                        int64_t      n,
                                        char       **error_message);

#ifdef __cplusplus
}
#endif
