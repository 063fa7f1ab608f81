/* syncact run, the per-run steps: activations of the run's movie, pairs,
 * and the filter side of cross-annotation. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/cli-run.h"
#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/ann/extract.h"
#include "compute/annotate/cross.h"
#include "compute/error.h"

/* The run of @run_key that says which movie plays, and when. */
SaBidsRun *
sa_run_movie_run (SaBidsDataset *dataset,
                  const char    *run_key,
                  GError       **error)
{
  g_autoptr(GPtrArray) runs = sa_bids_runs_for_key (dataset, run_key);

  for (guint i = 0; i < runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (runs, i);

      if (run->movie_path != NULL)
        return run;
    }
  if (runs->len > 0)
    {
      SaBidsRun *run = g_ptr_array_index (runs, 0);

      sa_set_error (error, SA_ERROR_NOT_FOUND,
                    run->events_path != NULL ? run->events_path : run->bold_path,
                    _("no movie for %s: an _events.tsv with a stim_file in stimuli/ says which"),
                    run_key);
    }
  else
    sa_set_error (error, SA_ERROR_NOT_FOUND, dataset->root, _("no run %s"), run_key);
  return NULL;
}

gboolean
sa_run_step_extract (const RunOptions *o,
                     SaBidsRun        *run,
                     const char       *layer,
                     const char       *h5,
                     int              *first_tr,
                     SaActivations   **out,
                     GError          **error)
{
  g_autoptr(SaProgressBar) bar = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autofree char *label = NULL;
  SaExtractOptions opts;
  SaProgress progress;
  gboolean reused = FALSE;
  int n_tr = run->dims[3], movie_trs, lead;

  sa_extract_options_init (&opts);
  opts.model = o->model;
  opts.layer = layer;
  opts.movie = run->movie_path;
  opts.tr = run->tr;
  opts.device = o->device;
  if ((o->reduce != NULL && !sa_reduce_parse (o->reduce, &opts.reduce, error))
      || (o->size != NULL && !sa_cli_parse_size (o->size, &opts.width, &opts.height, error)))
    return FALSE;
  /* TR i shows the frame at its end, (i + 1)·TR into the run: the movie's
   * frame at (i + 1)·TR − onset. A movie that starts `lead` whole TRs into
   * the run gives TR i the movie's TR i − lead; the TRs before it show no
   * movie and are left out of pairing (pair --first-tr). */
  if (run->movie_onset < 0)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, run->events_path,
                    _("the movie starts %g s before the run; it must start with the run or after"),
                    -run->movie_onset);
      return FALSE;
    }
  lead = (int) floor (run->movie_onset / run->tr + 0.5);
  /* Not a whole number of TRs: the nearest one, and say how far off the
   * frames are (the movie's TR grid is what the activation cache holds). */
  if (run->movie_onset - lead * run->tr > 1e-3)
    fprintf (stderr, _("syncact run: warning: %s: the movie starts %g s into the run, not a whole "
                       "number of TRs of %g s; from TR %d, each TR takes the movie's frame %.3g s "
                       "later than the one at its end\n"),
             run->events_path, run->movie_onset, run->tr, lead + 1,
             run->movie_onset - lead * run->tr);
  else if (lead * run->tr - run->movie_onset > 1e-3)
    fprintf (stderr, _("syncact run: warning: %s: the movie starts %g s into the run, not a whole "
                       "number of TRs of %g s; from TR %d, each TR takes the movie's frame %.3g s "
                       "earlier than the one at its end\n"),
             run->events_path, run->movie_onset, run->tr, lead + 1,
             lead * run->tr - run->movie_onset);
  if (n_tr - lead < 3)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, run->events_path,
                    _("the movie starts %g s into the run, which leaves %d of the %d TRs of %s"),
                    run->movie_onset, MAX (n_tr - lead, 0), n_tr, run->bold_path);
      return FALSE;
    }
  /* A movie that ends before the run would leave TRs without a frame. */
  movie_trs = sa_extract_count_trs (&opts, error);
  if (movie_trs < 0)
    return FALSE;
  if (movie_trs < n_tr - lead && lead == 0)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, run->movie_path,
                    _("the movie covers %d TRs of %g s, but %s has %d"),
                    movie_trs, run->tr, run->bold_path, n_tr);
      return FALSE;
    }
  if (movie_trs < n_tr - lead)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, run->movie_path,
                    _("the movie covers %d TRs of %g s, but %s has %d after the movie starts (at %g s)"),
                    movie_trs, run->tr, run->bold_path, n_tr - lead, run->movie_onset);
      return FALSE;
    }
  if (lead > 0)
    printf (_("extract: the movie starts at TR %d of %s: TRs 1–%d are left out of pairing\n"),
            lead + 1, run->run_key, lead);
  opts.n_tr = n_tr - lead;
  *first_tr = lead;
  label = g_strdup_printf (_("extract %s"), layer);
  bar = sa_progress_bar_new (label);
  progress = (SaProgress) { sa_progress_bar_update, bar, 0.0, 1.0 };
  acts = sa_extract_cached (&opts, h5, &reused, &progress, NULL, error);
  sa_progress_bar_finish (bar, acts != NULL);
  if (acts == NULL)
    return FALSE;
  printf (reused ? _("extract: reused %s\n") : _("extract: %s (%d TRs × %d filters)\n"),
          h5, acts->n_tr, acts->n_units);
  *out = g_steal_pointer (&acts);
  return TRUE;
}

