/* results-loader.c — derivatives/syncact → SaWorkbench, off the main thread */
#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ui/results-loader.h"

#include "ui/filter-pairs.h"

#include "compute/ann/activations.h"
#include "compute/error.h"
#include "compute/io/bids.h"
#include "compute/io/h5-matrix.h"
#include "compute/io/movie.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"

gboolean
sa_results_exist (const char *dataset_root)
{
  g_autoptr(SaResultsIndex) index = sa_results_index_new (dataset_root, NULL);

  return index != NULL;
}

static double *
transpose (const double *v,
           int           rows,
           int           cols)
{
  double *out = g_new (double, (gsize) rows * cols);

  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      out[(gsize) c * rows + r] = v[(gsize) r * cols + c];
  return out;
}

static float *
to_float (const double *v,
          gsize         n)
{
  float *out = g_new (float, n);

  for (gsize i = 0; i < n; i++)
    out[i] = (float) v[i];
  return out;
}

typedef struct {
  guint8 *frames;
  int     width, height;
} FrameSink;

static gboolean
keep_frame (int           k,
            const guint8 *rgb,
            int           width,
            int           height,
            double        frame_time,
            gpointer      user_data)
{
  FrameSink *sink = user_data;

  memcpy (sink->frames + (gsize) k * width * height * 3, rgb, (gsize) width * height * 3);
  return TRUE;
}

/* The movie the run with @run_key plays, from the dataset's events; NULL
 * (no frames shown) when the raw dataset cannot tell. @lead: the whole TRs
 * the run's BOLD starts before its movie, rounded as `syncact run` rounds
 * them (it extracts activations from the movie's start and pairs from
 * `--first-tr lead`); 0 when unknown. */
static char *
find_movie (const char *root,
            const char *run_key,
            int        *lead)
{
  g_autoptr(SaBidsDataset) dataset = sa_bids_open (root, NULL);

  *lead = 0;
  if (dataset == NULL)
    return NULL;
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (run->movie_path && g_strcmp0 (run->run_key, run_key) == 0)
        {
          if (run->movie_onset > 0 && run->tr > 0)
            *lead = (int) floor (run->movie_onset / run->tr + 0.5);
          return g_strdup (run->movie_path);
        }
    }
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (run->movie_path)
        return g_strdup (run->movie_path);
    }
  return NULL;
}

/* The argmax pairs (parametric p) when there is no pairs table: what
 * `syncact figure --timeseries` has always shown. */
static void
pair_by_argmax (const SaCorrelation *corr,
                int                  m,
                int                  k,
                int                  n_tr,
                SaPair              *pairs,
                const gboolean      *have)
{
  for (int i = 0; i < m; i++)
    if (have == NULL || !have[i])
      {
        int best = -1;

        for (int j = 0; j < k; j++)
          if (corr->filter_valid[j] && (best < 0 || corr->r[(gsize) i * k + j] > corr->r[(gsize) i * k + best]))
            best = j;
        best = MAX (best, 0);
        pairs[i] = (SaPair) { i, best, corr->r[(gsize) i * k + best], NAN, NAN, FALSE };
        pairs[i].p = sa_pearson_p (pairs[i].r, n_tr);
        pairs[i].significant = pairs[i].p < 0.05;
      }
}

/* @anatomy: the template already in memory (another combination of the
 * same dataset), or NULL to load @template_path. */
