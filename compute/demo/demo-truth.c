#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/demo/demo-private.h"
#include "compute/error.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"

static void
add_array (JsonBuilder *b, const char *name, const double *v, int n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int i = 0; i < n; i++)
    json_builder_add_double_value (b, v[i]);
  json_builder_end_array (b);
}

static void
add_column (JsonBuilder *b, const char *name, const float *m, int T, int K, int k)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (int t = 0; t < T; t++)
    json_builder_add_double_value (b, round (m[(gsize) t * K + k] * 1e6) / 1e6);
  json_builder_end_array (b);
}

static gboolean
write_json (const char *path, const SaDemoParams *p, const SaDemoBrain *brain,
            const SaPlanted *planted, const SaDemoNetwork *nets, const SaDemoFilterSet *set,
            const float *tc_control, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  int T = planted->params.n_timepoints, K = p->n_networks;
  double affine[16];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, p->model);
  json_builder_set_member_name (b, "layer");
  json_builder_add_string_value (b, p->layer);
  json_builder_set_member_name (b, "reduce");
  json_builder_add_string_value (b, "max");
  json_builder_set_member_name (b, "size");
  json_builder_add_string_value (b, "256x180");
  json_builder_set_member_name (b, "subjects");
  json_builder_add_int_value (b, p->n_subjects);
  json_builder_set_member_name (b, "n_tr");
  json_builder_add_int_value (b, T);
  json_builder_set_member_name (b, "tr");
  json_builder_add_double_value (b, p->tr);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) p->seed);
  json_builder_set_member_name (b, "voxel_size");
  json_builder_add_double_value (b, brain->voxel_size);
  json_builder_set_member_name (b, "grid");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, brain->nx);
  json_builder_add_int_value (b, brain->ny);
  json_builder_add_int_value (b, brain->nz);
  json_builder_end_array (b);
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++)
      affine[4 * r + c] = brain->affine[r][c];
  add_array (b, "affine", affine, 16);
  json_builder_set_member_name (b, "time_course");
  json_builder_add_string_value (b, "activation");
  json_builder_set_member_name (b, "time_course_description");
  json_builder_add_string_value (b, "each network follows its filter's activation on the movie "
                                 "TR by TR (frames of each TR reduced by max), z-scored; no HRF");
  json_builder_set_member_name (b, "max_filter_correlation");
  json_builder_add_double_value (b, set->max_r);
  json_builder_set_member_name (b, "common_factor_share");
  json_builder_add_double_value (b, set->common_share);
  json_builder_set_member_name (b, "snr");
  json_builder_add_double_value (b, p->snr);
  json_builder_set_member_name (b, "blob_sigma_voxels");
  json_builder_add_double_value (b, p->blob_sigma);
  json_builder_set_member_name (b, "signal_percent");
  json_builder_add_double_value (b, p->signal_percent);
  json_builder_set_member_name (b, "movie");
  json_builder_add_string_value (b, "stimuli/movie.mp4");
  json_builder_set_member_name (b, "control_movie");
  json_builder_add_string_value (b, "code/truth/control-movie.mp4");
  json_builder_set_member_name (b, "runs");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "task-movie_run-1");
  json_builder_add_string_value (b, "planted: networks follow the filters on stimuli/movie.mp4");
  json_builder_set_member_name (b, "task-control_run-1");
  json_builder_add_string_value (b, "control: networks follow the filters on code/truth/control-movie.mp4");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "networks");
  json_builder_begin_array (b);
  for (int k = 0; k < K; k++)
    {
      double ijk[3] = { nets[k].ijk[0], nets[k].ijk[1], nets[k].ijk[2] };
      g_autofree char *name = g_strdup_printf ("net-%02d", k + 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "map_volume");
      json_builder_add_int_value (b, k);
      json_builder_set_member_name (b, "layer");
      json_builder_add_string_value (b, p->layer);
      json_builder_set_member_name (b, "filter");
      json_builder_add_int_value (b, nets[k].filter);
      json_builder_set_member_name (b, "common_factor_loading");
      json_builder_add_double_value (b, nets[k].common_loading);
      json_builder_set_member_name (b, "unique_share");
      json_builder_add_double_value (b, nets[k].unique_share);
      json_builder_set_member_name (b, "region");
      json_builder_add_string_value (b, nets[k].region);
      json_builder_set_member_name (b, "aal_index");
      json_builder_add_int_value (b, nets[k].label);
      add_array (b, "centre_voxel", ijk, 3);
      add_array (b, "centre_mm", nets[k].mm, 3);
      add_column (b, "time_course", planted->time_courses, T, K, k);
      add_column (b, "time_course_control", tc_control, T, K, k);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_file (gen, path, error);
}

static gboolean
save_grid (const SaDemoBrain *brain, const char *dir, const char *name, const guint8 *u8,
           GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(SaVolume) vol = sa_volume_new (brain->nx, brain->ny, brain->nz, 1, brain->affine);
  gsize N = (gsize) brain->nx * brain->ny * brain->nz;

  for (gsize f = 0; f < N; f++)
    vol->data[f] = u8[f];
  return sa_volume_save (vol, path, TRUE, error);
}

gboolean
sa_demo_write_truth (const char             *truth_dir,
                     const SaDemoParams     *p,
                     const SaDemoBrain      *brain,
                     const SaPlanted        *planted,
                     const SaDemoNetwork    *nets,
                     const SaDemoFilterSet  *set,
                     const float            *tc_control,
                     const SaActivations    *acts,
                     const SaActivations    *control_acts,
                     GError                **error)
{
  int K = p->n_networks, T = planted->params.n_timepoints;
  gsize N = (gsize) brain->nx * brain->ny * brain->nz;
  g_autoptr(SaVolume) maps = sa_volume_new (brain->nx, brain->ny, brain->nz, K, brain->affine);
  g_autofree char *json_path = g_build_filename (truth_dir, "truth.json", NULL);
  g_autofree char *maps_path = g_build_filename (truth_dir, "planted_maps.nii.gz", NULL);
  g_autofree char *tc_path = g_build_filename (truth_dir, "timecourses_task-movie.tsv", NULL);
  g_autofree char *tcc_path = g_build_filename (truth_dir, "timecourses_task-control.tsv", NULL);
  g_autofree char *acts_path = g_build_filename (truth_dir, "activations_task-movie.h5", NULL);
  g_autofree char *cacts_path = g_build_filename (truth_dir, "activations_task-control.h5", NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (gint64 v = 0; v < planted->n_voxels; v++)
    for (int k = 0; k < K; k++)
      maps->data[planted->index[v] + N * k] = planted->maps[(gsize) v * K + k];
  for (int k = 0; k < K; k++)
    g_ptr_array_add (names, g_strdup_printf ("net-%02d", k + 1));
  g_ptr_array_add (names, NULL);
  return write_json (json_path, p, brain, planted, nets, set, tc_control, error)
         && sa_volume_save (maps, maps_path, TRUE, error)
         && save_grid (brain, truth_dir, "brain_mask.nii.gz", brain->mask, error)
         && save_grid (brain, truth_dir, "aal.nii.gz", brain->labels, error)
         && sa_tsv_write_matrix (tc_path, (const char *const *) names->pdata,
                                 planted->time_courses, T, K, error)
         && sa_tsv_write_matrix (tcc_path, (const char *const *) names->pdata,
                                 tc_control, T, K, error)
         && sa_activations_save (acts, acts_path, error)
         && sa_activations_save (control_acts, cacts_path, error);
}
