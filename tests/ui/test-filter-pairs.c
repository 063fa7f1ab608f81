/* ui/filter-pairs: the filter2fbn table read for the workbench, argmax for
 * what it lacks, and one clear error per bad table. No display. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/ann/activations.h"
#include "compute/error.h"
#include "compute/io/nifti.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"
#include "tests/testutil.h"
#include "ui/filter-pairs.h"
#include "ui/results-loader.h"

#define M 3
#define K 4
#define T 50

/* FBN i is a sinusoid; filter j follows FBN (j + 1) % M, filter 3 is
 * constant (excluded: no pair). */
static SaCorrelation *
make_corr (void)
{
  double fbns[M * T], filters[K * T];
  g_autoptr(GError) error = NULL;
  SaCorrelation *corr;

  for (int t = 0; t < T; t++)
    {
      for (int i = 0; i < M; i++)
        fbns[i * T + t] = sin (0.21 * (i + 1) * t + i);
      for (int j = 0; j < K; j++)
        filters[j * T + t] = j == 3 ? 1.0 : sin (0.21 * ((j + 1) % M + 1) * t + (j + 1) % M) + 0.3 * cos (1.7 * t + j);
    }
  corr = sa_correlation_compute (fbns, M, T, "fbns", filters, K, T, "filters", &error);
  g_assert_no_error (error);
  return corr;
}