/* The filter side and the cross-annotation JSON, for the pairs of the
 * fbn2filter table (each FBN's best filter), or filter2fbn when only that. */
gboolean
sa_run_step_cross (const RunOptions *o,
                   SaBidsRun        *run,
                   const char       *run_key,
                   const char       *pairs_prefix,
                   SaActivations    *acts,
                   GError          **error)
{
  const char *dir = g_strcmp0 (o->direction, "filter2fbn") == 0 ? "filter2fbn" : "fbn2filter";
  g_autofree char *pairs = g_strdup_printf ("%s/%s_desc-%s_pairs.tsv", o->out, pairs_prefix, dir);
  g_autofree char *json = g_strdup_printf ("%s/%s_desc-crossannotation.json", o->out, pairs_prefix);
  g_autofree char *frames = g_strdup_printf ("%s/frames/%s", o->out, run_key);
  SaCrossOptions cross = { 0, };

  if (sa_run_mtime_of (json) >= sa_run_mtime_of (pairs))
    {
      printf (_("annotate: reused %s\n"), json);
      return TRUE;
    }
  cross.pairs_tsv = pairs;
  cross.acts = acts->data;
  cross.n_tr = acts->n_tr;
  cross.n_units = acts->n_units;
  cross.movie = run->movie_path;
  cross.tr = run->tr;
  cross.top_k = 5;
  cross.width = 128;
  cross.height = 90;
  cross.frames_dir = frames;
  if (!sa_cross_annotation_write (&cross, json, NULL, error))
    return FALSE;
  printf (_("annotate: %s\n"), json);
  return TRUE;
}

static char *
pairs_sidecar_command (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *first;
  JsonArray *by;

  if (!json_parser_load_from_file (parser, path, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  /* BIDS provenance: GeneratedBy[0].Command. */
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "GeneratedBy"))
    return NULL;
  by = json_object_get_array_member (root, "GeneratedBy");
  if (by == NULL || json_array_get_length (by) == 0)
    return NULL;
  first = json_array_get_object_element (by, 0);
  return first != NULL && json_object_has_member (first, "Command")
         ? g_strdup (json_object_get_string_member (first, "Command")) : NULL;
}

