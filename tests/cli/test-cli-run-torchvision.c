#include "config.h"

#include <math.h>
#include <string.h>

#include "compute/ann/activations.h"
#include "compute/io/tsv.h"
#include "tests/testutil.h"

/* Issue 5: `syncact run` works on a torchvision TorchScript model, not only
 * on the built-in CNN. torchvision's resnet18 (weights=None, seeded, as
 * /usr/bin/python3 scripts it: tests/py/make_torchvision_models.py) runs
 * over a small demo dataset through the whole pipeline (group ICA,
 * extract at layer4, pair, annotate), and the pairs it writes are checked
 * against the activations and FBN time courses it wrote: every filter of
 * layer4 has a row, and each row's r is the Pearson r of that filter's
 * activation with the named FBN's mean time course, recomputed here. */

#define FBNS 4

static double
pearson (const double *a, int sa, const float *b, int sb, int n)
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

/* The one file in @dir whose name contains @a and ends with @suffix. */
static char *
find_file (const char *dir, const char *a, const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (strstr (name, a) != NULL && g_str_has_suffix (name, suffix))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  if (found == NULL)
    g_error ("no *%s*%s in %s", a, suffix, dir);
  return found;
}

static void
test_run_resnet18 (void)
{
  g_autofree char *models = sa_test_tmpdir ();
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "demo", NULL);
  g_autofree char *derivs = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *pt = g_build_filename (models, "resnet18-script.pt", NULL);
  g_autofree char *manifest = NULL;
  g_autofree char *h5 = NULL, *f2f_path = NULL, *fl2f_path = NULL, *mixing_path = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(SaTsv) f2f = NULL, fl2f = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fbn_names = NULL;
  g_autofree double *mixing = NULL;
  int T = 0, m = 0;

  {
    const char *argv[] = { models, "64", "resnet18", NULL };

    manifest = sa_test_python ("tests/py/make_torchvision_models.py", argv);
    if (manifest == NULL)
      return;   /* skipped: no torch or torchvision */
  }
  {
    const char *argv[] = { "demo", "--out", root, "--subjects", "3", "--duration", "60",
                           "--networks", "2", "--seed", "5", NULL };
    g_autofree char *out = NULL, *err = NULL;

    if (sa_test_run_syncact (argv, &out, &err) != 0)
      g_error ("syncact demo failed: %s", err);
  }
  {
    const char *argv[] = { "run", root, "--model", pt, "--layer", "layer4", "--arch", "ica",
                           "--fbns", G_STRINGIFY (FBNS), "--surrogates", "200", "--size", "96x64",
                           "--device", "cpu", "--seed", "2", NULL };
    g_autofree char *out = NULL, *err = NULL;

    if (sa_test_run_syncact (argv, &out, &err) != 0)
      g_error ("syncact run on resnet18 failed: %s", err);
  }

  h5 = find_file (derivs, "task-movie_run-1_model-", "layer-layer4_desc-activations_stim.h5");
  f2f_path = find_file (derivs, "task-movie_run-1_model-", "layer-layer4_desc-fbn2filter_pairs.tsv");
  fl2f_path = find_file (derivs, "task-movie_run-1_model-", "layer-layer4_desc-filter2fbn_pairs.tsv");
  mixing_path = g_build_filename (derivs, "task-movie_run-1_desc-FBN_mixing.tsv", NULL);
  acts = sa_activations_load (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (acts->n_units, ==, 512);     /* resnet18's layer4 channels */
  g_assert_true (sa_tsv_read_matrix (mixing_path, &fbn_names, &T, &m, &mixing, &error));
  g_assert_no_error (error);
  g_assert_cmpint (m, ==, FBNS);
  g_assert_cmpint (T, ==, acts->n_tr);

  f2f = sa_tsv_read (f2f_path, &error);
  g_assert_no_error (error);
  fl2f = sa_tsv_read (fl2f_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f2f->rows->len, ==, FBNS);
  /* Constant filters (dead ReLUs of the untrained net) are left out and
   * reported, never paired: every other filter has its row. */
  {
    int varying = 0;

    for (int c = 0; c < acts->n_units; c++)
      {
        gboolean moves = FALSE;

        for (int t = 1; t < T && !moves; t++)
          moves = acts->data[(gsize) t * acts->n_units + c] != acts->data[c];
        varying += moves;
      }
    g_assert_cmpint (varying, >, 256);
    g_assert_cmpuint (fl2f->rows->len, ==, (guint) varying);
  }
  for (int d = 0; d < 2; d++)
    {
      SaTsv *t = d == 0 ? f2f : fl2f;
      int c_fbn = sa_tsv_column (t, "fbn"), c_filter = sa_tsv_column (t, "filter");
      int c_r = sa_tsv_column (t, "r"), c_fwer = sa_tsv_column (t, "p_fwer");

      g_assert_cmpint (MIN (MIN (c_fbn, c_filter), MIN (c_r, c_fwer)), >=, 0);
      for (guint i = 0; i < t->rows->len; i++)
        {
          const char *fbn = sa_tsv_get (t, i, c_fbn);
          int filter = atoi (sa_tsv_get (t, i, c_filter));
          double r = g_ascii_strtod (sa_tsv_get (t, i, c_r), NULL);
          double p = g_ascii_strtod (sa_tsv_get (t, i, c_fwer), NULL);
          int j = -1;

          for (int c = 0; c < m; c++)
            if (g_str_equal (fbn_names[c], fbn))
              j = c;
          g_assert_cmpint (j, >=, 0);
          g_assert_cmpint (filter, >=, 0);
          g_assert_cmpint (filter, <, 512);
          g_assert_true (p > 0 && p <= 1);
          g_assert_cmpfloat_with_epsilon (r, pearson (mixing + j, m, acts->data + filter,
                                                      acts->n_units, T), 2e-4);
        }
    }
  g_test_message ("resnet18 layer4: %u FBN rows, %u filter rows; r recomputed from %s",
                  f2f->rows->len, fl2f->rows->len, h5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/run/torchvision-resnet18", test_run_resnet18);
  return g_test_run ();
}
