/* Identifiable FBNs through the train path (compute/embed/train-ica.h):
 * `--arch ica`, `--arch msa --rotate ica` and `--maps` on a planted dataset
 * with 8 networks, scored with compute/demo/recovery.h, and the files they
 * write. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compute/demo/planted.h"
#include "compute/demo/recovery.h"
#include "compute/embed/train-ica.h"
#include "compute/error.h"
#include "tests/testutil.h"

#define N_SUBJECTS 20
#define N_TIMEPOINTS 200
#define N_NETWORKS 8
#define N_FBNS 16

typedef struct {
  SaPlanted     *planted;
  SaEmbedSource *source;
  SaMask        *mask;
  float         *data[N_SUBJECTS];
} Fixture;

static Fixture *fixture;

static SaMask *
mask_for (const SaPlanted *planted)
{
  const SaPlantedParams *p = &planted->params;
  gsize size = (gsize) p->nx * p->ny * p->nz;
  SaMask *mask = g_new0 (SaMask, 1);

  mask->nx = p->nx;
  mask->ny = p->ny;
  mask->nz = p->nz;
  for (int i = 0; i < 3; i++)
    mask->affine[i][i] = 2.0;
  mask->affine[3][3] = 1.0;
  mask->in = g_memdup2 (planted->mask, size);
  mask->n_in = planted->n_voxels;
  mask->index = g_memdup2 (planted->index, planted->n_voxels * sizeof (gint64));
  return mask;
}

static void
fixture_setup (void)
{
  SaPlantedParams params;
  g_autoptr(GError) error = NULL;

  sa_planted_params_init (&params);
  params.n_subjects = N_SUBJECTS;
  params.n_timepoints = N_TIMEPOINTS;
  params.n_networks = N_NETWORKS;
  /* Fixed here rather than inherited: the figures in the report were
   * measured on this noise. At the generator's default snr 0.5 group ICA
   * still recovers every network (|r| 0.86-0.93 with 20 subjects) but the
   * autoencoder's subspace does not hold them (msa, 100 epochs: subspace
   * R2 0.27-0.53), so there is nothing for a rotation to find; at snr 1 it
   * does (R2 0.80-0.93) and `--rotate ica` then recovers every network. */
  params.snr = 1.0;
  params.structured_fraction = 0.3;
  params.seed = 21;
  fixture = g_new0 (Fixture, 1);
  fixture->planted = sa_planted_new (&params, &error);
  g_assert_no_error (error);
  fixture->mask = mask_for (fixture->planted);
  fixture->source = sa_embed_source_new_memory (fixture->planted->n_voxels);
  for (int s = 0; s < N_SUBJECTS; s++)
    {
      g_autofree char *name = g_strdup_printf ("%02d", s + 1);

      fixture->data[s] = g_new (float, (gsize) N_TIMEPOINTS * fixture->planted->n_voxels);
      g_assert_true (sa_planted_subject (fixture->planted, s, fixture->data[s], NULL, &error));
      g_assert_no_error (error);
      sa_embed_source_add_memory_run (fixture->source, name, "task-movie_run-1",
                                      fixture->data[s], N_TIMEPOINTS);
    }
}

static void
options_init (SaEmbedOptions *options)
{
  sa_embed_options_init (options);
  options->m = N_FBNS;
  options->seed = 1;
  options->device = "cpu";
}

