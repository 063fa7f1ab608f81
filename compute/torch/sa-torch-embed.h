/* sa-torch-embed.h — the fMRI encoder–decoder of Sync-ACT behind a C API
 *
 * Zhao et al. 2022 §3.2: S (t × n voxels, z-scored) → S_f = S·W (W: n × m,
 * column j is FBN j's spatial map) → L = F(S_f) (t × m), F = none (lt), two
 * tanh LSTM layers (lstm) or multi-head self-attention (msa), each with a
 * residual (L = S_f + F(S_f)), as in a Transformer block; for lstm this is
 * a deviation from the paper, see sa-torch-embed.cpp. The decoder mirrors
 * it: its own temporal module, then a Linear m → n. Loss: MSE(S, S'), plus, when asked for,
 * l1 · Σ|W| / n (beyond the paper: makes FBN maps spatially compact).
 *
 * Compiles as C and C++. Opaque handle, no exceptions: every call returns
 * SA_TORCH_OK or an error status with a message in *@error_message (free it
 * with sa_torch_free()). Not thread-safe per handle; distinct handles may be
 * used from distinct threads. Buffers are row-major float32 in caller memory
 * and are read in place (from_blob), never kept.
 */
#pragma once

#include "compute/torch/sa-torch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SaTorchEmbed SaTorchEmbed;

typedef enum {
  SA_TORCH_EMBED_LT = 0,
  SA_TORCH_EMBED_LSTM = 1,
  SA_TORCH_EMBED_MSA = 2,
} SaTorchEmbedArch;

typedef struct {
  int64_t          n_voxels;
  int64_t          m;          /* FBNs */
  SaTorchEmbedArch arch;
  int              heads;      /* msa only; must divide m */
  uint64_t         seed;       /* initial weights depend on this alone */
  const char      *device;     /* "cpu", "cuda", "cuda:N", or NULL/"auto": CUDA when there */
  double           lr;         /* Adam, betas (0.9, 0.999) */
  double           l1;         /* 0 = off */
} SaTorchEmbedConfig;

SaTorchStatus sa_torch_embed_new          (const SaTorchEmbedConfig *config,
                                           SaTorchEmbed            **out,
                                           char                    **error_message);
void          sa_torch_embed_free         (SaTorchEmbed            *model);

/* "cpu" or "cuda:N" (owned by the handle). */
const char   *sa_torch_embed_device       (SaTorchEmbed            *model);

SaTorchStatus sa_torch_embed_set_lr       (SaTorchEmbed            *model,
                                           double                   lr,
                                           char                   **error_message);
SaTorchStatus sa_torch_embed_set_l1       (SaTorchEmbed            *model,
                                           double                   l1,
                                           char                   **error_message);

/* One Adam step on @batch (@b windows × @t TRs × n voxels). *@mse gets the
 * reconstruction loss before the step (without the L1 term). A non-finite
 * loss is an error and leaves the weights as they were. */
SaTorchStatus sa_torch_embed_train_step   (SaTorchEmbed            *model,
                                           const float             *batch,
                                           int64_t                  b,
                                           int64_t                  t,
                                           double                  *mse,
                                           char                   **error_message);
/* Reconstruction MSE of @batch without training. */
SaTorchStatus sa_torch_embed_eval_loss    (SaTorchEmbed            *model,
                                           const float             *batch,
                                           int64_t                  b,
                                           int64_t                  t,
                                           double                  *mse,
                                           char                   **error_message);
/* L = F(S·W) for one whole run S (@t × n) into @l (@t × m). */
SaTorchStatus sa_torch_embed_encode       (SaTorchEmbed            *model,
                                           const float             *s,
                                           int64_t                  t,
                                           float                   *l,
                                           char                   **error_message);
/* S' for one whole run S (@t × n) into @out (@t × n). */
SaTorchStatus sa_torch_embed_reconstruct  (SaTorchEmbed            *model,
                                           const float             *s,
                                           int64_t                  t,
                                           float                   *out,
                                           char                   **error_message);

/* W, n × m row-major. */
SaTorchStatus sa_torch_embed_get_w        (SaTorchEmbed            *model,
                                           float                   *w,
                                           char                   **error_message);
SaTorchStatus sa_torch_embed_set_w        (SaTorchEmbed            *model,
                                           const float             *w,
                                           char                   **error_message);

/* Keeps a copy of the current weights as "the best so far" (in memory, no
 * serialisation: cheap enough to call after every epoch), and puts them
 * back. use_best without a kept copy is an error. */
SaTorchStatus sa_torch_embed_keep_best    (SaTorchEmbed            *model,
                                           char                   **error_message);
SaTorchStatus sa_torch_embed_use_best     (SaTorchEmbed            *model,
                                           char                   **error_message);

/* All state (weights of every module, Adam's moments and step counts, and
 * the kept best weights) as an opaque blob (torch::save's format; free with sa_torch_free()), and back.
 * A blob from a model of another shape or architecture is an error. */
SaTorchStatus sa_torch_embed_save_state   (SaTorchEmbed            *model,
                                           void                   **data,
                                           size_t                  *size,
                                           char                   **error_message);
SaTorchStatus sa_torch_embed_load_state   (SaTorchEmbed            *model,
                                           const void              *data,
                                           size_t                   size,
                                           char                   **error_message);

#ifdef __cplusplus
}
#endif
