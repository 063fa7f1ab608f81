/* extract.h — filter activations of one layer for every TR of a movie
 *
 * The frame shown at the end of each TR is decoded, resized to W×H,
 * normalised, batched and run through the model with the layer tapped;
 * each filter's feature map (N×C×H×W) is reduced to one number. A layer
 * with a 2D output (N×K, e.g. a Linear) gives its K units as they are; the
 * reduction does not apply. Anything else is an error saying its shape. A producer thread
 * decodes the next batch while the model runs the current one.
 */
#pragma once

#include <gio/gio.h>

#include "compute/ann/activations.h"
#include "compute/ann/preprocess.h"
#include "compute/ann/reduce.h"
#include "compute/io/movie.h"
#include "compute/progress.h"

G_BEGIN_DECLS

typedef struct {
  const char  *model;          /* file or "builtin:democnn" */
  const char  *layer;          /* dotted module name */
  const char  *movie;
  double       tr;             /* seconds */
  int          n_tr;           /* <= 0: as many whole TRs as the movie holds */
  SaReduce     reduce;
  double       topk_percent;   /* for topk-mean; default 10 */
  int          width, height;  /* default 256×180, the paper's */
  SaResize     resize;
  SaNormalize  norm;           /* default ImageNet */
  const char  *device;         /* NULL: the best available */
  int          batch_size;     /* default 16 */
  int          threads;        /* libtorch intra-op threads; <= 0 leaves them */
} SaExtractOptions;

void           sa_extract_options_init (SaExtractOptions       *opts);

/* Number of TRs the options ask for: opts->n_tr, or the movie's length in
 * whole TRs. */
int            sa_extract_count_trs    (const SaExtractOptions *opts,
                                        GError                **error);

SaActivations *sa_extract              (const SaExtractOptions *opts,
                                        const SaProgress       *progress,
                                        GCancellable           *cancellable,
                                        GError                **error);

/* Like sa_extract, but first looks at @out_path: when it holds activations
 * with the same key (sa_activations_same_key) they are returned and
 * *@reused is set; otherwise they are computed and written there
 * atomically. */
SaActivations *sa_extract_cached       (const SaExtractOptions *opts,
                                        const char             *out_path,
                                        gboolean               *reused,
                                        const SaProgress       *progress,
                                        GCancellable           *cancellable,
                                        GError                **error);

G_END_DECLS
