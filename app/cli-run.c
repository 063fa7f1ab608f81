/* syncact run / syncact pair DATASET: the whole pipeline over a BIDS dataset.
 *
 * Each step's output is a file in the derivatives folder and the unit of work
 * (DESIGN §6): a step whose output is still valid for the same inputs and
 * parameters is reused, so a re-run, or a run after a cluster job array did
 * part of the work, only does what is missing or changed. The steps are the
 * `train`, `extract` and `pair` commands themselves, so their outputs are the
 * same whichever way a user gets them. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/progress-bar.h"
#include "compute/ann/extract.h"
#include "compute/annotate/atlas.h"
#include "compute/annotate/cross.h"
#include "compute/annotate/fbn-annotate.h"
#include "compute/error.h"
#include "compute/io/bids.h"

typedef struct {
  gboolean   train;        /* FALSE for `pair DATASET`: the embedding must exist */
  char      *model;
  char     **layers;
  int        fbns;
  char      *arch;
  char      *rotate;
  char      *maps;
  int        epochs;
  int        window;
  gint64     seed;
  char      *out;
  char      *device;
  char      *mask;
  char      *reduce;
  char      *size;
  char      *null_name;
  int        surrogates;
  double     alpha;
  char      *labels;
  char      *fbn_labels;
  char      *direction;
  char      *atlas_dir;
  char      *scores;
} RunOptions;

static void
run_options_clear (RunOptions *o)
{
  g_free (o->model);
  g_strfreev (o->layers);
  g_free (o->arch);
  g_free (o->rotate);
  g_free (o->maps);
  g_free (o->out);
  g_free (o->device);
  g_free (o->mask);
  g_free (o->reduce);
  g_free (o->size);
  g_free (o->null_name);
  g_free (o->labels);
  g_free (o->fbn_labels);
  g_free (o->direction);
  g_free (o->atlas_dir);
  g_free (o->scores);
}

/* Modification time in nanoseconds, -1 when missing: a step redone within
 * the second its dependants were written still counts as newer. */
static gint64
mtime_of (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (path == NULL)
    return -1;
  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_NSEC,
                            G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return -1;
  return (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * 1000000000
         + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_NSEC);
}

/* A BIDS entity value is alphanumeric: "builtin:democnn" → "democnn",
 * "resnet18.pt" → "resnet18", "features.10" → "features10". */
static char *
entity_value (const char *text,
              gboolean    strip_extension)
{
  g_autofree char *base = NULL;
  GString *s = g_string_new (NULL);
  const char *colon = strrchr (text, ':');
  char *dot;

  base = g_path_get_basename (colon != NULL ? colon + 1 : text);
  if (strip_extension && (dot = strrchr (base, '.')) != NULL && dot != base)
    *dot = '\0';
  for (const char *p = base; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, *p);
  if (s->len == 0)
    g_string_append (s, "x");
  return g_string_free (s, FALSE);
}

static char *
task_prefix (SaBidsDataset *dataset)
{
  const char *task = NULL;

  for (guint i = 0; i < dataset->runs->len; i++)
    {
      SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

      if (task != NULL && g_strcmp0 (task, run->task) != 0)
        return g_strdup ("group");
      task = run->task;
    }
  return task != NULL ? g_strdup_printf ("task-%s", task) : g_strdup ("group");
}

static gint64
json_int (JsonObject *o, const char *name)
{
  return o != NULL && json_object_has_member (o, name) ? json_object_get_int_member (o, name) : -1;
}

/* The trained embedding in @components is valid when its sidecar records the
 * same dataset and parameters, and no input run is newer than it. @why gets
 * what differs. */
