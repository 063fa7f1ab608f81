/* outputs.h — a trained embedding as BIDS derivatives (DESIGN §2.3)
 *
 * Under @out_dir:
 *   <prefix>_desc-FBN_components.nii.gz   W's columns, one volume per FBN,
 *                                          on the input grid (outside the
 *                                          mask: 0), with the input's affine
 *   <prefix>_desc-FBN_components.json     every parameter, seed, split,
 *                                          losses per epoch, version
 *   sub-<id>/func/sub-<id>_<run key>_desc-FBN_mixing.tsv   per test subject
 *   <run key>_desc-FBN_mixing.tsv          mean over the test subjects
 *   dataset_description.json               when missing
 * Columns fbn-001, fbn-002, ... (numbered from 1, as ICA tools do). Each
 * file is written to a temporary name and renamed. Write the components
 * image first (sa_embed_write_components), then the rest: the JSON sidecar
 * comes last, so its presence says the set is complete.
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/train.h"
#include "compute/io/mask.h"

G_BEGIN_DECLS

typedef struct {
  const char           *out_dir;
  const char           *prefix;       /* "task-movie"; NULL: "group" */
  const SaEmbedOptions *options;
  const char           *dataset;      /* the input, recorded in the sidecar */
  const char           *command_line; /* recorded too; may be NULL */
  double                tr;           /* seconds, recorded; 0 = unknown */
} SaEmbedOutputs;

/* Column names "fbn-001".."fbn-<m>", NULL-terminated. */
char   **sa_embed_fbn_names        (int                   m);

gboolean sa_embed_write_outputs    (const SaEmbedOutputs *outputs,
                                    SaEmbedResult        *result,
                                    GError              **error);

/* W (n × m, mask order) scattered onto the mask's grid: one 4D volume. */
gboolean sa_embed_write_components (const float          *w,
                                    gint64                n_voxels,
                                    int                   m,
                                    const SaMask         *mask,
                                    const char           *path,
                                    GError              **error);

G_END_DECLS
