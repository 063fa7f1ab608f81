/* syncact train --arch ica, --rotate ica and --maps, end to end on a small
 * planted BIDS dataset: exit codes, the files, the summary line and the
 * sidecar's record of the choice. Recovery figures: tests/compute/test-train-ica.c. */
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

static char *
read_text (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("missing output %s", path);
  return text;
}

static void
test_ica_rotate_maps (void)
{
  g_autofree char *dataset = make_dataset (5);
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *ica_dir = g_build_filename (root, "ica", NULL);
  g_autofree char *rot_dir = g_build_filename (root, "rot", NULL);
  g_autofree char *maps_dir = g_build_filename (root, "maps", NULL);
  g_autofree char *ica_maps = g_build_filename (ica_dir, "task-movie_desc-FBN_components.nii.gz",
                                                NULL);
  g_autofree char *out = NULL, *json = NULL, *tsv = NULL;
  const char *ica[] = { "train", dataset, "--arch", "ica", "--fbns", "4", "--seed", "2",
                        "--out", ica_dir, NULL };
  const char *rot[] = { "train", dataset, "--arch", "lt", "--rotate", "ica", "--fbns", "4",
                        "--epochs", "2", "--window", "30", "--out", rot_dir, NULL };
  const char *maps[] = { "train", dataset, "--maps", ica_maps, "--out", maps_dir, NULL };

  g_assert_cmpint (sa_test_run_syncact (ica, &out, NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "4 FBNs by spatial group ICA"));
  json = read_text (ica_dir, "task-movie_desc-FBN_components.json");
  g_assert_nonnull (strstr (json, "\"Method\" : \"ica\""));
  g_assert_nonnull (strstr (json, "\"Converged\""));
  tsv = read_text (ica_dir, "task-movie_desc-FBN_mixing.tsv");
  g_assert_true (g_str_has_prefix (tsv, "fbn-001\tfbn-002\tfbn-003\tfbn-004\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&json, g_free);

  g_assert_cmpint (sa_test_run_syncact (rot, &out, NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "4 FBNs (lt), rotation: ica"));
  json = read_text (rot_dir, "task-movie_desc-FBN_components.json");
  g_assert_nonnull (strstr (json, "\"Rotation\" : \"ica\""));
  g_clear_pointer (&json, g_free);
  json = read_text (rot_dir, "task-movie_desc-FBNunrotated_components.json");
  g_assert_nonnull (strstr (json, "\"Rotation\" : \"none\""));
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&tsv, g_free);
  tsv = read_text (rot_dir, "task-movie_desc-FBNunrotated_mixing.tsv");
  g_clear_pointer (&out, g_free);

  /* The ICA run's maps, brought back as a user's file. */
  g_assert_cmpint (sa_test_run_syncact (maps, &out, NULL), ==, 0);
  g_test_message ("%s", out);
  g_assert_nonnull (strstr (out, "4 FBN maps from"));
  json = read_text (maps_dir, "task-movie_desc-FBN_components.json");
  g_assert_nonnull (strstr (json, "\"Method\" : \"maps\""));
  g_assert_nonnull (strstr (json, ica_maps));
}

static void
test_bad_input (void)
{
  g_autofree char *dataset = make_dataset (3);
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *other = g_build_filename (root, "other_grid.nii.gz", NULL);
  g_autofree char *err = NULL;
  g_autoptr(SaVolume) volume = sa_volume_new (10, 10, 10, 2, affine);
  g_autoptr(GError) error = NULL;
  const char *grid[] = { "train", dataset, "--maps", other, NULL };
  const char *both[] = { "train", dataset, "--arch", "ica", "--rotate", "ica", NULL };
  const char *rotation[] = { "train", dataset, "--rotate", "varimax", NULL };
  const char *maps_arch[] = { "train", dataset, "--maps", other, "--arch", "msa", NULL };

  for (gsize i = 0; i < (gsize) 10 * 10 * 10 * 2; i++)
    volume->data[i] = (float) (i % 7);
  g_assert_true (sa_volume_save (volume, other, TRUE, &error));
  g_assert_no_error (error);

  g_assert_cmpint (sa_test_run_syncact (grid, NULL, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, other));
  {
    /* Progress lines aside, one error line names the file. */
    g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
    int errors = 0;

    for (int i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "syncact train:"))
        {
          errors++;
          g_assert_nonnull (strstr (lines[i], other));
          g_assert_nonnull (strstr (lines[i], "grid"));
        }
    g_assert_cmpint (errors, ==, 1);
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (both, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--rotate ica"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (rotation, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "varimax"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (sa_test_run_syncact (maps_arch, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "--maps"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/train-ica/ica-rotate-maps", test_ica_rotate_maps);
  g_test_add_func ("/cli/train-ica/bad-input", test_bad_input);
  return g_test_run ();
}
