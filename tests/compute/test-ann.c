#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/ann/activations.h"
#include "compute/ann/extract.h"
#include "compute/ann/model.h"
#include "compute/ann/preprocess.h"
#include "compute/ann/reduce.h"
#include "compute/error.h"
#include "tests/testutil.h"

static float *
read_floats (const char *path,
             gsize       expected)
{
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, ==, expected * sizeof (float));
  return (float *) data;
}

/* Max, mean and topk-mean against numpy, including ties (values on a
 * coarse grid) and single-unit maps. */
static void
test_reduce_numpy (void)
{
  const struct { gsize c, n; double pct; } cases[] = {
    { 7, 53, 10 }, { 5, 64, 50 }, { 4, 30, 100 }, { 6, 200, 0.5 }, { 3, 1, 10 }, { 9, 48, 12.5 },
  };
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "maps.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "want.bin", NULL);
  GRand *rand = g_rand_new_with_seed (7);

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    {
      gsize c = cases[t].c, n = cases[t].n;
      g_autofree float *maps = g_new (float, c * n);
      g_autofree float *scratch = g_new (float, n);
      g_autofree float *got = g_new (float, c);
      g_autofree float *want = NULL;
      g_autofree char *cs = g_strdup_printf ("%" G_GSIZE_FORMAT, c);
      g_autofree char *ns = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
      g_autofree char *ps = g_strdup_printf ("%g", cases[t].pct);
      g_autofree char *res = NULL;
      const char *argv[] = { "reduce", in, cs, ns, ps, out, NULL };

      for (gsize i = 0; i < c * n; i++)
        maps[i] = (t % 2) ? floorf ((float) g_rand_double_range (rand, -3, 3)) :
                            (float) g_rand_double_range (rand, -5, 5);
      g_assert_true (g_file_set_contents (in, (char *) maps, c * n * sizeof (float), NULL));
      res = sa_test_python ("tests/py/ann_oracle.py", argv);
      if (res == NULL)
        break;
      want = read_floats (out, 3 * c);
      for (int r = 0; r < 3; r++)
        {
          sa_reduce_channels (maps, c, n, (SaReduce) r, cases[t].pct, scratch, got);
          for (gsize k = 0; k < c; k++)
            g_assert_cmpfloat_with_epsilon (got[k], want[r * c + k], 1e-5);
        }
    }
  g_rand_free (rand);
}

static void
test_reduce_parse (void)
{
  g_autoptr(GError) error = NULL;
  SaReduce r;

  g_assert_true (sa_reduce_parse ("topk-mean", &r, NULL));
  g_assert_cmpint (r, ==, SA_REDUCE_TOPK_MEAN);
  g_assert_cmpstr (sa_reduce_name (SA_REDUCE_MAX), ==, "max");
  g_assert_false (sa_reduce_parse ("median", &r, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "median"));
  g_assert_cmpuint (sa_reduce_topk_count (100, 10), ==, 10);
  g_assert_cmpuint (sa_reduce_topk_count (7, 1), ==, 1);
  g_assert_cmpuint (sa_reduce_topk_count (7, 100), ==, 7);
}

static void
test_preprocess_torchvision (void)
{
  const int w = 17, h = 9;
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *in = g_build_filename (dir, "rgb.bin", NULL);
  g_autofree char *out = g_build_filename (dir, "want.bin", NULL);
  g_autofree guint8 *rgb = g_new (guint8, w * h * 3);
  g_autofree float *got = g_new (float, w * h * 3);
  g_autofree float *want = NULL;
  g_autofree char *res = NULL;
  const char *argv[] = { "preprocess", in, "17", "9", out, NULL };
  SaNormalize norm;

  for (int i = 0; i < w * h * 3; i++)
    rgb[i] = (guint8) ((i * 37 + 11) % 256);
  g_assert_true (g_file_set_contents (in, (char *) rgb, w * h * 3, NULL));
  sa_normalize_imagenet (&norm);
  sa_preprocess_rgb24 (rgb, w, h, &norm, got);
  res = sa_test_python ("tests/py/ann_oracle.py", argv);
  if (res == NULL)
    return;
  want = read_floats (out, w * h * 3);
  for (int i = 0; i < w * h * 3; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], 1e-6);
}

