/* model.h — a vision model as the engine sees it
 *
 * A TorchScript file (scripted or traced) or a built-in model
 * ("builtin:democnn"), its named modules, and the shape of each module's
 * output at a chosen input size. Wraps compute/torch's shim in GErrors that
 * name the model file.
 */
#pragma once

#include <gio/gio.h>

#include "compute/torch/sa-torch-model.h"

G_BEGIN_DECLS

typedef struct _SaAnnModel SaAnnModel;

typedef struct {
  char   *name;                      /* dotted, "" for the whole model */
  char   *type;                      /* "Conv2d", "Bottleneck", ... */
  int     n_dims;                    /* of its output; 0 when not reached */
  gint64  shape[SA_TORCH_MAX_DIMS];  /* batch dimension included */
} SaAnnLayer;

/* @device: "cpu", "cuda", "cuda:N", or NULL for the best available. */
SaAnnModel   *sa_ann_model_load      (const char  *path,
                                      const char  *device,
                                      GError     **error);
void          sa_ann_model_free      (SaAnnModel  *model);
const char   *sa_ann_model_get_path  (SaAnnModel  *model);
SaTorchModel *sa_ann_model_get_torch (SaAnnModel  *model);

/* The device chosen when none is asked for: the first GPU if the linked
 * libtorch has one, else the CPU. */
const char   *sa_ann_default_device  (void);

/* Every module, the root first, with its output shape on a @width×@height
 * input (one probe pass). Array of SaAnnLayer, owning. */
GPtrArray    *sa_ann_model_layers    (SaAnnModel  *model,
                                      int          width,
                                      int          height,
                                      GError     **error);

/* Whether @layer's output is a feature map of a convolution-like module
 * (4D output and a type naming a convolution). */
gboolean      sa_ann_layer_is_conv   (const SaAnnLayer *layer);

/* SHA-256 of the model file (hex), or a fixed key for built-in models
 * (their weights are made by code). */
char         *sa_ann_model_hash      (const char  *path,
                                      GError     **error);

void          sa_ann_layer_free      (SaAnnLayer  *layer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaAnnModel, sa_ann_model_free)

G_END_DECLS
