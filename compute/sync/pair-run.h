/* pair-run.h — one Sync-ACT pairing run, from time courses to tables
 *
 * What `syncact pair` does, as one call the pipeline (`syncact run`) and
 * the window can make too: correlate, pair in the asked directions, the
 * surrogate null with its per-pair and family-wise p, the noise ceiling
 * when per-subject time courses are given; then the pairs tables, their
 * sidecars and the summary row(s), written atomically.
 */
#pragma once

#include <gio/gio.h>

#include "compute/progress.h"
#include "compute/sync/correlate.h"
#include "compute/sync/null.h"
#include "compute/sync/pairing.h"
#include "compute/sync/pairs-io.h"

G_BEGIN_DECLS

typedef struct {
  const double *fbns;          /* m × T, row-major (one row per FBN) */
  int           n_fbns;
  int           n_times;
  const char   *fbn_source;    /* names the input in errors */
  const double *filters;       /* K × T' */
  int           n_filters;
  int           filter_times;
  const char   *filter_source;
  const double *subject_fbns;  /* optional: n_subjects × m × T, for the ceiling */
  int           n_subjects;
} SaPairRunInput;

typedef struct {
  SaCorrelation *corr;
  SaNull        *null;         /* NULL when the null is none */
  double        *ceiling;      /* m, or NULL */
  SaPairing     *pairings[2];
  int            n_pairings;
} SaPairRun;

/* @directions: 1 or 2 entries. */
SaPairRun *sa_pair_run_compute (const SaPairRunInput *input,
                                const SaDirection    *directions,
                                int                   n_directions,
                                const SaNullOptions  *null_options,
                                const SaProgress     *progress,
                                GCancellable         *cancellable,
                                GError              **error);

/* Writes @out_dir/@prefix_desc-<direction>_pairs.tsv (+ .json) per
 * direction and merges the run into @out_dir/summary.tsv. */
gboolean   sa_pair_run_write   (const SaPairRun      *run,
                                const SaPairsInfo    *info,
                                const char           *out_dir,
                                const char           *prefix,
                                GError              **error);
void       sa_pair_run_free    (SaPairRun            *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaPairRun, sa_pair_run_free)

G_END_DECLS
