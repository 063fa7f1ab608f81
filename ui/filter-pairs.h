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
