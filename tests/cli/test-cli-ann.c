#include "config.h"

#include <glib.h>
#include <string.h>

#include "compute/ann/activations.h"
#include "tests/testutil.h"

static void
test_layers_democnn (void)
{
  g_autofree char *out = NULL;
  const char *argv[] = { "layers", "builtin:democnn", NULL };
  const char *argv2[] = { "layers", "builtin:democnn", "--size", "224x224", NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "conv1\tGaborConv2d\t16×90×128\t16 channels\n"));
  g_assert_nonnull (strstr (out, "conv3\tConvReLU2d_3\t64×22×32\t64 channels\n"));
  g_assert_nonnull (strstr (out, "fc\tLinear\t10\n"));
  g_assert_nonnull (strstr (out, "3 convolution layers"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sa_test_run_syncact (argv2, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "conv1\tGaborConv2d\t16×112×112\t16 channels\n"));
}

static void
test_layers_errors (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *bad = g_build_filename (dir, "bad.pt", NULL);
  g_autofree char *err = NULL;
  const char *argv[] = { "layers", bad, NULL };
  const char *argv2[] = { "layers", "builtin:democnn", "--size", "4x4", NULL };
  const char *argv3[] = { "layers", "builtin:democnn", "--size", "big", NULL };

  g_assert_true (g_file_set_contents (bad, "PK\3\4 garbage", -1, NULL));
  g_assert_cmpint (sa_test_run_syncact (argv, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "not a TorchScript model"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (argv2, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "fails on a 4x4 input"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (argv3, NULL, &err), !=, 0);
  g_assert_nonnull (strstr (err, "big"));
}

static void
test_extract_end_to_end (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *movie = g_build_filename (dir, "movie.mp4", NULL);
  g_autofree char *h5 = g_build_filename (dir, "acts.h5", NULL);
  g_autofree char *prefix = g_build_filename (dir, "sub-01_task-movie", NULL);
  g_autofree char *json = g_strconcat (prefix, "_stim.json", NULL);
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(GError) error = NULL;
  const char *mk[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                       "testsrc2=size=200x150:rate=25:duration=6", "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", movie, NULL };
  const char *argv[] = { "extract", "--model", "builtin:democnn", "--layer", "conv3",
                         "--movie", movie, "--tr", "2", "--reduce", "topk-mean", "--topk", "5",
                         "--size", "128x96", "--out", h5, "--bids", prefix, NULL };
  const char *bad[] = { "extract", "--model", "builtin:democnn", "--layer", "conv",
                        "--movie", movie, "--tr", "2", "--out", h5, NULL };
  int status = 0;

  if (ffmpeg == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) mk, NULL, 0, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "3 TRs × 64 filters"));
  acts = sa_activations_load (h5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (acts->n_tr, ==, 3);
  g_assert_cmpint (acts->n_units, ==, 64);
  g_assert_cmpstr (acts->reduce, ==, "topk-mean");
  g_assert_cmpfloat (acts->topk_percent, ==, 5);
  g_assert_cmpint (acts->width, ==, 128);
  g_assert_cmpstr (acts->model, ==, "builtin:democnn");
  g_assert_true (g_file_test (json, G_FILE_TEST_IS_REGULAR));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sa_test_run_syncact (argv, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "reused"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (bad, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "no layer \"conv\""));
  g_assert_nonnull (strstr (err, "close matches"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/layers/democnn", test_layers_democnn);
  g_test_add_func ("/cli/layers/errors", test_layers_errors);
  g_test_add_func ("/cli/extract/democnn", test_extract_end_to_end);
  return g_test_run ();
}