static gboolean
fill (SaWorkbench          *wb,
      SaResultsLoadFlags    flags,
      const char           *maps_path,
      const char           *mixing_path,
      const char           *acts_path,
      const char           *pairs_path,
      const char           *template_path,
      const SaSliceVolume  *anatomy_in,
      double                tr,
      int                   lead,
      GCancellable         *cancellable,
      GError              **error)
{
  g_autofree char *default_template = NULL;
  g_autoptr(SaVolume) maps = NULL, anatomy = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(SaCorrelation) corr = NULL;
  g_auto(GStrv) fbn_names = NULL, fbn_labels = NULL, filter_labels = NULL;
  g_autofree double *fbn_v = NULL, *acts_v = NULL, *fbn_rows = NULL, *acts_rows = NULL;
  g_autofree float *fbn_f = NULL, *acts_f = NULL, *r = NULL;
  g_autofree SaPair *pairs = NULL, *filter_pairs = NULL;
  g_autofree gboolean *have = NULL;
  int n_tr, m, a_tr, k, n_filter_pairs = 0;

  g_return_val_if_fail (SA_IS_WORKBENCH (wb), FALSE);

  if (!sa_tsv_read_matrix (mixing_path, &fbn_names, &n_tr, &m, &fbn_v, error))
    return FALSE;
  /* Any HDF5 with /activations [T × K]; the tr attribute unless given
   * (a number as `syncact extract` writes it, or a string). */
  acts = sa_activations_load (acts_path, error);
  if (acts == NULL || sa_check_cancelled (cancellable, error))
    return FALSE;
  a_tr = acts->n_tr;
  k = acts->n_units;
  /* The movie starts @lead TRs into the run: activations row 0 is the
   * run's TR @lead, and the TRs before it were left out of pairing. Drop
   * them here too, so traces, cursor and frames line up as they were paired
   * (the time axis then counts from the movie's start). */
  if (lead > 0 && n_tr - lead == a_tr)
    {
      memmove (fbn_v, fbn_v + (gsize) lead * m, sizeof (double) * (gsize) a_tr * m);
      n_tr = a_tr;
    }
  acts_v = g_new (double, (gsize) a_tr * k);
  for (gsize i = 0; i < (gsize) a_tr * k; i++)
    acts_v[i] = acts->data[i];
  if (tr <= 0)
    tr = acts->tr;
  if (tr <= 0)
    {
      g_autofree char *attr = sa_h5_read_string_attr (acts_path, "/activations", "tr");
      tr = attr ? g_ascii_strtod (attr, NULL) : 0;
    }
  if (!(tr > 0))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, acts_path,
                    _("no repetition time (tr attribute on /activations): pass --tr S"));
      return FALSE;
    }
  fbn_rows = transpose (fbn_v, n_tr, m);
  acts_rows = transpose (acts_v, a_tr, k);
  corr = sa_correlation_compute (fbn_rows, m, n_tr, mixing_path, acts_rows, k, a_tr, acts_path, error);
  if (corr == NULL)
    return FALSE;

  /* Pairs as written when there is a table; the argmax where it has none. */
  pairs = g_new0 (SaPair, m);
  have = g_new0 (gboolean, m);
  fbn_labels = g_new0 (char *, m + 1);
  filter_labels = g_new0 (char *, k + 1);
  for (int i = 0; i < m; i++)
    fbn_labels[i] = g_strdup ("");
  for (int j = 0; j < k; j++)
    filter_labels[j] = g_strdup ("");
  if (pairs_path && !sa_pairs_table_read (pairs_path, fbn_names, m, k, SA_PAIRS_BY_FBN, pairs,
                                          have, fbn_labels, filter_labels, error))
    return FALSE;
  pair_by_argmax (corr, m, k, n_tr, pairs, have);
  {
    /* The filter → FBN direction: its table beside the fbn2filter one. */
    g_autofree char *filter2fbn_path = pairs_path ? sa_filter_pairs_path_for (pairs_path) : NULL;

    filter_pairs = sa_filter_pairs_load (filter2fbn_path, fbn_names, corr, fbn_labels,
                                         filter_labels, &n_filter_pairs, error);
    if (filter_pairs == NULL)
      return FALSE;
  }

  maps = sa_volume_load (maps_path, NULL, cancellable, error);
  if (maps == NULL)
    return FALSE;
  if (maps->nt != m)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, maps_path,
                    _("has %d volumes but %s has %d FBN columns"), maps->nt, mixing_path, m);
      return FALSE;
    }
  if (anatomy_in == NULL && !(flags & SA_RESULTS_LOAD_NO_ANATOMY))
    {
      if (template_path == NULL)
        template_path = default_template = g_build_filename (MRICRON_TEMPLATES, "ch2better.nii.gz", NULL);
      anatomy = sa_volume_load (template_path, NULL, cancellable, error);
      if (anatomy == NULL)
        return FALSE;
    }

  fbn_f = to_float (fbn_rows, (gsize) m * n_tr);
  acts_f = to_float (acts_rows, (gsize) k * a_tr);
  r = to_float (corr->r, (gsize) m * k);
  if (anatomy_in != NULL)
    sa_workbench_set_anatomy (wb, anatomy_in->nx, anatomy_in->ny, anatomy_in->nz, anatomy_in->data,
                              anatomy_in->affine);
  else if (anatomy != NULL)
    sa_workbench_set_anatomy (wb, anatomy->nx, anatomy->ny, anatomy->nz, anatomy->data,
                              (const double (*)[4]) anatomy->affine);
  sa_workbench_set_time_courses (wb, tr, n_tr, m, fbn_f, k, acts_f);
  sa_workbench_set_maps (wb, maps->nx, maps->ny, maps->nz, m, maps->data,
                         (const double (*)[4]) maps->affine);
  sa_workbench_set_correlations (wb, r);
  sa_workbench_set_pairs (wb, pairs, m);
  sa_workbench_set_filter_pairs (wb, filter_pairs, n_filter_pairs);
  sa_workbench_set_labels (wb, (const char *const *) fbn_labels, (const char *const *) filter_labels);
  return TRUE;
}

