#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "compute/embed/dual-regression.h"
#include "compute/error.h"
#include "compute/blas-serial.h"

struct _SaDualRegression {
  gint64  n_voxels;
  int     n_maps;
  float  *projector;   /* n × m: M_c (M_cᵀ M_c)⁻¹ */
};

/* Inverts the symmetric positive definite @a (m × m, row-major) in place.
 * FALSE when it is singular for practical purposes: a Cholesky pivot
 * ratio under 1e-6 means a condition number past ~1e12. */
static gboolean
cholesky_inverse (double *a,
                  int     m)
{
  double lo = INFINITY, hi = 0;

  if (LAPACKE_dpotrf (LAPACK_ROW_MAJOR, 'U', m, a, m) != 0)
    return FALSE;
  for (int i = 0; i < m; i++)
    {
      lo = MIN (lo, fabs (a[i * m + i]));
      hi = MAX (hi, fabs (a[i * m + i]));
    }
  if (!(lo > 1e-6 * hi))
    return FALSE;
  if (LAPACKE_dpotri (LAPACK_ROW_MAJOR, 'U', m, a, m) != 0)
    return FALSE;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < i; j++)
      a[i * m + j] = a[j * m + i];
  return TRUE;
}

static gboolean
spd_inverse (double *a,
             int     m)
{
  gboolean ok;

  sa_blas_serial_begin ();
  ok = cholesky_inverse (a, m);
  sa_blas_serial_end ();
  return ok;
}

SaDualRegression *
sa_dual_regression_new (const float  *maps,
                        gint64        n_voxels,
                        int           n_maps,
                        GError      **error)
{
  g_autofree double *mc = NULL;
  g_autofree double *gram = NULL;
  g_autofree double *proj = NULL;
  SaDualRegression *dr;
  int m = n_maps;
  gint64 n = n_voxels;

  g_return_val_if_fail (maps != NULL, NULL);

  if (m < 1 || n <= m)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "dual regression needs more voxels (%" G_GINT64_FORMAT ") than maps (%d)",
                    n, m);
      return NULL;
    }

  mc = g_new (double, (gsize) n * m);
  for (int j = 0; j < m; j++)
    {
      double mean = 0;
      for (gint64 v = 0; v < n; v++)
        mean += maps[v * m + j];
      mean /= n;
      for (gint64 v = 0; v < n; v++)
        mc[v * m + j] = maps[v * m + j] - mean;
    }
  for (gint64 i = 0; i < n * m; i++)
    if (!isfinite (mc[i]))
      {
        sa_set_error (error, SA_ERROR_INVALID_DATA, NULL, _("FBN maps hold non-finite values"));
        return NULL;
      }
  gram = g_new (double, (gsize) m * m);
  sa_blas_serial_begin ();
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m, m, (int) n,
               1.0, mc, m, mc, m, 0.0, gram, m);
  sa_blas_serial_end ();
  if (!spd_inverse (gram, m))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("the %d FBN maps are linearly dependent (or a map is constant)"), m);
      return NULL;
    }
  proj = g_new (double, (gsize) n * m);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n, m, m,
               1.0, mc, m, gram, m, 0.0, proj, m);

  dr = g_new0 (SaDualRegression, 1);
  dr->n_voxels = n;
  dr->n_maps = m;
  dr->projector = g_new (float, (gsize) n * m);
  for (gint64 i = 0; i < n * m; i++)
    dr->projector[i] = (float) proj[i];
  return dr;
}

void
sa_dual_regression_free (SaDualRegression *dr)
{
  if (dr == NULL)
    return;
  g_free (dr->projector);
  g_free (dr);
}

int
sa_dual_regression_n_maps (SaDualRegression *dr)
{
  g_return_val_if_fail (dr != NULL, 0);
  return dr->n_maps;
}

void
sa_dual_regression_stage1 (SaDualRegression *dr,
                           const float      *data,
                           int               n_timepoints,
                           float            *time_courses)
{
  g_return_if_fail (dr != NULL);
  g_return_if_fail (data != NULL && time_courses != NULL);

  /* Demeaning each volume is not needed: the projector's columns sum to 0,
   * so a constant added to a volume does not change its coefficients. A
   * T × m output over every voxel: one thread, or its rounding follows the
   * core count (blas-serial.h). */
  sa_blas_serial_begin ();
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n_timepoints, dr->n_maps,
               (int) dr->n_voxels, 1.0f, data, (int) dr->n_voxels,
               dr->projector, dr->n_maps, 0.0f, time_courses, dr->n_maps);
  sa_blas_serial_end ();
}

