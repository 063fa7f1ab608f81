#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/train-ica.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/embed/dual-regression.h"
#include "compute/embed/group-ica.h"
#include "compute/embed/ica-embed.h"
#include "compute/embed/maps-file.h"
#include "compute/error.h"

const char *
sa_fbn_method_name (SaFbnMethod method)
{
  switch (method)
    {
    case SA_FBN_METHOD_GROUP_ICA:
      return "ica";
    case SA_FBN_METHOD_MAPS:
      return "maps";
    case SA_FBN_METHOD_AUTOENCODER:
    default:
      return "autoencoder";
    }
}

void
sa_fbn_run_free (SaFbnRun *run)
{
  if (run == NULL)
    return;
  g_free (run->maps_path);
  sa_embed_result_free (run->result);
  sa_embed_result_free (run->unrotated);
  g_free (run);
}

static GPtrArray *
subject_names (SaEmbedSource *source,
               GArray        *indices)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < indices->len; i++)
    g_ptr_array_add (names, g_strdup (sa_embed_source_subject (source,
                                                               g_array_index (indices, guint, i))));
  return names;
}

static GArray *
subject_indices (SaEmbedSource *source,
                 GPtrArray     *names)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < names->len; i++)
    {
      guint s = (guint) sa_embed_source_find_subject (source, g_ptr_array_index (names, i));

      g_array_append_val (out, s);
    }
  return out;
}

/* A result with no training behind it: maps, split and test courses. */
static SaEmbedResult *
result_from_maps (SaEmbedSource        *source,
                  const SaEmbedOptions *options,
                  float                *maps,
                  int                   m,
                  GArray               *train,
                  GArray               *val,
                  GArray               *test,
                  const SaProgress     *progress,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(SaEmbedResult) result = g_new0 (SaEmbedResult, 1);

  result->n_voxels = sa_embed_source_n_voxels (source);
  result->m = m;
  result->arch = options->arch;
  result->w = maps;
  result->best_val_loss = NAN;
  result->test_r2 = NAN;
  result->train_loss = g_array_new (FALSE, FALSE, sizeof (double));
  result->val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  result->train = subject_names (source, train);
  result->val = subject_names (source, val);
  result->test = subject_names (source, test);
  result->device = g_strdup ("cpu");
  result->courses = sa_dual_regression_source (maps, m, source, test, progress, cancellable,
                                               error);
  if (result->courses == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

static SaFbnRun *
train_group_ica (SaEmbedSource        *source,
                 const SaEmbedOptions *options,
                 SaFbnRun             *run,
                 const SaProgress     *progress,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(GArray) train = NULL, val = NULL, test = NULL, fit = NULL;
  g_autoptr(SaGroupIca) ica = NULL;
  SaGroupIcaParams params;
  SaProgress sub;

  if (!sa_embed_split (source, options, &train, &val, &test, error))
    return NULL;
  fit = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_vals (fit, train->data, train->len);
  g_array_append_vals (fit, val->data, val->len);

  sa_group_ica_params_init (&params);
  params.n_components = options->m;
  params.ica.seed = options->seed;
  sub = sa_progress_sub (progress, 0.0, 0.8);
  ica = sa_group_ica_run_source (source, fit, &params, &sub, cancellable, error);
  if (ica == NULL)
    return NULL;
  run->has_ica = TRUE;
  run->ica = ica->ica;
  run->explained = ica->explained;
  sub = sa_progress_sub (progress, 0.8, 1.0);
  run->result = result_from_maps (source, options, g_steal_pointer (&ica->maps), options->m,
                                  train, val, test, &sub, cancellable, error);
  return run->result != NULL ? run : NULL;
}

static SaFbnRun *
train_maps (SaEmbedSource        *source,
            const SaEmbedOptions *options,
            const SaFbnChoice    *choice,
            SaFbnRun             *run,
            const SaProgress     *progress,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(GArray) train = NULL, val = NULL, test = NULL;
  g_autofree float *maps = NULL;
  int m = 0;

  if (choice->maps_path == NULL || choice->mask == NULL)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL, _("--maps needs a file and the data's mask"));
      return NULL;
    }
  if (!sa_embed_split (source, options, &train, &val, &test, error))
    return NULL;
  maps = sa_fbn_maps_load (choice->maps_path, choice->mask, &m, cancellable, error);
  if (maps == NULL)
    return NULL;
  if (choice->mask->n_in != sa_embed_source_n_voxels (source))
    {
      sa_set_error (error, SA_ERROR_MISMATCH, choice->maps_path,
                    "the mask holds %" G_GINT64_FORMAT " voxels, the data %" G_GINT64_FORMAT,
                    choice->mask->n_in, sa_embed_source_n_voxels (source));
      return NULL;
    }
  run->result = result_from_maps (source, options, g_steal_pointer (&maps), m, train, val, test,
                                  progress, cancellable, error);
  if (run->result == NULL)
    {
      /* Dependent maps fail in dual regression; say which file holds them. */
      if (error != NULL && *error != NULL && strstr ((*error)->message, choice->maps_path) == NULL)
        g_prefix_error (error, "%s: ", choice->maps_path);
      return NULL;
    }
  return run;
}

