/* Does the honest p hold its level where the paper's does not?
 *
 * Many datasets of independent AR(1) noise (φ = 0.9, like a slow BOLD
 * signal and a smooth filter response): no FBN is coupled to any filter,
 * so a calibrated test calls about alpha of the pairs significant. The
 * parametric p assumes independent TRs and ignores that each pair is the
 * best of K candidates: it calls most of them significant. */
#include "config.h"

#include <math.h>

#include "compute/sync/correlate.h"
#include "compute/sync/null.h"
#include "compute/sync/pairing.h"

#define N_DATASETS 120
#define M 4
#define K 32
#define T 240

static void
ar1 (GRand  *rand,
     double *row,
     double  phi)
{
  double x = 0.0;

  /* A burn-in so the series starts stationary. */
  for (int t = -100; t < T; t++)
    {
      /* Box–Muller: Gaussian innovations. */
      double u1 = g_rand_double_range (rand, 1e-12, 1.0), u2 = g_rand_double (rand);
      x = phi * x + sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
      if (t >= 0)
        row[t] = x;
    }
}

static void
check_level (SaNullKind kind,
             SaDirection direction)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2022);
  static double fbns[M * T], filters[K * T];
  int n_pairs = 0, sig_param = 0, sig_fwer = 0;
  double share_param, share_fwer;

  for (int d = 0; d < N_DATASETS; d++)
    {
      g_autoptr(SaCorrelation) corr = NULL;
      g_autoptr(SaNull) null = NULL;
      g_autoptr(SaPairing) pairing = NULL;
      g_autoptr(GError) error = NULL;
      SaNullOptions opt = { kind, 199, (guint64) d, 0 };

      for (int i = 0; i < M; i++)
        ar1 (rand, fbns + i * T, 0.9);
      for (int k = 0; k < K; k++)
        ar1 (rand, filters + k * T, 0.9);
      corr = sa_correlation_compute (fbns, M, T, "fbn", filters, K, T, "acts", &error);
      g_assert_no_error (error);
      null = sa_null_compute (corr, &opt, NULL, NULL, &error);
      g_assert_no_error (error);
      pairing = sa_pairing_compute (corr, direction);
      sa_null_apply (null, corr, pairing);
      for (int q = 0; q < pairing->n_pairs; q++)
        {
          n_pairs++;
          sig_param += pairing->pairs[q].p < 0.05;
          sig_fwer += pairing->pairs[q].p_fwer < 0.05;
        }
    }
  share_param = (double) sig_param / n_pairs;
  share_fwer = (double) sig_fwer / n_pairs;
  g_test_message ("%s null, %s: %d pairs of pure noise; significant at 0.05: "
                  "parametric %.3f, family-wise %.3f",
                  sa_null_kind_to_string (kind), sa_direction_to_string (direction),
                  n_pairs, share_param, share_fwer);
  /* Pairs within a dataset share their FBNs or filters, so the share
   * varies more than a binomial would; 0.09 is well above 0.05 + 2 SE. */
  g_assert_cmpfloat (share_fwer, <=, 0.09);
  /* …and not so conservative that it never rejects. */
  g_assert_cmpfloat (share_fwer, >=, 0.01);
  g_assert_cmpfloat (share_param, >=, 0.5);
}

static void
test_shift_fbn2filter (void)
{
  check_level (SA_NULL_SHIFT, SA_DIRECTION_FBN2FILTER);
}

static void
test_shift_filter2fbn (void)
{
  check_level (SA_NULL_SHIFT, SA_DIRECTION_FILTER2FBN);
}

static void
test_phase_fbn2filter (void)
{
  check_level (SA_NULL_PHASE, SA_DIRECTION_FBN2FILTER);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/sync/calibration/shift-fbn2filter", test_shift_fbn2filter);
  g_test_add_func ("/compute/sync/calibration/shift-filter2fbn", test_shift_filter2fbn);
  g_test_add_func ("/compute/sync/calibration/phase-fbn2filter", test_phase_fbn2filter);
  return g_test_run ();
}
