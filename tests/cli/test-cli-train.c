/* syncact train, end to end on a small planted BIDS dataset. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"

#define N_TIMEPOINTS 60

static const double affine[4][4] = {
  { 3, 0, 0, -20 }, { 0, 3, 0, -30 }, { 0, 0, 3, -10 }, { 0, 0, 0, 1 }
};

/* sub-01..sub-@n_subjects, one movie run each, on a 14×14×12 grid; the brain
 * sits on a baseline of 100 so the computed mask finds it. */
static char *
make_dataset (int n_subjects)
{
  g_autofree char *root = sa_test_tmpdir ();
  char *dataset = g_build_filename (root, "ds", NULL);
  g_autofree char *desc = g_build_filename (dataset, "dataset_description.json", NULL);
  g_autofree char *sidecar = g_build_filename (dataset, "task-movie_bold.json", NULL);
  SaPlantedParams params;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *x = NULL;

  sa_planted_params_init (&params);
  params.nx = 14;
  params.ny = 14;
  params.nz = 12;
  params.n_subjects = n_subjects;
  params.n_timepoints = N_TIMEPOINTS;
  params.n_networks = 3;
  params.blob_sigma = 1.5;
  params.min_separation = 4.0;
  params.snr = 2.0;
  planted = sa_planted_new (&params, &error);
  g_assert_no_error (error);
  x = g_new (float, (gsize) N_TIMEPOINTS * planted->n_voxels);

  g_assert_cmpint (g_mkdir_with_parents (dataset, 0755), ==, 0);
  g_assert_true (g_file_set_contents (desc, "{\"Name\": \"planted\", \"BIDSVersion\": \"1.8.0\"}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (sidecar, "{\"RepetitionTime\": 2.0}", -1, NULL));
  for (int s = 0; s < n_subjects; s++)
    {
      g_autofree char *sub = g_strdup_printf ("sub-%02d", s + 1);
      g_autofree char *dir = g_build_filename (dataset, sub, "func", NULL);
      g_autofree char *name = g_strdup_printf ("%s_task-movie_bold.nii", sub);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(SaVolume) volume = sa_volume_new (14, 14, 12, N_TIMEPOINTS, affine);
      gsize grid = 14 * 14 * 12;

      g_assert_true (sa_planted_subject (planted, s, x, NULL, &error));
      volume->tr = 2.0;
      for (int t = 0; t < N_TIMEPOINTS; t++)
        for (gint64 v = 0; v < planted->n_voxels; v++)
          volume->data[t * grid + planted->index[v]] = 100 + x[t * planted->n_voxels + v];
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (sa_volume_save (volume, path, FALSE, &error));
    }
  return dataset;
}

static void
test_train (void)
{
  g_autofree char *dataset = make_dataset (5);
  g_autofree char *out_dir = g_build_filename (dataset, "derivatives", "syncact", NULL);
  g_autofree char *maps = g_build_filename (out_dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_autofree char *json = g_build_filename (out_dir, "task-movie_desc-FBN_components.json", NULL);
  g_autofree char *mean = g_build_filename (out_dir, "task-movie_desc-FBN_mixing.tsv", NULL);
  g_autofree char *bold = g_build_filename (dataset, "sub-01", "func",
                                            "sub-01_task-movie_bold.nii", NULL);
  g_autofree char *out = NULL, *err = NULL, *check = NULL, *json_text = NULL;
  const char *argv[] = { "train", dataset, "--fbns", "8", "--arch", "lt", "--epochs", "3",
                         "--window", "30", "--seed", "5", NULL };
  const char *resume[] = { "train", dataset, "--fbns", "8", "--arch", "lt", "--epochs", "4",
                           "--window", "30", "--seed", "5", "--resume", NULL };
  const char *py[] = { maps, bold, mean, "8", NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "8 FBNs (lt)"));
  g_assert_true (g_file_test (maps, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (mean, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (json, &json_text, NULL, NULL));
  g_assert_nonnull (strstr (json_text, "\"seed\" : 5"));

  /* nibabel reads the maps on the input's grid and affine; the mean table
   * has one column per FBN and one row per TR. */
  check = sa_test_python ("tests/py/check_embed_outputs.py", py);
  if (check != NULL)
    g_assert_nonnull (strstr (check, "ok"));

  /* One more epoch from the checkpoint. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&json_text, g_free);
  g_assert_cmpint (sa_test_run_syncact (resume, &out, NULL), ==, 0);
  g_assert_true (g_file_get_contents (json, &json_text, NULL, NULL));
  g_assert_nonnull (strstr (json_text, "\"ResumedFromEpoch\" : 3"));
}

static void
test_bad_input (void)
{
  g_autofree char *small = make_dataset (2);
  g_autofree char *dataset = make_dataset (4);
  g_autofree char *err = NULL;
  const char *few[] = { "train", small, "--epochs", "1", NULL };
  const char *window[] = { "train", dataset, "--epochs", "1", "--window", "61", NULL };
  const char *arch[] = { "train", dataset, "--arch", "cnn", NULL };

  g_assert_cmpint (sa_test_run_syncact (few, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "at least 3 subjects"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (window, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "fewer than the training window of 61"));
  g_assert_nonnull (strstr (err, "_bold.nii"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (arch, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "cnn"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/train/planted", test_train);
  g_test_add_func ("/cli/train/bad-input", test_bad_input);
  return g_test_run ();
}