gboolean
sa_results_fill (SaWorkbench        *wb,
                 SaResultsLoadFlags  flags,
                 const char    *maps_path,
                 const char    *mixing_path,
                 const char    *acts_path,
                 const char    *pairs_path,
                 const char    *template_path,
                 double         tr,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return fill (wb, flags, maps_path, mixing_path, acts_path, pairs_path, template_path, NULL, tr,
               0, cancellable, error);
}

/* One frame per TR, decoded once from the start. */
static gboolean
load_all_frames (SaWorkbench   *wb,
                 const char    *movie_path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(SaMovie) movie = sa_movie_open (movie_path, error);
  int n_tr = sa_workbench_get_n_tr (wb);
  double tr = sa_workbench_get_tr (wb);
  const SaMovieInfo *info;
  FrameSink sink;
  double aspect;
  gboolean ok;

  if (movie == NULL)
    return FALSE;
  info = sa_movie_get_info (movie);
  aspect = (double) info->height / MAX (info->width, 1);

  /* One frame per TR is held in memory: a long movie gets smaller frames,
   * so the whole strip stays within SA_RESULTS_FRAME_BUDGET. */
  sink.width = SA_RESULTS_FRAME_WIDTH;
  while (sink.width > 32 &&
         (double) sink.width * sink.width * aspect * 3 * n_tr > SA_RESULTS_FRAME_BUDGET)
    sink.width -= 16;
  sink.height = MAX ((int) lround (sink.width * aspect), 1);
  sink.frames = g_malloc0 ((gsize) sink.width * sink.height * 3 * n_tr);
  ok = sa_movie_sample_tr (movie, tr, n_tr, sink.width, sink.height, SA_RESIZE_BILINEAR_AA,
                           keep_frame, &sink, NULL, cancellable, error);
  if (ok)
    sa_workbench_set_frames (wb, sink.width, sink.height, n_tr, sink.frames);
  g_free (sink.frames);
  return ok;
}

gboolean
sa_results_load_top_frames (SaWorkbench   *wb,
                            const char    *movie_path,
                            int            filter,
                            int            n_top,
                            GError       **error)
{
  g_autoptr(SaMovie) movie = sa_movie_open (movie_path, error);
  const SaMovieInfo *info;
  int n_tr = sa_workbench_get_n_tr (wb), n, w = SA_RESULTS_FRAME_WIDTH, h;
  double tr = sa_workbench_get_tr (wb);
  g_autofree guint8 *frames = NULL;
  g_autofree int *top = g_new (int, MAX (n_top, 1));

  g_return_val_if_fail (SA_IS_WORKBENCH (wb), FALSE);
  if (movie == NULL)
    return FALSE;
  info = sa_movie_get_info (movie);
  h = MAX ((int) lround (w * (double) info->height / MAX (info->width, 1)), 1);
  frames = g_malloc0 ((gsize) w * h * 3 * n_tr);
  n = sa_workbench_top_frames (wb, filter, n_top, top);
  for (int i = 0; i < n; i++)
    {
      /* The frame shown at the end of the TR, as the activations used. */
      gint64 index = sa_movie_frame_for_tr (movie, top[i], tr);
      double t = info->fps > 0 ? (index + 0.5) / info->fps : (top[i] + 1) * tr;

      if (!sa_movie_frame_at (movie, t, w, h, SA_RESIZE_BILINEAR_AA,
                              frames + (gsize) top[i] * w * h * 3, NULL, error))
        return FALSE;
    }
  sa_workbench_set_frames (wb, w, h, n_tr, frames);
  sa_workbench_set_movie_path (wb, movie_path);
  return TRUE;
}

