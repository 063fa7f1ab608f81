#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "compute/embed/fastica.h"
#include "compute/error.h"
#include "compute/blas-serial.h"

void
sa_fastica_params_init (SaFastIcaParams *params)
{
  g_return_if_fail (params != NULL);

  params->n_components = 0;
  params->max_iter = 200;
  params->tol = 1e-4;
  params->seed = 0;
}

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static double
normal (guint64 *state)
{
  double u = ((splitmix64 (state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double v = ((splitmix64 (state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  return sqrt (-2.0 * log (u)) * cos (2 * G_PI * v);
}

/* tanh as a rational function of x (Eigen's float ptanh: within 5e-7 of
 * tanhf), written so that GCC vectorises it: libm's tanhf does not
 * vectorise and was most of FastICA's time. The clamp is where tanh is 1 in
 * float. Trapping math off only lets the clamp's comparisons become
 * vector selects. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__ ((optimize ("O3", "no-trapping-math")))
#endif
static void
tanh_row (float *restrict y,
          gint64          n)
{
  const float lim = 7.90531110763549805f;

  for (gint64 j = 0; j < n; j++)
    {
      float x = y[j] < -lim ? -lim : y[j];
      float x2, p, q;

      x = x > lim ? lim : x;
      x2 = x * x;
      p = -2.76076847742355e-16f;
      p = p * x2 + 2.00018790482477e-13f;
      p = p * x2 - 8.60467152213735e-11f;
      p = p * x2 + 5.12229709037114e-08f;
      p = p * x2 + 1.48572235717979e-05f;
      p = p * x2 + 6.37261928875436e-04f;
      p = p * x2 + 4.89352455891786e-03f;
      q = 1.19825839466702e-06f;
      q = q * x2 + 1.18534705686654e-04f;
      q = q * x2 + 2.26843463243900e-03f;
      q = q * x2 + 4.89352518554385e-03f;
      y[j] = x * p / q;
    }
}

/* Mean of 1 − y² over a row; eight partial sums so it vectorises too. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__ ((optimize ("O3")))
#endif
static double
mean_derivative (const float *y,
                 gint64       n)
{
  float acc[8] = { 0, };
  double s = 0;
  gint64 j = 0;

  for (; j + 8 <= n; j += 8)
    for (int l = 0; l < 8; l++)
      acc[l] += 1.0f - y[j + l] * y[j + l];
  for (; j < n; j++)
    s += 1.0 - (double) y[j] * y[j];
  for (int l = 0; l < 8; l++)
    s += acc[l];
  return s / n;
}

/* y ← tanh(y), gp[i] = E[1 − tanh²] over row i. */
static void
apply_tanh (float  *y,
            int     m,
            gint64  n,
            double *gp)
{
  for (int i = 0; i < m; i++)
    {
      float *row = y + (gsize) i * n;
      tanh_row (row, n);
      gp[i] = mean_derivative (row, n);
    }
}

/* W ← (W Wᵀ)^(−1/2) W for an m × m W: rows orthonormal, closest to W. */
static gboolean
symmetric_decorrelation (double *w,
                         int     m)
{
  g_autofree double *c = g_new (double, (gsize) m * m);
  g_autofree double *s = g_new (double, m);
  g_autofree double *t = g_new (double, (gsize) m * m);
  g_autofree double *r = g_new (double, (gsize) m * m);
  lapack_int info;

  sa_blas_serial_begin ();
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, m,
               1.0, w, m, w, m, 0.0, c, m);
  info = LAPACKE_dsyevd (LAPACK_ROW_MAJOR, 'V', 'U', m, c, m, s);
  if (info != 0)
    {
      sa_blas_serial_end ();
      return FALSE;
    }
  /* t = E diag(s^-1/2); r = t Eᵀ; w = r w */
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++)
      t[i * m + j] = c[i * m + j] / sqrt (MAX (s[j], 1e-300));
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, m,
               1.0, t, m, c, m, 0.0, r, m);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, m, m,
               1.0, r, m, w, m, 0.0, t, m);
  sa_blas_serial_end ();
  memcpy (w, t, sizeof (double) * m * m);
  return TRUE;
}

gboolean
sa_fastica (const float            *x,
            int                     p,
            gint64                  n_samples,
            const SaFastIcaParams  *params,
            float                  *sources,
            double                 *mixing,
            SaFastIcaInfo          *info,
            GCancellable           *cancellable,
            GError                **error)
{
  SaFastIcaParams defaults;
  int m;
  gint64 N = n_samples;
  g_autofree double *xc = NULL;
  g_autofree double *cov = NULL;
  g_autofree double *eval = NULL;
  g_autofree double *k = NULL;
  g_autofree double *z = NULL;
  g_autofree float *zf = NULL;
  g_autofree float *yf = NULL;
  g_autofree float *wf = NULL;
  g_autofree float *w1f = NULL;
  g_autofree double *w = NULL;
  g_autofree double *w1 = NULL;
  g_autofree double *gp = NULL;
  guint64 state;
  lapack_int status;
  SaFastIcaInfo local_info = { 0, FALSE, INFINITY };

  g_return_val_if_fail (x != NULL, FALSE);
  g_return_val_if_fail (sources != NULL, FALSE);

  if (params == NULL)
    {
      sa_fastica_params_init (&defaults);
      params = &defaults;
    }
  m = params->n_components > 0 ? params->n_components : p;
  if (p < 1 || m > p || N < 2 || params->max_iter < 1 || !(params->tol > 0))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "FastICA: invalid problem (%d signals, %d components, %" G_GINT64_FORMAT
                    " samples)", p, m, N);
      return FALSE;
    }

  /* Centre, then whiten with the top m eigenvectors of the covariance. */
  xc = g_new (double, (gsize) p * N);
  for (int i = 0; i < p; i++)
    {
      const float *row = x + (gsize) i * N;
      double *out = xc + (gsize) i * N, mean = 0;
      for (gint64 j = 0; j < N; j++)
        mean += row[j];
      mean /= N;
      for (gint64 j = 0; j < N; j++)
        out[j] = row[j] - mean;
    }
  cov = g_new (double, (gsize) p * p);
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, p, (int) N,
               1.0 / N, xc, (int) N, 0.0, cov, p);
  for (int i = 0; i < p; i++)
    if (!isfinite (cov[i * p + i]))
      {
        sa_set_error (error, SA_ERROR_INVALID_DATA, NULL, _("FastICA: the input holds non-finite values"));
        return FALSE;
      }
  eval = g_new (double, p);
  sa_blas_serial_begin ();
  status = LAPACKE_dsyevd (LAPACK_ROW_MAJOR, 'V', 'U', p, cov, p, eval);
  sa_blas_serial_end ();
  if (status != 0)
    {
      sa_set_error (error, SA_ERROR_FAILED, NULL, _("FastICA: eigen-decomposition failed"));
      return FALSE;
    }
  /* dsyevd sorts ascending: component i is eigenpair p-1-i. */
  if (!(eval[p - m] > 1e-10 * MAX (eval[p - 1], 1e-300)))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("FastICA: the %d signals span fewer than %d dimensions"), p, m);
      return FALSE;
    }
  k = g_new (double, (gsize) m * p);
  for (int i = 0; i < m; i++)
    {
      int e = p - 1 - i;
      for (int j = 0; j < p; j++)
        k[i * p + j] = cov[j * p + e] / sqrt (eval[e]);
    }
  z = g_new (double, (gsize) m * N);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, (int) N, p,
               1.0, k, p, xc, (int) N, 0.0, z, (int) N);
  g_clear_pointer (&xc, g_free);

  w = g_new (double, (gsize) m * m);
  state = params->seed ^ 0xFA57;
  for (int i = 0; i < m * m; i++)
    w[i] = normal (&state);
  symmetric_decorrelation (w, m);

  /* The iteration runs in float (as MELODIC does): twice the BLAS speed
   * and half the memory; W and its decorrelation stay in double. */
  zf = g_new (float, (gsize) m * N);
  for (gint64 i = 0; i < (gint64) m * N; i++)
    zf[i] = (float) z[i];
  g_clear_pointer (&z, g_free);
  yf = g_new (float, (gsize) m * N);
  wf = g_new (float, (gsize) m * m);
  w1f = g_new (float, (gsize) m * m);
  w1 = g_new (double, (gsize) m * m);
  gp = g_new (double, m);
  for (int it = 0; it < params->max_iter; it++)
    {
      double lim = 0;

      if (sa_check_cancelled (cancellable, error))
        return FALSE;
      for (int i = 0; i < m * m; i++)
        wf[i] = (float) w[i];
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, (int) N, m,
                   1.0f, wf, m, zf, (int) N, 0.0f, yf, (int) N);
      apply_tanh (yf, m, N, gp);
      sa_blas_serial_begin ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, (int) N,
                   1.0f / N, yf, (int) N, zf, (int) N, 0.0f, w1f, m);
      sa_blas_serial_end ();
      for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
          w1[i * m + j] = w1f[i * m + j] - gp[i] * w[i * m + j];
      if (!symmetric_decorrelation (w1, m))
        {
          sa_set_error (error, SA_ERROR_FAILED, NULL, _("FastICA: decorrelation failed"));
          return FALSE;
        }
      for (int i = 0; i < m; i++)
        {
          double d = 0;
          for (int j = 0; j < m; j++)
            d += w1[i * m + j] * w[i * m + j];
          lim = MAX (lim, fabs (fabs (d) - 1));
        }
      memcpy (w, w1, sizeof (double) * m * m);
      local_info.n_iter = it + 1;
      local_info.last_change = lim;
      if (lim < params->tol)
        {
          local_info.converged = TRUE;
          break;
        }
    }
  if (!local_info.converged)
    g_debug ("FastICA did not converge in %d iterations (change %g, tol %g)",
             params->max_iter, local_info.last_change, params->tol);

  for (int i = 0; i < m * m; i++)
    wf[i] = (float) w[i];
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, (int) N, m,
               1.0f, wf, m, zf, (int) N, 0.0f, sources, (int) N);

  /* W is orthogonal and z = K xc, so xc = K⁺ Wᵀ s with K⁺ = E diag(√λ). */
  if (mixing != NULL)
    for (int r = 0; r < p; r++)
      for (int c = 0; c < m; c++)
        {
          double v = 0;
          for (int i = 0; i < m; i++)
            {
              int e = p - 1 - i;
              v += cov[r * p + e] * sqrt (eval[e]) * w[c * m + i];
            }
          mixing[r * m + c] = v;
        }
  if (info != NULL)
    *info = local_info;
  return TRUE;
}

