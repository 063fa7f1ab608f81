#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/embed/dual-regression.h"
#include "compute/error.h"
#include "tests/testutil.h"

#define T 120
#define NV 900
#define M 5

/* Smooth overlapping maps plus noise in the data, with an offset per volume
 * (which stage 1 must ignore) or per voxel (which stage 2 must ignore). */
static void
make_problem (float *maps, float *tc, float *data, double noise, gboolean volume_offsets)
{
  GRand *rand = g_rand_new_with_seed (4);

  for (gint64 v = 0; v < NV; v++)
    for (int j = 0; j < M; j++)
      maps[v * M + j] = (float) (exp (-pow ((v - 150.0 - 150 * j) / 80.0, 2)) + 0.1 * j
                                 + 0.05 * g_rand_double (rand));
  for (int t = 0; t < T; t++)
    for (int j = 0; j < M; j++)
      tc[t * M + j] = (float) (sin (0.05 * (j + 1) * t + j) + 0.3 * g_rand_double_range (rand, -1, 1));
  for (int t = 0; t < T; t++)
    for (gint64 v = 0; v < NV; v++)
      {
        double s = volume_offsets ? 2.0 + 0.01 * t : 1.0 - 0.002 * v;
        for (int j = 0; j < M; j++)
          s += tc[t * M + j] * maps[v * M + j];
        data[t * NV + v] = (float) (s + noise * g_rand_double_range (rand, -1, 1));
      }
  g_rand_free (rand);
}

static void
test_exact (void)
{
  g_autofree float *maps = g_new (float, NV * M);
  g_autofree float *tc = g_new (float, T * M);
  g_autofree float *data = g_new (float, T * NV);
  g_autofree float *got = g_new (float, T * M);
  g_autofree float *back = g_new (float, NV * M);
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GError) error = NULL;
  double worst = 0;

  make_problem (maps, tc, data, 0.0, TRUE);
  dr = sa_dual_regression_new (maps, NV, M, &error);
  g_assert_no_error (error);
  sa_dual_regression_stage1 (dr, data, T, got);
  for (int i = 0; i < T * M; i++)
    {
      worst = MAX (worst, fabs (got[i] - tc[i]));
    }
  g_assert_cmpfloat (worst, <, 1e-3);

  /* Noise-free data: stage 2 on the true time courses gives the maps back. */
  make_problem (maps, tc, data, 0.0, FALSE);
  g_assert_true (sa_dual_regression_stage2 (data, T, NV, tc, M, FALSE, back, &error));
  g_assert_no_error (error);
  worst = 0;
  for (int i = 0; i < NV * M; i++)
    worst = MAX (worst, fabs (back[i] - maps[i]));
  g_assert_cmpfloat (worst, <, 1e-3);
}

static void
test_numpy (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *data_path = g_build_filename (dir, "data.f32", NULL);
  g_autofree char *maps_path = g_build_filename (dir, "maps.f32", NULL);
  g_autofree char *out1 = g_build_filename (dir, "s1.f32", NULL);
  g_autofree char *out2 = g_build_filename (dir, "s2.f32", NULL);
  g_autofree float *maps = g_new (float, NV * M);
  g_autofree float *tc = g_new (float, T * M);
  g_autofree float *data = g_new (float, T * NV);
  g_autofree float *got1 = g_new (float, T * M);
  g_autofree float *got2 = g_new (float, NV * M);
  g_autofree char *ref1 = NULL;
  g_autofree char *ref2 = NULL;
  g_autofree char *out = NULL;
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { data_path, G_STRINGIFY (T), G_STRINGIFY (NV), maps_path,
                         G_STRINGIFY (M), out1, out2, NULL };
  gsize len1 = 0, len2 = 0;
  double worst1 = 0, worst2 = 0, scale1 = 0, scale2 = 0;

  make_problem (maps, tc, data, 3.0, TRUE);
  g_assert_true (g_file_set_contents (data_path, (char *) data, sizeof (float) * T * NV, NULL));
  g_assert_true (g_file_set_contents (maps_path, (char *) maps, sizeof (float) * NV * M, NULL));
  out = sa_test_python ("tests/py/dual_regression_oracle.py", argv);
  if (out == NULL)
    return;
  g_assert_true (g_file_get_contents (out1, &ref1, &len1, NULL));
  g_assert_true (g_file_get_contents (out2, &ref2, &len2, NULL));
  g_assert_cmpuint (len1, ==, sizeof (float) * T * M);
  g_assert_cmpuint (len2, ==, sizeof (float) * NV * M);

  dr = sa_dual_regression_new (maps, NV, M, &error);
  g_assert_no_error (error);
  sa_dual_regression_stage1 (dr, data, T, got1);
  g_assert_true (sa_dual_regression_stage2 (data, T, NV, got1, M, TRUE, got2, &error));
  for (int i = 0; i < T * M; i++)
    {
      worst1 = MAX (worst1, fabs (got1[i] - ((float *) ref1)[i]));
      scale1 = MAX (scale1, fabs (((float *) ref1)[i]));
    }
  for (int i = 0; i < NV * M; i++)
    {
      worst2 = MAX (worst2, fabs (got2[i] - ((float *) ref2)[i]));
      scale2 = MAX (scale2, fabs (((float *) ref2)[i]));
    }
  g_test_message ("stage 1 max |diff| %.3g of %.3g; stage 2 %.3g of %.3g",
                  worst1, scale1, worst2, scale2);
  g_assert_cmpfloat (worst1, <, 1e-4 * scale1);
  g_assert_cmpfloat (worst2, <, 1e-4 * scale2);
}