/* W's columns are the encoder's filters (unmixing), not the networks'
 * spatial patterns: with correlated noise a filter is no blob, and ICA on
 * filters mixes networks. The patterns are what dual regression's stage 2
 * gives: each fitting run regressed on its stage-1 courses onto W; their
 * mean over runs is what gets rotated. Same span as W's courses see. */
static float *
group_patterns (SaEmbedSource  *source,
                const float    *w,
                int             m,
                GPtrArray      *subjects,
                GCancellable   *cancellable,
                GError        **error)
{
  gint64 n = sa_embed_source_n_voxels (source);
  g_autoptr(SaDualRegression) dr = sa_dual_regression_new (w, n, m, error);
  g_autofree float *sum = NULL;
  g_autofree float *maps = NULL;
  int runs = 0;

  if (dr == NULL)
    return NULL;
  sum = g_new0 (float, (gsize) n * m);
  maps = g_new (float, (gsize) n * m);
  for (guint i = 0; i < subjects->len; i++)
    {
      int s = sa_embed_source_find_subject (source, g_ptr_array_index (subjects, i));

      for (guint r = 0; s >= 0 && r < sa_embed_source_n_runs (source, s); r++)
        {
          const SaEmbedRun *run = sa_embed_source_run (source, s, r);
          g_autofree float *courses = g_new (float, (gsize) run->n_timepoints * m);
          const float *data;
          gboolean ok;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          data = sa_embed_source_acquire (source, s, r, error);
          if (data == NULL)
            return NULL;
          sa_dual_regression_stage1 (dr, data, run->n_timepoints, courses);
          ok = sa_dual_regression_stage2 (data, run->n_timepoints, n, courses, m, FALSE, maps,
                                          error);
          sa_embed_source_release (source, s, r);
          if (!ok)
            return NULL;
          for (gint64 v = 0; v < n * m; v++)
            sum[v] += maps[v];
          runs++;
        }
    }
  for (gint64 v = 0; v < n * m && runs > 0; v++)
    sum[v] /= runs;
  return g_steal_pointer (&sum);
}

static SaFbnRun *
train_autoencoder (SaEmbedSource        *source,
                   const SaEmbedOptions *options,
                   const SaFbnChoice    *choice,
                   SaFbnRun             *run,
                   const SaProgress     *progress,
                   GCancellable         *cancellable,
                   GError              **error)
{
  g_autoptr(SaEmbedResult) trained = NULL;
  g_autoptr(SaEmbedResult) rotated = NULL;
  g_autoptr(GArray) test = NULL;
  SaFastIcaParams params;
  SaProgress sub;
  gint64 n;

  sub = sa_progress_sub (progress, 0.0, choice->rotate_ica ? 0.9 : 1.0);
  trained = sa_embed_train (source, options, &sub, cancellable, error);
  if (trained == NULL)
    return NULL;
  if (!choice->rotate_ica)
    {
      run->result = g_steal_pointer (&trained);
      return run;
    }

  n = trained->n_voxels;
  rotated = g_new0 (SaEmbedResult, 1);
  *rotated = *trained;
  rotated->w = g_new (float, (gsize) n * trained->m);
  rotated->train_loss = g_array_ref (trained->train_loss);
  rotated->val_loss = g_array_ref (trained->val_loss);
  rotated->train = g_ptr_array_ref (trained->train);
  rotated->val = g_ptr_array_ref (trained->val);
  rotated->test = g_ptr_array_ref (trained->test);
  rotated->device = g_strdup (trained->device);
  rotated->model = NULL;
  rotated->courses = NULL;
  /* The encoder's reconstruction R² belongs to the unrotated set. */
  rotated->test_r2 = NAN;

  sa_fastica_params_init (&params);
  params.seed = options->seed;
  {
    g_autoptr(GPtrArray) fit = g_ptr_array_new ();
    g_autofree float *patterns = NULL;

    for (guint i = 0; i < trained->train->len; i++)
      g_ptr_array_add (fit, g_ptr_array_index (trained->train, i));
    for (guint i = 0; i < trained->val->len; i++)
      g_ptr_array_add (fit, g_ptr_array_index (trained->val, i));
    patterns = group_patterns (source, trained->w, trained->m, fit, cancellable, error);
    if (patterns == NULL
        || !sa_ica_rotate_maps (patterns, n, trained->m, &params, rotated->w, &run->ica,
                                cancellable, error))
      return NULL;
  }
  run->has_ica = TRUE;
  run->rotated = TRUE;
  test = subject_indices (source, trained->test);
  sub = sa_progress_sub (progress, 0.9, 1.0);
  rotated->courses = sa_dual_regression_source (rotated->w, trained->m, source, test, &sub,
                                                cancellable, error);
  if (rotated->courses == NULL)
    return NULL;
  run->result = g_steal_pointer (&rotated);
  run->unrotated = g_steal_pointer (&trained);
  return run;
}

