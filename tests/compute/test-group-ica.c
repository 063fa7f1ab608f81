#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/demo/recovery.h"
#include "compute/embed/dual-regression.h"
#include "compute/embed/group-ica.h"
#include "compute/embed/ica-embed.h"
#include "compute/error.h"
#include "tests/testutil.h"

#include <cblas.h>
#include <lapacke.h>

typedef struct {
  SaPlanted *planted;
  float     *buffer;
  int        fetches;
  int        cancel_after;
  GCancellable *cancellable;
} PlantedSource;

static gboolean
planted_fetch (gpointer user_data, int subject, const float **data, int *n_timepoints,
               GError **error)
{
  PlantedSource *ps = user_data;
  if (++ps->fetches == ps->cancel_after)
    g_cancellable_cancel (ps->cancellable);
  if (!sa_planted_subject (ps->planted, subject, ps->buffer, NULL, error))
    return FALSE;
  *data = ps->buffer;
  *n_timepoints = ps->planted->params.n_timepoints;
  return TRUE;
}

static double
pearson (const float *a, int sa, const float *b, int sb, int n)
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
  return sab / sqrt (saa * sbb);
}

/* For each planted network: the component whose mean dual-regression time
 * course matches best, |r| >= 0.8, a different component for each network,
 * and that component's map peak within 2 voxels of the planted centre. */
