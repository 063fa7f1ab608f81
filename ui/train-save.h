/* train-save.h — a window-trained embedding kept as `syncact run` keeps one
 *
 * After training in the window: the derivatives `syncact train` writes
 * (components, mixing tables, the sidecar recording the equivalent
 * command), the FBN atlas labels, then every run × model × layer the folder
 * has filter activations for is paired again with the surrogate null (the
 * null, alpha and surrogates its previous pairs table recorded) and its
 * cross-annotation redone — what `syncact run` would do next. Every file is
 * written to a temporary name and renamed. No GTK: runs on the worker.
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/train.h"
#include "compute/io/bids.h"
#include "compute/io/mask.h"
#include "compute/progress.h"

G_BEGIN_DECLS

/* "task-movie" when every run shares the task, "group" otherwise: the
 * prefix `syncact train` gives its outputs. */
char     *sa_train_output_prefix (SaBidsDataset        *dataset);

/* Non-fatal problems (a run left unpaired, labels that could not be made)
 * are added to @warnings (char*) when it is not NULL. */
gboolean  sa_train_save          (SaBidsDataset        *dataset,
                                  const SaMask         *mask,
                                  const SaEmbedOptions *options,
                                  SaEmbedResult        *result,
                                  const SaProgress     *progress,
                                  GPtrArray            *warnings,
                                  GError              **error);

G_END_DECLS
