/* pairs-io.h — Sync-ACT results as BIDS-derivative tables (DESIGN §2.3)
 *
 * One pairs table per direction (…_desc-fbn2filter_pairs.tsv,
 * …_desc-filter2fbn_pairs.tsv), a summary.tsv with one row per model ×
 * layer × run × direction (the paper's Tables 1, 3, 8), and a JSON
 * sidecar with the provenance beside each. Every file is written to a
 * temporary name and renamed, so a failed run leaves earlier results whole.
 */
#pragma once

#include <gio/gio.h>

#include "compute/sync/correlate.h"
#include "compute/sync/null.h"
#include "compute/sync/pairing.h"

G_BEGIN_DECLS

typedef struct {
  const char        *model;          /* NULL: "n/a" */
  const char        *layer;
  const char        *run;
  const char *const *fbn_names;      /* m column names, NULL: fbn-001… */
  const char *const *fbn_labels;     /* m labels or NULL */
  const char *const *filter_labels;  /* K labels or NULL */
  double             alpha;
  SaNullKind         null_kind;
  int                n_surrogates;
  int                min_shift;
  guint64            seed;
  const char        *command;        /* the command line, for provenance */
  const char *const *sources;        /* input files, for provenance */
} SaPairsInfo;

/* The name an FBN gets in tables: @names[i] when given, else fbn-001… */
char     *sa_pairs_fbn_name        (const SaPairsInfo  *info,
                                    int                 fbn);

/* Writes @path (pairs TSV) and its .json sidecar. */
gboolean  sa_pairs_write           (const SaPairing     *pairing,
                                    const SaCorrelation *corr,
                                    const SaPairsInfo   *info,
                                    const char          *path,
                                    GError             **error);

/* Merges this run's rows into @path (summary.tsv): rows with the same
 * model, layer, run and direction are replaced, others kept. */
gboolean  sa_summary_update        (const char          *path,
                                    const SaPairing     *const *pairings,
                                    int                  n_pairings,
                                    const SaCorrelation *corr,
                                    const SaPairsInfo   *info,
                                    GError             **error);

/* Writes the JSON sidecar of any table SyncAct derives from a pairing
 * (@tsv_path with .json): @description, provenance from @info and @corr,
 * and @columns as name, description pairs (NULL-terminated). */
gboolean  sa_pairs_write_sidecar   (const char          *tsv_path,
                                    const char          *description,
                                    const SaPairsInfo   *info,
                                    const SaCorrelation *corr,
                                    const char *const   *columns,
                                    GError             **error);

/* Mean r per model over the rows of summary.tsv at @path for @direction
 * (averaged over runs; a model with several layers is averaged over them
 * too and named in *@warnings). Returns the number of models, with
 * *@models (GStrv) and *@mean_r (g_free) set. */
int       sa_summary_model_means   (const char          *path,
                                    SaDirection          direction,
                                    char              ***models,
                                    double             **mean_r,
                                    char               **warnings,
                                    GError             **error);

/* Reads labels for @n_filters filters from a CSV or TSV with a header:
 * a "label" column and either "filter" (0-based channel) or "unit" (1-based,
 * as Network Dissection's tally.csv). Returns a NULL-terminated array of
 * @n_filters strings ("n/a" where absent); units out of range are errors. */
char    **sa_filter_labels_read    (const char          *path,
                                    int                  n_filters,
                                    GError             **error);

G_END_DECLS
