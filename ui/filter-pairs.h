/* filter-pairs.h — a run's filter → FBN pairs (Sync-ACT Eq. 1) for the workbench
 *
 * `syncact pair` writes one table per direction (DESIGN §2.3); the results
 * loader reads the fbn2filter one. This reads its sibling,
 * …_desc-filter2fbn_pairs.tsv (one row per filter: its best FBN), and gives
 * each filter the table lacks — or every filter, when there is no table —
 * its argmax FBN with the parametric p, as `syncact pair` would. Kept out of
 * the loader so any loader can call it; touches no GTK.
 */
#pragma once

#include <gio/gio.h>

#include "compute/sync/correlate.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

/* "…_desc-fbn2filter_pairs.tsv" → "…_desc-filter2fbn_pairs.tsv"; NULL when
 * @fbn2filter_path is NULL or not named so. */
char    *sa_filter_pairs_path_for (const char           *fbn2filter_path);

typedef enum {
  SA_PAIRS_BY_FBN,     /* fbn2filter: @pairs and @have have one slot per FBN */
  SA_PAIRS_BY_FILTER,  /* filter2fbn: one slot per filter */
} SaPairsKey;

/* Reads a pairs table written by `syncact pair` (either direction) into
 * @pairs / @have, indexed by @key. @fbn_names: the time-course table's
 * column names (fbn-001…), which the `fbn` column refers to. @fbn_labels
 * (@n_fbns) and @filter_labels (@n_filters), when given, get the table's
 * labels where they are still empty. A row naming an unknown FBN or filter
 * is an error naming @path and the line. */
gboolean sa_pairs_table_read      (const char           *path,
                                   char *const          *fbn_names,
                                   int                   n_fbns,
                                   int                   n_filters,
                                   SaPairsKey            key,
                                   SaPair               *pairs,
                                   gboolean             *have,
                                   char                **fbn_labels,
                                   char                **filter_labels,
                                   GError              **error);

/* Each valid filter of @corr with its best FBN, in filter order (a constant
 * filter has no pair). @path: the filter2fbn table, or NULL / a missing
 * file for argmax only. @fbn_names: the time-course table's column names
 * (fbn-001…), which the table's `fbn` column refers to. @fbn_labels (m) and
 * @filter_labels (K), when given, get the table's labels where they are
 * still empty. A row naming an unknown FBN or filter is an error naming
 * @path and the line. */
SaPair  *sa_filter_pairs_load     (const char           *path,
                                   char *const          *fbn_names,
                                   const SaCorrelation  *corr,
                                   char                **fbn_labels,
                                   char                **filter_labels,
                                   int                  *n_pairs,
                                   GError              **error);

G_END_DECLS
