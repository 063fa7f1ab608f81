#include "config.h"

#include "compute/demo/demo-dataset.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "compute/ann/extract.h"
#include "compute/demo/demo-brain.h"
#include "compute/demo/demo-movie.h"
#include "compute/demo/demo-private.h"
#include "compute/demo/planted.h"
#include "compute/error.h"
#include "compute/io/nifti.h"

/* Regions where a movie's content plausibly drives the signal: early
 * visual, ventral and dorsal stream, and association cortex, alternating
 * hemispheres so that neighbouring picks are far apart. */
static const char *const REGIONS[] = {
  "Calcarine_L", "Fusiform_R", "Temporal_Mid_L", "Precuneus_R", "Occipital_Mid_L",
  "Lingual_R", "Parietal_Sup_L", "Temporal_Inf_R", "Cuneus_L", "Occipital_Inf_R",
  "Angular_L", "Temporal_Sup_R", "Fusiform_L", "Occipital_Mid_R", "Cingulum_Post_L",
  "Frontal_Mid_R", "Lingual_L", "Calcarine_R", "Precuneus_L", "Parietal_Inf_R",
  "Temporal_Mid_R", "Frontal_Inf_Tri_L", "Occipital_Sup_R", "Precentral_L",
};

/* Planted centres at least this far apart (mm): blobs overlap little. */
#define MIN_SEPARATION_MM 24.0

void
sa_demo_params_init (SaDemoParams *params)
{
  memset (params, 0, sizeof *params);
  params->n_subjects = 8;
  params->duration = 300.0;
  params->tr = 2.0;
  params->seed = 1;
  params->n_networks = 5;
  params->model = "builtin:democnn";
  params->layer = "conv3";
  params->max_filter_correlation = 0.4;
  params->voxel_size = 4.0;
  params->blob_sigma = 2.5;
  params->snr = 1.0;
  params->signal_percent = 2.0;
  params->movie_width = 320;
  params->movie_height = 240;
  params->fps = 24;
}

static gboolean
check_params (const SaDemoParams *p, GError **error)
{
  const char *bad = NULL;

  if (p->n_subjects < 1 || p->n_subjects > 999)
    bad = _("--subjects must be between 1 and 999");
  else if (!(p->tr >= 0.1 && p->tr <= 10))
    bad = _("--tr must be between 0.1 and 10 seconds");
  else if (!(p->duration >= 10 * p->tr && p->duration <= 4 * 3600))
    bad = _("--duration must cover at least 10 TRs and at most 4 hours");
  else if (p->n_networks < 1 || p->n_networks > (int) G_N_ELEMENTS (REGIONS))
    bad = _("the number of networks must be between 1 and 24");
  else if (p->fps < 1 || p->fps > 120)
    bad = _("--fps must be between 1 and 120");
  else if (!(p->max_filter_correlation > 0 && p->max_filter_correlation < 1))
    bad = _("the maximum filter correlation must be in (0, 1)");
  if (bad != NULL)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, "%s", bad);
      return FALSE;
    }
  return TRUE;
}

/* Removes @path and everything under it; only ever called on folders this
 * file created. */
