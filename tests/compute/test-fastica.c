#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/embed/fastica.h"
#include "compute/error.h"
#include "tests/testutil.h"

#define N 4000

static double
row_r (const float *a, const float *b, gint64 n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  for (gint64 i = 0; i < n; i++)
    {
      ma += a[i];
      mb += b[i];
    }
  ma /= n;
  mb /= n;
  for (gint64 i = 0; i < n; i++)
    {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return sab / sqrt (saa * sbb);
}

/* Four non-Gaussian sources: sine, square, sawtooth, Laplace noise. */
static void
make_sources (float *s)
{
  GRand *rand = g_rand_new_with_seed (3);
  for (int j = 0; j < N; j++)
    {
      double t = j / 200.0;
      double u = g_rand_double (rand) - 0.5;
      s[0 * N + j] = (float) sin (2 * G_PI * 1.3 * t);
      s[1 * N + j] = sin (2 * G_PI * 0.7 * t) >= 0 ? 1.0f : -1.0f;
      s[2 * N + j] = (float) (2 * (t * 0.9 - floor (t * 0.9 + 0.5)));
      s[3 * N + j] = (float) (u < 0 ? log (1 + 2 * u) : -log (1 - 2 * u));
    }
  g_rand_free (rand);
}

static void
mix (const float *s, const double *a, int p, int k, float *x)
{
  for (int i = 0; i < p; i++)
    for (int j = 0; j < N; j++)
      {
        double v = 0.25 * i;  /* offsets: FastICA must centre */
        for (int c = 0; c < k; c++)
          v += a[i * k + c] * s[c * N + j];
        x[i * N + j] = (float) v;
      }
}

/* Each true source is matched by a distinct recovered one with |r| >= min. */
static void
assert_recovered (const float *truth, int k, const float *found, int m, gint64 n, double min)
{
  gboolean used[16] = { FALSE, };
  for (int c = 0; c < k; c++)
    {
      double best = 0;
      int arg = -1;
      for (int j = 0; j < m; j++)
        {
          double r = fabs (row_r (truth + c * n, found + j * n, n));
          if (r > best)
            {
              best = r;
              arg = j;
            }
        }
      g_test_message ("source %d: |r| %.5f with component %d", c, best, arg);
      g_assert_cmpfloat (best, >=, min);
      g_assert_false (used[arg]);
      used[arg] = TRUE;
    }
}

static const double mixing4[16] = {
  1.0, 0.5, 0.3, 0.8,
  0.2, 1.0, 0.7, 0.1,
  0.6, 0.3, 1.0, 0.4,
  0.3, 0.9, 0.2, 1.0,
};

static void
test_known_mixing (void)
{
  g_autofree float *s = g_new (float, 4 * N);
  g_autofree float *x = g_new (float, 4 * N);
  g_autofree float *found = g_new (float, 4 * N);
  double mixing[16];
  SaFastIcaParams params;
  SaFastIcaInfo info;
  g_autoptr(GError) error = NULL;

  make_sources (s);
  mix (s, mixing4, 4, 4, x);
  sa_fastica_params_init (&params);
  g_assert_true (sa_fastica (x, 4, N, &params, found, mixing, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (info.converged);
  assert_recovered (s, 4, found, 4, N, 0.99);

  /* x = mixing · sources + mean, and sources are standardised. */
  for (int i = 0; i < 4; i++)
    {
      double mean = 0, worst = 0;
      for (int j = 0; j < N; j++)
        mean += x[i * N + j];
      mean /= N;
      for (int j = 0; j < N; j++)
        {
          double v = mean;
          for (int c = 0; c < 4; c++)
            v += mixing[i * 4 + c] * found[c * N + j];
          worst = MAX (worst, fabs (v - x[i * N + j]));
        }
      g_assert_cmpfloat (worst, <, 1e-4);
    }
  for (int c = 0; c < 4; c++)
    {
      double m = 0, v = 0;
      for (int j = 0; j < N; j++)
        m += found[c * N + j];
      for (int j = 0; j < N; j++)
        v += pow (found[c * N + j] - m / N, 2);
      g_assert_cmpfloat (fabs (m / N), <, 1e-4);
      g_assert_cmpfloat (fabs (v / N - 1), <, 1e-4);
    }
}

static void
test_reduced (void)
{
  /* Six noisy mixtures of three sources, reduced to three by the whitening. */
  g_autofree float *s = g_new (float, 4 * N);
  g_autofree float *x = g_new (float, 6 * N);
  g_autofree float *found = g_new (float, 3 * N);
  const double a[18] = { 1, .2, .5, .3, 1, .1, .6, .4, 1, .9, .1, .3, .2, .8, .6, .5, .5, .5 };
  SaFastIcaParams params;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (5);

  make_sources (s);
  mix (s, a, 6, 3, x);
  for (int i = 0; i < 6 * N; i++)
    x[i] += (float) (0.01 * g_rand_double_range (rand, -1, 1));
  g_rand_free (rand);
  sa_fastica_params_init (&params);
  params.n_components = 3;
  params.seed = 9;
  g_assert_true (sa_fastica (x, 6, N, &params, found, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_recovered (s, 3, found, 3, N, 0.99);

  /* Exactly dependent rows cannot give 3 components. */
  for (int j = 0; j < N; j++)
    x[2 * N + j] = x[0 * N + j] - x[1 * N + j];
  g_assert_false (sa_fastica (x, 3, N, &params, found, NULL, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_clear_error (&error);

  x[17] = NAN;
  g_assert_false (sa_fastica (x, 3, N, &params, found, NULL, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
}

static void
test_sklearn (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "x.f32", NULL);
  g_autofree char *out = g_build_filename (dir, "s.f32", NULL);
  g_autofree float *s = g_new (float, 4 * N);
  g_autofree float *x = g_new (float, 4 * N);
  g_autofree float *found = g_new (float, 4 * N);
  g_autofree char *ref = NULL;
  g_autofree char *stdout_text = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *cols = g_strdup_printf ("%d", N);
  const char *argv[] = { in, "4", cols, "4", out, NULL };

  make_sources (s);
  mix (s, mixing4, 4, 4, x);
  g_assert_true (g_file_set_contents (in, (const char *) x, sizeof (float) * 4 * N, NULL));
  stdout_text = sa_test_python ("tests/py/fastica_oracle.py", argv);
  if (stdout_text == NULL)
    return;
  g_assert_true (g_file_get_contents (out, &ref, &len, &error));
  g_assert_cmpuint (len, ==, sizeof (float) * 4 * N);
  g_assert_true (sa_fastica (x, 4, N, NULL, found, NULL, NULL, NULL, &error));
  /* Same estimator, same data: the same sources up to sign and order. */
  assert_recovered ((const float *) ref, 4, found, 4, N, 0.9999);
}

static void
test_maps (void)
{
  /* Three sparse "maps" over 3000 voxels, mixed into 3 rows. */
  const gint64 n = 3000;
  g_autofree float *truth = g_new0 (float, 3 * n);
  g_autofree float *x = g_new (float, 3 * n);
  g_autofree float *maps = g_new (float, 3 * n);
  g_autofree float *cols = g_new (float, 3 * n);
  const double a[9] = { 3, 1, -.5, .5, -2, .3, 1, .4, 1 };
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (2);

  for (gint64 v = 0; v < n; v++)
    for (int c = 0; c < 3; c++)
      truth[c * n + v] = (float) (g_rand_double (rand) < 0.05 ? -g_rand_double_range (rand, 2, 4)
                                                               : g_rand_double_range (rand, -.2, .2));
  g_rand_free (rand);
  for (int i = 0; i < 3; i++)
    for (gint64 v = 0; v < n; v++)
      x[i * n + v] = (float) (a[i * 3] * truth[v] + a[i * 3 + 1] * truth[n + v] + a[i * 3 + 2] * truth[2 * n + v]);
  g_assert_true (sa_fastica_maps (x, 3, n, NULL, maps, NULL, NULL, &error));
  g_assert_no_error (error);
  for (int j = 0; j < 3; j++)
    {
      double mean = 0, var = 0, peak = 0;
      for (gint64 v = 0; v < n; v++)
        {
          cols[j * n + v] = maps[v * 3 + j];
          mean += maps[v * 3 + j];
          if (fabs (maps[v * 3 + j]) > fabs (peak))
            peak = maps[v * 3 + j];
        }
      mean /= n;
      for (gint64 v = 0; v < n; v++)
        var += pow (maps[v * 3 + j] - mean, 2);
      g_assert_cmpfloat (fabs (mean), <, 1e-4);
      g_assert_cmpfloat (fabs (var / n - 1), <, 1e-4);
      g_assert_cmpfloat (peak, >, 0);  /* the planted maps peak negative */
    }
  assert_recovered (truth, 3, cols, 3, n, 0.99);
  /* Source 0 carries the most variance (column norms 3.2, 2.2, 1.2). */
  g_assert_cmpfloat (fabs (row_r (truth, cols, n)), >, 0.99);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/fastica/known-mixing", test_known_mixing);
  g_test_add_func ("/compute/fastica/reduced", test_reduced);
  g_test_add_func ("/compute/fastica/sklearn", test_sklearn);
  g_test_add_func ("/compute/fastica/maps", test_maps);
  return g_test_run ();
}
