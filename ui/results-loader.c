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
#include "compute/io/movie.h"
#include "compute/io/nifti.h"
#include "compute/io/tsv.h"
#include "compute/sync/correlate.h"
#include "compute/sync/stats.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* Sorted names in @dir ending in @suffix (top level only). */
static GPtrArray *
list_suffix (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, suffix))
      g_ptr_array_add (out, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (out, compare_paths);
  return out;
}

static char *
derivatives_dir (const char *root)
{
  return g_build_filename (root, "derivatives", "syncact", NULL);
}

gboolean
sa_results_exist (const char *dataset_root)
{
  g_autofree char *dir = derivatives_dir (dataset_root);
  g_autoptr(GPtrArray) comps = list_suffix (dir, "_desc-FBN_components.nii.gz");

  return comps->len > 0;
}

/* "…/task-movie_run-1_model-x_layer-y_desc-fbn2filter_pairs.tsv" →
 * "…/task-movie_run-1_model-x_layer-y" */
static char *
strip_desc (const char *path)
{
  const char *desc = g_strrstr (path, "_desc-");

  return desc ? g_strndup (path, desc - path) : g_strdup (path);
}

/* The run key a file name starts with: what is before "_model-" or "_desc-". */
static char *
run_key_of (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *cut = strstr (base, "_model-");

  if (cut == NULL)
    cut = strstr (base, "_desc-");
  if (cut)
    *cut = '\0';
  return g_strdup (base);
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

static gboolean
parse_bool (const char *s)
{
  return g_ascii_strcasecmp (s, "true") == 0 || g_strcmp0 (s, "1") == 0;
}

static double
parse_double (const char *s)
{
  char *end = NULL;
  double v;

  if (s == NULL || g_strcmp0 (s, "n/a") == 0)
    return NAN;
  v = g_ascii_strtod (s, &end);
  return end != s ? v : NAN;
}

/* FBN column name → index in the mixing table's columns. */
static int
fbn_index (char **names,
           const char *name)
{
  for (int i = 0; names && names[i]; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

/* Reads a pairs table written by sa_pairs_write: one pair per FBN, plus the
 * labels. @fbn_labels/@filter_labels are filled where the table has them. */
static gboolean
read_pairs (const char  *path,
            char       **fbn_names,
            int          m,
            int          k,
            SaPair      *pairs,
            gboolean    *have,
            char       **fbn_labels,
            char       **filter_labels,
            GError     **error)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, error);
  int c_fbn, c_filter, c_r, c_p, c_pf, c_sig, c_fl, c_kl;

  if (tsv == NULL)
    return FALSE;
  c_fbn = sa_tsv_column (tsv, "fbn");
  c_filter = sa_tsv_column (tsv, "filter");
  c_r = sa_tsv_column (tsv, "r");
  c_p = sa_tsv_column (tsv, "p");
  c_pf = sa_tsv_column (tsv, "p_fwer");
  c_sig = sa_tsv_column (tsv, "significant");
  c_fl = sa_tsv_column (tsv, "fbn_label");
  c_kl = sa_tsv_column (tsv, "filter_label");
  if (c_fbn < 0 || c_filter < 0 || c_r < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                    _("not a pairs table: the columns fbn, filter and r are required"));
      return FALSE;
    }
  for (guint row = 0; row < tsv->rows->len; row++)
    {
      const char *name = sa_tsv_get (tsv, row, c_fbn);
      int i = fbn_index (fbn_names, name);
      char *end = NULL;
      gint64 filter = g_ascii_strtoll (sa_tsv_get (tsv, row, c_filter), &end, 10);

      if (i < 0 || i >= m)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        _("line %u: FBN %s is not a column of the time-course table"), row + 2, name);
          return FALSE;
        }
      if (end == NULL || *end != '\0' || filter < 0 || filter >= k)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, path,
                        _("line %u: filter %s is not one of the %d filters of the activations"),
                        row + 2, sa_tsv_get (tsv, row, c_filter), k);
          return FALSE;
        }
      pairs[i].fbn = i;
      pairs[i].filter = (int) filter;
      pairs[i].r = parse_double (sa_tsv_get (tsv, row, c_r));
      pairs[i].p = c_p >= 0 ? parse_double (sa_tsv_get (tsv, row, c_p)) : NAN;
      pairs[i].p_fwer = c_pf >= 0 ? parse_double (sa_tsv_get (tsv, row, c_pf)) : NAN;
      pairs[i].significant = c_sig >= 0 && parse_bool (sa_tsv_get (tsv, row, c_sig));
      have[i] = TRUE;
      if (c_fl >= 0 && g_strcmp0 (sa_tsv_get (tsv, row, c_fl), "n/a") != 0)
        g_free (fbn_labels[i]), fbn_labels[i] = g_strdup (sa_tsv_get (tsv, row, c_fl));
      if (c_kl >= 0 && g_strcmp0 (sa_tsv_get (tsv, row, c_kl), "n/a") != 0)
        g_free (filter_labels[filter]), filter_labels[filter] = g_strdup (sa_tsv_get (tsv, row, c_kl));
    }
  return TRUE;
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
 * (no frames shown) when the raw dataset cannot tell. */
