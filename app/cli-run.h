/* cli-run.h — the steps of `syncact run` / `syncact pair DATASET`, shared
 * by the driver (cli-run.c) and the step files (cli-run-train.c,
 * cli-run-steps.c). Private to app/. */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

#include "app/cli.h"
#include "compute/ann/activations.h"
#include "compute/io/bids.h"

G_BEGIN_DECLS

typedef struct {
  gboolean   train;        /* FALSE for `pair DATASET`: the embedding must exist */
  char      *model;
  char     **layers;
  int        fbns;
  char      *arch;
  char      *rotate;
  char      *maps;
  int        epochs;
  int        window;
  gint64     seed;
  char      *out;
  char      *device;
  char      *mask;
  char      *reduce;
  char      *size;
  char      *null_name;
  int        surrogates;
  double     alpha;
  char      *labels;
  char      *fbn_labels;
  char      *direction;
  char      *atlas_dir;
  char      *scores;
} RunOptions;

/* Modification time in nanoseconds, -1 when missing. */
gint64      sa_run_mtime_of      (const char        *path);
/* Calls another command in this process, as if from the command line. */
int         sa_run_call_command  (int              (*func) (int, char **),
                                  GPtrArray         *args);

/* Whether the train step would reuse the embedding as it is. */
gboolean    sa_run_train_reusable (const RunOptions *o,
                                   SaBidsDataset    *dataset,
                                   const char       *prefix);
gboolean    sa_run_step_train    (const RunOptions  *o,
                                  SaBidsDataset     *dataset,
                                  const char        *prefix,
                                  GError           **error);
void        sa_run_step_annotate (RunOptions        *o,
                                  const char        *prefix,
                                  const char        *name);

SaBidsRun  *sa_run_movie_run     (SaBidsDataset     *dataset,
                                  const char        *run_key,
                                  GError           **error);
gboolean    sa_run_step_extract  (const RunOptions  *o,
                                  SaBidsRun         *run,
                                  const char        *layer,
                                  const char        *h5,
                                  int               *first_tr,
                                  SaActivations    **out,
                                  GError           **error);
gboolean    sa_run_step_pair     (const RunOptions  *o,
                                  SaBidsDataset     *dataset,
                                  const char        *run_key,
                                  const char        *layer,
                                  const char        *h5,
                                  const char        *pairs_prefix,
                                  int                first_tr,
                                  GError           **error);
gboolean    sa_run_step_cross    (const RunOptions  *o,
                                  SaBidsRun         *run,
                                  const char        *run_key,
                                  const char        *pairs_prefix,
                                  SaActivations     *acts,
                                  GError           **error);

/* Each step's share of the whole run, from its estimated cost: train,
 * annotate, then extract, pair and annotate per run key × layer. Returns
 * 2 + 3 × runs × layers weights summing to 1. */
double     *sa_run_plan          (const RunOptions  *o,
                                  SaBidsDataset     *dataset,
                                  const char        *prefix,
                                  const char        *model_value,
                                  int               *n_weights);
/* A BIDS entity value is alphanumeric: "builtin:democnn" → "democnn",
 * "resnet18.pt" → "resnet18", "features.10" → "features10". */
char       *sa_run_entity_value  (const char        *text,
                                  gboolean           strip_extension);
/* The pairs prefix of @run_key × @layer: "task-movie_model-M_layer-L". */
char       *sa_run_pairs_prefix  (const char        *run_key,
                                  const char        *model_value,
                                  const char        *layer);

G_END_DECLS
