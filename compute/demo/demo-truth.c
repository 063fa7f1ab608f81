#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/demo/demo-private.h"
#include "compute/error.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"

/* Z-scores @n values taken every @stride from @src into @dst (contiguous);
 * FALSE when they are (nearly) constant. */
static gboolean
zscore (const float *src, int n, int stride, double *dst)
{
  double mean = 0, var = 0;

  for (int t = 0; t < n; t++)
    mean += src[(gsize) t * stride];
  mean /= n;
  for (int t = 0; t < n; t++)
    var += pow (src[(gsize) t * stride] - mean, 2);
  var /= n;
  if (!(var > 1e-12 * (1 + mean * mean)))
    return FALSE;
  for (int t = 0; t < n; t++)
    dst[t] = (src[(gsize) t * stride] - mean) / sqrt (var);
  return TRUE;
}

static double
corr (const double *a, const double *b, int n)
{
  double s = 0;

  for (int t = 0; t < n; t++)
    s += a[t] * b[t];
  return s / n;
}

/* Causal convolution with the HRF (the response to what was shown before
 * t), z-scored again. */
static void
convolve_hrf (const double *x, int n, const double *h, int nh, double *out)
{
  float *tmp = g_new (float, n);

  for (int t = 0; t < n; t++)
    {
      double s = 0;

      for (int j = 0; j < nh && j <= t; j++)
        s += h[j] * x[t - j];
      tmp[t] = (float) s;
    }
  if (!zscore (tmp, n, 1, out))
    memset (out, 0, sizeof (double) * n);
  g_free (tmp);
}

gboolean
sa_demo_pick_filters (const SaActivations *acts,
                      const SaActivations *control_acts,
                      const SaDemoParams  *p,
                      SaDemoNetwork       *nets,
                      float               *tc,
                      float               *tc_control,
                      double              *max_correlation,
                      GError             **error)
{
  int T = acts->n_tr, C = acts->n_units, K = p->n_networks, found = 0;
  g_autofree double *raw = g_new (double, (gsize) C * T);
  g_autofree double *conv = g_new (double, (gsize) C * T);
  g_autofree double *craw = g_new (double, T);
  g_autofree double *cconv = g_new (double, T);
  g_autofree double *hrf = NULL;
  g_autofree gboolean *valid = g_new0 (gboolean, C);
  g_autofree int *chosen = g_new (int, K);
  double *worst, max_r = 0;
  int nh = sa_planted_hrf (p->tr, &hrf);

  for (int c = 0; c < C; c++)
    {
      valid[c] = zscore (acts->data + c, T, C, raw + (gsize) c * T)
                 && zscore (control_acts->data + c, T, C, craw);
      if (valid[c])
        convolve_hrf (raw + (gsize) c * T, T, hrf, nh, conv + (gsize) c * T);
    }
  /* The filters of one layer share a strong common factor (overall edge
   * energy: measured on the demo movie, the first principal component
   * holds ~70% of conv3's variance), so a threshold alone finds few.
   * Greedy minimax instead: start from the least correlated pair, then add
   * the filter whose largest |r| with those chosen is smallest, raw and
   * HRF-convolved alike. The seed enters through the movie. */
  worst = g_new (double, (gsize) C * C);
  for (int c = 0; c < C; c++)
    for (int o = 0; o < C; o++)
      worst[(gsize) c * C + o] = (!valid[c] || !valid[o] || c == o) ? G_MAXDOUBLE
        : MAX (fabs (corr (raw + (gsize) c * T, raw + (gsize) o * T, T)),
               fabs (corr (conv + (gsize) c * T, conv + (gsize) o * T, T)));
  for (int k = 0; k < K; k++)
    {
      int best = -1;
      double best_score = G_MAXDOUBLE;

      for (int c = 0; c < C; c++)
        {
          double score = 0;
          gboolean taken = !valid[c];

          for (int j = 0; j < found && !taken; j++)
            taken = chosen[j] == c;
          if (taken)
            continue;
          if (found == 0)
            {
              /* The first of the least correlated pair. */
              score = G_MAXDOUBLE;
              for (int o = 0; o < C; o++)
                score = MIN (score, worst[(gsize) c * C + o]);
            }
          for (int j = 0; j < found; j++)
            score = MAX (score, worst[(gsize) c * C + chosen[j]]);
          if (score < best_score)
            {
              best_score = score;
              best = c;
            }
        }
      if (best < 0 || (K > 1 && best_score > p->max_filter_correlation))
        break;
      chosen[found++] = best;
      max_r = found > 1 ? MAX (max_r, best_score) : max_r;
    }
  g_free (worst);
  if (found < K)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("only %d filters of %s %s have activations that vary and correlate at most %g "
                      "with each other on this movie; ask for fewer networks or a longer movie"),
                    found, acts->model, acts->layer, p->max_filter_correlation);
      return FALSE;
    }
  *max_correlation = max_r;
  for (int k = 0; k < K; k++)
    {
      int c = chosen[k];

      nets[k].filter = c;
      nets[k].act_r = corr (raw + (gsize) c * T, conv + (gsize) c * T, T);
      /* Planted as Sync-ACT models the brain: the network follows the
       * filter's activation TR by TR (the paper correlates without an HRF),
       * so the planted pair is what the method can find. */
      for (int t = 0; t < T; t++)
        tc[(gsize) t * K + k] = (float) raw[(gsize) c * T + t];
      zscore (control_acts->data + c, T, C, craw);
      for (int t = 0; t < T; t++)
        tc_control[(gsize) t * K + k] = (float) craw[t];
    }
  return TRUE;
}

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
            const SaPlanted *planted, const SaDemoNetwork *nets, const float *tc_control,
            GError **error)
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
  json_builder_set_member_name (b, "max_filter_correlation");
  json_builder_add_double_value (b, K > 0 ? nets[0].max_filter_r : 0);
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
      json_builder_set_member_name (b, "activation_r");
      json_builder_add_double_value (b, nets[k].act_r);
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
sa_demo_write_truth (const char          *truth_dir,
                     const SaDemoParams  *p,
                     const SaDemoBrain   *brain,
                     const SaPlanted     *planted,
                     const SaDemoNetwork *nets,
                     const float         *tc_control,
                     const SaActivations *acts,
                     const SaActivations *control_acts,
                     GError             **error)
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
  return write_json (json_path, p, brain, planted, nets, tc_control, error)
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
