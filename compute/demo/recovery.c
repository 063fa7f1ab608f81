#include "config.h"

#include <math.h>
#include <string.h>

#include <lapacke.h>

#include "compute/demo/recovery.h"
#include "compute/error.h"

void
sa_recovery_free (SaRecovery *recovery)
{
  if (recovery == NULL)
    return;
  g_free (recovery->best);
  g_free (recovery->best_r);
  g_free (recovery->peak_distance);
  g_free (recovery->subspace_r2);
  g_free (recovery->subspace_r2_adj);
  g_free (recovery);
}

static double
column_r (const float *a, int sa, const float *b, int sb, int n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;

  for (int i = 0; i < n; i++)
    {
      ma += a[(gsize) i * sa];
      mb += b[(gsize) i * sb];
    }
  ma /= n;
  mb /= n;
  for (int i = 0; i < n; i++)
    {
      double x = a[(gsize) i * sa] - ma, y = b[(gsize) i * sb] - mb;
      sab += x * y;
      saa += x * x;
      sbb += y * y;
    }
  return saa > 0 && sbb > 0 ? sab / sqrt (saa * sbb) : 0.0;
}

SaRecovery *
sa_recovery_new (const SaPlanted  *planted,
                 const float      *maps,
                 const float      *time_courses,
                 int               m,
                 GError          **error)
{
  const SaPlantedParams *p;
  g_autoptr(SaRecovery) rec = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree int *uses = NULL;
  int K, T;
  gint64 n;

  g_return_val_if_fail (planted != NULL && maps != NULL && time_courses != NULL, NULL);

  p = &planted->params;
  K = p->n_networks;
  T = p->n_timepoints;
  n = planted->n_voxels;
  if (m < 1 || m >= T - 1)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    "recovery needs fewer FBNs (%d) than time points minus one (%d)", m, T - 1);
      return NULL;
    }

  rec = g_new0 (SaRecovery, 1);
  rec->n_networks = K;
  rec->best = g_new (int, K);
  rec->best_r = g_new (double, K);
  rec->peak_distance = g_new (double, K);
  rec->subspace_r2 = g_new (double, K);
  rec->subspace_r2_adj = g_new (double, K);
  uses = g_new0 (int, m);
  rec->distinct = TRUE;

  x = g_new (double, (gsize) T * (m + 1));
  y = g_new (double, (gsize) T);
  for (int k = 0; k < K; k++)
    {
      const double *c = planted->centres + 3 * k;
      double best = -1, sst = 0, sse = 0, ymean = 0;
      int arg = 0;
      gint64 peak = 0, flat;

      for (int j = 0; j < m; j++)
        {
          double r = fabs (column_r (time_courses + j, m, planted->time_courses + k, K, T));
          if (r > best)
            {
              best = r;
              arg = j;
            }
        }
      rec->best[k] = arg;
      rec->best_r[k] = best;
      if (++uses[arg] > 1)
        rec->distinct = FALSE;
      for (gint64 v = 1; v < n; v++)
        if (fabs (maps[v * m + arg]) > fabs (maps[peak * m + arg]))
          peak = v;
      flat = planted->index[peak];
      rec->peak_distance[k] = sqrt (pow (flat % p->nx - c[0], 2)
                                    + pow ((flat / p->nx) % p->ny - c[1], 2)
                                    + pow (flat / ((gint64) p->nx * p->ny) - c[2], 2));

      /* Least squares of the planted course on [1, FBN courses]. */
      for (int t = 0; t < T; t++)
        {
          x[(gsize) t * (m + 1)] = 1.0;
          for (int j = 0; j < m; j++)
            x[(gsize) t * (m + 1) + 1 + j] = time_courses[(gsize) t * m + j];
          y[t] = planted->time_courses[(gsize) t * K + k];
          ymean += y[t] / T;
        }
      for (int t = 0; t < T; t++)
        sst += (y[t] - ymean) * (y[t] - ymean);
      {
        g_autofree double *fit = g_memdup2 (y, sizeof (double) * T);
        g_autofree double *xs = g_memdup2 (x, sizeof (double) * T * (m + 1));
        g_autofree double *sv = g_new (double, m + 1);
        lapack_int rank = 0;

        if (LAPACKE_dgelsd (LAPACK_ROW_MAJOR, T, m + 1, 1, xs, m + 1, fit, 1, sv, 1e-10,
                            &rank) != 0)
          {
            sa_set_error (error, SA_ERROR_FAILED, NULL, "recovery: least squares failed");
            return NULL;
          }
        /* fit[0..m] holds the coefficients. */
        for (int t = 0; t < T; t++)
          {
            double e = y[t];
            for (int j = 0; j <= m; j++)
              e -= x[(gsize) t * (m + 1) + j] * fit[j];
            sse += e * e;
          }
      }
      rec->subspace_r2[k] = sst > 0 ? 1.0 - sse / sst : 0.0;
      rec->subspace_r2_adj[k] = 1.0 - (1.0 - rec->subspace_r2[k]) * (T - 1) / (T - m - 1);
    }
  return g_steal_pointer (&rec);
}

char *
sa_recovery_describe (const SaRecovery *rec)
{
  double r_lo = INFINITY, r_hi = -INFINITY, d_hi = 0, s_lo = INFINITY, s_hi = -INFINITY;

  g_return_val_if_fail (rec != NULL, NULL);

  for (int k = 0; k < rec->n_networks; k++)
    {
      r_lo = MIN (r_lo, rec->best_r[k]);
      r_hi = MAX (r_hi, rec->best_r[k]);
      d_hi = MAX (d_hi, rec->peak_distance[k]);
      s_lo = MIN (s_lo, rec->subspace_r2[k]);
      s_hi = MAX (s_hi, rec->subspace_r2[k]);
    }
  return g_strdup_printf ("best |r| %.2f-%.2f, peak <= %.1f voxels, subspace R2 %.2f-%.2f, %s",
                          r_lo, r_hi, d_hi, s_lo, s_hi,
                          rec->distinct ? "one FBN per network" : "FBNs shared between networks");
}
