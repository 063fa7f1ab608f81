#include "config.h"

#include <math.h>
#include <stdio.h>

#include "compute/error.h"
#include "compute/io/tsv.h"
#include "compute/sync/ceiling.h"
#include "compute/sync/correlate.h"
#include "compute/sync/null.h"
#include "compute/sync/pairing.h"
#include "compute/sync/stats.h"
#include "tests/testutil.h"

/* Reads a TSV of time courses (T rows × n columns) as n rows of T. */
static double *
read_series (const char *path,
             int        *n,
             int        *t)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *v = NULL;
  double *rows;

  g_assert_true (sa_tsv_read_matrix (path, NULL, t, n, &v, &error));
  g_assert_no_error (error);
  rows = g_new (double, (gsize) *n * *t);
  for (int i = 0; i < *t; i++)
    for (int j = 0; j < *n; j++)
      rows[(gsize) j * *t + i] = v[(gsize) i * *n + j];
  return rows;
}

static double *
read_table (const char *path,
            int        *nr,
            int        *nc)
{
  g_autoptr(GError) error = NULL;
  double *v = NULL;

  g_assert_true (sa_tsv_read_matrix (path, NULL, nr, nc, &v, &error));
  g_assert_no_error (error);
  return v;
}

static SaCorrelation *
oracle_correlation (const char *dir,
                    const char *seed)
{
  const char *argv[] = { "corr", dir, seed, NULL };
  g_autofree char *out = sa_test_python ("tests/py/sync_oracle.py", argv);
  g_autofree char *fp = g_build_filename (dir, "fbn.tsv", NULL);
  g_autofree char *kp = g_build_filename (dir, "filters.tsv", NULL);
  g_autofree double *f = NULL, *k = NULL;
  g_autoptr(GError) error = NULL;
  SaCorrelation *corr;
  int m, K, T, T2;

  if (out == NULL)
    return NULL;
  f = read_series (fp, &m, &T);
  k = read_series (kp, &K, &T2);
  corr = sa_correlation_compute (f, m, T, fp, k, K, T2, kp, &error);
  g_assert_no_error (error);
  return corr;
}

static void
test_correlate_numpy (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(SaCorrelation) corr = oracle_correlation (dir, "7");
  g_autofree char *rp = NULL;
  g_autofree double *ref = NULL;
  int nr, nc;

  if (corr == NULL)
    return;
  rp = g_build_filename (dir, "r.tsv", NULL);
  ref = read_table (rp, &nr, &nc);
  g_assert_cmpint (nr, ==, corr->n_fbns);
  g_assert_cmpint (nc, ==, corr->n_filters);
  g_assert_cmpint (corr->n_excluded_filters, ==, 1);
  g_assert_false (corr->filter_valid[11]);
  for (int i = 0; i < nr * nc; i++)
    {
      g_assert_false (isnan (corr->r[i]));
      g_assert_cmpfloat_with_epsilon (corr->r[i], ref[i], 1e-12);
    }
}

static void
test_pairing_known (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(SaCorrelation) corr = oracle_correlation (dir, "7");
  g_autoptr(SaPairing) f2k = NULL;
  g_autoptr(SaPairing) k2f = NULL;
  SaPairingSummary sum;
  double mean = 0.0;

  if (corr == NULL)
    return;
  f2k = sa_pairing_compute (corr, SA_DIRECTION_FBN2FILTER);
  k2f = sa_pairing_compute (corr, SA_DIRECTION_FILTER2FBN);
  g_assert_cmpint (f2k->n_pairs, ==, corr->n_fbns);
  /* The constant filter is not paired, so one fewer filter2fbn pair. */
  g_assert_cmpint (k2f->n_pairs, ==, corr->n_filters - 1);
  /* Filter 5 was built from FBN 3 (index 2): each is the other's best. */
  g_assert_cmpint (f2k->pairs[2].filter, ==, 5);
  g_assert_cmpint (k2f->pairs[5].fbn, ==, 2);
  g_assert_cmpfloat (f2k->pairs[2].r, >, 0.99);
  g_assert_cmpfloat (f2k->pairs[2].p, <, 1e-50);
  for (int i = 0; i < f2k->n_pairs; i++)
    {
      const SaPair *p = &f2k->pairs[i];
      for (int k = 0; k < corr->n_filters; k++)
        if (corr->filter_valid[k])
          g_assert_cmpfloat (sa_correlation_get (corr, p->fbn, k), <=, p->r);
      mean += p->r;
    }
  sa_pairing_summarize (f2k, 0.05, &sum);
  g_assert_cmpfloat_with_epsilon (sum.mean_r, mean / f2k->n_pairs, 1e-15);
  g_assert_true (isnan (sum.non_significant_fwer));
  g_assert_cmpfloat (sum.non_significant, >=, 0.0);
  g_assert_cmpfloat (sum.non_significant, <=, 1.0);
}

