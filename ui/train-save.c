/* train-save.c — derivatives and pairs of an embedding trained in the window */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ui/train-save.h"

#include "compute/ann/activations.h"
#include "compute/annotate/cross.h"
#include "compute/annotate/fbn-annotate.h"
#include "compute/annotate/fbn-labels.h"
#include "compute/embed/outputs.h"
#include "compute/error.h"
#include "compute/io/tsv.h"
#include "compute/sync/pair-run.h"

#define ACTS_SUFFIX "_desc-activations_stim.h5"

char *
sa_train_output_prefix (SaBidsDataset *dataset)
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

/* What `syncact run` would have called `syncact train` with, recorded as
 * `syncact train` records its own command line: a reader of the sidecar
 * can rerun it, and `syncact run` with these parameters reuses the result. */
static char *
train_command (const char           *root,
               const char           *out_dir,
               const SaEmbedOptions *options)
{
  g_autofree char *fbns = g_strdup_printf ("--fbns=%d", options->m);
  g_autofree char *epochs = g_strdup_printf ("--epochs=%d", options->epochs);
  g_autofree char *seed = g_strdup_printf ("--seed=%" G_GUINT64_FORMAT, options->seed);
  g_autofree char *out = g_strdup_printf ("--out=%s", out_dir);
  g_autofree char *arch = g_strdup_printf ("--arch=%s", sa_embed_arch_name (options->arch));
  const char *args[] = { root, fbns, epochs, seed, out, arch, NULL };
  GString *s = g_string_new ("syncact train");

  for (int i = 0; args[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (args[i]);

      g_string_append_printf (s, " %s", quoted);
    }
  return g_string_free (s, FALSE);
}

/* The pairing parameters the table being replaced was made with, so a
 * retrained embedding is tested as the user asked before. */
typedef struct {
  char       *model, *layer, *run;
  double      alpha;
  SaNullKind  null_kind;
  int         surrogates;
} PairParams;

static void
read_old_params (const char *sidecar,
                 PairParams *p)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *params;

  p->alpha = 0.05;
  p->null_kind = SA_NULL_SHIFT;
  p->surrogates = 1000;
  if (!json_parser_load_from_file (parser, sidecar, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "Parameters"))
    return;
  params = json_object_get_object_member (root, "Parameters");
  if (params == NULL)
    return;
  if (json_object_has_member (params, "Model"))
    p->model = g_strdup (json_object_get_string_member (params, "Model"));
  if (json_object_has_member (params, "Layer"))
    p->layer = g_strdup (json_object_get_string_member (params, "Layer"));
  if (json_object_has_member (params, "Run"))
    p->run = g_strdup (json_object_get_string_member (params, "Run"));
  if (json_object_has_member (params, "Alpha"))
    p->alpha = json_object_get_double_member (params, "Alpha");
  if (json_object_has_member (params, "Null"))
    sa_null_kind_from_string (json_object_get_string_member (params, "Null"), &p->null_kind);
  if (json_object_has_member (params, "Surrogates"))
    p->surrogates = (int) json_object_get_int_member (params, "Surrogates");
  if (!(p->alpha > 0 && p->alpha < 1))
    p->alpha = 0.05;
  if (p->surrogates < 1)
    p->surrogates = 1000;
  /* "n/a" is how the tables write an unknown. */
  if (g_strcmp0 (p->model, "n/a") == 0)
    g_clear_pointer (&p->model, g_free);
  if (g_strcmp0 (p->layer, "n/a") == 0)
    g_clear_pointer (&p->layer, g_free);
  if (g_strcmp0 (p->run, "n/a") == 0)
    g_clear_pointer (&p->run, g_free);
}

/* The filter labels the previous filter2fbn table carried (one row per
 * filter), or NULL when it had none. */