void
sa_results_free (SaResults *results)
{
  if (results == NULL)
    return;
  g_clear_object (&results->workbench);
  sa_results_index_free (results->index);
  g_free (results);
}

SaResults *
sa_results_open (const char          *dataset_root,
                 const SaResultsChoice *choice,
                 SaResultsLoadFlags   flags,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autoptr(SaResults) results = g_new0 (SaResults, 1);
  SaResultsChoice none = { NULL, };
  g_autofree char *mixing_path = NULL, *movie_path = NULL;
  int lead = 0;

  g_return_val_if_fail (dataset_root != NULL, NULL);
  if (choice == NULL)
    choice = &none;

  results->index = sa_results_index_new (dataset_root, error);
  if (results->index == NULL)
    return NULL;
  results->fbn_set = sa_results_index_fbn_set (results->index, choice->fbn_set, error);
  if (results->fbn_set == NULL)
    return NULL;
  if (choice->run == NULL && choice->model == NULL && choice->layer == NULL)
    results->entry = sa_results_index_get_default (results->index);
  else
    results->entry = sa_results_index_lookup (results->index, choice->run, choice->model,
                                              choice->layer, error);
  if (results->entry == NULL)
    return NULL;

  mixing_path = sa_results_index_mixing_path (results->index, results->fbn_set, results->entry->run);
  movie_path = find_movie (dataset_root, results->entry->run, &lead);
  results->workbench = sa_workbench_new ();
  sa_workbench_set_method (results->workbench, results->fbn_set->method);
  /* The pairs tables pair the "FBN" set; another set (the unrotated maps)
   * pairs by argmax r on its own time courses. */
  if (!fill (results->workbench, flags, results->fbn_set->components, mixing_path,
             results->entry->activations,
             results->fbn_set == sa_results_index_fbn_set (results->index, NULL, NULL)
               ? results->entry->pairs : NULL,
             NULL, choice->shown ? sa_workbench_get_anatomy (choice->shown) : NULL,
             0, lead, cancellable, error))
    return NULL;

  /* A movie that is gone leaves the movie pane empty rather than the
   * results unshown. */
  if (movie_path)
    {
      if ((flags & SA_RESULTS_LOAD_FRAMES) &&
          !load_all_frames (results->workbench, movie_path, cancellable, error))
        return NULL;
      sa_workbench_set_movie_path (results->workbench, movie_path);
    }
  return g_steal_pointer (&results);
}

SaWorkbench *
sa_results_load (const char   *dataset_root,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autoptr(SaResults) results = sa_results_open (dataset_root, NULL, SA_RESULTS_LOAD_FRAMES,
                                                  cancellable, error);

  return results ? g_steal_pointer (&results->workbench) : NULL;
}

SaResultsChoice *
sa_results_choice_new (const char *root,
                       const char *fbn_set,
                       const char *run,
                       const char *model,
                       const char *layer)
{
  SaResultsChoice *c = g_new0 (SaResultsChoice, 1);

  c->root = g_strdup (root);
  c->fbn_set = g_strdup (fbn_set);
  c->run = g_strdup (run);
  c->model = g_strdup (model);
  c->layer = g_strdup (layer);
  return c;
}

void
sa_results_choice_free (SaResultsChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->root);
  g_free (choice->fbn_set);
  g_free (choice->run);
  g_free (choice->model);
  g_free (choice->layer);
  g_clear_object (&choice->shown);
  g_free (choice);
}
