#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/outputs.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/tsv.h"
#include "compute/torch/sa-torch.h"

char **
sa_embed_fbn_names (int m)
{
  char **names = g_new0 (char *, m + 1);

  for (int j = 0; j < m; j++)
    names[j] = g_strdup_printf ("fbn-%03d", j + 1);
  return names;
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0755) != 0)
    {
      int saved = errno;

      sa_set_error (error, SA_ERROR_IO, path, _("cannot create folder: %s"), g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_json (JsonBuilder *builder,
            const char  *path,
            GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;

  json_generator_set_root (generator, root);
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

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_double (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_strings (JsonBuilder *b, const char *name, GPtrArray *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (values, i));
  json_builder_end_array (b);
}

static void
add_doubles (JsonBuilder *b, const char *name, GArray *values)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_double_value (b, g_array_index (values, double, i));
  json_builder_end_array (b);
}

static gboolean
write_sidecar (const SaEmbedOutputs *outputs,
               SaEmbedResult        *result,
               const char           *path,
               GError              **error)
{
  const SaEmbedOptions *o = outputs->options;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "Description", "Sync-ACT fMRI embedding (Zhao et al. 2022, section 3.2): "
              "columns of the encoder's linear transform W as FBN spatial maps");
  add_string (b, "SyncActVersion", PACKAGE_VERSION);
  add_string (b, "LibTorchVersion", sa_torch_version ());
  add_string (b, "Command", outputs->command_line);
  add_string (b, "Dataset", outputs->dataset);
  if (outputs->tr > 0)
    add_double (b, "RepetitionTime", outputs->tr);

  json_builder_set_member_name (b, "Parameters");
  json_builder_begin_object (b);
  add_string (b, "arch", sa_embed_arch_name (o->arch));
  add_int (b, "fbns", o->m);
  if (o->arch == SA_TORCH_EMBED_MSA)
    add_int (b, "heads", o->heads);
  add_int (b, "epochs", o->epochs);
  add_int (b, "window", result->window);
  add_int (b, "batch", o->batch);
  add_string (b, "optimizer", "Adam");
  add_double (b, "lr", o->lr);
  json_builder_set_member_name (b, "betas");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, 0.9);
  json_builder_add_double_value (b, 0.999);
  json_builder_end_array (b);
  add_double (b, "l1", o->l1);
  add_int (b, "seed", (gint64) o->seed);
  add_string (b, "device", result->device);
  add_int (b, "voxels", result->n_voxels);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "Split");
  json_builder_begin_object (b);
  add_strings (b, "train", result->train);
  add_strings (b, "validation", result->val);
  add_strings (b, "test", result->test);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "Losses");
  json_builder_begin_object (b);
  add_doubles (b, "train", result->train_loss);
  add_doubles (b, "validation", result->val_loss);
  json_builder_end_object (b);
  add_int (b, "BestEpoch", result->best_epoch);
  add_double (b, "BestValidationLoss", result->best_val_loss);
  add_int (b, "ResumedFromEpoch", result->resumed_from);
  add_double (b, "TestReconstructionR2", result->test_r2);
  json_builder_end_object (b);
  return write_json (b, path, error);
}

static gboolean
write_description (const char  *out_dir,
                   GError     **error)
{
  g_autofree char *path = g_build_filename (out_dir, "dataset_description.json", NULL);
  g_autoptr(JsonBuilder) b = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "Name", "SyncAct derivatives");
  add_string (b, "BIDSVersion", "1.8.0");
  add_string (b, "DatasetType", "derivative");
  json_builder_set_member_name (b, "GeneratedBy");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_string (b, "Name", "SyncAct");
  add_string (b, "Version", PACKAGE_VERSION);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return write_json (b, path, error);
}

gboolean
sa_embed_write_outputs (const SaEmbedOutputs *outputs,
                        SaEmbedResult        *result,
                        GError              **error)
{
  const char *prefix = outputs->prefix != NULL ? outputs->prefix : "group";
  g_auto(GStrv) names = sa_embed_fbn_names (result->m);
  g_autofree char *base = NULL;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (outputs != NULL && outputs->out_dir != NULL && outputs->options != NULL,
                        FALSE);

  if (!make_dir (outputs->out_dir, error) || !write_description (outputs->out_dir, error))
    return FALSE;
  base = g_strdup_printf ("%s_desc-FBN_components", prefix);
  stem = g_build_filename (outputs->out_dir, base, NULL);

  for (guint i = 0; i < result->courses->len; i++)
    {
      SaEmbedCourses *c = g_ptr_array_index (result->courses, i);
      g_autofree char *dir = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (c->subject != NULL)
        {
          g_autofree char *sub = g_strdup_printf ("sub-%s", c->subject);

          dir = g_build_filename (outputs->out_dir, sub, "func", NULL);
          name = g_strdup_printf ("%s_%s_desc-FBN_mixing.tsv", sub, c->run_key);
        }
      else
        {
          dir = g_strdup (outputs->out_dir);
          name = g_strdup_printf ("%s_desc-FBN_mixing.tsv", c->run_key);
        }
      if (!make_dir (dir, error))
        return FALSE;
      path = g_build_filename (dir, name, NULL);
      if (!sa_tsv_write_matrix (path, (const char *const *) names, c->l, c->n_timepoints,
                                result->m, error))
        return FALSE;
    }

  {
    g_autofree char *path = g_strconcat (stem, ".json", NULL);

    return write_sidecar (outputs, result, path, error);
  }
}