static char *
find_movie (const char *root,
            const char *run_key)
{
  g_autoptr(SaBidsDataset) dataset = sa_bids_open (root, NULL);

  if (dataset == NULL)
    return NULL;
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (run->movie_path && g_strcmp0 (run->run_key, run_key) == 0)
        return g_strdup (run->movie_path);
    }
  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (run->movie_path)
        return g_strdup (run->movie_path);
    }
  return NULL;
}

/* How the FBNs in @components were made, from its JSON sidecar (written by
 * `syncact train`): "group ICA", "msa", "msa, ICA-rotated", "given maps". */
static char *
fbn_method_of (const char *components)
{
  g_autofree char *stem = g_strndup (components, strlen (components) - strlen (".nii.gz"));
  g_autofree char *sidecar = g_strconcat (stem, ".json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *method = NULL, *params = NULL;
  const char *arch = NULL, *rotation = NULL;

  if (!json_parser_load_from_file (parser, sidecar, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (root, "FBNMethod"))
    method = json_object_get_object_member (root, "FBNMethod");
  if (json_object_has_member (root, "Parameters"))
    params = json_object_get_object_member (root, "Parameters");
  if (params != NULL && json_object_has_member (params, "arch"))
    arch = json_object_get_string_member (params, "arch");
  if (method != NULL && json_object_has_member (method, "Rotation"))
    rotation = json_object_get_string_member (method, "Rotation");
  if (g_strcmp0 (arch, "ica") == 0)
    return g_strdup (_("group ICA"));
  if (g_strcmp0 (arch, "maps") == 0)
    return g_strdup (_("given maps"));
  if (arch == NULL)
    return NULL;
  if (g_strcmp0 (rotation, "ica") == 0)
    return g_strdup_printf (_("%s, ICA-rotated"), arch);
  return g_strdup (arch);
}

/* Number of pairs marked significant in a pairs table (0 when unreadable). */
static guint
count_significant (const char *path)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (path, NULL);
  int col;
  guint n = 0;

  if (tsv == NULL || (col = sa_tsv_column (tsv, "significant")) < 0)
    return 0;
  for (guint row = 0; row < tsv->rows->len; row++)
    n += g_strcmp0 (sa_tsv_get (tsv, row, col), "true") == 0;
  return n;
}

/* The run to show first: the one with the most significant pairs (a
 * control run, whose movie the brain did not see, has none), then name
 * order. Moves it to the front of @files. */
static void
put_most_significant_first (GPtrArray *files)
{
  guint best = 0, best_n = 0;

  for (guint i = 0; i < files->len; i++)
    {
      guint n = count_significant (g_ptr_array_index (files, i));
      if (n > best_n)
        best = i, best_n = n;
    }
  if (best > 0)
    {
      gpointer tmp = files->pdata[0];
      files->pdata[0] = files->pdata[best];
      files->pdata[best] = tmp;
    }
}

SaWorkbench *
sa_results_load (const char   *dataset_root,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autofree char *dir = derivatives_dir (dataset_root);
  g_autoptr(GPtrArray) comps = list_suffix (dir, "_desc-FBN_components.nii.gz");
  g_autoptr(GPtrArray) pair_files = list_suffix (dir, "_desc-fbn2filter_pairs.tsv");
  g_autoptr(GPtrArray) acts_files = list_suffix (dir, "_desc-activations_stim.h5");
  g_autofree char *pairs_path = NULL, *acts_path = NULL, *mixing_path = NULL, *run_key = NULL;
  g_autofree char *template_path = NULL, *movie_path = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(SaVolume) maps = NULL, anatomy = NULL;
  g_autoptr(SaCorrelation) corr = NULL;
  g_auto(GStrv) fbn_names = NULL, fbn_labels = NULL, filter_labels = NULL;
  g_autofree double *fbn_v = NULL, *acts_v = NULL, *fbn_rows = NULL, *acts_rows = NULL;
  g_autofree float *fbn_f = NULL, *acts_f = NULL, *r = NULL;
  g_autofree SaPair *pairs = NULL, *filter_pairs = NULL;
  g_autofree gboolean *have = NULL;
  g_autoptr(SaWorkbench) wb = NULL;
  int n_tr, m, a_tr, k, n_filter_pairs = 0;
  double tr;

  if (comps->len == 0)
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, dir,
                    _("no FBN components (*_desc-FBN_components.nii.gz): run `syncact run` on the dataset first"));
      return NULL;
    }

  /* The pairs table names the run, model and layer; the activations and
   * the mean mixing table of that run go with it. */
  put_most_significant_first (pair_files);
  if (pair_files->len > 0)
    {
      g_autofree char *stem = strip_desc (g_ptr_array_index (pair_files, 0));

      pairs_path = g_strdup (g_ptr_array_index (pair_files, 0));
      acts_path = g_strconcat (stem, "_desc-activations_stim.h5", NULL);
      run_key = run_key_of (pairs_path);
      /* `syncact pair --timeseries` names its tables after the time
       * courses only (no model, layer): then the run's activations. */
      if (!g_file_test (acts_path, G_FILE_TEST_EXISTS))
        for (guint i = 0; i < acts_files->len; i++)
          {
            g_autofree char *key = run_key_of (g_ptr_array_index (acts_files, i));

            if (g_str_equal (key, run_key))
              {
                g_free (acts_path);
                acts_path = g_strdup (g_ptr_array_index (acts_files, i));
                break;
              }
          }
    }
  else if (acts_files->len > 0)
    {
      acts_path = g_strdup (g_ptr_array_index (acts_files, 0));
      run_key = run_key_of (acts_path);
    }
  else
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, dir,
                    _("no filter activations (*_desc-activations_stim.h5): run `syncact run` on the dataset first"));
      return NULL;
    }
  mixing_path = g_strdup_printf ("%s/%s_desc-FBN_mixing.tsv", dir, run_key);

  if (!sa_tsv_read_matrix (mixing_path, &fbn_names, &n_tr, &m, &fbn_v, error))
    return NULL;
  acts = sa_activations_load (acts_path, error);
  if (acts == NULL || sa_check_cancelled (cancellable, error))
    return NULL;
  a_tr = acts->n_tr;
  k = acts->n_units;
  tr = acts->tr;
  if (!(tr > 0))
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, acts_path, _("no repetition time (tr) on /activations"));
      return NULL;
    }
  acts_v = g_new (double, (gsize) a_tr * k);
  for (gsize i = 0; i < (gsize) a_tr * k; i++)
    acts_v[i] = acts->data[i];
  fbn_rows = transpose (fbn_v, n_tr, m);
  acts_rows = transpose (acts_v, a_tr, k);
  corr = sa_correlation_compute (fbn_rows, m, n_tr, mixing_path, acts_rows, k, a_tr, acts_path, error);
  if (corr == NULL)
    return NULL;

  /* Pairs as written when there is a table; the argmax (parametric p) when
   * only the time courses are there, as `syncact figure` does. */
  pairs = g_new0 (SaPair, m);
  have = g_new0 (gboolean, m);
  fbn_labels = g_new0 (char *, m + 1);
  filter_labels = g_new0 (char *, k + 1);
  for (int i = 0; i < m; i++)
    fbn_labels[i] = g_strdup ("");
  for (int j = 0; j < k; j++)
    filter_labels[j] = g_strdup ("");
  if (pairs_path && !read_pairs (pairs_path, fbn_names, m, k, pairs, have, fbn_labels,
                                 filter_labels, error))
    return NULL;
  for (int i = 0; i < m; i++)
    if (!have[i])
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

  {
    g_autofree char *filter2fbn_path = sa_filter_pairs_path_for (pairs_path);

    filter_pairs = sa_filter_pairs_load (filter2fbn_path, fbn_names, corr, fbn_labels,
                                         filter_labels, &n_filter_pairs, error);
    if (filter_pairs == NULL)
      return NULL;
  }

  maps = sa_volume_load (g_ptr_array_index (comps, 0), NULL, cancellable, error);
  if (maps == NULL)
    return NULL;
  if (maps->nt != m)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, (const char *) g_ptr_array_index (comps, 0),
                    _("has %d volumes but %s has %d FBN columns"), maps->nt, mixing_path, m);
      return NULL;
    }
  template_path = g_build_filename (MRICRON_TEMPLATES, "ch2better.nii.gz", NULL);
  anatomy = sa_volume_load (template_path, NULL, cancellable, error);
  if (anatomy == NULL)
    return NULL;

  wb = sa_workbench_new ();
  {
    g_autofree char *method = fbn_method_of (g_ptr_array_index (comps, 0));
    sa_workbench_set_method (wb, method);
  }
  fbn_f = to_float (fbn_rows, (gsize) m * n_tr);
  acts_f = to_float (acts_rows, (gsize) k * a_tr);
  r = to_float (corr->r, (gsize) m * k);
  sa_workbench_set_anatomy (wb, anatomy->nx, anatomy->ny, anatomy->nz, anatomy->data,
                            (const double (*)[4]) anatomy->affine);
  sa_workbench_set_time_courses (wb, tr, n_tr, m, fbn_f, k, acts_f);
  sa_workbench_set_maps (wb, maps->nx, maps->ny, maps->nz, m, maps->data,
                         (const double (*)[4]) maps->affine);
  sa_workbench_set_correlations (wb, r);
  sa_workbench_set_pairs (wb, pairs, m);
  sa_workbench_set_filter_pairs (wb, filter_pairs, n_filter_pairs);
  sa_workbench_set_labels (wb, (const char *const *) fbn_labels, (const char *const *) filter_labels);

  /* One frame per TR, decoded once from the start; a movie that is gone
   * leaves the movie pane empty rather than the results unshown. */
  movie_path = find_movie (dataset_root, run_key);
  if (movie_path)
    {
      g_autoptr(SaMovie) movie = sa_movie_open (movie_path, error);
      const SaMovieInfo *info;
      FrameSink sink;
      double aspect;

      if (movie == NULL)
        return NULL;
      info = sa_movie_get_info (movie);
      aspect = (double) info->height / MAX (info->width, 1);

      /* One frame per TR is held in memory: a long movie gets smaller
       * frames, so the whole strip stays within SA_RESULTS_FRAME_BUDGET. */
      sink.width = SA_RESULTS_FRAME_WIDTH;
      while (sink.width > 32 &&
             (double) sink.width * sink.width * aspect * 3 * n_tr > SA_RESULTS_FRAME_BUDGET)
        sink.width -= 16;
      sink.height = MAX ((int) lround (sink.width * aspect), 1);
      sink.frames = g_malloc0 ((gsize) sink.width * sink.height * 3 * n_tr);
      if (!sa_movie_sample_tr (movie, tr, n_tr, sink.width, sink.height, SA_RESIZE_BILINEAR_AA,
                               keep_frame, &sink, NULL, cancellable, error))
        {
          g_free (sink.frames);
          return NULL;
        }
      sa_workbench_set_frames (wb, sink.width, sink.height, n_tr, sink.frames);
      sa_workbench_set_movie_path (wb, movie_path);
      g_free (sink.frames);
    }
  return g_steal_pointer (&wb);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SaWorkbench *wb = sa_results_load (task_data, cancellable, &error);

  if (wb)
    g_task_return_pointer (task, wb, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sa_results_load_async (const char          *dataset_root,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sa_results_load_async);
  /* The worker owns its copy of the path. */
  g_task_set_task_data (task, g_strdup (dataset_root), g_free);
  g_task_run_in_thread (task, load_thread);
}

SaWorkbench *
sa_results_load_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