static gboolean
embedding_valid (const RunOptions *o,
                 SaBidsDataset    *dataset,
                 const char       *components,
                 const char       *sidecar,
                 char            **why)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *params;
  gint64 made = mtime_of (components);
  const char *arch, *want_arch, *rotation, *maps_file;
  JsonObject *method;
  gboolean trained;

  if (made < 0 || !json_parser_load_from_file (parser, sidecar, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *why = g_strdup (_("no trained embedding yet"));
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  params = json_object_has_member (root, "Parameters")
           ? json_object_get_object_member (root, "Parameters") : NULL;
  arch = params != NULL && json_object_has_member (params, "arch")
         ? json_object_get_string_member (params, "arch") : NULL;
  method = json_object_has_member (root, "FBNMethod")
           ? json_object_get_object_member (root, "FBNMethod") : NULL;
  rotation = method != NULL && json_object_has_member (method, "Rotation")
             ? json_object_get_string_member (method, "Rotation") : "none";
  maps_file = method != NULL && json_object_has_member (method, "MapsFile")
              ? json_object_get_string_member (method, "MapsFile") : NULL;
  want_arch = o->maps != NULL ? "maps" : o->arch != NULL ? o->arch : "msa";
  /* Group ICA and given maps are not trained: epochs and windows do not apply. */
  trained = g_strcmp0 (want_arch, "ica") != 0 && g_strcmp0 (want_arch, "maps") != 0;
  if (g_strcmp0 (json_object_has_member (root, "Dataset")
                 ? json_object_get_string_member (root, "Dataset") : NULL, dataset->root) != 0)
    *why = g_strdup (_("trained on another dataset"));
  else if (g_strcmp0 (arch, want_arch) != 0)
    *why = g_strdup_printf (_("trained with --arch %s"), arch != NULL ? arch : "?");
  else if (g_strcmp0 (rotation, o->rotate != NULL ? o->rotate : "none") != 0)
    *why = g_strdup_printf (_("trained with --rotate %s"), rotation);
  else if (g_strcmp0 (maps_file, o->maps) != 0)
    *why = g_strdup_printf (_("made from --maps %s"), maps_file != NULL ? maps_file : "(none)");
  else if (o->maps == NULL && json_int (params, "fbns") != o->fbns)
    *why = g_strdup_printf (_("trained with --fbns %lld"), (long long) json_int (params, "fbns"));
  else if (trained && json_int (params, "epochs") != o->epochs)
    *why = g_strdup_printf (_("trained with --epochs %lld"), (long long) json_int (params, "epochs"));
  else if (json_int (params, "seed") != o->seed)
    *why = g_strdup_printf (_("trained with --seed %lld"), (long long) json_int (params, "seed"));
  else if (trained && o->window > 0 && json_int (params, "window") != o->window)
    *why = g_strdup_printf (_("trained with --window %lld"), (long long) json_int (params, "window"));
  else
    for (guint i = 0; i < dataset->runs->len && *why == NULL; i++)
      {
        SaBidsRun *run = g_ptr_array_index (dataset->runs, i);

        if (mtime_of (run->bold_path) > made)
          *why = g_strdup_printf (_("%s changed since training"), run->bold_path);
      }
  return *why == NULL;
}

/* Calls another command in this process, as if from the command line. */
static int
call_command (int (*func) (int, char **),
              GPtrArray *args)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (args, i));
  g_ptr_array_add (copy, NULL);
  /* GOption may reorder and remove entries of argv: hand it a copy. */
  return func ((int) args->len, (char **) copy->pdata);
}

