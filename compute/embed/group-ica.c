#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#include "compute/embed/group-ica.h"
#include "compute/error.h"
#include "compute/blas-serial.h"

void
sa_group_ica_params_init (SaGroupIcaParams *params)
{
  g_return_if_fail (params != NULL);

  params->n_components = 64;
  params->subject_components = 0;
  params->group_components = 0;
  sa_fastica_params_init (&params->ica);
}

void
sa_group_ica_free (SaGroupIca *ica)
{
  if (ica == NULL)
    return;
  g_free (ica->maps);
  g_free (ica);
}

/* Replaces the @rows × n matrix @a (the first rows of a buffer) by the top
 * @k principal directions of its rows, scaled by their singular values:
 * out = Uᵀ a with U the top-k eigenvectors of a aᵀ. Returns the trace of
 * a aᵀ (the sum of squares) and the top-k eigenvalues in @eval (largest
 * first). */
static gboolean
reduce_rows (const float *a,
             int          rows,
             gint64       n,
             int          k,
             float       *out,
             double      *eval,
             double      *trace,
             GError     **error)
{
  g_autofree float *gram_f = g_new (float, (gsize) rows * rows);
  g_autofree double *gram = g_new (double, (gsize) rows * rows);
  g_autofree double *w = g_new (double, rows);
  g_autofree double *z = g_new (double, (gsize) rows * k);
  g_autofree lapack_int *support = g_new (lapack_int, 2 * (gsize) rows);
  g_autofree float *u = g_new (float, (gsize) rows * k);
  lapack_int found = 0, status;
  double tr = 0;

  cblas_ssyrk (CblasRowMajor, CblasUpper, CblasNoTrans, rows, (int) n,
               1.0f, a, (int) n, 0.0f, gram_f, rows);
  for (int i = 0; i < rows; i++)
    for (int j = i; j < rows; j++)
      gram[i * rows + j] = gram_f[i * rows + j];
  for (int i = 0; i < rows; i++)
    tr += gram[i * rows + i];
  if (!isfinite (tr))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, NULL, _("the fMRI data hold non-finite values"));
      return FALSE;
    }
  sa_blas_serial_begin ();
  status = LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', rows, gram, rows, 0, 0,
                           rows - k + 1, rows, 0.0, &found, w, z, k, support);
  sa_blas_serial_end ();
  if (status != 0 || found != k)
    {
      sa_set_error (error, SA_ERROR_FAILED, NULL, _("PCA: eigen-decomposition failed"));
      return FALSE;
    }
  /* dsyevr returns ascending: put the largest first. */
  for (int j = 0; j < k; j++)
    {
      int src = k - 1 - j;
      eval[j] = MAX (w[src], 0.0);
      for (int i = 0; i < rows; i++)
        u[i * k + j] = (float) z[i * k + src];
    }
  cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, k, (int) n, rows,
               1.0f, u, k, a, (int) n, 0.0f, out, (int) n);
  *trace = tr;
  return TRUE;
}

float *
sa_group_pca (const SaSubjectSource  *source,
              const int              *subjects,
              int                     n_subjects,
              const SaGroupIcaParams *params,
              double                 *explained,
              const SaProgress       *progress,
              GCancellable           *cancellable,
              GError                **error)
{
  SaGroupIcaParams defaults;
  g_autofree float *stack = NULL;
  g_autofree float *next = NULL;
  g_autofree double *eval = NULL;
  gint64 n;
  int m, k1, k2, g_rows = 0;
  double total = 0, kept = 0;
  gint64 t_fetch = 0, t_pca = 0, t0;

  g_return_val_if_fail (source != NULL && source->fetch != NULL, NULL);

  if (params == NULL)
    {
      sa_group_ica_params_init (&defaults);
      params = &defaults;
    }
  n = source->n_voxels;
  m = params->n_components;
  k1 = params->subject_components > 0 ? params->subject_components : 2 * m;
  k2 = params->group_components > 0 ? params->group_components : MAX (2 * m, k1);
  if (m < 1 || k2 < m || n_subjects < 1 || n <= m)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "group PCA: invalid sizes (%d components, %d kept per subject, %d in the "
                    "group step, %d subjects, %" G_GINT64_FORMAT " voxels)",
                    m, k1, k2, n_subjects, n);
      return NULL;
    }

  stack = g_new (float, (gsize) (k2 + k1) * n);
  next = g_new (float, (gsize) k2 * n);
  eval = g_new (double, k2 + k1);
  for (int i = 0; i < n_subjects; i++)
    {
      int s = subjects != NULL ? subjects[i] : i;
      const float *data = NULL;
      int T = 0, k_s, rows, keep;
      double tr = 0, unused;
      g_autofree double *sub_eval = NULL;

      if (sa_check_cancelled (cancellable, error))
        return NULL;
      sa_progress_report (progress, (double) i / n_subjects, "Group PCA");
      t0 = g_get_monotonic_time ();
      if (!source->fetch (source->user_data, s, &data, &T, error))
        return NULL;
      t_fetch += g_get_monotonic_time () - t0;
      t0 = g_get_monotonic_time ();
      if (T < 2)
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, NULL,
                        _("subject %d has %d time points"), s, T);
          return NULL;
        }
      /* Subject PCA: its reduced data goes straight under the running G. */
      k_s = MIN (k1, T);
      sub_eval = g_new (double, k_s);
      if (!reduce_rows (data, T, n, k_s, stack + (gsize) g_rows * n, sub_eval, &tr, error))
        return NULL;
      total += tr;

      /* Group step: G ← top-k2 directions of [G; R_s]. */
      rows = g_rows + k_s;
      keep = MIN (k2, rows);
      if (!reduce_rows (stack, rows, n, keep, next, eval, &unused, error))
        return NULL;
      memcpy (stack, next, sizeof (float) * keep * n);
      g_rows = keep;
      t_pca += g_get_monotonic_time () - t0;
    }

  if (g_rows < m)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("group PCA: the data give %d dimensions, fewer than the %d components asked"),
                    g_rows, m);
      return NULL;
    }
  for (int j = 0; j < m; j++)
    kept += eval[j];
  if (explained != NULL)
    *explained = total > 0 ? kept / total : 0;
  g_debug ("group PCA: reading %.2f s, PCA %.2f s", t_fetch / 1e6, t_pca / 1e6);
  sa_progress_report (progress, 1.0, "Group PCA");

  /* G's rows are ordered by eigenvalue: the first m are the answer. */
  return g_realloc (g_steal_pointer (&stack), sizeof (float) * m * n);
}