SaFbnRun *
sa_fbn_train (SaEmbedSource        *source,
              const SaEmbedOptions *options,
              const SaFbnChoice    *choice,
              const SaProgress     *progress,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr(SaFbnRun) run = g_new0 (SaFbnRun, 1);
  SaFbnRun *done = NULL;

  run->method = choice->method;
  run->maps_path = g_strdup (choice->maps_path);
  run->explained = NAN;
  if (choice->rotate_ica && choice->method != SA_FBN_METHOD_AUTOENCODER)
    {
      sa_set_error (error, SA_ERROR_ARGUMENT, NULL,
                    _("--rotate ica applies to the autoencoder (lt, lstm, msa), not to %s"),
                    sa_fbn_method_name (choice->method));
      return NULL;
    }
  switch (choice->method)
    {
    case SA_FBN_METHOD_GROUP_ICA:
      done = train_group_ica (source, options, run, progress, cancellable, error);
      break;
    case SA_FBN_METHOD_MAPS:
      done = train_maps (source, options, choice, run, progress, cancellable, error);
      break;
    case SA_FBN_METHOD_AUTOENCODER:
    default:
      done = train_autoencoder (source, options, choice, run, progress, cancellable, error);
      break;
    }
  return done != NULL ? g_steal_pointer (&run) : NULL;
}

/* ---- outputs ---------------------------------------------------------- */

static char *
components_path (const SaEmbedOutputs *outputs,
                 const char           *desc)
{
  g_autofree char *name = g_strdup_printf ("%s_desc-%s_components.nii.gz",
                                           outputs->prefix != NULL ? outputs->prefix : "group",
                                           desc);

  return g_build_filename (outputs->out_dir, name, NULL);
}

static gboolean
write_set (const SaEmbedOutputs *outputs,
           SaEmbedResult        *result,
           const SaMask         *mask,
           GError              **error)
{
  g_autofree char *path = components_path (outputs, "FBN");

  return sa_embed_write_components (result->w, result->n_voxels, result->m, mask, path, error)
         && sa_embed_write_outputs (outputs, result, error);
}

/* Moves every file under @from (a scratch folder) to the same place under
 * @to, "_desc-FBN_" renamed "_desc-FBNunrotated_"; the sidecar (.json
 * beside the components) last, as it marks the set complete. Whatever
 * files outputs.c writes, they all follow. */