static SaRecovery *
recovery (const float *maps, SaEmbedResult *result, const char *what)
{
  const SaEmbedCourses *mean = sa_embed_result_mean (result, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SaRecovery *rec;

  g_assert_nonnull (mean);
  g_assert_cmpint (mean->n_timepoints, ==, N_TIMEPOINTS);
  rec = sa_recovery_new (fixture->planted, maps, mean->l, result->m, &error);
  g_assert_no_error (error);
  text = sa_recovery_describe (rec);
  g_test_message ("%s: %s", what, text);
  for (int k = 0; k < rec->n_networks; k++)
    g_test_message ("%s: network %d -> FBN %d, |r| %.3f, peak %.2f voxels, subspace R2 %.3f "
                    "(adjusted %.3f)", what, k, rec->best[k] + 1, rec->best_r[k],
                    rec->peak_distance[k], rec->subspace_r2[k], rec->subspace_r2_adj[k]);
  return rec;
}

static void
assert_recovers (const SaRecovery *rec)
{
  for (int k = 0; k < rec->n_networks; k++)
    {
      g_assert_cmpfloat (rec->best_r[k], >=, 0.8);
      g_assert_cmpfloat (rec->peak_distance[k], <=, 2.0);
    }
  g_assert_true (rec->distinct);
}

static JsonObject *
read_sidecar (JsonParser *parser, const char *dir, const char *desc)
{
  g_autofree char *name = g_strdup_printf ("task-movie_desc-%s_components.json", desc);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
write_outputs (SaFbnRun *run, const char *dir)
{
  SaEmbedOptions options;
  SaEmbedOutputs outputs = { 0 };
  g_autoptr(GError) error = NULL;

  options_init (&options);
  outputs.out_dir = dir;
  outputs.prefix = "task-movie";
  outputs.options = &options;
  outputs.dataset = "planted";
  g_assert_true (sa_fbn_write_outputs (&outputs, run, fixture->mask, &error));
  g_assert_no_error (error);
}

static void
assert_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("missing output %s", path);
}

static void
test_group_ica (void)
{
  SaEmbedOptions options;
  SaFbnChoice choice = { SA_FBN_METHOD_GROUP_ICA, FALSE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFbnRun) run = NULL;
  g_autoptr(SaRecovery) rec = NULL;
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *method;

  options_init (&options);
  run = sa_fbn_train (fixture->source, &options, &choice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run->has_ica);
  g_assert_null (run->unrotated);
  /* Held-out subjects only: 30% of 20. */
  g_assert_cmpuint (run->result->test->len, ==, 6);
  rec = recovery (run->result->w, run->result, "--arch ica");
  assert_recovers (rec);

  write_outputs (run, dir);
  assert_file (dir, "task-movie_desc-FBN_components.nii.gz");
  assert_file (dir, "task-movie_run-1_desc-FBN_mixing.tsv");
  root = read_sidecar (parser, dir, "FBN");
  method = json_object_get_object_member (root, "FBNMethod");
  g_assert_cmpstr (json_object_get_string_member (method, "Method"), ==, "ica");
  g_assert_cmpstr (json_object_get_string_member (method, "Rotation"), ==, "none");
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (method, "ICA"), "Converged")
                 == run->ica.converged);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (root, "Parameters"), "arch"), ==, "ica");
  /* Nothing about training that did not happen. */
  g_assert_false (json_object_has_member (root, "Losses"));
  g_assert_false (json_object_has_member (json_object_get_object_member (root, "Parameters"),
                                          "epochs"));
}