SaGroupIca *
sa_group_ica_run (const SaSubjectSource  *source,
                  const int              *subjects,
                  int                     n_subjects,
                  const SaGroupIcaParams *params,
                  const SaProgress       *progress,
                  GCancellable           *cancellable,
                  GError                **error)
{
  SaGroupIcaParams defaults;
  SaFastIcaParams ica_params;
  g_autoptr(SaGroupIca) result = NULL;
  g_autofree float *eigenmaps = NULL;
  SaProgress pca_progress = sa_progress_sub (progress, 0.0, 0.9);
  SaProgress ica_progress = sa_progress_sub (progress, 0.9, 1.0);
  double explained = 0;
  int m;
  gint64 t0;

  g_return_val_if_fail (source != NULL && source->fetch != NULL, NULL);

  if (params == NULL)
    {
      sa_group_ica_params_init (&defaults);
      params = &defaults;
    }
  eigenmaps = sa_group_pca (source, subjects, n_subjects, params, &explained,
                            progress != NULL ? &pca_progress : NULL, cancellable, error);
  if (eigenmaps == NULL)
    return NULL;

  m = params->n_components;
  result = g_new0 (SaGroupIca, 1);
  result->n_voxels = source->n_voxels;
  result->n_components = m;
  result->maps = g_new (float, (gsize) source->n_voxels * m);
  result->explained = explained;

  ica_params = params->ica;
  ica_params.n_components = m;
  sa_progress_report (progress != NULL ? &ica_progress : NULL, -1, "FastICA");
  t0 = g_get_monotonic_time ();
  if (!sa_fastica_maps (eigenmaps, m, source->n_voxels, &ica_params, result->maps,
                        &result->ica, cancellable, error))
    return NULL;
  g_debug ("group ICA: FastICA %.2f s (%d iterations)",
           (g_get_monotonic_time () - t0) / 1e6, result->ica.n_iter);
  sa_progress_report (progress, 1.0, "Group ICA");
  return g_steal_pointer (&result);
}

gboolean
sa_ica_rotate_maps (const float            *maps,
                    gint64                  n_voxels,
                    int                     n_maps,
                    const SaFastIcaParams  *params,
                    float                  *rotated,
                    SaFastIcaInfo          *info,
                    GCancellable           *cancellable,
                    GError                **error)
{
  SaFastIcaParams p;
  g_autofree float *rows = NULL;

  g_return_val_if_fail (maps != NULL && rotated != NULL, FALSE);

  if (n_maps < 1 || n_voxels <= n_maps)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "ICA rotation: %d maps over %" G_GINT64_FORMAT " voxels", n_maps, n_voxels);
      return FALSE;
    }
  if (params != NULL)
    p = *params;
  else
    sa_fastica_params_init (&p);
  p.n_components = n_maps;

  rows = g_new (float, (gsize) n_maps * n_voxels);
  for (gint64 v = 0; v < n_voxels; v++)
    for (int j = 0; j < n_maps; j++)
      rows[(gsize) j * n_voxels + v] = maps[v * n_maps + j];
  return sa_fastica_maps (rows, n_maps, n_voxels, &p, rotated, info, cancellable, error);
}