static void
test_normalize_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  SaNormalize n;

  g_assert_true (sa_normalize_parse ("imagenet", &n, NULL));
  s1 = sa_normalize_to_string (&n);
  g_assert_cmpstr (s1, ==, "imagenet");
  g_assert_true (sa_normalize_parse ("0.5,0.5,0.5/0.25,0.25,0.5", &n, NULL));
  g_assert_cmpfloat (n.std[2], ==, 0.5f);
  s2 = sa_normalize_to_string (&n);
  g_assert_cmpstr (s2, ==, "0.5,0.5,0.5/0.25,0.25,0.5");
  g_assert_false (sa_normalize_parse ("0,0,0/1,0,1", &n, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

static SaActivations *
sample_acts (void)
{
  SaActivations *a = sa_activations_new (5, 3);

  for (int i = 0; i < 15; i++)
    a->data[i] = i * 0.5f - 2;
  a->model = g_strdup ("builtin:democnn");
  a->model_hash = g_strdup ("abc");
  a->layer = g_strdup ("conv2");
  a->reduce = g_strdup ("topk-mean");
  a->topk_percent = 10;
  a->width = 256;
  a->height = 180;
  a->resize = g_strdup ("bilinear-aa");
  a->normalisation = g_strdup ("imagenet");
  a->tr = 1.5;
  a->movie = g_strdup ("movie.mp4");
  a->movie_hash = g_strdup ("def");
  return a;
}

static void
test_activations_roundtrip (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "acts.h5", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.h5", NULL);
  g_autoptr(SaActivations) a = sample_acts ();
  g_autoptr(SaActivations) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;
  int files = 0;

  g_assert_true (sa_activations_save (a, path, &error));
  g_assert_no_error (error);
  b = sa_activations_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (b->n_tr, ==, 5);
  g_assert_cmpint (b->n_units, ==, 3);
  g_assert_cmpmem (a->data, 15 * sizeof (float), b->data, 15 * sizeof (float));
  g_assert_cmpstr (b->layer, ==, "conv2");
  g_assert_cmpstr (b->normalisation, ==, "imagenet");
  g_assert_cmpint (b->width, ==, 256);
  g_assert_cmpint (b->height, ==, 180);
  g_assert_cmpfloat (b->tr, ==, 1.5);
  g_assert_true (sa_activations_same_key (a, b));

  g_free (b->layer);
  b->layer = g_strdup ("conv3");
  g_assert_false (sa_activations_same_key (a, b));
  g_free (b->layer);
  b->layer = g_strdup ("conv2");
  b->topk_percent = 20;
  g_assert_false (sa_activations_same_key (a, b));
  b->topk_percent = 10;
  b->tr = 2;
  g_assert_false (sa_activations_same_key (a, b));

  /* Atomic write: nothing but the result is left in the folder. */
  d = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    files++;
  g_assert_cmpint (files, ==, 1);

  g_assert_true (g_file_set_contents (junk, "not hdf5", -1, NULL));
  g_clear_pointer (&b, sa_activations_free);
  b = sa_activations_load (junk, &error);
  g_assert_null (b);
  g_assert_error (error, SA_ERROR, SA_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, junk));
  g_clear_error (&error);
  b = sa_activations_load ("/nonexistent/acts.h5", &error);
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
}

static void
test_export_bids (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *prefix = g_build_filename (dir, "sub-01_task-movie", NULL);
  g_autofree char *json_path = g_strconcat (prefix, "_stim.json", NULL);
  g_autofree char *tsv_path = g_strconcat (prefix, "_stim.tsv.gz", NULL);
  g_autoptr(SaActivations) a = sample_acts ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *tsv = NULL;
  g_autofree char *cmd = NULL;

  g_assert_true (sa_activations_export_bids (a, prefix, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"SamplingFrequency\": 0.666666667"));
  g_assert_nonnull (strstr (json, "\"filter-002\"]"));
  cmd = g_strdup_printf ("gzip -dc '%s'", tsv_path);
  g_assert_true (g_spawn_command_line_sync (cmd, &tsv, NULL, NULL, NULL));
  g_assert_true (g_str_has_prefix (tsv, "-2\t-1.5\t-1\n-0.5\t0\t0.5\n"));
}

/* A 10 s, 24 fps movie made with the ffmpeg command-line tool. */
static char *
make_movie (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "movie.mp4", NULL);
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  const char *argv[] = { NULL, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                         "testsrc2=size=160x120:rate=24:duration=10", "-c:v", "libx264",
                         "-pix_fmt", "yuv420p", NULL, NULL };
  int status = 0;

  if (ffmpeg == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return NULL;
    }
  argv[0] = ffmpeg;
  argv[12] = path;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&path);
}

