#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/demo/recovery.h"
#include "compute/error.h"
#include "tests/testutil.h"

static SaPlanted *
small_planted (guint64 seed)
{
  SaPlantedParams p;
  g_autoptr(GError) error = NULL;
  SaPlanted *planted;

  sa_planted_params_init (&p);
  p.n_subjects = 3;
  p.n_timepoints = 150;
  p.seed = seed;
  planted = sa_planted_new (&p, &error);
  g_assert_no_error (error);
  g_assert_nonnull (planted);
  return planted;
}

static double
column_r (const float *x, int rows, int cols, int a, const float *y, int ycols, int b)
{
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
  for (int t = 0; t < rows; t++)
    {
      mx += x[(gsize) t * cols + a];
      my += y[(gsize) t * ycols + b];
    }
  mx /= rows;
  my /= rows;
  for (int t = 0; t < rows; t++)
    {
      double dx = x[(gsize) t * cols + a] - mx, dy = y[(gsize) t * ycols + b] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
  return sxy / sqrt (sxx * syy);
}

static void
test_truth (void)
{
  g_autoptr(SaPlanted) planted = small_planted (7);
  const SaPlantedParams *p = &planted->params;
  int T = p->n_timepoints, K = p->n_networks;

  g_assert_cmpint (planted->n_voxels, >, 1000);
  for (int a = 0; a < K; a++)
    {
      double mean = 0, var = 0;
      for (int t = 0; t < T; t++)
        mean += planted->time_courses[t * K + a];
      mean /= T;
      for (int t = 0; t < T; t++)
        var += pow (planted->time_courses[t * K + a] - mean, 2);
      g_assert_cmpfloat (fabs (mean), <, 1e-5);
      g_assert_cmpfloat (fabs (var / T - 1), <, 1e-4);
      for (int b = 0; b < a; b++)
        {
          double r = column_r (planted->time_courses, T, K, a, planted->time_courses, K, b);
          g_assert_cmpfloat (fabs (r), <=, p->max_correlation + 1e-4);
        }
      /* Centres are distinct, in the mask, and each map peaks there. */
      for (int b = 0; b < a; b++)
        {
          double d2 = 0;
          for (int d = 0; d < 3; d++)
            d2 += pow (planted->centres[3 * a + d] - planted->centres[3 * b + d], 2);
          g_assert_cmpfloat (sqrt (d2), >=, p->min_separation);
        }
      {
        const double *c = planted->centres + 3 * a;
        gint64 flat = (gint64) c[0] + p->nx * ((gint64) c[1] + (gint64) p->ny * (gint64) c[2]);
        gint64 best = 0;
        g_assert_true (planted->mask[flat]);
        for (gint64 v = 0; v < planted->n_voxels; v++)
          if (planted->maps[v * K + a] > planted->maps[best * K + a])
            best = v;
        g_assert_cmpint (planted->index[best], ==, flat);
        g_assert_cmpfloat_with_epsilon (planted->maps[best * K + a], 1.0, 1e-6);
      }
    }
}

static void
test_subject (void)
{
  g_autoptr(SaPlanted) planted = small_planted (7);
  const SaPlantedParams *p = &planted->params;
  int T = p->n_timepoints, K = p->n_networks;
  gint64 n = planted->n_voxels;
  g_autofree float *x = g_new (float, (gsize) T * n);
  g_autoptr(GError) error = NULL;
  double mean_r = 0;

  g_assert_true (sa_planted_subject (planted, 1, x, NULL, &error));
  g_assert_no_error (error);
  /* z-scored per voxel like the run cache. */
  for (gint64 v = 0; v < n; v += 97)
    {
      double mean = 0, var = 0;
      for (int t = 0; t < T; t++)
        mean += x[t * n + v];
      mean /= T;
      for (int t = 0; t < T; t++)
        var += pow (x[t * n + v] - mean, 2);
      g_assert_cmpfloat (fabs (mean), <, 1e-4);
      g_assert_cmpfloat (fabs (var / T - 1), <, 1e-3);
    }
  /* At snr 0.5 a centre voxel carries its network: r ≈ 1/sqrt(1+4) ≈ 0.45
   * on average (one voxel, 150 smooth TRs: each r is noisy), and a far voxel
   * does not. */
  for (int k = 0; k < K; k++)
    {
      const double *c = planted->centres + 3 * k;
      gint64 flat = (gint64) c[0] + p->nx * ((gint64) c[1] + (gint64) p->ny * (gint64) c[2]);
      gint64 v = 0;
      double r;
      while (planted->index[v] != flat)
        v++;
      r = column_r (x, T, (int) n, (int) v, planted->time_courses, K, k);
      g_test_message ("network %d: r at centre %.3f", k, r);
      g_assert_cmpfloat (r, >, 0.0);
      mean_r += r / K;
    }
  g_assert_cmpfloat (mean_r, >, 0.3);
  g_assert_cmpfloat (mean_r, <, 0.6);
  g_assert_cmpfloat (fabs (column_r (x, T, (int) n, 0, planted->time_courses, K, 0)), <, 0.3);

  g_assert_false (sa_planted_subject (planted, 3, x, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

static void
test_reproducible (void)
{
  g_autoptr(SaPlanted) a = small_planted (11);
  g_autoptr(SaPlanted) b = small_planted (11);
  g_autoptr(SaPlanted) c = small_planted (12);
  int T = a->params.n_timepoints, K = a->params.n_networks;
  gsize size = (gsize) T * a->n_voxels;
  g_autofree float *x0 = g_new (float, size);
  g_autofree float *x1 = g_new (float, size);
  g_autofree float *y1 = g_new (float, size);
  g_autofree float *z1 = g_new (float, size);

  g_assert_cmpmem (a->time_courses, sizeof (float) * T * K, b->time_courses, sizeof (float) * T * K);
  g_assert_cmpmem (a->centres, sizeof (double) * 3 * K, b->centres, sizeof (double) * 3 * K);
  g_assert_true (memcmp (a->time_courses, c->time_courses, sizeof (float) * T * K) != 0);
  /* Subject 1 is the same whether or not subject 0 was drawn first. */
  g_assert_true (sa_planted_subject (a, 0, x0, NULL, NULL));
  g_assert_true (sa_planted_subject (a, 1, x1, NULL, NULL));
  g_assert_true (sa_planted_subject (b, 1, y1, NULL, NULL));
  g_assert_true (sa_planted_subject (c, 1, z1, NULL, NULL));
  g_assert_cmpmem (x1, size * sizeof (float), y1, size * sizeof (float));
  g_assert_true (memcmp (x0, x1, size * sizeof (float)) != 0);
  g_assert_true (memcmp (x1, z1, size * sizeof (float)) != 0);
}

static void
test_given (void)
{
  SaPlantedParams p;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaPlanted) planted = NULL;
  float tc[100 * 2];
  double centres[6] = { 8, 10, 12, 16, 18, 12 };

  sa_planted_params_init (&p);
  p.n_timepoints = 100;
  p.n_networks = 2;
  for (int t = 0; t < 100; t++)
    {
      tc[2 * t] = 3.0f + sinf (t * 0.3f);
      tc[2 * t + 1] = 0.5f * cosf (t * 0.11f);
    }
  p.time_courses = tc;
  p.centres = centres;
  planted = sa_planted_new (&p, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (planted->centres, sizeof centres, centres, sizeof centres);
  g_assert_cmpfloat (column_r (planted->time_courses, 100, 2, 0, tc, 2, 0), >, 0.99999);
  g_assert_cmpfloat (column_r (planted->time_courses, 100, 2, 1, tc, 2, 1), >, 0.99999);
  g_clear_pointer (&planted, sa_planted_free);

  centres[0] = 0;
  centres[1] = 0;
  planted = sa_planted_new (&p, &error);
  g_assert_null (planted);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_clear_error (&error);

  p.centres = NULL;
  p.n_networks = 200;
  p.time_courses = NULL;
  planted = sa_planted_new (&p, &error);
  g_assert_null (planted);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

static void
test_recovery (void)
{
  g_autoptr(SaPlanted) planted = small_planted (7);
  int K = planted->params.n_networks, T = planted->params.n_timepoints;
  gint64 n = planted->n_voxels;
  g_autoptr(SaRecovery) exact = NULL;
  g_autoptr(SaRecovery) mixed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *tc = g_new (float, T * K);
  g_autofree float *maps = g_new (float, n * K);
  g_autofree char *text = NULL;

  /* The truth itself, columns reversed: perfect, and the order is found. */
  for (int t = 0; t < T; t++)
    for (int k = 0; k < K; k++)
      tc[t * K + k] = -planted->time_courses[t * K + (K - 1 - k)];
  for (gint64 v = 0; v < n; v++)
    for (int k = 0; k < K; k++)
      maps[v * K + k] = planted->maps[v * K + (K - 1 - k)];
  exact = sa_recovery_new (planted, maps, tc, K, &error);
  g_assert_no_error (error);
  g_assert_true (exact->distinct);
  for (int k = 0; k < K; k++)
    {
      g_assert_cmpint (exact->best[k], ==, K - 1 - k);
      g_assert_cmpfloat (exact->best_r[k], >, 0.99999);
      g_assert_cmpfloat (exact->peak_distance[k], ==, 0.0);
      g_assert_cmpfloat (exact->subspace_r2[k], >, 0.99999);
    }

  /* Every FBN a blend of two networks: the subspace is intact
   * (R² 1), no FBN is a single network (|r| ≈ 0.7). */
  for (int t = 0; t < T; t++)
    for (int k = 0; k < K; k++)
      tc[t * K + k] = planted->time_courses[t * K + k]
                        + 0.8f * planted->time_courses[t * K + (k + 1) % K];
  mixed = sa_recovery_new (planted, maps, tc, K, &error);
  g_assert_no_error (error);
  text = sa_recovery_describe (mixed);
  g_test_message ("blended: %s", text);
  for (int k = 0; k < K; k++)
    {
      g_assert_cmpfloat (mixed->best_r[k], <, 0.85);
      g_assert_cmpfloat (mixed->best_r[k], >, 0.55);
      g_assert_cmpfloat (mixed->subspace_r2[k], >, 0.99999);
    }

  g_assert_null (sa_recovery_new (planted, maps, tc, T - 1, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/planted/truth", test_truth);
  g_test_add_func ("/compute/planted/subject", test_subject);
  g_test_add_func ("/compute/planted/reproducible", test_reproducible);
  g_test_add_func ("/compute/planted/given", test_given);
  g_test_add_func ("/compute/planted/recovery", test_recovery);
  return g_test_run ();
}
