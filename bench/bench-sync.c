/* bench-sync — time SyncAct's pairing with a circular-shift null
 *
 * Usage: bench-sync M K T SURROGATES [SEED [shift|phase]]
 * Prints "seconds_correlate", "seconds_null", "seconds_total" lines and a
 * checksum of the results, for bench/bench-sync.py to compare. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "compute/sync/correlate.h"
#include "compute/sync/null.h"
#include "compute/sync/pairing.h"

/* CPU seconds of all threads: on a shared machine the wall clock measures
 * the neighbours as much as the code. */
static double
cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
smooth_rows (GRand  *rand,
             double *rows,
             int     n,
             int     t)
{
  for (int i = 0; i < n; i++)
    {
      double x = 0.0;
      for (int j = 0; j < t; j++)
        {
          x = 0.8 * x + g_rand_double_range (rand, -1.0, 1.0);
          rows[(gsize) i * t + j] = x;
        }
    }
}

int
main (int argc, char **argv)
{
  int m, K, T, S;
  guint64 seed;
  g_autoptr(GRand) rand = NULL;
  g_autofree double *fbns = NULL, *filters = NULL;
  g_autoptr(SaCorrelation) corr = NULL;
  g_autoptr(SaNull) null = NULL;
  g_autoptr(SaPairing) f2k = NULL;
  g_autoptr(SaPairing) k2f = NULL;
  g_autoptr(GError) error = NULL;
  SaNullOptions opt = SA_NULL_OPTIONS_INIT;
  gint64 t0, t1, t2;
  double c0, c2;
  double sum_p = 0.0;

  if (argc < 5)
    {
      fprintf (stderr, "usage: bench-sync M K T SURROGATES [SEED]\n");
      return 2;
    }
  m = atoi (argv[1]);
  K = atoi (argv[2]);
  T = atoi (argv[3]);
  S = atoi (argv[4]);
  seed = argc > 5 ? g_ascii_strtoull (argv[5], NULL, 10) : 1;
  rand = g_rand_new_with_seed ((guint32) seed);
  fbns = g_new (double, (gsize) m * T);
  filters = g_new (double, (gsize) K * T);
  smooth_rows (rand, fbns, m, T);
  smooth_rows (rand, filters, K, T);

  t0 = g_get_monotonic_time ();
  c0 = cpu_seconds ();
  corr = sa_correlation_compute (fbns, m, T, "fbns", filters, K, T, "filters", &error);
  g_assert_no_error (error);
  t1 = g_get_monotonic_time ();
  opt.n_surrogates = S;
  if (argc > 6 && !sa_null_kind_from_string (argv[6], &opt.kind))
    {
      fprintf (stderr, "bench-sync: null must be shift or phase\n");
      return 2;
    }
  opt.seed = seed;
  null = sa_null_compute (corr, &opt, NULL, NULL, &error);
  g_assert_no_error (error);
  f2k = sa_pairing_compute (corr, SA_DIRECTION_FBN2FILTER);
  k2f = sa_pairing_compute (corr, SA_DIRECTION_FILTER2FBN);
  sa_null_apply (null, corr, f2k);
  sa_null_apply (null, corr, k2f);
  t2 = g_get_monotonic_time ();
  c2 = cpu_seconds ();

  for (int q = 0; q < f2k->n_pairs; q++)
    sum_p += f2k->pairs[q].p_fwer;
  printf ("seconds_correlate %.4f\n", (t1 - t0) / 1e6);
  printf ("seconds_null %.4f\n", (t2 - t1) / 1e6);
  printf ("seconds_total %.4f\n", (t2 - t0) / 1e6);
  printf ("cpu_seconds_total %.4f\n", c2 - c0);
  printf ("mean_p_fwer_fbn2filter %.6f\n", sum_p / f2k->n_pairs);
  return 0;
}
