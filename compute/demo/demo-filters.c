#include "config.h"

#include <glib/gi18n.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "compute/demo/demo-private.h"
#include "compute/error.h"

/* A filter whose activation the common factor and the filters already
 * taken explain to 95 % or more adds no network of its own. */
#define MIN_RESIDUAL 0.05

/* Z-scores @n values taken every @stride from @src into @dst (contiguous);
 * FALSE when they are (nearly) constant. */
static gboolean
zscore (const float *src, int n, int stride, double *dst)
{
  double mean = 0, var = 0;

  for (int t = 0; t < n; t++)
    mean += src[(gsize) t * stride];
  mean /= n;
  for (int t = 0; t < n; t++)
    var += pow (src[(gsize) t * stride] - mean, 2);
  var /= n;
  if (!(var > 1e-12 * (1 + mean * mean)))
    return FALSE;
  for (int t = 0; t < n; t++)
    dst[t] = (src[(gsize) t * stride] - mean) / sqrt (var);
  return TRUE;
}

static double
dot (const double *a, const double *b, int n)
{
  double s = 0;

  for (int t = 0; t < n; t++)
    s += a[t] * b[t];
  return s / n;
}

/* The loading of each valid filter on the layer's first principal
 * component (its correlation with the component's score) and the share of
 * the layer's variance that component holds. */
static gboolean
common_factor (const double *corr, const gboolean *valid, int C, double *loading,
               double *share, GError **error)
{
  g_autofree int *idx = g_new (int, C);
  g_autofree double *sub = NULL;
  g_autofree double *w = NULL;
  int n = 0;

  for (int c = 0; c < C; c++)
    if (valid[c])
      idx[n++] = c;
  sub = g_new (double, (gsize) n * n);
  w = g_new (double, n);
  for (int a = 0; a < n; a++)
    for (int b = 0; b < n; b++)
      sub[(gsize) a * n + b] = corr[(gsize) idx[a] * C + idx[b]];
  if (LAPACKE_dsyev (LAPACK_ROW_MAJOR, 'V', 'U', n, sub, n, w) != 0)
    {
      sa_set_error (error, SA_ERROR_FAILED, NULL, "demo: eigen-decomposition of the filters failed");
      return FALSE;
    }
  /* Eigenvalues ascend: the last column is the first component. */
  memset (loading, 0, sizeof (double) * C);
  for (int a = 0; a < n; a++)
    loading[idx[a]] = sub[(gsize) a * n + n - 1] * sqrt (MAX (w[n - 1], 0));
  *share = w[n - 1] / n;
  return TRUE;
}

