#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/error.h"
#include "compute/ann/activations.h"
#include "compute/annotate/fbn-labels.h"
#include "compute/io/tsv.h"
#include "compute/sync/pair-run.h"
#include "compute/sync/pairs-io.h"
#include "compute/sync/stats.h"

/* Time courses as n series of T samples, from a BIDS-style TSV (one row per
 * TR, one column per series). */
static double *
read_tsv_series (const char  *path,
                 char      ***names,
                 int         *n,
                 int         *t,
                 GError     **error)
{
  g_autofree double *v = NULL;
  double *rows;

  if (!sa_tsv_read_matrix (path, names, t, n, &v, error))
    return NULL;
  rows = g_new (double, (gsize) *n * *t);
  for (int i = 0; i < *t; i++)
    for (int j = 0; j < *n; j++)
      rows[(gsize) j * *t + i] = v[(gsize) i * *n + j];
  return rows;
}

static double *
read_activations (const char  *path,
                  int         *n_filters,
                  int         *n_times,
                  char       **model,
                  char       **layer,
                  GError     **error)
{
  g_autoptr(SaActivations) acts = NULL;
  double *rows;

  if (g_str_has_suffix (path, ".tsv"))
    return read_tsv_series (path, NULL, n_filters, n_times, error);
  if (!g_str_has_suffix (path, ".h5") && !g_str_has_suffix (path, ".hdf5"))
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, path,
                    _("activations must be an HDF5 cache (.h5) or a TSV (.tsv) with one column per filter"));
      return NULL;
    }
  acts = sa_activations_load (path, error);
  if (acts == NULL)
    return NULL;
  *n_times = acts->n_tr;
  *n_filters = acts->n_units;
  if (*model == NULL && acts->model != NULL)
    *model = g_strdup (acts->model);
  if (*layer == NULL && acts->layer != NULL)
    *layer = g_strdup (acts->layer);
  rows = g_new (double, (gsize) *n_filters * *n_times);
  for (int i = 0; i < *n_times; i++)
    for (int j = 0; j < *n_filters; j++)
      rows[(gsize) j * *n_times + i] = acts->data[(gsize) i * *n_filters + j];
  return rows;
}

/* "sub-01_task-movie_run-1_desc-FBN_mixing.tsv" → "sub-01_task-movie_run-1":
 * the BIDS entities of the input, so outputs sort beside it. */
static char *
output_prefix (const char *timeseries)
{
  g_autofree char *base = g_path_get_basename (timeseries);
  char *desc;

  if (g_str_has_suffix (base, ".tsv"))
    base[strlen (base) - 4] = '\0';
  if ((desc = strstr (base, "_desc-")) != NULL && desc != base)
    *desc = '\0';
  return g_strdup (base);
}

/* The run's identity for the tables: "task-movie_run-1" from a BIDS prefix
 * (the task is part of it: a dataset's control task has a run-1 too, and
 * summary.tsv keys its rows on this), or the run number alone when the name
 * has no task entity. */
static char *
run_entity (const char *prefix)
{
  const char *p = strstr (prefix, "run-");
  const char *task = strstr (prefix, "task-");

  if (p != NULL && p != prefix && p[-1] != '_')
    p = NULL;
  if (task != NULL && task != prefix && task[-1] != '_')
    task = NULL;
  if (task != NULL && p != NULL && p > task)
    return g_strndup (task, (p + 4 + strcspn (p + 4, "_")) - task);
  if (task != NULL)
    return g_strndup (task, strcspn (task, "_"));
  if (p == NULL)
    return NULL;
  return g_strndup (p + 4, strcspn (p + 4, "_"));
}

/* Per-subject FBN time courses (same columns as --timeseries), stacked
 * subject by subject for the noise ceiling. */
static double *
read_subjects (char       **paths,
               int          n_fbns,
               int          n_times,
               GError     **error)
{
  int n_sub = g_strv_length (paths);
  g_autofree double *all = g_new (double, (gsize) n_sub * n_fbns * n_times);

  for (int s = 0; s < n_sub; s++)
    {
      g_autofree double *rows = NULL;
      int n, t;

      rows = read_tsv_series (paths[s], NULL, &n, &t, error);
      if (rows == NULL)
        return NULL;
      if (n != n_fbns || t != n_times)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, paths[s],
                        _("%d FBNs × %d time points, but the group time courses have %d × %d"),
                        n, t, n_fbns, n_times);
          return NULL;
        }
      memcpy (all + (gsize) s * n_fbns * n_times, rows, sizeof (double) * n_fbns * n_times);
    }
  return g_steal_pointer (&all);
}

/* Keeps TRs @first… of each of the @n rows of @t values, in place. */
static void
drop_leading (double *rows,
              gsize   n,
              int     t,
              int     first)
{
  for (gsize j = 0; j < n; j++)
    memmove (rows + j * (t - first), rows + j * t + first, sizeof (double) * (t - first));
}