static char **
read_old_filter_labels (const char *table,
                        int         n_filters)
{
  g_autoptr(SaTsv) tsv = sa_tsv_read (table, NULL);
  g_auto(GStrv) labels = NULL;
  gboolean any = FALSE;
  int c_filter, c_label;

  if (tsv == NULL)
    return NULL;
  c_filter = sa_tsv_column (tsv, "filter");
  c_label = sa_tsv_column (tsv, "filter_label");
  if (c_filter < 0 || c_label < 0)
    return NULL;
  labels = g_new0 (char *, n_filters + 1);
  for (int k = 0; k < n_filters; k++)
    labels[k] = g_strdup ("n/a");
  for (guint row = 0; row < tsv->rows->len; row++)
    {
      gint64 k = g_ascii_strtoll (sa_tsv_get (tsv, row, c_filter), NULL, 10);
      const char *label = sa_tsv_get (tsv, row, c_label);

      if (k >= 0 && k < n_filters && label != NULL && g_strcmp0 (label, "n/a") != 0)
        {
          g_free (labels[k]);
          labels[k] = g_strdup (label);
          any = TRUE;
        }
    }
  return any ? g_steal_pointer (&labels) : NULL;
}

/* A T × m table as m rows of T. */
static double *
read_courses (const char  *path,
              char      ***names,
              int         *m,
              int         *t,
              GError     **error)
{
  g_autofree double *v = NULL;
  double *rows;

  if (!sa_tsv_read_matrix (path, names, t, m, &v, error))
    return NULL;
  rows = g_new (double, (gsize) *m * *t);
  for (int i = 0; i < *t; i++)
    for (int j = 0; j < *m; j++)
      rows[(gsize) j * *t + i] = v[(gsize) i * *m + j];
  return rows;
}

/* The test subjects' own courses of @run_key (m × T each, stacked), for
 * the noise ceiling; NULL when fewer than two (a split half needs two). */
static double *
read_subject_courses (const char    *out_dir,
                      SaEmbedResult *result,
                      const char    *run_key,
                      int            m,
                      int            t,
                      GPtrArray     *paths,
                      GError       **error)
{
  g_autofree double *all = NULL;

  for (guint i = 0; i < result->test->len; i++)
    {
      const char *sub = g_ptr_array_index (result->test, i);
      g_autofree char *path = g_strdup_printf ("%s/sub-%s/func/sub-%s_%s_desc-FBN_mixing.tsv",
                                               out_dir, sub, sub, run_key);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  if (paths->len < 2)
    return NULL;
  all = g_new (double, (gsize) paths->len * m * t);
  for (guint s = 0; s < paths->len; s++)
    {
      g_auto(GStrv) names = NULL;
      g_autofree double *rows = NULL;
      int sm, st;

      rows = read_courses (g_ptr_array_index (paths, s), &names, &sm, &st, error);
      if (rows == NULL)
        return NULL;
      if (sm != m || st < t)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, g_ptr_array_index (paths, s),
                        _("%d FBNs × %d time points, but the group time courses have %d × %d"),
                        sm, st, m, t);
          return NULL;
        }
      for (int j = 0; j < m; j++)
        memcpy (all + ((gsize) s * m + j) * t, rows + (gsize) j * st, sizeof (double) * t);
    }
  return g_steal_pointer (&all);
}

/* The pairs of one run × model × layer, from the new mean time courses and
 * the activations already extracted, as `syncact run` pairs them. */