gboolean
sa_demo_pick_filters (const SaActivations *acts,
                      const SaActivations *control_acts,
                      const SaDemoParams  *p,
                      SaDemoNetwork       *nets,
                      float               *tc,
                      float               *tc_control,
                      SaDemoFilterSet     *set,
                      GError             **error)
{
  int T = acts->n_tr, C = acts->n_units, K = p->n_networks, found = 0, n_valid = 0;
  g_autofree double *raw = g_new (double, (gsize) C * T);
  g_autofree double *craw = g_new (double, T);
  g_autofree double *corr = g_new (double, (gsize) C * C);
  g_autofree double *loading = g_new (double, C);
  g_autofree double *resid = g_new (double, C);
  g_autofree double *chol = g_new0 (double, (gsize) C * K);
  g_autofree gboolean *valid = g_new0 (gboolean, C);
  g_autofree int *chosen = g_new (int, K);
  double max_r = 0;

  for (int c = 0; c < C; c++)
    {
      valid[c] = zscore (acts->data + c, T, C, raw + (gsize) c * T)
                 && zscore (control_acts->data + c, T, C, craw);
      n_valid += valid[c];
    }
  if (n_valid < K)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("only %d filters of %s %s have activations that vary on both movies; "
                      "ask for fewer networks or a longer movie"),
                    n_valid, acts->model, acts->layer);
      return FALSE;
    }
  for (int a = 0; a < C; a++)
    for (int b = a; b < C; b++)
      corr[(gsize) a * C + b] = corr[(gsize) b * C + a]
        = valid[a] && valid[b] ? dot (raw + (gsize) a * T, raw + (gsize) b * T, T) : 0;
  if (!common_factor (corr, valid, C, loading, &set->common_share, error))
    return FALSE;

  /* The filters of one layer share a strong common factor (overall edge
   * energy: on the demo movie the first principal component holds ~70 % of
   * conv3's variance). Networks that followed it would rise and fall
   * together, and no spatial decomposition could tell them apart: what
   * separates them is the part of each time course the others do not
   * share. So: a pivoted Cholesky of the filters' correlation matrix with
   * the common factor as the first pivot. Each step takes the filter with
   * the largest variance left after regressing out the factor and the
   * filters already taken (1 − R², so low partial correlation with all of
   * them), preferring those whose |r| with each of them stays within
   * max_filter_correlation. This greedily maximises the determinant of
   * the chosen set's correlation matrix, i.e. how far from collinear the
   * planted time courses are. */
  for (int c = 0; c < C; c++)
    resid[c] = valid[c] ? 1.0 - loading[c] * loading[c] : -1;
  while (found < K)
    {
      int best = -1, any = -1;
      double *col;

      /* Within max_filter_correlation of every filter taken when any
       * filter is; otherwise (a movie with few distinct filters) the most
       * distinct one anyway: truth.json records the largest |r|. */
      for (int c = 0; c < C; c++)
        {
          gboolean ok = valid[c];

          for (int j = 0; j < found && ok; j++)
            ok = chosen[j] != c;
          if (!ok)
            continue;
          if (any < 0 || resid[c] > resid[any])
            any = c;
          for (int j = 0; j < found && ok; j++)
            ok = fabs (corr[(gsize) c * C + chosen[j]]) <= p->max_filter_correlation;
          if (ok && (best < 0 || resid[c] > resid[best]))
            best = c;
        }
      if (best < 0)
        best = any;
      if (best < 0 || resid[best] < MIN_RESIDUAL)
        break;
      for (int j = 0; j < found; j++)
        max_r = MAX (max_r, fabs (corr[(gsize) best * C + chosen[j]]));
      /* Next Cholesky column: covariance with the new pivot given the
       * factor and the earlier pivots. */
      col = chol + (gsize) found * C;
      for (int c = 0; c < C; c++)
        {
          double v;

          if (!valid[c])
            continue;
          v = corr[(gsize) c * C + best] - loading[c] * loading[best];
          for (int j = 0; j < found; j++)
            v -= chol[(gsize) j * C + c] * chol[(gsize) j * C + best];
          col[c] = v / sqrt (resid[best]);
        }
      for (int c = 0; c < C; c++)
        if (valid[c])
          resid[c] -= col[c] * col[c];
      chosen[found++] = best;
    }
  if (found < K)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("only %d filters of %s %s have activations that are not nearly collinear with "
                      "each other on this movie; ask for fewer networks or a longer movie"),
                    found, acts->model, acts->layer);
      return FALSE;
    }
  set->max_r = max_r;

  /* Each planted filter's share of variance the other planted filters do
   * not explain: 1 / (R⁻¹)_kk of the chosen set's correlation matrix. */
  {
    g_autofree double *rk = g_new (double, (gsize) K * K);
    g_autofree lapack_int *ipiv = g_new (lapack_int, K);

    for (int a = 0; a < K; a++)
      for (int b = 0; b < K; b++)
        rk[(gsize) a * K + b] = corr[(gsize) chosen[a] * C + chosen[b]];
    if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', K, rk, K) != 0
        || LAPACKE_dpotri (LAPACK_ROW_MAJOR, 'U', K, rk, K) != 0)
      {
        sa_set_error (error, SA_ERROR_FAILED, NULL, "demo: the planted filters are collinear");
        return FALSE;
      }
    for (int k = 0; k < K; k++)
      nets[k].unique_share = 1.0 / rk[(gsize) k * K + k];
  }

  for (int k = 0; k < K; k++)
    {
      int c = chosen[k];

      nets[k].filter = c;
      nets[k].common_loading = loading[c];
      /* Planted as Sync-ACT models the brain: the network follows the
       * filter's activation TR by TR (the paper correlates without an HRF;
       * convolved with one, the courses correlated only -0.03 to 0.26 with
       * the activations on this movie and no pairing could find them). */
      for (int t = 0; t < T; t++)
        tc[(gsize) t * K + k] = (float) raw[(gsize) c * T + t];
      zscore (control_acts->data + c, T, C, craw);
      for (int t = 0; t < T; t++)
        tc_control[(gsize) t * K + k] = (float) craw[t];
    }
  return TRUE;
}
