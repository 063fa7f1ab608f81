/* activations.h — filter activations per TR, and their HDF5 cache
 *
 * One file per (model, layer, movie, settings): dataset /activations,
 * float32 T × K (row t = TR t, column k = filter k of the layer, PyTorch's
 * channel numbering), with string/number attributes on the dataset:
 *   model (as given), model_hash, layer, reduce ("max", "mean",
 *   "topk-mean"), topk_percent, size ("256x180"), resize, normalisation
 *   ("imagenet", "none" or "M,M,M/S,S,S"), tr (seconds), movie (path),
 *   movie_hash.
 * A cache is reused only when every key attribute matches.
 *
 * Reading, for other parts of SyncAct:
 *   g_autoptr(SaActivations) a = sa_activations_load ("acts.h5", &error);
 *   a->data[t * a->n_units + k]   // TR t, filter k
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int     n_tr;           /* T */
  int     n_units;        /* K */
  float  *data;           /* T × K, row-major */

  char   *model;
  char   *model_hash;
  char   *layer;
  char   *reduce;
  double  topk_percent;   /* used by topk-mean; recorded always */
  int     width, height;
  char   *resize;
  char   *normalisation;
  double  tr;
  char   *movie;
  char   *movie_hash;
} SaActivations;

SaActivations *sa_activations_new       (int                  n_tr,
                                         int                  n_units);
void           sa_activations_free      (SaActivations       *acts);

/* Writes atomically (a temporary file beside @path, then a rename). */
gboolean       sa_activations_save      (const SaActivations *acts,
                                         const char          *path,
                                         GError             **error);
SaActivations *sa_activations_load      (const char          *path,
                                         GError             **error);

/* TRUE when @a and @b were made from the same inputs with the same
 * settings: model hash, layer, reduce (and topk_percent for topk-mean),
 * size, resize, normalisation, tr, movie hash and T. */
gboolean       sa_activations_same_key  (const SaActivations *a,
                                         const SaActivations *b);

/* Writes the BIDS continuous-recording pair PREFIX_stim.tsv.gz (no header,
 * one row per TR, one column per filter) and PREFIX_stim.json
 * (SamplingFrequency = 1/TR, StartTime 0, Columns "filter-000"...). */
gboolean       sa_activations_export_bids (const SaActivations *acts,
                                           const char          *prefix,
                                           GError             **error);

/* SHA-256 over the size and the first and last MiB of a file: cheap for
 * multi-gigabyte movies, and it changes when the movie is re-encoded. */
char          *sa_file_quick_hash       (const char          *path,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaActivations, sa_activations_free)

G_END_DECLS