static void
test_rotate (void)
{
  SaEmbedOptions options;
  SaFbnChoice choice = { SA_FBN_METHOD_AUTOENCODER, TRUE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFbnRun) run = NULL;
  g_autoptr(SaRecovery) rotated = NULL;
  g_autoptr(SaRecovery) plain = NULL;
  g_autofree char *dir = sa_test_tmpdir ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  JsonObject *root, *method;
  double plain_min_r2 = 1, plain_max_r = 0;

  options_init (&options);
  options.arch = SA_TORCH_EMBED_MSA;
  options.epochs = 60;
  options.window = 50;
  run = sa_fbn_train (fixture->source, &options, &choice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (run->rotated);
  g_assert_nonnull (run->unrotated);
  /* The same split and subjects for both sets. */
  g_assert_cmpuint (run->result->test->len, ==, run->unrotated->test->len);

  /* Plain msa, for contrast: the subspace holds the networks, no single
   * FBN need be one. Reported, not asserted beyond the subspace. */
  plain = recovery (run->unrotated->w, run->unrotated, "msa (unrotated)");
  for (int k = 0; k < plain->n_networks; k++)
    {
      plain_min_r2 = MIN (plain_min_r2, plain->subspace_r2[k]);
      plain_max_r = MAX (plain_max_r, plain->best_r[k]);
    }
  g_test_message ("msa (unrotated): subspace R2 >= %.3f, best single |r| <= %.3f",
                  plain_min_r2, plain_max_r);

  g_test_message ("rotation: FastICA %s after %d iterations",
                  run->ica.converged ? "converged" : "did not converge", run->ica.n_iter);
  rotated = recovery (run->result->w, run->result, "--arch msa --rotate ica");
  assert_recovers (rotated);

  write_outputs (run, dir);
  assert_file (dir, "task-movie_desc-FBN_components.nii.gz");
  assert_file (dir, "task-movie_desc-FBNunrotated_components.nii.gz");
  assert_file (dir, "task-movie_desc-FBNunrotated_components.json");
  assert_file (dir, "task-movie_run-1_desc-FBN_mixing.tsv");
  assert_file (dir, "task-movie_run-1_desc-FBNunrotated_mixing.tsv");
  {
    g_autofree char *sub = g_strdup_printf ("sub-%s/func/sub-%s_task-movie_run-1_desc-"
                                            "FBNunrotated_mixing.tsv",
                                            (char *) g_ptr_array_index (run->result->test, 0),
                                            (char *) g_ptr_array_index (run->result->test, 0));

    assert_file (dir, sub);
  }
  {
    /* No scratch folder left behind. */
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".unrotated"));
  }
  root = read_sidecar (parser, dir, "FBN");
  method = json_object_get_object_member (root, "FBNMethod");
  g_assert_cmpstr (json_object_get_string_member (method, "Method"), ==, "autoencoder");
  g_assert_cmpstr (json_object_get_string_member (method, "Architecture"), ==, "msa");
  g_assert_cmpstr (json_object_get_string_member (method, "Rotation"), ==, "ica");
  g_assert_cmpstr (json_object_get_string_member (method, "Unrotated"), ==,
                   "task-movie_desc-FBNunrotated_components.nii.gz");
  g_assert_true (json_object_has_member (root, "Losses"));
  root = read_sidecar (parser2, dir, "FBNunrotated");
  method = json_object_get_object_member (root, "FBNMethod");
  g_assert_cmpstr (json_object_get_string_member (method, "Rotation"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (method, "TimeCourses"), ==, "encoder");
}

/* Stage 1 of dual regression computed here, independently: each volume
 * (demeaned over voxels) regressed on the demeaned maps by LAPACK's least
 * squares in double. */
static void
reference_stage1 (const float *data, const float *maps, gint64 n, int m, int t, double *out)
{
  g_autofree double *a = g_new (double, (gsize) n * m);
  g_autofree double *b = g_new (double, (gsize) n * t);

  for (int j = 0; j < m; j++)
    {
      double mean = 0;

      for (gint64 v = 0; v < n; v++)
        mean += maps[v * m + j];
      mean /= n;
      for (gint64 v = 0; v < n; v++)
        a[v * m + j] = maps[v * m + j] - mean;
    }
  for (int i = 0; i < t; i++)
    {
      double mean = 0;

      for (gint64 v = 0; v < n; v++)
        mean += data[i * n + v];
      mean /= n;
      for (gint64 v = 0; v < n; v++)
        b[v * t + i] = data[i * n + v] - mean;
    }
  g_assert_cmpint (LAPACKE_dgels (LAPACK_ROW_MAJOR, 'N', (int) n, m, t, a, m, b, t), ==, 0);
  for (int i = 0; i < t; i++)
    for (int j = 0; j < m; j++)
      out[i * m + j] = b[j * t + i];
}

