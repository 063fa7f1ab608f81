/* results-index.h — what a derivatives/syncact folder holds
 *
 * Lists, from file names alone (DESIGN §2.3), the FBN sets (one components
 * file each: desc-FBN, desc-FBNunrotated, …), and every (run, model, layer)
 * combination with filter activations or a pairs table. The window's
 * selectors, `syncact figure DATASET` and the loader all start here, so a
 * choice means the same files everywhere. GLib only: no GTK, no big reads
 * (the pairs tables are read to count significant pairs).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char  *run;          /* run key, e.g. "task-movie_run-1" */
  char  *model;        /* BIDS entity value, e.g. "democnn" */
  char  *layer;        /* e.g. "conv3", "features10" */
  char  *activations;  /* the HDF5 path (loading says so when it is gone) */
  char  *pairs;        /* the fbn2filter table, or NULL: pairs by argmax r */
  guint  n_significant;
  double mean_r;       /* over the table's pairs (NaN without a table) */
} SaResultsEntry;

typedef struct {
  char  *name;         /* the desc value, e.g. "FBN" */
  char  *components;   /* 4D NIfTI path */
  char  *method;       /* "group ICA", "msa, ICA-rotated", … or NULL */
} SaFbnSet;

typedef struct {
  char      *root;
  char      *dir;       /* root/derivatives/syncact */
  GPtrArray *fbn_sets;  /* SaFbnSet *, "FBN" first, then by name */
  GPtrArray *entries;   /* SaResultsEntry *, by run, model, layer */
  GPtrArray *runs;      /* distinct values, sorted (char *) */
  GPtrArray *models;
  GPtrArray *layers;
} SaResultsIndex;

/* NULL with SA_ERROR_NOT_FOUND naming the folder when it holds no FBN
 * components, or no activations or pairs table. */
SaResultsIndex       *sa_results_index_new        (const char           *dataset_root,
                                                   GError              **error);
void                  sa_results_index_free       (SaResultsIndex       *index);

/* What to show first: the combination with the most significant pairs (a
 * control run, whose movie the brain did not see, has none), then the
 * highest mean r, then the first by name. */
const SaResultsEntry *sa_results_index_get_default (const SaResultsIndex *index);

/* The combination with these values; NULL ones match any (the one with the
 * most significant pairs wins). An unknown value or combination is an
 * error listing what exists. */
const SaResultsEntry *sa_results_index_lookup     (const SaResultsIndex *index,
                                                   const char           *run,
                                                   const char           *model,
                                                   const char           *layer,
                                                   GError              **error);

/* For selectors that change one value at a time: the exact combination when
 * it exists, else the closest one that keeps @keep ("run", "model" or
 * "layer") and as many of the other values as possible. */
const SaResultsEntry *sa_results_index_nearest    (const SaResultsIndex *index,
                                                   const char           *run,
                                                   const char           *model,
                                                   const char           *layer,
                                                   const char           *keep);

/* NULL = "FBN" (or the first set). An unknown name is an error listing
 * the sets. */
const SaFbnSet       *sa_results_index_fbn_set    (const SaResultsIndex *index,
                                                   const char           *name,
                                                   GError              **error);

/* The run's mean FBN time courses for @set: DIR/RUN_desc-SET_mixing.tsv. */
char                 *sa_results_index_mixing_path (const SaResultsIndex *index,
                                                    const SaFbnSet       *set,
                                                    const char           *run);

/* A model or layer name as it appears in file names: what is after the
 * last ':' and '/', extension dropped for a model, alphanumerics only
 * ("builtin:democnn" → "democnn", "features.10" → "features10"). */
char                 *sa_results_entity_value     (const char           *text,
                                                   gboolean              is_model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaResultsIndex, sa_results_index_free)

G_END_DECLS