void
sa_demo_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          sa_demo_remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static gboolean
mkdir_p (const char *path, GError **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;

      sa_set_error (error, SA_ERROR_IO, path, _("cannot create the folder: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static SaActivations *
extract (const SaDemoParams *p, const char *movie, int n_tr, const SaProgress *progress,
         GCancellable *cancellable, GError **error)
{
  SaExtractOptions opts;

  sa_extract_options_init (&opts);
  opts.model = p->model;
  opts.layer = p->layer;
  opts.movie = movie;
  opts.tr = p->tr;
  opts.n_tr = n_tr;
  return sa_extract (&opts, progress, cancellable, error);
}

/* Centres deep inside the listed regions, in list order, skipping a
 * region whose core is too near an earlier pick. */
static gboolean
place_networks (const SaDemoBrain *brain, int K, SaDemoNetwork *nets, GError **error)
{
  int found = 0;

  for (guint r = 0; r < G_N_ELEMENTS (REGIONS) && found < K; r++)
    {
      int label = sa_demo_brain_label_index (brain, REGIONS[r]);
      int ijk[3];
      gboolean far = TRUE;

      if (label == 0 || sa_demo_brain_region_core (brain, label, ijk) == 0)
        continue;
      for (int j = 0; j < found && far; j++)
        {
          double d2 = 0;

          for (int d = 0; d < 3; d++)
            d2 += pow ((ijk[d] - nets[j].ijk[d]) * brain->voxel_size, 2);
          far = d2 >= MIN_SEPARATION_MM * MIN_SEPARATION_MM;
        }
      if (!far)
        continue;
      nets[found].region = REGIONS[r];
      nets[found].label = label;
      for (int d = 0; d < 3; d++)
        {
          nets[found].ijk[d] = ijk[d];
          nets[found].mm[d] = brain->affine[d][3] + brain->voxel_size * ijk[d];
        }
      found++;
    }
  if (found < K)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("only %d atlas regions lie %g mm apart on a %g mm grid; ask for fewer networks"),
                    found, MIN_SEPARATION_MM, brain->voxel_size);
      return FALSE;
    }
  return TRUE;
}

/* One subject's run as a BOLD-like 4D volume: the anatomy as baseline,
 * the planted signal and noise as a percentage of it, 0 outside the brain. */
static gboolean
write_bold (const SaDemoBrain *brain, const SaPlanted *planted, int subject, double tr,
            double percent, const char *path, GCancellable *cancellable, GError **error)
{
  int T = planted->params.n_timepoints;
  gint64 n = planted->n_voxels;
  gsize N = (gsize) brain->nx * brain->ny * brain->nz;
  g_autofree float *z = g_new (float, (gsize) T * n);
  g_autoptr(SaVolume) vol = sa_volume_new (brain->nx, brain->ny, brain->nz, T, brain->affine);

  if (!sa_planted_subject (planted, subject, z, cancellable, error))
    return FALSE;
  vol->tr = tr;
  for (int t = 0; t < T; t++)
    for (gint64 v = 0; v < n; v++)
      {
        gint64 f = planted->index[v];
        double base = 10.0 * brain->anatomy[f];

        vol->data[f + N * t] = (float) (base * (1.0 + 0.01 * percent * z[(gsize) t * n + v]));
      }
  return sa_volume_save (vol, path, TRUE, error);
}

static gboolean
write_text (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

static gboolean
write_bids_files (const char *root, const SaDemoParams *p, int n_tr, GError **error)
{
  g_autoptr(GString) participants = g_string_new ("participant_id\n");
  g_autofree char *description = NULL;
  const char *const tasks[] = { "movie", "control" };

  description = g_strdup_printf (
    "{\n"
    "  \"Name\": \"SyncAct demo\",\n"
    "  \"BIDSVersion\": \"1.8.0\",\n"
    "  \"DatasetType\": \"raw\",\n"
    "  \"License\": \"CC0\",\n"
    "  \"GeneratedBy\": [{\"Name\": \"SyncAct\", \"Version\": \"%s\","
    " \"Description\": \"syncact demo --subjects %d --duration %g --tr %g --seed %" G_GUINT64_FORMAT
    " --networks %d --fps %d\"}]\n"
    "}\n",
    PACKAGE_VERSION, p->n_subjects, p->duration, p->tr, p->seed, p->n_networks, p->fps);
  if (!write_text (root, "dataset_description.json", description, error))
    return FALSE;
  for (int s = 1; s <= p->n_subjects; s++)
    g_string_append_printf (participants, "sub-%02d\n", s);
  if (!write_text (root, "participants.tsv", participants->str, error)
      || !write_text (root, "README",
                      "Synthetic movie-watching fMRI made by `syncact demo`.\n\n"
                      "task-movie: planted networks follow filters of the built-in demo CNN\n"
                      "watching stimuli/movie.mp4. task-control: the same networks follow the\n"
                      "filters on another movie (code/truth/control-movie.mp4), while its events\n"
                      "name stimuli/movie.mp4: no pair found on it should be significant.\n"
                      "The planted truth is in code/truth/ (truth.json).\n",
                      error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autofree char *name = g_strdup_printf ("task-%s_bold.json", tasks[i]);
      g_autofree char *text = g_strdup_printf ("{\n  \"TaskName\": \"%s\",\n  \"RepetitionTime\": %.17g\n}\n",
                                               tasks[i], p->tr);

      if (!write_text (root, name, text, error))
        return FALSE;
    }
  for (int s = 1; s <= p->n_subjects; s++)
    for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
      {
        g_autofree char *dir = g_strdup_printf ("%s/sub-%02d/func", root, s);
        g_autofree char *name = g_strdup_printf ("sub-%02d_task-%s_run-1_events.tsv", s, tasks[i]);
        g_autofree char *text = g_strdup_printf ("onset\tduration\ttrial_type\tstim_file\n"
                                                 "0\t%.6g\tmovie\tmovie.mp4\n", n_tr * p->tr);

        if (!mkdir_p (dir, error) || !write_text (dir, name, text, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
generate_into (const char *root, const SaDemoParams *p, const SaProgress *progress,
               GCancellable *cancellable, GError **error)
{
  g_autofree char *stimuli = g_build_filename (root, "stimuli", NULL);
  g_autofree char *truth_dir = g_build_filename (root, "code", "truth", NULL);
  g_autofree char *movie_path = g_build_filename (stimuli, "movie.mp4", NULL);
  g_autofree char *control_path = g_build_filename (truth_dir, "control-movie.mp4", NULL);
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(SaActivations) control_acts = NULL;
  g_autoptr(SaDemoBrain) brain = NULL;
  g_autoptr(SaPlanted) planted = NULL;
  g_autoptr(SaPlanted) control = NULL;
  g_autofree SaDemoNetwork *nets = g_new0 (SaDemoNetwork, p->n_networks);
  g_autofree float *tc = NULL;
  g_autofree float *tc_control = NULL;
  g_autofree double *centres = NULL;
  SaDemoMovieParams mp;
  SaPlantedParams pp;
  SaProgress sub;
  int K = p->n_networks;
  SaDemoFilterSet set = { 0 };
  int n_tr = (int) floor (p->duration / p->tr + 1e-9);

  if (!mkdir_p (stimuli, error) || !mkdir_p (truth_dir, error))
    return FALSE;

  sa_demo_movie_params_init (&mp);
  mp.width = p->movie_width;
  mp.height = p->movie_height;
  mp.fps = p->fps;
  mp.duration = n_tr * p->tr;
  mp.seed = p->seed;
  sub = sa_progress_sub (progress, 0.0, 0.2);
  if (!sa_demo_movie_write (&mp, movie_path, &sub, cancellable, error))
    return FALSE;
  /* Another seed stream for the control movie: different scenes, same
   * kind of content. */
  mp.seed = p->seed ^ 0x636f6e74726f6cULL;
  sub = sa_progress_sub (progress, 0.2, 0.3);
  if (!sa_demo_movie_write (&mp, control_path, &sub, cancellable, error))
    return FALSE;

  sub = sa_progress_sub (progress, 0.3, 0.4);
  if ((acts = extract (p, movie_path, n_tr, &sub, cancellable, error)) == NULL)
    return FALSE;
  sub = sa_progress_sub (progress, 0.4, 0.5);
  if ((control_acts = extract (p, control_path, n_tr, &sub, cancellable, error)) == NULL)
    return FALSE;

  tc = g_new (float, (gsize) n_tr * K);
  tc_control = g_new (float, (gsize) n_tr * K);
  if (!sa_demo_pick_filters (acts, control_acts, p, nets, tc, tc_control, &set, error))
    return FALSE;

  sa_progress_report (progress, 0.5, _("Placing networks in the atlas"));
  if ((brain = sa_demo_brain_new (p->templates_dir, p->voxel_size, error)) == NULL
      || !place_networks (brain, K, nets, error))
    return FALSE;

  centres = g_new (double, (gsize) K * 3);
  for (int k = 0; k < K; k++)
    for (int d = 0; d < 3; d++)
      centres[3 * k + d] = nets[k].ijk[d];
  sa_planted_params_init (&pp);
  pp.nx = brain->nx;
  pp.ny = brain->ny;
  pp.nz = brain->nz;
  pp.mask = brain->mask;
  pp.n_subjects = p->n_subjects;
  pp.n_timepoints = n_tr;
  pp.tr = p->tr;
  pp.n_networks = K;
  pp.centres = centres;
  pp.blob_sigma = p->blob_sigma;
  pp.snr = p->snr;
  pp.time_courses = tc;
  pp.seed = p->seed * 2 + 1;
  if ((planted = sa_planted_new (&pp, error)) == NULL)
    return FALSE;
  pp.time_courses = tc_control;
  pp.seed = p->seed * 2 + 2;
  if ((control = sa_planted_new (&pp, error)) == NULL)
    return FALSE;

  if (!write_bids_files (root, p, n_tr, error))
    return FALSE;
  for (int s = 0; s < p->n_subjects; s++)
    {
      g_autofree char *movie_bold = g_strdup_printf ("%s/sub-%02d/func/sub-%02d_task-movie_run-1_bold.nii.gz",
                                                     root, s + 1, s + 1);
      g_autofree char *control_bold = g_strdup_printf ("%s/sub-%02d/func/sub-%02d_task-control_run-1_bold.nii.gz",
                                                       root, s + 1, s + 1);
      g_autofree char *message = g_strdup_printf (_("Simulating subject %d of %d"), s + 1, p->n_subjects);

      sa_progress_report (progress, 0.52 + 0.45 * s / p->n_subjects, message);
      if (!write_bold (brain, planted, s, p->tr, p->signal_percent, movie_bold, cancellable, error)
          || !write_bold (brain, control, s, p->tr, p->signal_percent, control_bold, cancellable, error))
        return FALSE;
    }
  sa_progress_report (progress, 0.97, _("Writing the planted truth"));
  if (!sa_demo_write_truth (truth_dir, p, brain, planted, nets, &set, tc_control, acts, control_acts, error))
    return FALSE;
  return TRUE;
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

gboolean
sa_demo_generate (const char         *out_dir,
                  const SaDemoParams *params,
                  const SaProgress   *progress,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autofree char *parent = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *stamp = NULL;

  if (!check_params (params, error))
    return FALSE;
  if (g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (out_dir, G_FILE_TEST_IS_DIR))
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, out_dir, _("exists and is not a folder"));
          return FALSE;
        }
      if (!dir_is_empty (out_dir))
        {
          sa_set_error (error, SA_ERROR_ARGUMENT, out_dir,
                        _("exists and is not empty; the demo is written only to a new or empty folder"));
          return FALSE;
        }
    }
  parent = g_path_get_dirname (out_dir);
  if (!mkdir_p (parent, error))
    return FALSE;
  tmp = g_strdup_printf ("%s.tmp-XXXXXX", out_dir);
  if (g_mkdtemp (tmp) == NULL)
    {
      int saved = errno;

      sa_set_error (error, SA_ERROR_IO, out_dir, _("cannot create a temporary folder beside it: %s"),
                    g_strerror (saved));
      return FALSE;
    }
  g_chmod (tmp, 0755);
  marker = g_build_filename (tmp, SA_DEMO_MARKER, NULL);
  stamp = g_strdup_printf ("{\n  \"subjects\": %d,\n  \"duration\": %g,\n  \"tr\": %g,\n"
                           "  \"seed\": %" G_GUINT64_FORMAT ",\n  \"version\": \"%s\"\n}\n",
                           params->n_subjects, params->duration, params->tr, params->seed,
                           PACKAGE_VERSION);
  if (!generate_into (tmp, params, progress, cancellable, error)
      || !g_file_set_contents (marker, stamp, -1, error))
    {
      sa_demo_remove_tree (tmp);
      return FALSE;
    }
  /* An empty folder given as --out is replaced; rename() cannot replace a
   * folder on every system. */
  if (g_file_test (out_dir, G_FILE_TEST_IS_DIR))
    g_rmdir (out_dir);
  if (g_rename (tmp, out_dir) != 0)
    {
      int saved = errno;

      sa_set_error (error, SA_ERROR_IO, out_dir, _("cannot move the finished demo into place: %s"),
                    g_strerror (saved));
      sa_demo_remove_tree (tmp);
      return FALSE;
    }
  sa_progress_report (progress, 1.0, NULL);
  return TRUE;
}

gboolean
sa_demo_is_complete (const char *dir)
{
  g_autofree char *marker = g_build_filename (dir, SA_DEMO_MARKER, NULL);

  return g_file_test (marker, G_FILE_TEST_IS_REGULAR);
}

char *
sa_demo_ensure (const char       *cache_dir,
                const SaProgress *progress,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autofree char *dir = g_build_filename (cache_dir != NULL ? cache_dir : g_get_user_cache_dir (),
                                           "syncact", "demo", NULL);
  SaDemoParams params;

  if (sa_demo_is_complete (dir))
    return g_steal_pointer (&dir);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      /* Our own cache folder, incomplete: move it aside first so that a
       * crash while deleting never leaves a half-deleted folder in place. */
      g_autofree char *stale = g_strdup_printf ("%s.stale-XXXXXX", dir);

      if (g_mkdtemp (stale) == NULL || g_rename (dir, stale) != 0)
        {
          int saved = errno;

          sa_set_error (error, SA_ERROR_IO, dir, _("cannot replace an incomplete demo: %s"),
                        g_strerror (saved));
          return NULL;
        }
      sa_demo_remove_tree (stale);
    }
  sa_demo_params_init (&params);
  if (!sa_demo_generate (dir, &params, progress, cancellable, error))
    return NULL;
  return g_steal_pointer (&dir);
}
