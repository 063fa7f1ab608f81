/* fastica.h — FastICA (Hyvärinen 1999), the estimator MELODIC and CanICA use
 *
 * Rows of the input are mixed signals, columns are samples: for spatial
 * ICA the rows are (reduced) spatial maps and the samples are voxels. The
 * algorithm is scikit-learn's FastICA(algorithm="parallel",
 * whiten="unit-variance", fun="logcosh"): rows centred, whitened by PCA
 * (eigen-decomposition of their covariance), then the fixed-point iteration
 *
 *   W ← E[g(W z) zᵀ] − diag(E[g′(W z)]) W,   g = tanh (logcosh, α = 1)
 *
 * followed by symmetric decorrelation W ← (W Wᵀ)^(−1/2) W, until
 * max |1 − |diag(W_new Wᵀ)|| < tol. The start W is a seeded N(0, 1) matrix.
 * Sources come out with zero mean and unit variance; their sign and order
 * are arbitrary, as in any ICA. Centring, whitening and W are double; the
 * iteration's products run in float32 (checked against scikit-learn's
 * float64 result: the same sources, |r| > 0.9999).
 *
 * Non-convergence within max_iter is not an error: the result is returned
 * with info->converged FALSE and the caller shows it as a warning.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  int      n_components;   /* kept after whitening; 0 = as many as rows */
  int      max_iter;       /* 200 */
  double   tol;            /* 1e-4 */
  guint64  seed;           /* 0 */
} SaFastIcaParams;

typedef struct {
  int      n_iter;
  gboolean converged;
  double   last_change;    /* the convergence measure at the last iteration */
} SaFastIcaInfo;

void      sa_fastica_params_init (SaFastIcaParams       *params);

/* @x: p × @n_samples row-major. Writes @sources (m × n_samples, row-major,
 * m = n_components) and, when not NULL, @mixing (p × m row-major) such that
 * x ≈ mixing · sources + row means. Fails (SA_ERROR_ARGUMENT) when the rows
 * span fewer than m dimensions. */
gboolean  sa_fastica             (const float           *x,
                                  int                    p,
                                  gint64                 n_samples,
                                  const SaFastIcaParams *params,
                                  float                 *sources,
                                  double                *mixing,
                                  SaFastIcaInfo         *info,
                                  GCancellable          *cancellable,
                                  GError               **error);

/* Spatial ICA of @p maps given as rows of @x (p × n voxels): FastICA with
 * voxels as samples, then the form SyncAct stores FBN maps in: @maps is
 * n × m row-major (column j = component j), each column z-scored over
 * voxels, its sign set so that its largest-magnitude voxel is positive, the
 * columns ordered by the variance of x they explain (largest first). */
gboolean  sa_fastica_maps        (const float           *x,
                                  int                    p,
                                  gint64                 n_voxels,
                                  const SaFastIcaParams *params,
                                  float                 *maps,
                                  SaFastIcaInfo         *info,
                                  GCancellable          *cancellable,
                                  GError               **error);

G_END_DECLS