static gboolean
pair_activations (SaBidsDataset        *dataset,
                  const char           *out_dir,
                  const char           *h5,
                  SaEmbedResult        *result,
                  const SaEmbedOptions *options,
                  const char           *fbn_labels_tsv,
                  const SaProgress     *progress,
                  GPtrArray            *warnings,
                  GError              **error)
{
  g_autofree char *base = g_path_get_basename (h5);
  g_autofree char *prefix = g_strndup (base, strlen (base) - strlen (ACTS_SUFFIX));
  g_autofree char *run_key = NULL, *mean = NULL, *old_json = NULL, *old_f2f = NULL;
  g_autofree char *command = NULL;
  g_autoptr(SaActivations) acts = NULL;
  g_autoptr(GPtrArray) subject_paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SaPairRun) run = NULL;
  g_auto(GStrv) fbn_names = NULL, fbn_labels = NULL, filter_labels = NULL;
  g_autofree double *fbns = NULL, *filters = NULL, *subjects = NULL;
  PairParams old = { 0 };
  SaDirection dirs[] = { SA_DIRECTION_FBN2FILTER, SA_DIRECTION_FILTER2FBN };
  const char *sources[4] = { NULL };
  SaPairsInfo info = { 0 };
  int m, t, k;
  char *cut;
  gboolean ok = FALSE;

  run_key = g_strdup (prefix);
  if ((cut = strstr (run_key, "_model-")) != NULL)
    *cut = '\0';
  mean = g_strdup_printf ("%s/%s_desc-FBN_mixing.tsv", out_dir, run_key);
  if (!g_file_test (mean, G_FILE_TEST_EXISTS))
    {
      if (warnings)
        g_ptr_array_add (warnings, g_strdup_printf (_("%s: no test subject has run %s, so it was not paired again"),
                                                    h5, run_key));
      return TRUE;
    }
  fbns = read_courses (mean, &fbn_names, &m, &t, error);
  if (fbns == NULL)
    return FALSE;
  acts = sa_activations_load (h5, error);
  if (acts == NULL)
    return FALSE;
  k = acts->n_units;
  filters = g_new (double, (gsize) k * acts->n_tr);
  for (int i = 0; i < acts->n_tr; i++)
    for (int j = 0; j < k; j++)
      filters[(gsize) j * acts->n_tr + i] = acts->data[(gsize) i * k + j];
  subjects = read_subject_courses (out_dir, result, run_key, m, t, subject_paths, error);
  if (subjects == NULL && subject_paths->len >= 2)
    return FALSE;
  if (fbn_labels_tsv != NULL
      && (fbn_labels = sa_fbn_labels_read (fbn_labels_tsv, (const char *const *) fbn_names, m,
                                           error)) == NULL)
    return FALSE;

  old_json = g_strdup_printf ("%s/%s_desc-fbn2filter_pairs.json", out_dir, prefix);
  old_f2f = g_strdup_printf ("%s/%s_desc-filter2fbn_pairs.tsv", out_dir, prefix);
  read_old_params (old_json, &old);
  filter_labels = read_old_filter_labels (old_f2f, k);

  {
    SaNullOptions null_options = { old.null_kind, old.surrogates, options->seed, 0 };
    SaPairRunInput input = {
      fbns, m, t, mean, filters, k, acts->n_tr, h5,
      subjects, subjects ? (int) subject_paths->len : 0,
    };

    run = sa_pair_run_compute (&input, dirs, G_N_ELEMENTS (dirs), &null_options, progress,
                               NULL, error);
    if (run == NULL)
      goto out;
  }

  {
    GString *s = g_string_new ("syncact pair");

    g_string_append_printf (s, " --timeseries=%s --activations=%s --out=%s --prefix=%s",
                            mean, h5, out_dir, prefix);
    g_string_append_printf (s, " --model=%s --layer=%s --run=%s",
                            old.model ? old.model : acts->model, old.layer ? old.layer : acts->layer,
                            old.run ? old.run : run_key);
    g_string_append_printf (s, " --seed=%" G_GUINT64_FORMAT " --surrogates=%d --alpha=%g --null=%s",
                            options->seed, old.surrogates, old.alpha,
                            sa_null_kind_to_string (old.null_kind));
    if (fbn_labels_tsv != NULL)
      g_string_append_printf (s, " --fbn-labels=%s", fbn_labels_tsv);
    for (guint i = 0; subjects && i < subject_paths->len; i++)
      g_string_append_printf (s, " --subject-timeseries=%s", (char *) g_ptr_array_index (subject_paths, i));
    command = g_string_free (s, FALSE);
  }
  info.model = old.model ? old.model : acts->model;
  info.layer = old.layer ? old.layer : acts->layer;
  info.run = old.run ? old.run : run_key;
  info.fbn_names = (const char *const *) fbn_names;
  info.fbn_labels = (const char *const *) fbn_labels;
  info.filter_labels = (const char *const *) filter_labels;
  info.alpha = old.alpha;
  info.null_kind = old.null_kind;
  info.n_surrogates = old.surrogates;
  info.min_shift = run->null != NULL ? run->null->min_shift : 0;
  info.seed = options->seed;
  info.command = command;
  sources[0] = mean;
  sources[1] = h5;
  sources[2] = fbn_labels_tsv;
  info.sources = sources;
  if (!sa_pair_run_write (run, &info, out_dir, prefix, error))
    goto out;

  /* The filter side of the pairs (top frames), as `syncact run` ends. */
  {
    g_autoptr(GPtrArray) runs = sa_bids_runs_for_key (dataset, run_key);
    g_autofree char *pairs = g_strdup_printf ("%s/%s_desc-fbn2filter_pairs.tsv", out_dir, prefix);
    g_autofree char *json = g_strdup_printf ("%s/%s_desc-crossannotation.json", out_dir, prefix);
    g_autofree char *frames = g_strdup_printf ("%s/frames/%s", out_dir, run_key);
    SaBidsRun *movie_run = NULL;
    g_autoptr(GError) local = NULL;

    for (guint i = 0; i < runs->len && movie_run == NULL; i++)
      if (((SaBidsRun *) g_ptr_array_index (runs, i))->movie_path != NULL)
        movie_run = g_ptr_array_index (runs, i);
    if (movie_run != NULL)
      {
        SaCrossOptions cross = {
          pairs, acts->data, acts->n_tr, acts->n_units, movie_run->movie_path, movie_run->tr,
          5, 128, 90, frames,
        };

        if (!sa_cross_annotation_write (&cross, json, NULL, &local) && warnings)
          g_ptr_array_add (warnings, g_strdup (local->message));
      }
  }
  ok = TRUE;

