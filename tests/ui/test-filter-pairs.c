/* ui/filter-pairs: the filter2fbn table read for the workbench, argmax for
 * what it lacks, and one clear error per bad table. No display. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"
#include "tests/testutil.h"
#include "ui/filter-pairs.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/filter-pairs/path", test_path);
  g_test_add_func ("/ui/filter-pairs/argmax", test_argmax);
  g_test_add_func ("/ui/filter-pairs/table", test_table);
  g_test_add_func ("/ui/filter-pairs/errors", test_errors);
  return g_test_run ();
}