static gboolean
step_train (const RunOptions *o,
            SaBidsDataset    *dataset,
            const char       *prefix,
            GError          **error)
{
  g_autofree char *components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", o->out, prefix);
  g_autofree char *sidecar = g_strdup_printf ("%s/%s_desc-FBN_components.json", o->out, prefix);
  g_autofree char *why = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);

  /* `pair DATASET` takes the embedding as it is, whatever its parameters. */
  if (!o->train && g_file_test (components, G_FILE_TEST_EXISTS)
      && g_file_test (sidecar, G_FILE_TEST_EXISTS))
    {
      printf (_("train: using %s\n"), components);
      return TRUE;
    }
  if (embedding_valid (o, dataset, components, sidecar, &why))
    {
      printf (_("train: reused %s\n"), components);
      return TRUE;
    }
  if (!o->train)
    {
      sa_set_error (error, SA_ERROR_NOT_FOUND, components,
                    _("%s; run “syncact train” (or “syncact run”) with these parameters first"), why);
      return FALSE;
    }
  printf (_("train: %s\n"), why);
  fflush (stdout);
  g_ptr_array_add (args, g_strdup ("train"));
  g_ptr_array_add (args, g_strdup (dataset->root));
  if (o->maps == NULL)
    g_ptr_array_add (args, g_strdup_printf ("--fbns=%d", o->fbns));
  g_ptr_array_add (args, g_strdup_printf ("--epochs=%d", o->epochs));
  g_ptr_array_add (args, g_strdup_printf ("--seed=%" G_GINT64_FORMAT, o->seed));
  g_ptr_array_add (args, g_strdup_printf ("--out=%s", o->out));
  if (o->arch != NULL && o->maps == NULL)
    g_ptr_array_add (args, g_strdup_printf ("--arch=%s", o->arch));
  if (o->rotate != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--rotate=%s", o->rotate));
  if (o->maps != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--maps=%s", o->maps));
  if (o->window > 0)
    g_ptr_array_add (args, g_strdup_printf ("--window=%d", o->window));
  if (o->device != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--device=%s", o->device));
  if (o->mask != NULL)
    g_ptr_array_add (args, g_strdup_printf ("--mask=%s", o->mask));
  if (call_command (sa_cli_train, args) != 0)
    {
      /* train has said why on stderr. */
      sa_set_error (error, SA_ERROR_FAILED, dataset->root, _("training failed"));
      return FALSE;
    }
  return TRUE;
}

/* The FBN side of cross-annotation: atlas regions per FBN, and one label
 * each for pairs.tsv. Without the atlases the pipeline goes on unlabelled. */
static void
step_annotate (RunOptions *o,
               const char *prefix,
               const char *name)
{
  g_autofree char *components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", o->out, prefix);
  g_autofree char *atlas_tsv = g_strdup_printf ("%s/%s_desc-FBN_atlas.tsv", o->out, prefix);
  g_autofree char *labels_tsv = g_strdup_printf ("%s/%s_desc-FBN_labels.tsv", o->out, prefix);
  g_autoptr(GError) error = NULL;

  if (o->fbn_labels != NULL)
    return;
  if (mtime_of (labels_tsv) >= mtime_of (components) && mtime_of (atlas_tsv) >= mtime_of (components))
    printf (_("annotate: reused %s\n"), atlas_tsv);
  else if (sa_annotate_fbns (components, o->atlas_dir, 3, atlas_tsv, labels_tsv, &error))
    printf (_("annotate: %s\n"), atlas_tsv);
  else
    {
      fprintf (stderr, _("syncact %s: warning: FBNs left without atlas labels: %s\n"), name,
               error->message);
      return;
    }
  o->fbn_labels = g_steal_pointer (&labels_tsv);
}

/* The run of @run_key that says which movie plays, and when. */
static SaBidsRun *
movie_run (SaBidsDataset *dataset,
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

static gboolean
step_extract (const RunOptions *o,
              SaBidsRun        *run,
              const char       *layer,
              const char       *h5,
              SaActivations   **out,
              GError          **error)
{
  g_autoptr(SaProgressBar) bar = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autofree char *label = NULL;
  SaExtractOptions opts;
  SaProgress progress;
  gboolean reused = FALSE;
  int n_tr = run->dims[3], movie_trs;

  sa_extract_options_init (&opts);
  opts.model = o->model;
  opts.layer = layer;
  opts.movie = run->movie_path;
  opts.tr = run->tr;
  opts.device = o->device;
  if ((o->reduce != NULL && !sa_reduce_parse (o->reduce, &opts.reduce, error))
      || (o->size != NULL && !sa_cli_parse_size (o->size, &opts.width, &opts.height, error)))
    return FALSE;
  if (run->movie_onset != 0)
    {
      sa_set_error (error, SA_ERROR_UNSUPPORTED, run->events_path,
                    _("the movie starts %g s into the run; only movies that start with the run are supported"),
                    run->movie_onset);
      return FALSE;
    }
  /* A movie that ends before the run would leave TRs without a frame. */
  movie_trs = sa_extract_count_trs (&opts, error);
  if (movie_trs < 0)
    return FALSE;
  if (movie_trs < n_tr)
    {
      sa_set_error (error, SA_ERROR_MISMATCH, run->movie_path,
                    _("the movie covers %d TRs of %g s, but %s has %d"),
                    movie_trs, run->tr, run->bold_path, n_tr);
      return FALSE;
    }
  opts.n_tr = n_tr;
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
static gboolean
step_cross (const RunOptions *o,
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

  if (mtime_of (json) >= mtime_of (pairs))
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

static gboolean
step_pair (const RunOptions *o,
           SaBidsDataset    *dataset,
           const char       *run_key,
           const char       *layer,
           const char       *h5,
           const char       *pairs_prefix,
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
  newest_input = MAX (MAX (mtime_of (mean), mtime_of (h5)),
                      MAX (mtime_of (o->labels), mtime_of (o->fbn_labels)));
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
          newest_input = MAX (newest_input, mtime_of (path));
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
      else if (reuse && mtime_of (path) < newest_input)
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
  if (call_command (sa_cli_pair, args) != 0)
    {
      sa_set_error (error, SA_ERROR_FAILED, mean, _("pairing failed"));
      return FALSE;
    }
  return TRUE;
}

static int
pipeline (RunOptions *o,
          int         argc,
          char      **argv,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SaBidsDataset) dataset = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *model_value = NULL;
  int step = 0, n_steps;

  if (argc != 2)
    {
      fprintf (stderr, "syncact %s: %s\n", name, _("give one dataset folder"));
      return 2;
    }
  if (o->model == NULL || o->layers == NULL || o->layers[0] == NULL)
    {
      fprintf (stderr, "syncact %s: %s\n", name, _("--model and --layer are required"));
      return 2;
    }
  if (o->fbns < 1 || o->epochs < 1 || o->seed < 0 || o->surrogates < 1
      || !(o->alpha > 0 && o->alpha < 1))
    {
      fprintf (stderr, "syncact %s: %s\n", name,
               _("--fbns, --epochs and --surrogates must be ≥ 1, --seed ≥ 0, --alpha in (0, 1)"));
      return 2;
    }
  dataset = sa_bids_open (argv[1], &error);
  if (dataset == NULL)
    return sa_cli_fail (name, error);
  for (guint i = 0; i < dataset->warnings->len; i++)
    fprintf (stderr, _("syncact %s: warning: %s\n"), name,
             (char *) g_ptr_array_index (dataset->warnings, i));
  if (o->out == NULL)
    o->out = sa_bids_derivatives_dir (dataset);
  if (g_mkdir_with_parents (o->out, 0755) != 0)
    {
      sa_set_error (&error, SA_ERROR_IO, o->out, _("cannot create the output folder"));
      return sa_cli_fail (name, error);
    }
  prefix = task_prefix (dataset);
  model_value = entity_value (o->model, TRUE);
  n_steps = 1 + (int) (dataset->run_keys->len * g_strv_length (o->layers));

  printf (_("[%d/%d] embedding\n"), ++step, n_steps);
  if (!step_train (o, dataset, prefix, &error))
    return sa_cli_fail (name, error);
  step_annotate (o, prefix, name);

  for (guint k = 0; k < dataset->run_keys->len; k++)
    {
      const char *run_key = g_ptr_array_index (dataset->run_keys, k);
      SaBidsRun *run = movie_run (dataset, run_key, &error);

      if (run == NULL)
        return sa_cli_fail (name, error);
      for (int l = 0; o->layers[l] != NULL; l++)
        {
          g_autofree char *layer_value = entity_value (o->layers[l], FALSE);
          g_autofree char *pairs_prefix = g_strdup_printf ("%s_model-%s_layer-%s", run_key,
                                                           model_value, layer_value);
          g_autofree char *h5 = g_strdup_printf ("%s/%s_desc-activations_stim.h5", o->out,
                                                 pairs_prefix);

          g_autoptr(SaActivations) acts = NULL;

          printf (_("[%d/%d] %s, %s %s\n"), ++step, n_steps, run_key, o->model, o->layers[l]);
          if (!step_extract (o, run, o->layers[l], h5, &acts, &error)
              || !step_pair (o, dataset, run_key, o->layers[l], h5, pairs_prefix, &error)
              || !step_cross (o, run, run_key, pairs_prefix, acts, &error))
            return sa_cli_fail (name, error);
        }
    }
  printf (_("summary: %s/summary.tsv\n"), o->out);
  return 0;
}

static int
run_command (const char *name,
             gboolean    train,
             int         argc,
             char      **argv)
{
  RunOptions o = { 0, };
  int status;

  o.train = train;
  o.fbns = 64;
  o.epochs = 100;
  o.surrogates = 1000;
  o.alpha = 0.05;
  {
    GOptionEntry entries[] = {
      { "model", 0, 0, G_OPTION_ARG_FILENAME, &o.model, N_("TorchScript file or builtin:democnn"), N_("MODEL") },
      { "layer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.layers, N_("Dotted module name (repeat for several)"), N_("LAYER") },
      { "fbns", 0, 0, G_OPTION_ARG_INT, &o.fbns, N_("Number of FBNs (default 64)"), "M" },
      { "arch", 0, 0, G_OPTION_ARG_STRING, &o.arch, N_("Embedding, as train takes it: lt, lstm, msa or ica (default msa)"), "ARCH" },
      { "rotate", 0, 0, G_OPTION_ARG_STRING, &o.rotate, N_("Rotate a trained embedding's maps: ica"), N_("HOW") },
      { "maps", 0, 0, G_OPTION_ARG_FILENAME, &o.maps, N_("Use these FBN maps (4D NIfTI) instead of training"), "FILE" },
      { "epochs", 0, 0, G_OPTION_ARG_INT, &o.epochs, N_("Training epochs (default 100)"), "E" },
      { "window", 0, 0, G_OPTION_ARG_INT, &o.window, N_("TRs per training window (default: the shortest run)"), "T" },
      { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed for training and surrogates (default 0)"), "K" },
      { "device", 0, 0, G_OPTION_ARG_STRING, &o.device, N_("cpu, cuda or auto (default auto)"), "DEV" },
      { "mask", 0, 0, G_OPTION_ARG_FILENAME, &o.mask, N_("Brain mask on the data's grid"), "FILE" },
      { "reduce", 0, 0, G_OPTION_ARG_STRING, &o.reduce, N_("max (default), mean or topk-mean"), N_("HOW") },
      { "size", 0, 0, G_OPTION_ARG_STRING, &o.size, N_("Frame size fed to the model (default 256x180)"), N_("WxH") },
      { "null", 0, 0, G_OPTION_ARG_STRING, &o.null_name, N_("Surrogate null: shift (default), phase or none"), N_("KIND") },
      { "surrogates", 0, 0, G_OPTION_ARG_INT, &o.surrogates, N_("Number of surrogates (default 1000)"), N_("N") },
      { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o.alpha, N_("Significance level (default 0.05)"), N_("A") },
      { "direction", 0, 0, G_OPTION_ARG_STRING, &o.direction, N_("fbn2filter, filter2fbn or both (default)"), N_("DIR") },
      { "labels", 0, 0, G_OPTION_ARG_FILENAME, &o.labels, N_("Filter labels (CSV: filter or unit, label)"), N_("FILTERS.csv") },
      { "fbn-labels", 0, 0, G_OPTION_ARG_FILENAME, &o.fbn_labels, N_("FBN labels (TSV: fbn, label)"), N_("FBNS.tsv") },
      { "scores", 0, 0, G_OPTION_ARG_FILENAME, &o.scores, N_("Per-model scores (TSV: model, score): mean r against them over summary.tsv"), N_("SCORES.tsv") },
      { "atlases", 0, 0, G_OPTION_ARG_FILENAME, &o.atlas_dir, "Folder of the atlases (default " SA_ATLAS_DIR ")", "DIR" },
      { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out, N_("Output folder (default DATASET/derivatives/syncact)"), "DIR" },
      { NULL }
    };

    if (!sa_cli_parse (name, _("DATASET"), entries, &argc, &argv))
      {
        run_options_clear (&o);
        return 2;
      }
  }
  status = pipeline (&o, argc, argv, name);
  run_options_clear (&o);
  return status;
}

int
sa_cli_pipeline (int argc, char **argv)
{
  return run_command ("run", TRUE, argc, argv);
}

int
sa_cli_pair_dataset (int argc, char **argv)
{
  return run_command ("pair", FALSE, argc, argv);
}
