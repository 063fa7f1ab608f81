/* syncact figure DATASET: a small demo dataset run through `syncact run`
 * (two runs, the movie and a control, × two layers), then every figure
 * kind in every format from its derivatives, chosen by run, model and
 * layer; and the errors for choices that do not exist. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tests/testutil.h"

static char *dataset;

static const char *kinds[] = { "pair", "slices", "traces", "heatmap", "glass", "frames" };
/* Default heights by kind (mm), as ui/figure-export.c has them; the pair
 * figure has the movie's frames, so it is the taller one. */
static const double heights_mm[] = { 130, 62, 70, 70, 72, 45 };

static gboolean
make_dataset (void)
{
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *out = NULL, *err = NULL;

  dataset = g_build_filename (root, "ds", NULL);
  {
    const char *argv[] = { "demo", "--out", dataset, "--subjects", "3", "--duration", "40",
                           "--networks", "3", "--seed", "2", NULL };
    if (sa_test_run_syncact (argv, &out, &err) != 0)
      {
        g_test_message ("demo: %s%s", out, err);
        return FALSE;
      }
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "run", dataset, "--model", "builtin:democnn", "--layer", "conv2",
                           "--layer", "conv3", "--fbns", "3", "--arch", "ica", "--surrogates", "20",
                           "--size", "64x48", NULL };
    int status = sa_test_run_syncact (argv, &out, &err);

    g_test_message ("run: %s%s", out, err);
    return status == 0;
  }
}

static char *
check (const char *format,
       const char *path)
{
  const char *argv[] = { format, path, NULL };

  return sa_test_python ("tests/py/check_figure.py", argv);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

static void
test_kinds_and_formats (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  static const char *formats[] = { "png", "svg", "pdf" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        /* Alternate the layer, so both layers' files are drawn. */
        const char *layer = (k + f) % 2 ? "conv3" : "conv2";
        g_autofree char *name = g_strdup_printf ("%s-%s.%s", kinds[k], layer, formats[f]);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *err = NULL, *facts = NULL, *want = NULL;
        const char *argv[] = { "figure", dataset, "--fbn", "2", "--run", "task-movie_run-1",
                               "--model", "democnn", "--layer", layer, "--kind", kinds[k],
                               "--format", formats[f], "--dpi", "150", "--out", path, NULL };

        g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 0);
        facts = check (formats[f], path);
        if (facts == NULL)
          return;   /* skipped: no Python */
        g_test_message ("%s: %s", name, facts);
        /* 183 mm wide; the kind's height; PNG at 150 dpi with its pHYs. */
        if (f == 0)
          want = g_strdup_printf ("size=1081x%d dpi=150", (int) (heights_mm[k] / 25.4 * 150 + 0.5));
        else if (f == 1)
          want = g_strdup_printf ("width=518.74");
        else
          want = g_strdup_printf ("mediabox=519x%.0f pages=1", heights_mm[k] / 25.4 * 72);
        g_assert_nonnull (strstr (facts, want));
      }
}

/* The fbn2filter mean r of @run × conv3 in summary.tsv. */
static double
summary_mean_r (const char *run)
{
  g_autofree char *path = g_build_filename (dataset, "derivatives", "syncact", "summary.tsv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], "\t", -1);

      if (g_strv_length (f) > 4 && g_str_equal (f[1], "conv3") && g_str_equal (f[2], run) &&
          g_str_equal (f[3], "fbn2filter"))
        return g_ascii_strtod (f[4], NULL);
    }
  g_assert_not_reached ();
}

/* Another layer or run is another figure. Without --run, the run whose
 * pairs are best: none is significant on so short a movie, so the higher
 * mean r (the planted data's control run may win by chance). */
static void
test_choice (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  const char *layers[] = { "conv2", "conv3" };
  char *paths[3];

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("traces-%d.svg", i);
      const char *argv[] = { "figure", dataset, "--fbn", "1", "--kind", "traces", "--layer",
                             layers[MIN (i, 1)], "--run",
                             i == 2 ? "task-control_run-1" : "task-movie_run-1",
                             "--out", NULL, NULL };

      paths[i] = g_build_filename (dir, name, NULL);
      argv[11] = paths[i];
      g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    }
  g_assert_false (same_file (paths[0], paths[1]));
  g_assert_false (same_file (paths[1], paths[2]));
  {
    g_autofree char *def = g_build_filename (dir, "default.svg", NULL);
    const char *argv[] = { "figure", dataset, "--fbn", "1", "--kind", "traces", "--layer", "conv3",
                           "--out", def, NULL };

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, NULL), ==, 0);
    if (summary_mean_r ("task-movie_run-1") > summary_mean_r ("task-control_run-1"))
      g_assert_true (same_file (def, paths[1]));
    else
      g_assert_true (same_file (def, paths[2]));
  }
  for (int i = 0; i < 3; i++)
    g_free (paths[i]);
}

static void
test_errors (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *empty = sa_test_tmpdir ();
  struct {
    const char *option, *value, *expect[3];
  } cases[] = {
    { "--run", "task-movie_run-7", { "no run “task-movie_run-7”", "task-control_run-1", "task-movie_run-1" } },
    { "--model", "alexnet", { "no model “alexnet”", "democnn", NULL } },
    { "--layer", "conv9", { "no layer “conv9”", "conv2, conv3", NULL } },
    { "--fbn-set", "FBNx", { "no FBN set “FBNx”", "FBN", NULL } },
    { "--kind", "movie", { "--kind movie", "glass or frames", NULL } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *argv[] = { "figure", dataset, "--fbn", "1", cases[c].option, cases[c].value,
                             "--out", png, NULL };
      g_autofree char *err = NULL;

      g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
      g_test_message ("%s", err);
      /* One line: "syncact figure: …". */
      g_assert_true (g_str_has_prefix (err, "syncact figure: "));
      g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
      for (int i = 0; i < 3 && cases[c].expect[i]; i++)
        g_assert_nonnull (strstr (err, cases[c].expect[i]));
    }
  {
    const char *argv[] = { "figure", dataset, "--fbn", "4", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "has 3 FBNs; --fbn 4"));
  }
  {
    /* A folder without results. */
    const char *argv[] = { "figure", empty, "--fbn", "1", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "derivatives/syncact"));
    g_assert_nonnull (strstr (err, "syncact run"));
  }
  {
    /* A DATASET and file options do not mix. */
    const char *argv[] = { "figure", dataset, "--fbn", "1", "--tr", "2", "--out", png, NULL };
    g_autofree char *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
    g_assert_nonnull (strstr (err, "--tr"));
  }
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!make_dataset ())
    {
      g_printerr ("could not make the dataset\n");
      return 1;
    }
  g_test_add_func ("/cli/figure-dataset/kinds-and-formats", test_kinds_and_formats);
  g_test_add_func ("/cli/figure-dataset/choice", test_choice);
  g_test_add_func ("/cli/figure-dataset/errors", test_errors);
  return g_test_run ();
}