/* Paper Fig. 3: mean r of every model in summary.tsv against the user's
 * scores, written to model-comparison.tsv beside it. */
static gboolean
compare_models (const char          *summary_path,
                const char          *scores,
                const char          *out,
                const SaDirection   *dirs,
                int                  n_dirs,
                const SaPairsInfo   *info,
                const SaCorrelation *corr,
                GError             **error)
{
  const char *described[] = {
    "models", "Models with both a mean r in summary.tsv and a score",
    "slope", "Least-squares slope of mean r against score",
    "r_squared", "Coefficient of determination of the fit",
    "p", "Two-sided p of the slope (t test, models - 2 degrees of freedom)",
    "stderr", "Standard error of the slope",
    NULL
  };
  const char *cols[] = { "direction", "models", "slope", "intercept", "r_squared", "p", "stderr", NULL };
  g_autoptr(SaTsvWriter) w = sa_tsv_writer_new (cols);
  g_autofree char *path = g_build_filename (out, "model-comparison.tsv", NULL);

  for (int d = 0; d < n_dirs; d++)
    {
      g_auto(GStrv) models = NULL;
      g_autofree double *means = NULL;
      g_autofree char *warn1 = NULL, *warn2 = NULL;
      g_autofree char *n = NULL, *slope = NULL, *icpt = NULL, *r2 = NULL, *p = NULL, *se = NULL;
      SaLinearFit fit;
      int n_models;

      n_models = sa_summary_model_means (summary_path, dirs[d], &models, &means, &warn1, error);
      if (n_models < 0)
        return FALSE;
      if (warn1 != NULL)
        fprintf (stderr, "syncact pair: warning: %s\n", warn1);
      if (!sa_model_comparison ((const char *const *) models, means, n_models, scores,
                                &fit, &warn2, error))
        {
          /* A model named in the scores but never run is worth saying even
           * when there is nothing to fit yet. */
          if (warn2 != NULL && d == 0)
            {
              g_auto(GStrv) lines = g_strsplit (warn2, "\n", -1);
              for (int i = 0; lines[i] != NULL; i++)
                if (lines[i][0] != '\0')
                  fprintf (stderr, "syncact pair: warning: %s\n", lines[i]);
            }
          /* Models are often paired one run at a time: until three have
           * a score there is nothing to fit yet, which is not a failure. */
          if (g_error_matches (*error, SA_ERROR, SA_ERROR_MISMATCH))
            {
              fprintf (stderr, "syncact pair: warning: %s\n", (*error)->message);
              g_clear_error (error);
              return TRUE;
            }
          return FALSE;
        }
      if (warn2 != NULL && d == 0)
        {
          g_auto(GStrv) lines = g_strsplit (warn2, "\n", -1);
          for (int i = 0; lines[i] != NULL; i++)
            fprintf (stderr, "syncact pair: warning: %s\n", lines[i]);
        }
      n = g_strdup_printf ("%d", fit.n);
      slope = sa_tsv_format_double (fit.slope);
      icpt = sa_tsv_format_double (fit.intercept);
      r2 = sa_tsv_format_double (fit.r_squared);
      p = sa_tsv_format_double (fit.p);
      se = sa_tsv_format_double (fit.stderr_slope);
      {
        const char *row[] = { sa_direction_to_string (dirs[d]), n, slope, icpt, r2, p, se, NULL };
        sa_tsv_writer_add (w, row);
      }
      printf ("%s: mean r vs score over %d models: slope %.4g, R² %.3f, p %.3g\n",
              sa_direction_to_string (dirs[d]), fit.n, fit.slope, fit.r_squared, fit.p);
    }
  return sa_tsv_writer_save (w, path, error) &&
         sa_pairs_write_sidecar (path, "Mean Pearson r per model against a user-supplied score (Sync-ACT Fig. 3)",
                                 info, corr, described, error);
}

