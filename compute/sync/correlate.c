#include "config.h"

#include <glib/gi18n.h>

#include "compute/sync/correlate.h"

#include <cblas.h>
#include <math.h>

#include "compute/blas-serial.h"
#include "compute/error.h"

gboolean
sa_zscore_row (const double *row,
               int           t,
               double       *out)
{
  double mean = 0.0, ss = 0.0, peak = 0.0, sd;

  for (int i = 0; i < t; i++)
    mean += row[i];
  mean /= t;
  for (int i = 0; i < t; i++)
    {
      double d = row[i] - mean;
      ss += d * d;
      peak = MAX (peak, fabs (row[i]));
    }
  sd = sqrt (ss / t);
  /* A row of equal values leaves rounding noise in ss; relative to the
   * row's magnitude that noise is ~1e-16, so anything below 1e-10 is
   * treated as constant rather than amplified into a random series. */
  if (!(sd > 1e-10 * peak) || peak == 0.0)
    {
      for (int i = 0; i < t; i++)
        out[i] = 0.0;
      return FALSE;
    }
  for (int i = 0; i < t; i++)
    out[i] = (row[i] - mean) / sd;
  return TRUE;
}

static gboolean
zscore_rows (const double  *rows,
             int            n,
             int            t,
             const char    *source,
             const char    *what,
             double        *z,
             gboolean      *valid,
             int           *n_excluded,
             GError       **error)
{
  *n_excluded = 0;
  for (int i = 0; i < n; i++)
    {
      const double *row = rows + (gsize) i * t;

      for (int j = 0; j < t; j++)
        if (!isfinite (row[j]))
          {
            sa_set_error (error, SA_ERROR_INVALID_DATA, source,
                          _("%s %d has a missing or non-finite value at time point %d"),
                          what, i, j);
            return FALSE;
          }
      valid[i] = sa_zscore_row (row, t, z + (gsize) i * t);
      if (!valid[i])
        (*n_excluded)++;
    }
  if (*n_excluded == n)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, source,
                    _("every %s is constant over time; nothing to correlate"), what);
      return FALSE;
    }
  return TRUE;
}

SaCorrelation *
sa_correlation_compute (const double  *fbns,
                        int            n_fbns,
                        int            n_times,
                        const char    *fbn_source,
                        const double  *filters,
                        int            n_filters,
                        int            filter_times,
                        const char    *filter_source,
                        GError       **error)
{
  g_autoptr(SaCorrelation) corr = NULL;
  g_autofree double *zf = NULL;
  g_autofree double *zk = NULL;

  g_return_val_if_fail (fbns != NULL && filters != NULL, NULL);
  g_return_val_if_fail (n_fbns > 0 && n_filters > 0, NULL);

  if (n_times != filter_times)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, NULL,
                    _("%s has %d time points but %s has %d; the time courses must cover the same TRs"),
                    fbn_source ? fbn_source : "the FBN time courses", n_times,
                    filter_source ? filter_source : "the filter activations", filter_times);
      return NULL;
    }
  if (n_times < 3)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, fbn_source,
                    _("%d time points are too few for a correlation (at least 3)"), n_times);
      return NULL;
    }

  corr = g_new0 (SaCorrelation, 1);
  corr->n_fbns = n_fbns;
  corr->n_filters = n_filters;
  corr->n_times = n_times;
  corr->fbn_valid = g_new0 (gboolean, n_fbns);
  corr->filter_valid = g_new0 (gboolean, n_filters);
  zf = g_new (double, (gsize) n_fbns * n_times);
  zk = g_new (double, (gsize) n_filters * n_times);

  if (!zscore_rows (fbns, n_fbns, n_times, fbn_source, "FBN", zf,
                    corr->fbn_valid, &corr->n_excluded_fbns, error) ||
      !zscore_rows (filters, n_filters, n_times, filter_source, "filter", zk,
                    corr->filter_valid, &corr->n_excluded_filters, error))
    return NULL;

  /* r = Zf · Zkᵀ / T: one GEMM for all m × K pairs. Double precision keeps
   * r exact to ~1e-15 so the parametric p is not limited by it. One
   * thread: with two, OpenBLAS rounds it otherwise (blas-serial.h), and a
   * pair's r must not depend on the machine. */
  corr->r = g_new (double, (gsize) n_fbns * n_filters);
  sa_blas_serial_begin ();
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
               n_fbns, n_filters, n_times,
               1.0 / n_times, zf, n_times, zk, n_times,
               0.0, corr->r, n_filters);
  sa_blas_serial_end ();
  /* Rounding can push |r| a hair past 1 for identical rows. */
  for (gsize i = 0; i < (gsize) n_fbns * n_filters; i++)
    corr->r[i] = CLAMP (corr->r[i], -1.0, 1.0);

  corr->z_fbns = g_new (float, (gsize) n_fbns * n_times);
  corr->z_filters = g_new (float, (gsize) n_filters * n_times);
  for (gsize i = 0; i < (gsize) n_fbns * n_times; i++)
    corr->z_fbns[i] = (float) zf[i];
  for (gsize i = 0; i < (gsize) n_filters * n_times; i++)
    corr->z_filters[i] = (float) zk[i];

  return g_steal_pointer (&corr);
}

void
sa_correlation_free (SaCorrelation *corr)
{
  if (corr == NULL)
    return;
  g_free (corr->r);
  g_free (corr->fbn_valid);
  g_free (corr->filter_valid);
  g_free (corr->z_fbns);
  g_free (corr->z_filters);
  g_free (corr);
}