out:
  g_free (old.model);
  g_free (old.layer);
  g_free (old.run);
  return ok;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

gboolean
sa_train_save (SaBidsDataset        *dataset,
               const SaMask         *mask,
               const SaEmbedOptions *options,
               SaEmbedResult        *result,
               const SaProgress     *progress,
               GPtrArray            *warnings,
               GError              **error)
{
  g_autofree char *out_dir = sa_bids_derivatives_dir (dataset);
  g_autofree char *prefix = sa_train_output_prefix (dataset);
  g_autofree char *command = train_command (dataset->root, out_dir, options);
  g_autofree char *components = NULL, *atlas_tsv = NULL, *labels_tsv = NULL;
  g_autoptr(GPtrArray) h5s = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local = NULL;
  SaEmbedOutputs outputs = { 0 };
  const char *name;

  g_return_val_if_fail (dataset != NULL && mask != NULL && options != NULL && result != NULL, FALSE);

  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, out_dir, _("cannot create the output folder"));
      return FALSE;
    }
  sa_progress_report (progress, 0, _("Saving the FBNs"));
  components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", out_dir, prefix);
  outputs.out_dir = out_dir;
  outputs.prefix = prefix;
  outputs.options = options;
  outputs.dataset = dataset->root;
  outputs.command_line = command;
  outputs.tr = dataset->tr;
  if (!sa_embed_write_components (result->w, result->n_voxels, result->m, mask, components, error)
      || !sa_embed_write_outputs (&outputs, result, error))
    return FALSE;

  /* Atlas labels name the FBNs in the tables; without the atlases the
   * pairs go unlabelled, as in `syncact run`. */
  sa_progress_report (progress, 0.1, _("Labelling the FBNs"));
  atlas_tsv = g_strdup_printf ("%s/%s_desc-FBN_atlas.tsv", out_dir, prefix);
  labels_tsv = g_strdup_printf ("%s/%s_desc-FBN_labels.tsv", out_dir, prefix);
  if (!sa_annotate_fbns (components, NULL, 3, atlas_tsv, labels_tsv, &local))
    {
      if (warnings)
        g_ptr_array_add (warnings, g_strdup_printf (_("FBNs left without atlas labels: %s"),
                                                    local->message));
      g_clear_pointer (&labels_tsv, g_free);
    }

  dir = g_dir_open (out_dir, 0, error);
  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ACTS_SUFFIX))
      g_ptr_array_add (h5s, g_build_filename (out_dir, name, NULL));
  g_ptr_array_sort (h5s, compare_strings);
  for (guint i = 0; i < h5s->len; i++)
    {
      SaProgress sub = sa_progress_sub (progress, 0.2 + 0.8 * i / h5s->len,
                                        0.2 + 0.8 * (i + 1) / h5s->len);

      sa_progress_report (&sub, 0, _("Pairing with the surrogate null"));
      if (!pair_activations (dataset, out_dir, g_ptr_array_index (h5s, i), result, options,
                             labels_tsv, &sub, warnings, error))
        return FALSE;
    }
  return TRUE;
}