int
sa_cli_pair (int argc, char **argv)
{
  g_autofree char *timeseries = NULL, *activations = NULL, *out = NULL;
  g_autofree char *direction = NULL, *null_name = NULL, *labels_path = NULL;
  g_autofree char *model = NULL, *layer = NULL, *run = NULL, *prefix = NULL;
  g_autofree char *scores = NULL;
  g_autofree char *fbn_labels_path = NULL;
  g_auto(GStrv) fbn_labels = NULL;
  g_auto(GStrv) subjects = NULL;
  int surrogates = 1000, min_shift = 0, first_tr = 0;
  gint64 seed = 0;
  double alpha = 0.05;
  GOptionEntry entries[] = {
    { "timeseries", 0, 0, G_OPTION_ARG_FILENAME, &timeseries, N_("FBN time courses (TSV, one column per FBN)"), N_("FBN.tsv") },
    { "activations", 0, 0, G_OPTION_ARG_FILENAME, &activations, N_("Filter activations (HDF5 cache or TSV, one column per filter)"), N_("ACTS.h5") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, N_("Output folder"), N_("DIR") },
    { "direction", 0, 0, G_OPTION_ARG_STRING, &direction, N_("fbn2filter, filter2fbn or both (default)"), N_("DIR") },
    { "null", 0, 0, G_OPTION_ARG_STRING, &null_name, N_("Surrogate null: shift (default), phase or none"), N_("KIND") },
    { "surrogates", 0, 0, G_OPTION_ARG_INT, &surrogates, N_("Number of surrogates (default 1000)"), N_("N") },
    { "min-shift", 0, 0, G_OPTION_ARG_INT, &min_shift, N_("Smallest circular shift in TRs (default T/20)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 0)"), N_("K") },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &alpha, N_("Significance level (default 0.05)"), N_("A") },
    { "labels", 0, 0, G_OPTION_ARG_FILENAME, &labels_path, N_("Filter labels (CSV: filter or unit, label)"), N_("FILTERS.csv") },
    { "subject-timeseries", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &subjects, N_("Per-subject FBN time courses, for the noise ceiling (repeat)"), N_("FBN.tsv") },
    { "scores", 0, 0, G_OPTION_ARG_FILENAME, &scores, N_("Per-model scores (TSV: model, score) to fit mean r against, over summary.tsv"), N_("SCORES.tsv") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &model, N_("Model name for the tables"), N_("NAME") },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, N_("Layer name for the tables"), N_("NAME") },
    { "run", 0, 0, G_OPTION_ARG_STRING, &run, N_("Run for the tables (default: from the file name)"), N_("RUN") },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, N_("Output name prefix (default: from the time courses' file name)"), N_("NAME") },
    { "fbn-labels", 0, 0, G_OPTION_ARG_FILENAME, &fbn_labels_path, N_("FBN labels (TSV: fbn, label), e.g. from the atlases"), N_("FBNS.tsv") },
    { "first-tr", 0, 0, G_OPTION_ARG_INT, &first_tr, N_("Time-course row that matches the activations' first (default 0): the TRs before it, e.g. before the movie starts, are left out"), N_("N") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fbn_names = NULL;
  g_auto(GStrv) filter_labels = NULL;
  g_autofree double *fbns = NULL, *filters = NULL, *subject_fbns = NULL;
  g_autoptr(SaPairRun) result = NULL;
  const SaCorrelation *corr;
  g_autofree char *command = NULL;
  g_autofree char *summary_path = NULL;
  SaDirection dirs[2];
  int n_dirs = 0, m, T, K, KT;
  SaNullKind null_kind = SA_NULL_SHIFT;
  SaPairsInfo info = { 0, };
  const char *sources[5] = { NULL, };

  /* `pair DATASET --model M --layer L`: pairing on a trained embedding. */
  if (argc > 1 && argv[1][0] != '-')
    {
      gboolean direct = FALSE;

      for (int i = 1; i < argc; i++)
        direct = direct || g_str_has_prefix (argv[i], "--timeseries");
      if (!direct)
        return sa_cli_pair_dataset (argc, argv);
    }
  {
    g_autofree char *args = g_strjoinv (" ", argv + 1);
    command = g_strconcat ("syncact pair ", args, NULL);
  }
  if (!sa_cli_parse ("pair", _("[DATASET]"), entries, &argc, &argv))
    return 2;
  if (timeseries == NULL || activations == NULL)
    {
      fprintf (stderr, "syncact pair: %s\n",
               _("give a DATASET with --model and --layer, or --timeseries FBN.tsv and --activations ACTS.h5"));
      return 2;
    }
  if (out == NULL)
    {
      fprintf (stderr, "syncact pair: %s\n", _("give an output folder with --out DIR"));
      return 2;
    }
  if (direction == NULL || g_str_equal (direction, "both"))
    {
      dirs[n_dirs++] = SA_DIRECTION_FBN2FILTER;
      dirs[n_dirs++] = SA_DIRECTION_FILTER2FBN;
    }
  else if (sa_direction_from_string (direction, &dirs[0]))
    n_dirs = 1;
  else
    {
      fprintf (stderr, "syncact pair: %s\n", _("--direction must be fbn2filter, filter2fbn or both"));
      return 2;
    }
  if (null_name != NULL && !sa_null_kind_from_string (null_name, &null_kind))
    {
      fprintf (stderr, "syncact pair: %s\n", _("--null must be shift, phase or none"));
      return 2;
    }
  if (surrogates < 1 || !(alpha > 0.0 && alpha < 1.0) || seed < 0 || min_shift < 0 || first_tr < 0)
    {
      fprintf (stderr, "syncact pair: %s\n",
               _("--surrogates must be ≥ 1, --alpha in (0, 1), --seed, --min-shift and --first-tr ≥ 0"));
      return 2;
    }

  fbns = read_tsv_series (timeseries, &fbn_names, &m, &T, &error);
  if (fbns == NULL)
    return sa_cli_fail ("pair", error);
  filters = read_activations (activations, &K, &KT, &model, &layer, &error);
  if (filters == NULL)
    return sa_cli_fail ("pair", error);
  if (labels_path != NULL &&
      (filter_labels = sa_filter_labels_read (labels_path, K, &error)) == NULL)
    return sa_cli_fail ("pair", error);
  if (fbn_labels_path != NULL &&
      (fbn_labels = sa_fbn_labels_read (fbn_labels_path, (const char *const *) fbn_names, m,
                                        &error)) == NULL)
    return sa_cli_fail ("pair", error);
  if (subjects != NULL &&
      (subject_fbns = read_subjects (subjects, m, T, &error)) == NULL)
    return sa_cli_fail ("pair", error);
  if (first_tr > 0)
    {
      if (first_tr > T - 3)
        {
          sa_set_error (&error, SA_ERROR_ARGUMENT, timeseries,
                        _("%d time points: --first-tr %d leaves fewer than 3"), T, first_tr);
          return sa_cli_fail ("pair", error);
        }
      drop_leading (fbns, m, T, first_tr);
      if (subject_fbns != NULL)
        drop_leading (subject_fbns, (gsize) g_strv_length (subjects) * m, T, first_tr);
      T -= first_tr;
    }

  {
    g_autoptr(SaProgressBar) bar = null_kind != SA_NULL_NONE ? sa_progress_bar_new (_("Surrogate null")) : NULL;
    SaProgress progress = { bar ? sa_progress_bar_update : NULL, bar, 0.0, 1.0 };
    SaNullOptions opt = { null_kind, surrogates, (guint64) seed, min_shift };
    SaPairRunInput input = {
      fbns, m, T, timeseries, filters, K, KT, activations,
      subject_fbns, subjects ? (int) g_strv_length (subjects) : 0,
    };

    result = sa_pair_run_compute (&input, dirs, n_dirs, &opt, &progress, NULL, &error);
    if (bar != NULL)
      sa_progress_bar_finish (bar, result != NULL);
    if (result == NULL)
      return sa_cli_fail ("pair", error);
  }
  corr = result->corr;
  if (corr->n_excluded_fbns > 0)
    fprintf (stderr, _("syncact pair: warning: %s: %d constant FBN(s) left out\n"),
             timeseries, corr->n_excluded_fbns);
  if (corr->n_excluded_filters > 0)
    fprintf (stderr, _("syncact pair: warning: %s: %d constant filter(s) left out\n"),
             activations, corr->n_excluded_filters);

  if (prefix == NULL)
    prefix = output_prefix (timeseries);
  if (run == NULL)
    run = run_entity (prefix);
  info.model = model;
  info.layer = layer;
  info.run = run;
  info.fbn_names = (const char *const *) fbn_names;
  info.filter_labels = (const char *const *) filter_labels;
  info.fbn_labels = (const char *const *) fbn_labels;
  info.alpha = alpha;
  info.null_kind = null_kind;
  info.n_surrogates = surrogates;
  info.min_shift = result->null != NULL ? result->null->min_shift : 0;
  info.seed = (guint64) seed;
  info.command = command;
  sources[0] = timeseries;
  sources[1] = activations;
  sources[2] = labels_path != NULL ? labels_path : fbn_labels_path;
  sources[3] = labels_path != NULL ? fbn_labels_path : NULL;
  info.sources = sources;
  if (!sa_pair_run_write (result, &info, out, prefix, &error))
    return sa_cli_fail ("pair", error);
  summary_path = g_build_filename (out, "summary.tsv", NULL);

  if (scores != NULL && !compare_models (summary_path, scores, out, dirs, n_dirs, &info, corr, &error))
    return sa_cli_fail ("pair", error);

  for (int d = 0; d < n_dirs; d++)
    {
      SaPairingSummary s;

      sa_pairing_summarize (result->pairings[d], alpha, &s);
      printf ("%s: %d pairs, mean r %.4f, not significant: %.1f%% parametric",
              sa_direction_to_string (dirs[d]), s.n_pairs, s.mean_r, 100.0 * s.non_significant);
      if (!isnan (s.non_significant_fwer))
        printf (", %.1f%% family-wise (%s null)", 100.0 * s.non_significant_fwer,
                sa_null_kind_to_string (null_kind));
      printf ("\n");
    }
  return 0;
}