static void
test_maps (void)
{
  const SaPlanted *planted = fixture->planted;
  SaEmbedOptions options;
  SaFbnChoice choice = { SA_FBN_METHOD_MAPS, FALSE, NULL, fixture->mask };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFbnRun) run = NULL;
  g_autoptr(SaRecovery) rec = NULL;
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "planted_maps.nii.gz", NULL);
  g_autofree double *ref = g_new (double, N_TIMEPOINTS * N_NETWORKS);
  double worst = 0;

  /* The planted maps as a user would bring them: a 4D NIfTI. */
  g_assert_true (sa_embed_write_components (planted->maps, planted->n_voxels, N_NETWORKS,
                                            fixture->mask, path, &error));
  g_assert_no_error (error);
  choice.maps_path = path;
  options_init (&options);
  run = sa_fbn_train (fixture->source, &options, &choice, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run->result->m, ==, N_NETWORKS);
  g_assert_false (run->has_ica);

  for (guint c = 0; c < run->result->courses->len; c++)
    {
      SaEmbedCourses *courses = g_ptr_array_index (run->result->courses, c);
      int s;

      if (courses->subject == NULL)
        continue;
      s = atoi (courses->subject) - 1;
      reference_stage1 (fixture->data[s], planted->maps, planted->n_voxels, N_NETWORKS,
                        N_TIMEPOINTS, ref);
      for (int i = 0; i < N_TIMEPOINTS * N_NETWORKS; i++)
        worst = MAX (worst, fabs (courses->l[i] - ref[i]) / (1.0 + fabs (ref[i])));
    }
  g_test_message ("--maps: largest difference from LAPACK least squares %.2e", worst);
  g_assert_cmpfloat (worst, <, 1e-4);
  rec = recovery (planted->maps, run->result, "--maps (planted maps)");
  assert_recovers (rec);
}

static void
test_maps_other_grid (void)
{
  const SaPlanted *planted = fixture->planted;
  SaPlantedParams params = planted->params;
  g_autoptr(SaPlanted) other = NULL;
  g_autoptr(SaMask) other_mask = NULL;
  SaEmbedOptions options;
  SaFbnChoice choice = { SA_FBN_METHOD_MAPS, FALSE, NULL, fixture->mask };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFbnRun) run = NULL;
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "other_grid.nii.gz", NULL);

  params.nx += 2;
  other = sa_planted_new (&params, &error);
  g_assert_no_error (error);
  other_mask = mask_for (other);
  g_assert_true (sa_embed_write_components (other->maps, other->n_voxels, N_NETWORKS,
                                            other_mask, path, &error));
  g_assert_no_error (error);
  choice.maps_path = path;
  options_init (&options);
  run = sa_fbn_train (fixture->source, &options, &choice, NULL, NULL, &error);
  g_assert_null (run);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_bad_choice (void)
{
  SaEmbedOptions options;
  SaFbnChoice choice = { SA_FBN_METHOD_GROUP_ICA, TRUE, NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SaFbnRun) run = NULL;

  options_init (&options);
  run = sa_fbn_train (fixture->source, &options, &choice, NULL, NULL, &error);
  g_assert_null (run);
  g_assert_error (error, SA_ERROR, SA_ERROR_ARGUMENT);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  fixture_setup ();
  g_test_add_func ("/compute/train-ica/group-ica", test_group_ica);
  g_test_add_func ("/compute/train-ica/rotate", test_rotate);
  g_test_add_func ("/compute/train-ica/maps", test_maps);
  g_test_add_func ("/compute/train-ica/maps-other-grid", test_maps_other_grid);
  g_test_add_func ("/compute/train-ica/bad-choice", test_bad_choice);
  status = g_test_run ();
  for (int s = 0; s < N_SUBJECTS; s++)
    g_free (fixture->data[s]);
  sa_embed_source_free (fixture->source);
  sa_mask_free (fixture->mask);
  sa_planted_free (fixture->planted);
  g_free (fixture);
  return status;
}
