/* cli-train-fbn.h — `syncact train --arch ica | --rotate ica | --maps FILE`
 *
 * The identifiable-FBN paths of `syncact train` (compute/embed/train-ica.h),
 * kept apart from app/cli-train.c, which hands over to them once the
 * dataset, mask and source are open.
 */
#pragma once

#include "app/progress-bar.h"
#include "compute/embed/outputs.h"
#include "compute/embed/train-ica.h"

G_BEGIN_DECLS

/* Parses --arch/--rotate/--maps into @choice; @arch may name an autoencoder
 * architecture (then left for sa_embed_arch_parse) or "ica". */
gboolean sa_cli_train_fbn_choice (const char   *arch,
                                  const char   *rotate,
                                  const char   *maps,
                                  SaFbnChoice  *choice,
                                  GError      **error);

/* TRUE when @choice needs sa_cli_train_fbn rather than the plain trainer. */
gboolean sa_cli_train_fbn_wanted (const SaFbnChoice *choice);

/* Trains, writes the outputs and prints the summary; returns the exit code. */
int      sa_cli_train_fbn        (SaEmbedSource        *source,
                                  const SaEmbedOptions *options,
                                  const SaFbnChoice    *choice,
                                  const SaMask         *mask,
                                  const SaEmbedOutputs *outputs,
                                  SaProgressBar        *bar);

G_END_DECLS