static void
test_parametric_p_scipy (void)
{
  const char *argv[] = { "pearsonp", NULL };
  g_autofree char *out = sa_test_python ("tests/py/sync_oracle.py", argv);
  g_auto(GStrv) lines = NULL;
  double worst = 0.0;
  int n = 0;

  if (out == NULL)
    return;
  lines = g_strsplit (out, "\n", -1);
  for (int i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      double r, p, mine, rel;
      int t;

      g_assert_cmpint (sscanf (lines[i], "%lf %d %lf", &r, &t, &p), ==, 3);
      mine = sa_pearson_p (r, t);
      rel = fabs (mine - p) / MAX (p, 1e-300);
      worst = MAX (worst, rel);
      if (rel > 1e-10)
        g_error ("r=%.17g T=%d: p %.17g, scipy %.17g", r, t, mine, p);
      n++;
    }
  g_assert_cmpint (n, ==, 42);
  g_test_message ("worst relative error vs scipy.stats.pearsonr: %.3g", worst);
  g_assert_true (isnan (sa_pearson_p (0.5, 2)));
  g_assert_cmpfloat (sa_pearson_p (1.0, 50), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (sa_pearson_p (0.0, 50), 1.0, 1e-15);
}

static void
write_ints (const char *path,
            const int  *v,
            int         n)
{
  g_autoptr(GString) s = g_string_new (NULL);
  for (int i = 0; i < n; i++)
    g_string_append_printf (s, "%d\n", v[i]);
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
}

static void
check_null_against_direct (SaNullKind kind)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(SaCorrelation) corr = oracle_correlation (dir, "11");
  SaNullOptions opt = SA_NULL_OPTIONS_INIT;
  g_autoptr(SaNull) null = NULL;
  g_autoptr(SaNull) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ex = NULL, *fm = NULL, *km = NULL, *out = NULL;
  g_autofree double *ref_ex = NULL, *ref_fm = NULL, *ref_km = NULL;
  const char *argv[] = { "null", dir, sa_null_kind_to_string (kind), NULL };
  int nr, nc, S = 200, m, K, mismatched = 0;

  if (corr == NULL)
    return;
  m = corr->n_fbns;
  K = corr->n_filters;
  opt.kind = kind;
  opt.n_surrogates = S;
  opt.seed = 42;
  null = sa_null_compute (corr, &opt, NULL, NULL, &error);
  g_assert_no_error (error);
  again = sa_null_compute (corr, &opt, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Same seed, same surrogates, same numbers. */
  g_assert_cmpmem (null->exceed, m * K * 4, again->exceed, m * K * 4);
  g_assert_cmpmem (null->fbn_max, m * S * 4, again->fbn_max, m * S * 4);

  if (kind == SA_NULL_SHIFT)
    {
      g_autofree char *sp = g_build_filename (dir, "shifts.txt", NULL);
      for (int j = 0; j < S; j++)
        {
          g_assert_cmpint (null->shifts[j], >=, null->min_shift);
          g_assert_cmpint (null->shifts[j], <=, corr->n_times - null->min_shift);
        }
      write_ints (sp, null->shifts, S);
    }
  else
    {
      g_autofree char *pp = g_build_filename (dir, "phases.txt", NULL);
      g_autoptr(GString) s = g_string_new (NULL);
      int nf = corr->n_times / 2 + 1;
      for (int j = 0; j < S; j++)
        {
          for (int f = 0; f < nf; f++)
            g_string_append_printf (s, "%.9g ", null->phases[j * nf + f]);
          g_string_append_c (s, '\n');
        }
      g_assert_true (g_file_set_contents (pp, s->str, -1, NULL));
    }
  out = sa_test_python ("tests/py/sync_oracle.py", argv);
  ex = g_build_filename (dir, "exceed.tsv", NULL);
  fm = g_build_filename (dir, "fbn_max.tsv", NULL);
  km = g_build_filename (dir, "filter_max.tsv", NULL);
  ref_ex = read_table (ex, &nr, &nc);
  ref_fm = read_table (fm, &nr, &nc);
  g_assert_cmpint (nr, ==, m * S);
  ref_km = read_table (km, &nr, &nc);
  g_assert_cmpint (nr, ==, K * S);

  for (int i = 0; i < m * S; i++)
    g_assert_cmpfloat_with_epsilon (null->fbn_max[i], ref_fm[i], 2e-5);
  for (int k = 0; k < K; k++)
    for (int j = 0; j < S; j++)
      if (corr->filter_valid[k])
        g_assert_cmpfloat_with_epsilon (null->filter_max[k * S + j], ref_km[k * S + j], 2e-5);
  /* Counts can differ only where a null r ties |r| to float precision. */
  for (int i = 0; i < m * K; i++)
    if (corr->filter_valid[i % K] && fabs (null->exceed[i] - ref_ex[i]) > 0)
      mismatched++;
  g_assert_cmpint (mismatched, <=, 2);
}

static void
test_null_shift_direct (void)
{
  check_null_against_direct (SA_NULL_SHIFT);
}

static void
test_null_phase_direct (void)
{
  check_null_against_direct (SA_NULL_PHASE);
}

static void
test_bad_inputs (void)
{
  double a[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  double c[8] = { 2, 2, 2, 2, 5, 5, 5, 5 };
  double nan_row[4] = { 1, NAN, 2, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaCorrelation) corr = NULL;

  corr = sa_correlation_compute (a, 2, 6, "fbn.tsv", a, 3, 4, "acts.h5", &error);
  g_assert_null (corr);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "fbn.tsv has 6"));
  g_assert_nonnull (strstr (error->message, "acts.h5 has 4"));
  g_clear_error (&error);

  corr = sa_correlation_compute (a, 3, 4, "fbn.tsv", c, 2, 4, "acts.h5", &error);
  g_assert_null (corr);
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "acts.h5: every filter is constant"));
  g_clear_error (&error);

  corr = sa_correlation_compute (nan_row, 1, 4, "fbn.tsv", a, 3, 4, "acts.h5", &error);
  g_assert_null (corr);
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "fbn.tsv: FBN 0"));
  g_clear_error (&error);

  /* One constant FBN of three: excluded, the rest correlate, no NaN. */
  {
    double f[12] = { 1, 3, 2, 5,  4, 4, 4, 4,  0, 1, 0, 1 };
    double k[8] = { 1, 2, 3, 4,  0, 1, 0, 1 };
    g_autoptr(SaPairing) p = NULL;

    corr = sa_correlation_compute (f, 3, 4, "fbn.tsv", k, 2, 4, "acts.h5", &error);
    g_assert_no_error (error);
    g_assert_cmpint (corr->n_excluded_fbns, ==, 1);
    g_assert_false (corr->fbn_valid[1]);
    p = sa_pairing_compute (corr, SA_DIRECTION_FBN2FILTER);
    g_assert_cmpint (p->n_pairs, ==, 2);
    for (int i = 0; i < p->n_pairs; i++)
      {
        g_assert_cmpint (p->pairs[i].fbn, !=, 1);
        g_assert_false (isnan (p->pairs[i].r));
      }
    g_assert_cmpfloat_with_epsilon (p->pairs[1].r, 1.0, 1e-12);
  }
}