gboolean
sa_dual_regression_stage2 (const float  *data,
                           int           n_timepoints,
                           gint64        n_voxels,
                           const float  *time_courses,
                           int           n_maps,
                           gboolean      normalise,
                           float        *maps,
                           GError      **error)
{
  int T = n_timepoints, m = n_maps;
  g_autofree double *xc = NULL;
  g_autofree double *gram = NULL;
  g_autofree float *xf = NULL;
  g_autofree float *gram_f = NULL;
  g_autofree float *b = NULL;

  g_return_val_if_fail (data != NULL && time_courses != NULL && maps != NULL, FALSE);

  if (T <= m)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("dual regression stage 2 needs more time points (%d) than maps (%d)"), T, m);
      return FALSE;
    }
  xc = g_new (double, (gsize) T * m);
  for (int j = 0; j < m; j++)
    {
      double mean = 0, var = 0, scale = 1;
      for (int t = 0; t < T; t++)
        mean += time_courses[(gsize) t * m + j];
      mean /= T;
      for (int t = 0; t < T; t++)
        var += pow (time_courses[(gsize) t * m + j] - mean, 2);
      /* FSL normalises by the sample standard deviation (ddof 1). */
      if (normalise && var > 0)
        scale = 1.0 / sqrt (var / (T - 1));
      for (int t = 0; t < T; t++)
        xc[(gsize) t * m + j] = (time_courses[(gsize) t * m + j] - mean) * scale;
    }
  gram = g_new (double, (gsize) m * m);
  sa_blas_serial_begin ();
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m, m, T,
               1.0, xc, m, xc, m, 0.0, gram, m);
  sa_blas_serial_end ();
  if (!spd_inverse (gram, m))
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("the %d FBN time courses are linearly dependent (or one is constant)"), m);
      return FALSE;
    }
  xf = g_new (float, (gsize) T * m);
  gram_f = g_new (float, (gsize) m * m);
  for (gsize i = 0; i < (gsize) T * m; i++)
    xf[i] = (float) xc[i];
  for (gsize i = 0; i < (gsize) m * m; i++)
    gram_f[i] = (float) gram[i];
  /* maps = Yᵀ X_c (X_cᵀ X_c)⁻¹; the voxel means drop out as in stage 1. */
  b = g_new (float, (gsize) n_voxels * m);
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n_voxels, m, T,
               1.0f, data, (int) n_voxels, xf, m, 0.0f, b, m);
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) n_voxels, m, m,
               1.0f, b, m, gram_f, m, 0.0f, maps, m);
  return TRUE;
}

gboolean
sa_dual_regression_subjects (SaDualRegression      *dr,
                             const SaSubjectSource *source,
                             const int             *subjects,
                             int                    n_subjects,
                             float                 *per_subject,
                             float                 *mean,
                             int                   *n_timepoints,
                             const SaProgress      *progress,
                             GCancellable          *cancellable,
                             GError               **error)
{
  int m, T = -1;
  g_autofree float *tc = NULL;
  g_autofree double *sum = NULL;

  g_return_val_if_fail (dr != NULL && source != NULL && source->fetch != NULL, FALSE);

  m = dr->n_maps;
  if (source->n_voxels != dr->n_voxels)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, NULL,
                    "the maps cover %" G_GINT64_FORMAT " voxels, the data %" G_GINT64_FORMAT,
                    dr->n_voxels, source->n_voxels);
      return FALSE;
    }
  if (n_subjects < 1)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("dual regression needs at least one subject"));
      return FALSE;
    }
  for (int i = 0; i < n_subjects; i++)
    {
      int s = subjects != NULL ? subjects[i] : i;
      const float *data = NULL;
      int t_s = 0;

      if (sa_check_cancelled (cancellable, error))
        return FALSE;
      sa_progress_report (progress, (double) i / n_subjects, "Dual regression");
      if (!source->fetch (source->user_data, s, &data, &t_s, error))
        return FALSE;
      if (T < 0)
        {
          T = t_s;
          tc = g_new (float, (gsize) T * m);
          sum = g_new0 (double, (gsize) T * m);
        }
      else if (t_s != T)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, NULL,
                        _("subject %d has %d time points, earlier subjects %d"), s, t_s, T);
          return FALSE;
        }
      sa_dual_regression_stage1 (dr, data, T, tc);
      if (per_subject != NULL)
        memcpy (per_subject + (gsize) i * T * m, tc, sizeof (float) * T * m);
      for (gsize k = 0; k < (gsize) T * m; k++)
        sum[k] += tc[k];
    }
  if (mean != NULL)
    for (gsize k = 0; k < (gsize) T * m; k++)
      mean[k] = (float) (sum[k] / n_subjects);
  if (n_timepoints != NULL)
    *n_timepoints = T;
  sa_progress_report (progress, 1.0, "Dual regression");
  return TRUE;
}