static void
test_errors (void)
{
  g_autofree float *maps = g_new (float, NV * M);
  g_autofree float *tc = g_new (float, T * M);
  g_autofree float *data = g_new (float, T * NV);
  g_autofree float *out = g_new (float, NV * M);
  g_autoptr(GError) error = NULL;

  make_problem (maps, tc, data, 0.0, TRUE);
  /* Map 2 = map 0 + a constant: the same map once demeaned. */
  for (gint64 v = 0; v < NV; v++)
    maps[v * M + 2] = maps[v * M + 0] + 5.0f;
  g_assert_null (sa_dual_regression_new (maps, NV, M, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_clear_error (&error);

  for (int t = 0; t < T; t++)
    tc[t * M + 4] = 1.0f;
  g_assert_false (sa_dual_regression_stage2 (data, T, NV, tc, M, TRUE, out, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

typedef struct {
  SaPlanted *planted;
  float     *buffer;
} PlantedSource;

static gboolean
planted_fetch (gpointer user_data, int subject, const float **data, int *n_timepoints,
               GError **error)
{
  PlantedSource *ps = user_data;
  if (!sa_planted_subject (ps->planted, subject, ps->buffer, NULL, error))
    return FALSE;
  *data = ps->buffer;
  *n_timepoints = ps->planted->params.n_timepoints;
  return TRUE;
}

static void
test_subjects (void)
{
  SaPlantedParams p;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *buffer = NULL;
  g_autofree float *per = NULL;
  g_autofree float *mean = NULL;
  g_autofree float *one = NULL;
  PlantedSource ps;
  SaSubjectSource source;
  const int subjects[2] = { 2, 0 };
  int K, Tp, got_t = 0;

  sa_planted_params_init (&p);
  p.n_subjects = 3;
  p.n_timepoints = 100;
  planted = sa_planted_new (&p, &error);
  g_assert_no_error (error);
  K = p.n_networks;
  Tp = p.n_timepoints;
  buffer = g_new (float, (gsize) Tp * planted->n_voxels);
  ps.planted = planted;
  ps.buffer = buffer;
  source.n_subjects = 3;
  source.n_voxels = planted->n_voxels;
  source.fetch = planted_fetch;
  source.user_data = &ps;

  /* The planted truth maps give back the planted time courses. */
  dr = sa_dual_regression_new (planted->maps, planted->n_voxels, K, &error);
  g_assert_no_error (error);
  per = g_new (float, 2 * Tp * K);
  mean = g_new (float, Tp * K);
  one = g_new (float, Tp * K);
  g_assert_true (sa_dual_regression_subjects (dr, &source, subjects, 2, per, mean, &got_t,
                                              NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (got_t, ==, Tp);
  g_assert_true (sa_planted_subject (planted, 0, buffer, NULL, NULL));
  sa_dual_regression_stage1 (dr, buffer, Tp, one);
  g_assert_cmpmem (one, sizeof (float) * Tp * K, per + Tp * K, sizeof (float) * Tp * K);
  for (int i = 0; i < Tp * K; i++)
    g_assert_cmpfloat (fabs (mean[i] - 0.5 * (per[i] + per[Tp * K + i])), <, 1e-5);
  for (int k = 0; k < K; k++)
    {
      double sxy = 0, sxx = 0, syy = 0, mx = 0;
      for (int t = 0; t < Tp; t++)
        mx += mean[t * K + k] / Tp;
      for (int t = 0; t < Tp; t++)
        {
          double a = mean[t * K + k] - mx, b = planted->time_courses[t * K + k];
          sxy += a * b;
          sxx += a * a;
          syy += b * b;
        }
      /* Two noisy subjects (snr 0.5, smooth noise): a clear but imperfect match. */
      g_test_message ("network %d: r %.3f", k, sxy / sqrt (sxx * syy));
      g_assert_cmpfloat (sxy / sqrt (sxx * syy), >, 0.6);
    }

  source.n_voxels = planted->n_voxels - 1;
  g_assert_false (sa_dual_regression_subjects (dr, &source, NULL, 3, NULL, mean, NULL,
                                               NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/dual-regression/exact", test_exact);
  g_test_add_func ("/compute/dual-regression/numpy", test_numpy);
  g_test_add_func ("/compute/dual-regression/errors", test_errors);
  g_test_add_func ("/compute/dual-regression/subjects", test_subjects);
  return g_test_run ();
}
