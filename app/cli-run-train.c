/* syncact run, the embedding steps: train (or reuse) the FBNs, then label
 * them with the atlases. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "app/cli-run.h"
#include "app/cli.h"
#include "compute/annotate/fbn-annotate.h"
#include "compute/error.h"

/* Modification time in nanoseconds, -1 when missing: a step redone within
 * the second its dependants were written still counts as newer. */
gint64
sa_run_mtime_of (const char *path)
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
  gint64 made = sa_run_mtime_of (components);
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

        if (sa_run_mtime_of (run->bold_path) > made)
          *why = g_strdup_printf (_("%s changed since training"), run->bold_path);
      }
  return *why == NULL;
}

gboolean
sa_run_train_reusable (const RunOptions *o,
                       SaBidsDataset    *dataset,
                       const char       *prefix)
{
  g_autofree char *components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", o->out, prefix);
  g_autofree char *sidecar = g_strdup_printf ("%s/%s_desc-FBN_components.json", o->out, prefix);
  g_autofree char *why = NULL;

  if (!o->train)
    return TRUE;
  return embedding_valid (o, dataset, components, sidecar, &why);
}

/* Calls another command in this process, as if from the command line. */
int
sa_run_call_command (int (*func) (int, char **),
                     GPtrArray *args)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (args, i));
  g_ptr_array_add (copy, NULL);
  /* GOption may reorder and remove entries of argv: hand it a copy. */
  return func ((int) args->len, (char **) copy->pdata);
}

gboolean
sa_run_step_train (const RunOptions *o,
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
  if (sa_run_call_command (sa_cli_train, args) != 0)
    {
      /* train has said why on stderr. */
      sa_set_error (error, SA_ERROR_FAILED, dataset->root, _("training failed"));
      return FALSE;
    }
  return TRUE;
}

/* The FBN side of cross-annotation: atlas regions per FBN, and one label
 * each for pairs.tsv. Without the atlases the pipeline goes on unlabelled. */
void
sa_run_step_annotate (RunOptions *o,
                      const char *prefix,
                      const char *name)
{
  g_autofree char *components = g_strdup_printf ("%s/%s_desc-FBN_components.nii.gz", o->out, prefix);
  g_autofree char *atlas_tsv = g_strdup_printf ("%s/%s_desc-FBN_atlas.tsv", o->out, prefix);
  g_autofree char *labels_tsv = g_strdup_printf ("%s/%s_desc-FBN_labels.tsv", o->out, prefix);
  g_autoptr(GError) error = NULL;

  if (o->fbn_labels != NULL)
    return;
  if (sa_run_mtime_of (labels_tsv) >= sa_run_mtime_of (components) && sa_run_mtime_of (atlas_tsv) >= sa_run_mtime_of (components))
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