static void
test_null_arguments (void)
{
  double f[8] = { 1, 3, 2, 5, 4, 6, 5, 7 };
  double k[8] = { 2, 1, 4, 3, 6, 5, 8, 7 };
  g_autoptr(SaCorrelation) corr = sa_correlation_compute (f, 1, 8, "f", k, 1, 8, "k", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SaNullOptions opt = SA_NULL_OPTIONS_INIT;

  opt.min_shift = 5;
  g_assert_null (sa_null_compute (corr, &opt, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "run of 8 TRs"));
  g_clear_error (&error);

  opt.min_shift = 0;
  opt.n_surrogates = 0;
  g_assert_null (sa_null_compute (corr, &opt, NULL, NULL, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_clear_error (&error);

  opt.n_surrogates = 50;
  g_cancellable_cancel (cancellable);
  g_assert_null (sa_null_compute (corr, &opt, NULL, cancellable, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
}

static void
test_noise_ceiling_numpy (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  int n_sub = 7, n_fbn = 3, T = 80, n_splits = 25;
  g_autofree double *tc = g_new (double, n_sub * n_fbn * T);
  g_autofree guint8 *splits = sa_noise_ceiling_splits (n_sub, n_splits, 5);
  g_autofree double *ceil = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GString) sp = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) fields = NULL;
  g_autofree char *p1 = g_build_filename (dir, "tc.txt", NULL);
  g_autofree char *p2 = g_build_filename (dir, "splits.txt", NULL);
  g_autofree char *p3 = g_build_filename (dir, "dims.txt", NULL);
  g_autofree char *dims = g_strdup_printf ("%d %d", n_sub, n_fbn);
  const char *argv[] = { "ceiling", dir, NULL };

  /* FBN f: a shared signal with weight (f+1)/3 plus subject noise. */
  for (int t = 0; t < T; t++)
    {
      double shared = sin (t * 0.3) + g_rand_double_range (rand, -1, 1);
      for (int subj = 0; subj < n_sub; subj++)
        for (int f = 0; f < n_fbn; f++)
          tc[(subj * n_fbn + f) * T + t] = shared * (f + 1) / 3.0 + g_rand_double_range (rand, -1.5, 1.5);
    }
  for (int row = 0; row < n_sub * n_fbn; row++)
    {
      for (int t = 0; t < T; t++)
        g_string_append_printf (s, "%.17g ", tc[row * T + t]);
      g_string_append_c (s, '\n');
    }
  for (int j = 0; j < n_splits; j++)
    {
      int in_a = 0;
      for (int i = 0; i < n_sub; i++)
        {
          g_string_append_printf (sp, "%d ", splits[j * n_sub + i]);
          in_a += splits[j * n_sub + i];
        }
      g_assert_cmpint (in_a, ==, n_sub / 2);
      g_string_append_c (sp, '\n');
    }
  g_assert_true (g_file_set_contents (p1, s->str, -1, NULL));
  g_assert_true (g_file_set_contents (p2, sp->str, -1, NULL));
  g_assert_true (g_file_set_contents (p3, dims, -1, NULL));

  ceil = sa_noise_ceiling (tc, n_sub, n_fbn, T, n_splits, 5, &error);
  g_assert_no_error (error);
  out = sa_test_python ("tests/py/sync_oracle.py", argv);
  if (out == NULL)
    return;
  fields = g_strsplit (g_strstrip (out), " ", -1);
  g_assert_cmpint (g_strv_length (fields), ==, n_fbn);
  for (int f = 0; f < n_fbn; f++)
    g_assert_cmpfloat_with_epsilon (ceil[f], g_ascii_strtod (fields[f], NULL), 1e-12);
  /* More shared signal, higher ceiling. */
  g_assert_cmpfloat (ceil[0], <, ceil[2]);

  g_assert_null (sa_noise_ceiling (tc, 1, n_fbn, T, 5, 1, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

static void
test_linregress_scipy (void)
{
  const char *argv[] = { "linregress", NULL };
  g_autofree char *out = sa_test_python ("tests/py/sync_oracle.py", argv);
  const double x[] = { 0.56, 0.69, 0.71, 0.76, 0.78, 0.81 };
  const double y[] = { 0.21, 0.25, 0.24, 0.29, 0.27, 0.31 };
  double slope, intercept, r2, p, se;
  SaLinearFit fit;
  g_autoptr(GError) error = NULL;

  if (out == NULL)
    return;
  g_assert_cmpint (sscanf (out, "%lf %lf %lf %lf %lf", &slope, &intercept, &r2, &p, &se), ==, 5);
  g_assert_true (sa_linear_fit (x, y, 6, &fit, &error));
  g_assert_cmpfloat_with_epsilon (fit.slope, slope, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit.intercept, intercept, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit.r_squared, r2, 1e-12);
  g_assert_cmpfloat_with_epsilon (fit.p / p, 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (fit.stderr_slope, se, 1e-12);
}

static void
test_model_comparison (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "scores.tsv", NULL);
  const char *models[] = { "alexnet", "vgg16", "resnet18", "resnet50", "densenet" };
  const double mean_r[] = { 0.21, 0.25, 0.24, 0.29, 0.27 };
  g_autofree char *warnings = NULL;
  g_autoptr(GError) error = NULL;
  SaLinearFit fit;

  g_assert_true (g_file_set_contents (path,
    "model\tscore\nalexnet\t0.565\nvgg16\t0.716\nresnet18\t0.698\nresnet50\t0.761\n"
    "inception\t0.773\n", -1, NULL));
  g_assert_true (sa_model_comparison (models, mean_r, 5, path, &fit, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fit.n, ==, 4);
  g_assert_nonnull (warnings);
  g_assert_nonnull (strstr (warnings, "“inception” has a score but was not run"));
  g_assert_nonnull (strstr (warnings, "“densenet” was run but has no score"));
  g_assert_cmpfloat (fit.slope, >, 0.0);

  g_assert_true (g_file_set_contents (path, "model\tscore\nalexnet\t0.5\nfoo\t0.7\n", -1, NULL));
  g_assert_false (sa_model_comparison (models, mean_r, 5, path, &fit, &warnings, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, path));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/sync/correlate/numpy", test_correlate_numpy);
  g_test_add_func ("/compute/sync/correlate/bad-inputs", test_bad_inputs);
  g_test_add_func ("/compute/sync/pairing/known", test_pairing_known);
  g_test_add_func ("/compute/sync/stats/parametric-p-scipy", test_parametric_p_scipy);
  g_test_add_func ("/compute/sync/stats/linregress-scipy", test_linregress_scipy);
  g_test_add_func ("/compute/sync/stats/model-comparison", test_model_comparison);
  g_test_add_func ("/compute/sync/null/shift-direct", test_null_shift_direct);
  g_test_add_func ("/compute/sync/null/phase-direct", test_null_phase_direct);
  g_test_add_func ("/compute/sync/null/arguments", test_null_arguments);
  g_test_add_func ("/compute/sync/ceiling/numpy", test_noise_ceiling_numpy);
  return g_test_run ();
}