typedef struct {
  int    index;
  double variance;
} Ranked;

static int
by_variance_desc (gconstpointer a,
                  gconstpointer b)
{
  const Ranked *ra = a, *rb = b;
  if (ra->variance != rb->variance)
    return ra->variance < rb->variance ? 1 : -1;
  return ra->index - rb->index;
}

gboolean
sa_fastica_maps (const float            *x,
                 int                     p,
                 gint64                  n_voxels,
                 const SaFastIcaParams  *params,
                 float                  *maps,
                 SaFastIcaInfo          *info,
                 GCancellable           *cancellable,
                 GError                **error)
{
  SaFastIcaParams defaults;
  int m;
  g_autofree float *s = NULL;
  g_autofree double *a = NULL;
  g_autofree Ranked *rank = NULL;

  g_return_val_if_fail (x != NULL, FALSE);
  g_return_val_if_fail (maps != NULL, FALSE);

  if (params == NULL)
    {
      sa_fastica_params_init (&defaults);
      params = &defaults;
    }
  m = params->n_components > 0 ? params->n_components : p;
  if (m > p || p < 1)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("FastICA: %d components asked of %d maps"), m, p);
      return FALSE;
    }
  s = g_new (float, (gsize) m * n_voxels);
  a = g_new (double, (gsize) p * m);
  if (!sa_fastica (x, p, n_voxels, params, s, a, info, cancellable, error))
    return FALSE;

  /* Sources have unit variance, so mixing column j's squared norm is the
   * variance component j explains. */
  rank = g_new (Ranked, m);
  for (int j = 0; j < m; j++)
    {
      rank[j].index = j;
      rank[j].variance = 0;
      for (int r = 0; r < p; r++)
        rank[j].variance += a[r * m + j] * a[r * m + j];
    }
  qsort (rank, m, sizeof (Ranked), by_variance_desc);

  for (int j = 0; j < m; j++)
    {
      const float *src = s + (gsize) rank[j].index * n_voxels;
      double mean = 0, var = 0, peak = 0, scale;
      for (gint64 v = 0; v < n_voxels; v++)
        mean += src[v];
      mean /= n_voxels;
      for (gint64 v = 0; v < n_voxels; v++)
        {
          double d = src[v] - mean;
          var += d * d;
          if (fabs (d) > fabs (peak))
            peak = d;
        }
      scale = var > 0 ? 1.0 / sqrt (var / n_voxels) : 0.0;
      if (peak < 0)
        scale = -scale;
      for (gint64 v = 0; v < n_voxels; v++)
        maps[v * m + j] = (float) ((src[v] - mean) * scale);
    }
  return TRUE;
}