static void
test_extract_batching (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *movie = make_movie (dir);
  g_autoptr(SaActivations) a = NULL;
  g_autoptr(SaActivations) b = NULL;
  g_autoptr(SaActivations) c = NULL;
  g_autoptr(GError) error = NULL;
  SaExtractOptions opts;

  if (movie == NULL)
    return;
  sa_extract_options_init (&opts);
  opts.model = "builtin:democnn";
  opts.layer = "conv2";
  opts.movie = movie;
  opts.tr = 1.2;
  opts.width = 96;
  opts.height = 64;
  opts.batch_size = 16;
  a = sa_extract (&opts, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->n_tr, ==, 8);   /* floor (10 / 1.2) */
  g_assert_cmpint (a->n_units, ==, 32);
  opts.batch_size = 3;                /* partial last batch, several in flight */
  b = sa_extract (&opts, NULL, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 8 * 32; i++)
    g_assert_cmpfloat_with_epsilon (a->data[i], b->data[i], 1e-5);
  /* testsrc2 moves: activations change over time. */
  g_assert_cmpfloat (fabsf (a->data[0 * 32 + 5] - a->data[7 * 32 + 5])
                     + fabsf (a->data[0 * 32 + 9] - a->data[7 * 32 + 9]), >, 0);

  /* A 2D output gives its units. */
  opts.layer = "fc";
  opts.n_tr = 4;
  c = sa_extract (&opts, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->n_tr, ==, 4);
  g_assert_cmpint (c->n_units, ==, 10);
}

static void
cancel_after_first (double fraction, const char *message, gpointer data)
{
  if (fraction > 0)
    g_cancellable_cancel (data);
}

static void
test_extract_errors (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *movie = make_movie (dir);
  g_autofree char *out = g_build_filename (dir, "acts.h5", NULL);
  g_autoptr(GCancellable) cancel = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  SaProgress progress = { cancel_after_first, NULL, 0, 1 };
  SaActivations *a;
  SaExtractOptions opts;
  gboolean reused = TRUE;

  if (movie == NULL)
    return;
  sa_extract_options_init (&opts);
  opts.model = "builtin:democnn";
  opts.layer = "conv5";
  opts.movie = movie;
  opts.tr = 1;
  opts.width = 64;
  opts.height = 48;
  a = sa_extract (&opts, NULL, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "close matches: conv1"));
  g_clear_error (&error);

  opts.layer = "conv1";
  opts.n_tr = 30;                      /* the movie has 10 s */
  a = sa_extract (&opts, NULL, NULL, &error);
  g_assert_null (a);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, movie));
  g_clear_error (&error);

  opts.n_tr = 0;
  opts.batch_size = 2;
  progress.user_data = cancel;
  a = sa_extract_cached (&opts, out, &reused, &progress, cancel, &error);
  g_assert_null (a);
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  a = sa_extract_cached (&opts, out, &reused, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (reused);
  sa_activations_free (a);
  a = sa_extract_cached (&opts, out, &reused, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reused);
  sa_activations_free (a);
  opts.reduce = SA_REDUCE_MEAN;
  a = sa_extract_cached (&opts, out, &reused, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (reused);
  g_assert_cmpstr (a->reduce, ==, "mean");
  sa_activations_free (a);

  /* A 3D output is neither a feature map nor units: say its shape. */
  {
    g_autofree char *pt = g_build_filename (dir, "odd.pt", NULL);
    const char *argv[] = { pt, NULL };
    g_autofree char *res = sa_test_python ("tests/py/make_odd_model.py", argv);
    if (res != NULL)
      {
        opts.model = pt;
        opts.layer = "flat";
        opts.reduce = SA_REDUCE_MAX;
        a = sa_extract (&opts, NULL, NULL, &error);
        g_assert_null (a);
        g_assert_error (error, SA_ERROR, SA_ERROR_UNSUPPORTED);
        g_assert_nonnull (strstr (error->message, "gives a 3D output (2×4×2852)"));
        g_clear_error (&error);
      }
  }

  opts.model = "/nonexistent/model.pt";
  a = sa_extract (&opts, NULL, NULL, &error);
  g_assert_null (a);
  g_assert_nonnull (strstr (error->message, "/nonexistent/model.pt"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/ann/reduce/numpy", test_reduce_numpy);
  g_test_add_func ("/compute/ann/reduce/parse", test_reduce_parse);
  g_test_add_func ("/compute/ann/preprocess/torchvision", test_preprocess_torchvision);
  g_test_add_func ("/compute/ann/preprocess/parse", test_normalize_parse);
  g_test_add_func ("/compute/ann/activations/roundtrip", test_activations_roundtrip);
  g_test_add_func ("/compute/ann/activations/bids", test_export_bids);
  g_test_add_func ("/compute/ann/extract/batching", test_extract_batching);
  g_test_add_func ("/compute/ann/extract/errors", test_extract_errors);
  return g_test_run ();
}