static gboolean
move_renamed (const char  *from,
              const char  *to,
              GPtrArray   *sidecars,
              GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  if (dir == NULL)
    return TRUE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *renamed = NULL;
      g_autofree char *dst = NULL;
      g_auto(GStrv) parts = NULL;

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *sub = g_build_filename (to, name, NULL);

          if (g_mkdir_with_parents (sub, 0755) != 0)
            {
              sa_set_error (error, SA_ERROR_IO, sub, _("cannot create folder: %s"),
                            g_strerror (errno));
              return FALSE;
            }
          if (!move_renamed (src, sub, sidecars, error))
            return FALSE;
          g_rmdir (src);
          continue;
        }
      if (strcmp (name, "dataset_description.json") == 0)
        {
          g_unlink (src);
          continue;
        }
      parts = g_strsplit (name, "_desc-FBN_", -1);
      renamed = g_strjoinv ("_desc-FBNunrotated_", parts);
      dst = g_build_filename (to, renamed, NULL);
      if (g_str_has_suffix (name, "_components.json"))
        {
          g_ptr_array_add (sidecars, g_strdup (src));
          g_ptr_array_add (sidecars, g_steal_pointer (&dst));
          continue;
        }
      if (g_rename (src, dst) != 0)
        {
          sa_set_error (error, SA_ERROR_IO, dst, _("cannot move the unrotated output here: %s"),
                        g_strerror (errno));
          return FALSE;
        }
    }
  return TRUE;
}

static void
set_string (JsonObject *o, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (o, name, value);
  else
    json_object_set_null_member (o, name);
}

/* Adds "FBNMethod" to the sidecar at @path (written by outputs.c). */
static gboolean
annotate_sidecar (const char           *path,
                  const SaEmbedOutputs *outputs,
                  const SaFbnRun       *run,
                  gboolean              unrotated_set,
                  GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  JsonObject *root, *params, *method;
  const SaEmbedResult *r = unrotated_set ? run->unrotated : run->result;
  gboolean trained = run->method == SA_FBN_METHOD_AUTOENCODER;

  if (!json_parser_load_from_file (parser, path, &local)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot read back the sidecar: %s"),
                    local != NULL ? local->message : "not a JSON object");
      return FALSE;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  params = json_object_has_member (root, "Parameters")
           ? json_object_get_object_member (root, "Parameters") : NULL;

  if (!trained)
    {
      static const char *const training_only[] = {
        "heads", "epochs", "window", "batch", "optimizer", "lr", "betas", "l1", NULL
      };
      static const char *const training_results[] = {
        "Losses", "BestEpoch", "BestValidationLoss", "ResumedFromEpoch",
        "TestReconstructionR2", NULL
      };

      for (int i = 0; params != NULL && training_only[i] != NULL; i++)
        if (json_object_has_member (params, training_only[i]))
          json_object_remove_member (params, training_only[i]);
      for (int i = 0; training_results[i] != NULL; i++)
        if (json_object_has_member (root, training_results[i]))
          json_object_remove_member (root, training_results[i]);
      if (params != NULL)
        json_object_set_string_member (params, "arch", sa_fbn_method_name (run->method));
      json_object_set_string_member (root, "Description",
                                     run->method == SA_FBN_METHOD_GROUP_ICA
                                     ? "Spatial group ICA (MELODIC / CanICA recipe: per-run PCA, "
                                       "MIGP group PCA, FastICA logcosh) as FBN spatial maps; "
                                       "time courses by dual regression (stage 1)"
                                     : "FBN spatial maps from a user's file; time courses by "
                                       "dual regression (stage 1)");
    }
  else if (run->rotated && !unrotated_set)
    json_object_set_string_member (root, "Description",
                                   "Sync-ACT fMRI embedding (Zhao et al. 2022) with its FBN "
                                   "maps (W's columns) rotated to spatial independence by "
                                   "FastICA; time courses by dual regression (stage 1)");

  method = json_object_new ();
  json_object_set_string_member (method, "Method", sa_fbn_method_name (run->method));
  set_string (method, "Architecture",
              trained ? sa_embed_arch_name (r->arch) : sa_fbn_method_name (run->method));
  json_object_set_string_member (method, "Rotation",
                                 run->rotated && !unrotated_set ? "ica" : "none");
  set_string (method, "MapsFile", run->maps_path);
  json_object_set_string_member (method, "TimeCourses",
                                 trained && !run->rotated ? "encoder"
                                 : unrotated_set ? "encoder"
                                 : "dual regression (stage 1, maps and volumes demeaned)");
  if (run->has_ica && !unrotated_set)
    {
      JsonObject *ica = json_object_new ();

      json_object_set_boolean_member (ica, "Converged", run->ica.converged);
      json_object_set_int_member (ica, "Iterations", run->ica.n_iter);
      if (isfinite (run->ica.last_change))
        json_object_set_double_member (ica, "LastChange", run->ica.last_change);
      if (isfinite (run->explained))
        json_object_set_double_member (ica, "ExplainedVariance", run->explained);
      json_object_set_object_member (method, "ICA", ica);
    }
  if (run->rotated)
    {
      g_autofree char *other = components_path (outputs, unrotated_set ? "FBN" : "FBNunrotated");
      g_autofree char *base = g_path_get_basename (other);

      json_object_set_string_member (method, unrotated_set ? "Rotated" : "Unrotated", base);
    }
  json_object_set_object_member (root, "FBNMethod", method);

  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

/* The scratch folder and whatever a failure left in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
write_unrotated (const SaEmbedOutputs *outputs,
                 SaFbnRun             *run,
                 const SaMask         *mask,
                 GError              **error)
{
  g_autofree char *scratch = NULL;
  g_autoptr(GPtrArray) sidecars = g_ptr_array_new_with_free_func (g_free);
  SaEmbedOutputs o = *outputs;
  gboolean ok;

  if (g_mkdir_with_parents (outputs->out_dir, 0755) != 0)
    {
      sa_set_error (error, SA_ERROR_IO, outputs->out_dir, _("cannot create folder: %s"),
                    g_strerror (errno));
      return FALSE;
    }
  {
    g_autofree char *tmpl = g_build_filename (outputs->out_dir, ".unrotated-XXXXXX", NULL);

    scratch = g_mkdtemp (g_steal_pointer (&tmpl));
  }
  if (scratch == NULL)
    {
      sa_set_error (error, SA_ERROR_IO, outputs->out_dir, _("cannot create a scratch folder: %s"),
                    g_strerror (errno));
      return FALSE;
    }
  o.out_dir = scratch;
  ok = write_set (&o, run->unrotated, mask, error);
  if (ok)
    {
      g_autofree char *written = NULL;
      g_autofree char *name = g_strdup_printf ("%s_desc-FBN_components.json",
                                               o.prefix != NULL ? o.prefix : "group");

      written = g_build_filename (scratch, name, NULL);
      ok = annotate_sidecar (written, outputs, run, TRUE, error)
           && move_renamed (scratch, outputs->out_dir, sidecars, error);
    }
  for (guint i = 0; ok && i + 1 < sidecars->len; i += 2)
    if (g_rename (g_ptr_array_index (sidecars, i), g_ptr_array_index (sidecars, i + 1)) != 0)
      {
        sa_set_error (error, SA_ERROR_IO, g_ptr_array_index (sidecars, i + 1),
                      _("cannot move the unrotated sidecar here: %s"), g_strerror (errno));
        ok = FALSE;
      }
  /* Leave nothing half-moved behind in the scratch folder. */
  for (guint i = 0; i < sidecars->len; i += 2)
    g_unlink (g_ptr_array_index (sidecars, i));
  remove_tree (scratch);
  return ok;
}