gboolean
sa_run_step_pair (const RunOptions *o,
                  SaBidsDataset    *dataset,
                  const char       *run_key,
                  const char       *layer,
                  const char       *h5,
                  const char       *pairs_prefix,
                  int               first_tr,
                  GError          **error)
{
  g_autofree char *mean = g_strdup_printf ("%s/%s_desc-FBN_mixing.tsv", o->out, run_key);
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *command = NULL;
  const char *dirs[] = { "fbn2filter", "filter2fbn" };
  gboolean reuse = TRUE;
  const char *why = NULL;
  gint64 newest_input;

  if (!g_file_test (mean, G_FILE_TEST_EXISTS))
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, mean,
                    _("no FBN time courses for %s (the embedding writes them for the test subjects' runs)"),
                    run_key);
      return FALSE;
    }
  g_ptr_array_add (args, g_strdup ("pair"));
  g_ptr_array_add (args, g_strdup_printf ("--timeseries=%s", mean));
  g_ptr_array_add (args, g_strdup_printf ("--activations=%s", h5));
  g_ptr_array_add (args, g_strdup_printf ("--out=%s", o->out));
  g_ptr_array_add (args, g_strdup_printf ("--prefix=%s", pairs_prefix));
  g_ptr_array_add (args, g_strdup_printf ("--model=%s", o->model));
  g_ptr_array_add (args, g_strdup_printf ("--layer=%s", layer));
  g_ptr_array_add (args, g_strdup_printf ("--run=%s", run_key));
  g_ptr_array_add (args, g_strdup_printf ("--seed=%" G_GINT64_FORMAT, o->seed));
  g_ptr_array_add (args, g_strdup_printf ("--surrogates=%d", o->surrogates));
  g_ptr_array_add (args, g_strdup_printf ("--alpha=%g", o->alpha));
  if (o->null_name != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--null=%s", o->null_name));
  if (o->direction != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--direction=%s", o->direction));
  if (o->labels != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--labels=%s", o->labels));
  if (o->fbn_labels != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--fbn-labels=%s", o->fbn_labels));
  if (o->scores != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--scores=%s", o->scores));
  if (first_tr > 0)
    g_ptr_array_add (args, g_strdup_printf ("--first-tr=%d", first_tr));
  newest_input = MAX (MAX (sa_run_mtime_of (mean), sa_run_mtime_of (h5)),
                      MAX (sa_run_mtime_of (o->labels), sa_run_mtime_of (o->fbn_labels)));
  /* The test subjects' own time courses give each FBN's noise ceiling; a
   * split-half ceiling needs two of them, so with one it is left out. */
  {
    g_autoptr(GPtrArray) subject_courses = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < dataset->subjects->len; i++)
      {
        const char *sub = g_ptr_array_index (dataset->subjects, i);
        g_autofree char *path = g_strdup_printf ("%s/sub-%s/func/sub-%s_%s_desc-FBN_mixing.tsv",
                                                 o->out, sub, sub, run_key);

        if (g_file_test (path, G_FILE_TEST_EXISTS))
          g_ptr_array_add (subject_courses, g_steal_pointer (&path));
      }
    if (subject_courses->len >= 2)
      for (guint i = 0; i < subject_courses->len; i++)
        {
          const char *path = g_ptr_array_index (subject_courses, i);
          g_ptr_array_add (args, g_strdup_printf ("--subject-timeseries=%s", path));
          newest_input = MAX (newest_input, sa_run_mtime_of (path));
        }
    else
      fprintf (stderr, _("syncact run: %s: one test subject, so no noise ceiling "
                         "(a split-half ceiling needs two)\n"), run_key);
  }

  /* Same command (so same inputs and parameters) and no input newer than the
   * pairs: nothing to redo. pair records "syncact pair ARGS…". */
  {
    GString *s = g_string_new ("syncact pair");

    for (guint i = 1; i < args->len; i++)
      g_string_append_printf (s, " %s", (char *) g_ptr_array_index (args, i));
    command = g_string_free (s, FALSE);
  }
  for (int d = 0; d < 2; d++)
    {
      g_autofree char *path = NULL, *json = NULL, *recorded = NULL;

      if (o->direction != NULL && g_strcmp0 (o->direction, "both") != 0
          && g_strcmp0 (o->direction, dirs[d]) != 0)
        continue;
      path = g_strdup_printf ("%s/%s_desc-%s_pairs.tsv", o->out, pairs_prefix, dirs[d]);
      json = g_strdup_printf ("%s/%s_desc-%s_pairs.json", o->out, pairs_prefix, dirs[d]);
      recorded = pairs_sidecar_command (json);
      if (reuse && recorded == NULL)
        why = _("no pairs yet");
      else if (reuse && g_strcmp0 (recorded, command) != 0)
        why = _("parameters changed");
      else if (reuse && sa_run_mtime_of (path) < newest_input)
        why = _("inputs changed");
      if (why != NULL && reuse)
        {
          g_debug ("pairs %s: recorded “%s”, now “%s”", path, recorded, command);
          reuse = FALSE;
        }
    }
  if (reuse)
    {
      printf (_("pair: reused %s/%s_desc-*_pairs.tsv\n"), o->out, pairs_prefix);
      return TRUE;
    }
  printf ("pair: %s\n", why);
  fflush (stdout);
  if (sa_run_call_command (sa_cli_pair, args) != 0)
    {
      sa_set_error (error, SA_ERROR_FAILED, mean, _("pairing failed"));
      return FALSE;
    }
  return TRUE;
}