static void
assert_recovers (SaPlanted *planted, const SaSubjectSource *source, const float *maps, int m,
                 const char *what)
{
  int K = planted->params.n_networks, T = planted->params.n_timepoints;
  gint64 n = planted->n_voxels;
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *mean = g_new (float, (gsize) T * m);
  g_autofree int *owner = g_new (int, m);
  double worst_r = 1, worst_d = 0;

  dr = sa_dual_regression_new (maps, n, m, &error);
  g_assert_no_error (error);
  g_assert_true (sa_dual_regression_subjects (dr, source, NULL, planted->params.n_subjects,
                                              NULL, mean, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (int j = 0; j < m; j++)
    owner[j] = -1;
  for (int k = 0; k < K; k++)
    {
      double best = 0, d2 = 0;
      int arg = -1;
      gint64 peak = 0, flat;
      const double *c = planted->centres + 3 * k;

      for (int j = 0; j < m; j++)
        {
          double r = fabs (pearson (mean + j, m, planted->time_courses + k, K, T));
          if (r > best)
            {
              best = r;
              arg = j;
            }
        }
      for (gint64 v = 0; v < n; v++)
        if (maps[v * m + arg] > maps[peak * m + arg])
          peak = v;
      flat = planted->index[peak];
      d2 = pow (flat % planted->params.nx - c[0], 2)
           + pow ((flat / planted->params.nx) % planted->params.ny - c[1], 2)
           + pow (flat / ((gint64) planted->params.nx * planted->params.ny) - c[2], 2);
      g_test_message ("%s: network %d -> component %d, |r| %.3f, peak %.2f voxels away",
                      what, k, arg, best, sqrt (d2));
      worst_r = MIN (worst_r, best);
      worst_d = MAX (worst_d, sqrt (d2));
      g_assert_cmpfloat (best, >=, 0.8);
      g_assert_cmpfloat (sqrt (d2), <=, 2.0);
      g_assert_cmpint (owner[arg], ==, -1);
      owner[arg] = k;
    }
  g_test_message ("%s: worst |r| %.3f, worst peak distance %.2f voxels", what, worst_r, worst_d);
  {
    g_autoptr(SaRecovery) rec = sa_recovery_new (planted, maps, mean, m, &error);
    g_autofree char *text = NULL;
    g_assert_no_error (error);
    text = sa_recovery_describe (rec);
    g_test_message ("%s: %s", what, text);
    g_assert_true (rec->distinct);
  }
}

/* The figures for an FBN set that need not recover anything. */
static void
describe (SaPlanted *planted, const SaSubjectSource *source, const float *maps, int m,
          const char *what, SaRecovery **out)
{
  int T = planted->params.n_timepoints;
  g_autoptr(SaDualRegression) dr = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *mean = g_new (float, (gsize) T * m);
  g_autofree char *text = NULL;

  dr = sa_dual_regression_new (maps, planted->n_voxels, m, &error);
  g_assert_no_error (error);
  g_assert_true (sa_dual_regression_subjects (dr, source, NULL, planted->params.n_subjects,
                                              NULL, mean, NULL, NULL, NULL, &error));
  *out = sa_recovery_new (planted, maps, mean, m, &error);
  g_assert_no_error (error);
  text = sa_recovery_describe (*out);
  g_test_message ("%s: %s", what, text);
}

static SaPlanted *
planted_dataset (void)
{
  SaPlantedParams p;
  g_autoptr(GError) error = NULL;
  SaPlanted *planted;

  sa_planted_params_init (&p);
  p.n_subjects = 8;
  p.n_timepoints = 200;
  p.seed = 21;
  planted = sa_planted_new (&p, &error);
  g_assert_no_error (error);
  return planted;
}

static void
test_recovery (void)
{
  g_autoptr(SaPlanted) planted = planted_dataset ();
  g_autofree float *buffer = g_new (float, (gsize) planted->params.n_timepoints * planted->n_voxels);
  PlantedSource ps = { planted, buffer, 0, -1, NULL };
  SaSubjectSource source = { planted->params.n_subjects, planted->n_voxels, planted_fetch, &ps };
  int sizes[2] = { 8, 16 };

  for (int i = 0; i < 2; i++)
    {
      SaGroupIcaParams params;
      g_autoptr(SaGroupIca) ica = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("group ICA m=%d", sizes[i]);

      sa_group_ica_params_init (&params);
      params.n_components = sizes[i];
      params.ica.seed = 3;
      ps.fetches = 0;
      ica = sa_group_ica_run (&source, NULL, planted->params.n_subjects, &params, NULL, NULL,
                              &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps.fetches, ==, planted->params.n_subjects);
      g_test_message ("%s: explained %.3f, FastICA %d iterations, converged %d", what,
                      ica->explained, ica->ica.n_iter, ica->ica.converged);
      /* Components past the 8 planted ones are Gaussian noise, for which
       * FastICA has no fixed point: convergence is only required at m = 8. */
      if (sizes[i] == 8)
        g_assert_true (ica->ica.converged);
      g_assert_cmpfloat (ica->explained, >, 0.0);
      g_assert_cmpfloat (ica->explained, <, 1.0);
      assert_recovers (planted, &source, ica->maps, sizes[i], what);
    }
}

static void
test_rotation (void)
{
  /* An autoencoder's W spans the planted maps in an arbitrary basis: here
   * the planted maps times a dense mixing matrix, plus noise. */
  g_autoptr(SaPlanted) planted = planted_dataset ();
  int K = planted->params.n_networks;
  gint64 n = planted->n_voxels;
  g_autofree float *w = g_new (float, (gsize) n * K);
  g_autofree float *rotated = g_new (float, (gsize) n * K);
  g_autofree float *buffer = g_new (float, (gsize) planted->params.n_timepoints * n);
  PlantedSource ps = { planted, buffer, 0, -1, NULL };
  SaSubjectSource source = { planted->params.n_subjects, n, planted_fetch, &ps };
  SaFastIcaInfo info;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (8);
  double *a = g_new (double, K * K);

  for (int i = 0; i < K * K; i++)
    a[i] = g_rand_double_range (rand, -1, 1);
  for (gint64 v = 0; v < n; v++)
    for (int j = 0; j < K; j++)
      {
        double s = 0.01 * g_rand_double_range (rand, -1, 1);
        for (int k = 0; k < K; k++)
          s += planted->maps[v * K + k] * a[k * K + j];
        w[v * K + j] = (float) s;
      }
  g_rand_free (rand);
  g_free (a);

  /* Unrotated, no column is a single network, though together they hold
   * them all (what the autoencoder gives). */
  {
    g_autoptr(SaRecovery) unrotated = NULL;
    double best_any = 0;
    for (int j = 0; j < K; j++)
      for (int k = 0; k < K; k++)
        best_any = MAX (best_any, fabs (pearson (w + j, K, planted->maps + k, K, (int) n)));
    g_test_message ("mixed maps: best |r| with a planted map %.3f", best_any);
    g_assert_cmpfloat (best_any, <, 0.9);
    describe (planted, &source, w, K, "unrotated mixed maps", &unrotated);
    for (int k = 0; k < K; k++)
      g_assert_cmpfloat (unrotated->subspace_r2[k], >, 0.8);
  }
  g_assert_true (sa_ica_rotate_maps (w, n, K, NULL, rotated, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (info.converged);
  for (int k = 0; k < K; k++)
    {
      double best = 0;
      for (int j = 0; j < K; j++)
        best = MAX (best, pearson (rotated + j, K, planted->maps + k, K, (int) n));
      g_test_message ("rotation: planted map %d, best r %.3f", k, best);
      g_assert_cmpfloat (best, >, 0.95);  /* positive: the sign rule set it */
    }
  assert_recovers (planted, &source, rotated, K, "ICA rotation");
}

static void
test_cancel_and_errors (void)
{
  g_autoptr(SaPlanted) planted = planted_dataset ();
  g_autofree float *buffer = g_new (float, (gsize) planted->params.n_timepoints * planted->n_voxels);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PlantedSource ps = { planted, buffer, 0, 2, cancellable };
  SaSubjectSource source = { planted->params.n_subjects, planted->n_voxels, planted_fetch, &ps };
  SaGroupIcaParams params;
  g_autoptr(GError) error = NULL;
  SaGroupIca *ica;

  sa_group_ica_params_init (&params);
  params.n_components = 8;
  ica = sa_group_ica_run (&source, NULL, 6, &params, NULL, cancellable, &error);
  g_assert_null (ica);
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_assert_cmpint (ps.fetches, ==, 2);
  g_clear_error (&error);

  /* A bad subject index surfaces the source's error. */
  {
    const int subjects[2] = { 0, 9 };
    ps.cancel_after = -1;
    ica = sa_group_ica_run (&source, subjects, 2, &params, NULL, NULL, &error);
    g_assert_null (ica);
    g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
    g_clear_error (&error);
  }

  /* More components than one short subject can give. */
  params.n_components = 300;
  ica = sa_group_ica_run (&source, NULL, 1, &params, NULL, NULL, &error);
  g_assert_null (ica);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

/* An embedding source that generates planted subjects on acquire and
 * counts what is held. */
typedef struct {
  SaPlanted *planted;
  float     *buffer;
  int        held;
  int        max_held;
  int        acquires;
} Counting;

static const float *
counting_acquire (gpointer user_data, guint subject, guint run, GError **error)
{
  Counting *c = user_data;
  c->held++;
  c->acquires++;
  c->max_held = MAX (c->max_held, c->held);
  if (!sa_planted_subject (c->planted, (int) subject, c->buffer, NULL, error))
    return NULL;
  return c->buffer;
}

static void
counting_release (gpointer user_data, guint subject, guint run)
{
  Counting *c = user_data;
  c->held--;
}

static void
test_embed_source (void)
{
  g_autoptr(SaPlanted) planted = planted_dataset ();
  int S = planted->params.n_subjects, T = planted->params.n_timepoints;
  int K = planted->params.n_networks;
  gint64 n = planted->n_voxels;
  g_autofree float *buffer = g_new (float, (gsize) T * n);
  g_autofree float *buffer2 = g_new (float, (gsize) T * n);
  PlantedSource ps = { planted, buffer2, 0, -1, NULL };
  SaSubjectSource direct = { S, n, planted_fetch, &ps };
  Counting counting = { planted, buffer, 0, 0, 0 };
  g_autoptr(SaEmbedSource) source = NULL;
  g_autoptr(SaGroupIca) a = NULL;
  g_autoptr(SaGroupIca) b = NULL;
  g_autoptr(GPtrArray) courses = NULL;
  g_autoptr(GArray) test = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  SaGroupIcaParams params;
  const SaEmbedCourses *mean;

  source = sa_embed_source_new (n, counting_acquire, counting_release, &counting, NULL);
  for (int s = 0; s < S; s++)
    {
      g_autofree char *name = g_strdup_printf ("sub-%02d", s + 1);
      sa_embed_source_add_run (source, name, "task-movie", T, name);
    }
  sa_group_ica_params_init (&params);
  params.n_components = K;
  a = sa_group_ica_run_source (source, NULL, &params, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (counting.held, ==, 0);
  g_assert_cmpint (counting.max_held, ==, 1);
  g_assert_cmpint (counting.acquires, ==, S);
  b = sa_group_ica_run (&direct, NULL, S, &params, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (a->maps, sizeof (float) * n * K, b->maps, sizeof (float) * n * K);

  /* Time courses of the last three subjects ("test" subjects). */
  for (guint s = S - 3; s < (guint) S; s++)
    g_array_append_val (test, s);
  courses = sa_dual_regression_source (a->maps, K, source, test, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (counting.held, ==, 0);
  g_assert_cmpuint (courses->len, ==, 4);
  g_assert_cmpstr (((SaEmbedCourses *) courses->pdata[0])->subject, ==, "sub-06");
  mean = courses->pdata[3];
  g_assert_null (mean->subject);
  g_assert_cmpstr (mean->run_key, ==, "task-movie");
  g_assert_cmpint (mean->n_timepoints, ==, T);
  for (int k = 0; k < K; k++)
    {
      double best = 0;
      for (int j = 0; j < K; j++)
        best = MAX (best, fabs (pearson (mean->l + j, K, planted->time_courses + k, K, T)));
      /* A mean over 3 subjects, not 8: noisier than the recovery test's. */
      g_assert_cmpfloat (best, >=, 0.7);
    }

  g_array_append_val (test, S);  /* no such subject */
  g_clear_pointer (&courses, g_ptr_array_unref);
  courses = sa_dual_regression_source (a->maps, K, source, test, NULL, NULL, &error);
  g_assert_null (courses);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

/* trace(P_a P_b) / m for the row spaces of a and b (m × n): 1 when they
 * span the same subspace. */
static double
subspace_overlap (const float *a, const float *b, int m, gint64 n)
{
  g_autofree double *da = g_new (double, m * n);
  g_autofree double *db = g_new (double, m * n);
  g_autofree double *gaa = g_new (double, m * m);
  g_autofree double *gbb = g_new (double, m * m);
  g_autofree double *cab = g_new (double, m * m);
  g_autofree double *x = g_new (double, m * m);
  g_autofree double *y = g_new (double, m * m);
  double tr = 0;

  for (gint64 i = 0; i < m * n; i++)
    {
      da[i] = a[i];
      db[i] = b[i];
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, n, 1, da, n, da, n, 0, gaa, m);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, n, 1, db, n, db, n, 0, gbb, m);
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasTrans, m, m, n, 1, da, n, db, n, 0, cab, m);
  /* x = Gaa⁻¹ Cab, y = Gbb⁻¹ Cabᵀ; overlap = trace(x y) / m */
  memcpy (x, cab, sizeof (double) * m * m);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++)
      y[i * m + j] = cab[j * m + i];
  g_assert_cmpint (LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', m, m, gaa, m, x, m), ==, 0);
  g_assert_cmpint (LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', m, m, gbb, m, y, m), ==, 0);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++)
      tr += x[i * m + j] * y[j * m + i];
  return tr / m;
}

static void
test_migp (void)
{
  /* MIGP against the exact PCA of all subjects' data concatenated. */
  SaPlantedParams p;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(GError) error = NULL;
  int S = 4, T = 100, m = 8;
  gint64 n;
  g_autofree float *all = NULL;
  g_autofree double *gram = NULL;
  g_autofree double *w = NULL;
  g_autofree float *u = NULL;
  g_autofree float *exact = NULL;
  g_autofree float *buffer = NULL;
  PlantedSource ps;
  SaSubjectSource source;
  /* At this SNR the data's variance is 95% noise, whose directions are
   * nearly degenerate: truncating to 2m keeps the networks (the recovery
   * test) but not every detail of the exact top-m subspace. */
  struct { int k1, k2; double min; } cases[] = {
    { 100, 400, 0.9999 },  /* nothing truncated: MIGP is exact */
    { 100, 64, 0.98 },     /* group step at 8m */
    { 64, 64, 0.98 },      /* subjects and group step at 8m */
    { 16, 16, 0.88 },      /* the default, 2m and 2m */
  };

  sa_planted_params_init (&p);
  p.n_subjects = S;
  p.n_timepoints = T;
  planted = sa_planted_new (&p, &error);
  g_assert_no_error (error);
  n = planted->n_voxels;
  all = g_new (float, (gsize) S * T * n);
  for (int s = 0; s < S; s++)
    g_assert_true (sa_planted_subject (planted, s, all + (gsize) s * T * n, NULL, NULL));
  {
    g_autofree double *dall = g_new (double, (gsize) S * T * n);
    g_autofree double *z = g_new (double, (gsize) S * T * m);
    g_autofree lapack_int *support = g_new (lapack_int, 2 * S * T);
    lapack_int found = 0;
    for (gint64 i = 0; i < (gint64) S * T * n; i++)
      dall[i] = all[i];
    gram = g_new (double, (gsize) S * T * S * T);
    cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, S * T, n, 1, dall, n, 0, gram, S * T);
    w = g_new (double, S * T);
    g_assert_cmpint (LAPACKE_dsyevr (LAPACK_ROW_MAJOR, 'V', 'I', 'U', S * T, gram, S * T, 0, 0,
                                     S * T - m + 1, S * T, 0, &found, w, z, m, support), ==, 0);
    u = g_new (float, (gsize) S * T * m);
    for (gint64 i = 0; i < (gint64) S * T * m; i++)
      u[i] = (float) z[i];
    exact = g_new (float, (gsize) m * n);
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, m, n, S * T, 1, u, m, all, n, 0,
                 exact, n);
  }

  buffer = g_new (float, (gsize) T * n);
  ps = (PlantedSource) { planted, buffer, 0, -1, NULL };
  source = (SaSubjectSource) { S, n, planted_fetch, &ps };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      SaGroupIcaParams params;
      g_autofree float *migp = NULL;
      double explained = 0, overlap;

      sa_group_ica_params_init (&params);
      params.n_components = m;
      params.subject_components = cases[c].k1;
      params.group_components = cases[c].k2;
      migp = sa_group_pca (&source, NULL, S, &params, &explained, NULL, NULL, &error);
      g_assert_no_error (error);
      overlap = subspace_overlap (exact, migp, m, n);
      g_test_message ("MIGP k1=%d k2=%d: subspace overlap with exact group PCA %.5f, "
                      "explained %.3f", cases[c].k1, cases[c].k2, overlap, explained);
      g_assert_cmpfloat (overlap, >=, cases[c].min);
      g_assert_cmpfloat (overlap, <=, 1.0 + 1e-6);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/group-ica/recovery", test_recovery);
  g_test_add_func ("/compute/group-ica/rotation", test_rotation);
  g_test_add_func ("/compute/group-ica/cancel-and-errors", test_cancel_and_errors);
  g_test_add_func ("/compute/group-ica/embed-source", test_embed_source);
  g_test_add_func ("/compute/group-ica/migp", test_migp);
  return g_test_run ();
}