gboolean
sa_fbn_write_outputs (const SaEmbedOutputs *outputs,
                      SaFbnRun             *run,
                      const SaMask         *mask,
                      GError              **error)
{
  g_autofree char *name = g_strdup_printf ("%s_desc-FBN_components.json",
                                           outputs->prefix != NULL ? outputs->prefix : "group");
  g_autofree char *sidecar = g_build_filename (outputs->out_dir, name, NULL);

  if (run->unrotated != NULL && !write_unrotated (outputs, run, mask, error))
    return FALSE;
  return write_set (outputs, run->result, mask, error)
         && annotate_sidecar (sidecar, outputs, run, FALSE, error);
}

char *
sa_fbn_run_describe (const SaFbnRun *run)
{
  GString *s = g_string_new (NULL);
  const SaEmbedResult *r = run->result;

  if (run->method == SA_FBN_METHOD_GROUP_ICA)
    g_string_append_printf (s, "%d FBNs by spatial group ICA (variance in the group subspace "
                            "%.3f)", r->m, run->explained);
  else if (run->method == SA_FBN_METHOD_MAPS)
    g_string_append_printf (s, "%d FBN maps from %s", r->m, run->maps_path);
  else
    g_string_append_printf (s, "%d FBNs (%s), rotation: %s", r->m, sa_embed_arch_name (r->arch),
                            run->rotated ? "ica" : "none");
  if (run->has_ica)
    g_string_append_printf (s, "; FastICA %s after %d iterations",
                            run->ica.converged ? "converged" : "did NOT converge",
                            run->ica.n_iter);
  if (run->method != SA_FBN_METHOD_AUTOENCODER || run->rotated)
    g_string_append (s, "; time courses by dual regression");
  return g_string_free (s, FALSE);
}