static char *
write_table (const char *dir,
             const char *name,
             const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_path (void)
{
  g_autofree char *a = sa_filter_pairs_path_for ("/d/task-movie_run-1_model-x_layer-y_desc-fbn2filter_pairs.tsv");

  g_assert_cmpstr (a, ==, "/d/task-movie_run-1_model-x_layer-y_desc-filter2fbn_pairs.tsv");
  g_assert_null (sa_filter_pairs_path_for (NULL));
  g_assert_null (sa_filter_pairs_path_for ("/d/summary.tsv"));
}

static void
test_argmax (void)
{
  g_autoptr(SaCorrelation) corr = make_corr ();
  char *names[] = { "fbn-001", "fbn-002", "fbn-003", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree SaPair *pairs = NULL;
  int n = -1;

  /* No table: every valid filter gets its argmax FBN, parametric p. */
  pairs = sa_filter_pairs_load ("/nonexistent/x_desc-filter2fbn_pairs.tsv", names, corr, NULL, NULL, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, K - 1);   /* filter 3 is constant */
  for (int p = 0; p < n; p++)
    {
      int j = pairs[p].filter;

      g_assert_cmpint (j, ==, p);
      g_assert_cmpint (pairs[p].fbn, ==, (j + 1) % M);
      for (int i = 0; i < M; i++)
        g_assert_cmpfloat (sa_correlation_get (corr, i, j), <=, pairs[p].r);
      g_assert_cmpfloat_with_epsilon (pairs[p].p, sa_pearson_p (pairs[p].r, T), 1e-15);
      g_assert_true (isnan (pairs[p].p_fwer));
      g_assert_true (pairs[p].significant);
    }
}

static void
test_table (void)
{
  g_autoptr(SaCorrelation) corr = make_corr ();
  char *names[] = { "fbn-001", "fbn-002", "fbn-003", NULL };
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree SaPair *pairs = NULL;
  g_auto(GStrv) fbn_labels = g_new0 (char *, M + 1);
  g_auto(GStrv) filter_labels = g_new0 (char *, K + 1);
  int n = -1;

  for (int i = 0; i < M; i++)
    fbn_labels[i] = g_strdup (i == 0 ? "Visual" : "");
  for (int j = 0; j < K; j++)
    filter_labels[j] = g_strdup ("");
  /* As `syncact pair` writes it, but for filter 1 only: the table wins
   * where it has a row (even against argmax), argmax fills the rest. */
  path = write_table (dir, "a_desc-filter2fbn_pairs.tsv",
                      "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
                      "fbn-003\t1\t0.25\t0.04\t0.3\tfalse\tOccipital\tstripes\n");
  pairs = sa_filter_pairs_load (path, names, corr, fbn_labels, filter_labels, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, K - 1);
  g_assert_cmpint (pairs[1].filter, ==, 1);
  g_assert_cmpint (pairs[1].fbn, ==, 2);
  g_assert_cmpfloat (pairs[1].r, ==, 0.25);
  g_assert_cmpfloat (pairs[1].p, ==, 0.04);
  g_assert_cmpfloat (pairs[1].p_fwer, ==, 0.3);
  g_assert_false (pairs[1].significant);
  g_assert_cmpint (pairs[0].fbn, ==, 1);    /* argmax */
  g_assert_cmpint (pairs[2].fbn, ==, 0);
  /* Labels fill what is empty, never replace. */
  g_assert_cmpstr (fbn_labels[0], ==, "Visual");
  g_assert_cmpstr (fbn_labels[2], ==, "Occipital");
  g_assert_cmpstr (filter_labels[1], ==, "stripes");
  g_assert_cmpstr (filter_labels[0], ==, "");
}

static void
test_errors (void)
{
  g_autoptr(SaCorrelation) corr = make_corr ();
  char *names[] = { "fbn-001", "fbn-002", "fbn-003", NULL };
  g_autofree char *dir = sa_test_tmpdir ();
  const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "fbn\tfilter\tr\nfbn-009\t1\t0.5\n", "line 2: FBN fbn-009 is not a column" },
    { "fbn\tfilter\tr\nfbn-001\t1\t0.5\nfbn-001\t4\t0.5\n", "line 3: filter 4 is not one of the 4 filters" },
    { "fbn\tfilter\tr\nfbn-001\tx1\t0.5\n", "line 2: filter x1" },
    { "fbn\tr\nfbn-001\t0.5\n", "not a pairs table" },
    { "fbn\tfilter\tr\nfbn-001\t1\n", "line 2" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u_desc-filter2fbn_pairs.tsv", c);
      g_autofree char *path = write_table (dir, name, cases[c].text);
      g_autoptr(GError) error = NULL;
      int n = -1;

      g_assert_null (sa_filter_pairs_load (path, names, corr, NULL, NULL, &n, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[c].message));
    }
}

/* The results loader fills both directions: the filter2fbn table beside
 * the fbn2filter one, as `syncact run` writes them. */
static void
test_loader (void)
{
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *dir = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaActivations) acts = sa_activations_new (T, K);
  double affine[4][4] = { { 4, 0, 0, -20 }, { 0, 4, 0, -24 }, { 0, 0, 4, -16 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) maps = sa_volume_new (6, 5, 4, M, affine);
  g_autoptr(SaWorkbench) wb = NULL;
  GString *tsv = g_string_new ("fbn-001\tfbn-002\tfbn-003\n");
  const SaPair *fp;
  g_autofree char *label = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (gsize v = 0; v < (gsize) 6 * 5 * 4 * M; v++)
    maps->data[v] = (float) ((v * 37) % 101) / 100.0f - 0.5f;
  path = g_build_filename (dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_assert_true (sa_volume_save (maps, path, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  for (int t = 0; t < T; t++)
    g_string_append_printf (tsv, "%.9g\t%.9g\t%.9g\n", sin (0.21 * t), sin (0.42 * t + 1), sin (0.63 * t + 2));
  path = g_build_filename (dir, "task-movie_run-1_desc-FBN_mixing.tsv", NULL);
  g_assert_true (g_file_set_contents (path, tsv->str, -1, NULL));
  g_string_free (tsv, TRUE);
  g_clear_pointer (&path, g_free);
  for (int t = 0; t < T; t++)
    for (int j = 0; j < K; j++)
      acts->data[t * K + j] = (float) (sin (0.21 * ((j + 1) % M + 1) * t + (j + 1) % M) + 0.3 * cos (1.7 * t + j));
  acts->tr = 2.0;
  path = g_build_filename (dir, "task-movie_run-1_model-m_layer-l_desc-activations_stim.h5", NULL);
  g_assert_true (sa_activations_save (acts, path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "task-movie_run-1_model-m_layer-l_desc-fbn2filter_pairs.tsv", NULL);
  g_assert_true (g_file_set_contents (path,
    "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
    "fbn-001\t2\t0.9\t0.001\t0.01\ttrue\tn/a\tn/a\n"
    "fbn-002\t0\t0.8\t0.002\t0.02\ttrue\tn/a\tn/a\n"
    "fbn-003\t1\t0.7\t0.003\t0.03\ttrue\tn/a\tn/a\n", -1, NULL));
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "task-movie_run-1_model-m_layer-l_desc-filter2fbn_pairs.tsv", NULL);
  g_assert_true (g_file_set_contents (path,
    "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
    "fbn-002\t0\t0.8\t0.002\t0.04\ttrue\tn/a\tedges\n"
    "fbn-003\t1\t0.7\t0.003\t0.05\ttrue\tn/a\tn/a\n"
    "fbn-001\t2\t0.9\t0.001\t0.06\ttrue\tn/a\tn/a\n"
    "fbn-003\t3\t0.1\t0.4\t0.9\tfalse\tn/a\tn/a\n", -1, NULL));

  wb = sa_results_load (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (wb);
  fp = sa_workbench_get_filter_pair (wb, 3);
  g_assert_nonnull (fp);
  g_assert_cmpint (fp->fbn, ==, 2);
  g_assert_cmpfloat (fp->p_fwer, ==, 0.9);
  g_assert_false (fp->significant);
  g_assert_cmpfloat (sa_workbench_get_filter_pair (wb, 0)->p_fwer, ==, 0.04);
  label = sa_workbench_dup_filter_label (wb, 0);
  g_assert_nonnull (strstr (label, "edges"));

  /* Without the table: argmax, parametric p. */
  g_assert_cmpint (g_remove (path), ==, 0);
  g_clear_object (&wb);
  wb = sa_results_load (root, NULL, &error);
  g_assert_no_error (error);
  fp = sa_workbench_get_filter_pair (wb, 3);
  g_assert_nonnull (fp);
  g_assert_true (isnan (fp->p_fwer));
  g_assert_cmpfloat_with_epsilon (fp->p, sa_pearson_p (fp->r, T), 1e-12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/filter-pairs/path", test_path);
  g_test_add_func ("/ui/filter-pairs/argmax", test_argmax);
  g_test_add_func ("/ui/filter-pairs/table", test_table);
  g_test_add_func ("/ui/filter-pairs/errors", test_errors);
  g_test_add_func ("/ui/filter-pairs/loader", test_loader);
  return g_test_run ();
}
