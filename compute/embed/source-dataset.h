/* source-dataset.h — a BIDS dataset's runs as an embedding source
 *
 * Every run's masked, z-scored cache (compute/io/run-cache.h) is built or
 * checked once up front; training then maps runs on demand and keeps only
 * a few mapped at a time, so memory stays bounded by the batch, not by the
 * number of subjects.
 */
#pragma once

#include <gio/gio.h>

#include "compute/embed/source.h"
#include "compute/io/bids.h"
#include "compute/io/mask.h"
#include "compute/progress.h"

G_BEGIN_DECLS

/* @cache_dir NULL: the run cache's default. @dataset and @mask must
 * outlive the source. */
SaEmbedSource *sa_embed_source_new_for_dataset (SaBidsDataset    *dataset,
                                                const SaMask     *mask,
                                                const char       *cache_dir,
                                                const SaProgress *progress,
                                                GCancellable     *cancellable,
                                                GError          **error);

G_END_DECLS
