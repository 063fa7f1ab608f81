#include "config.h"

#include <glib/gi18n.h>

#include <json-glib/json-glib.h>
#include <string.h>

#include "compute/error.h"
#include "compute/io/bids-private.h"

static const char *const extensions[] = { ".nii.gz", ".nii", ".json", ".tsv.gz", ".tsv" };

SaBidsName *
sa_bids_name_parse (const char *basename)
{
  g_autoptr(SaBidsName) name = g_new0 (SaBidsName, 1);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autofree char *stem = NULL;
  g_auto(GStrv) parts = NULL;
  guint n;

  for (gsize i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (basename, extensions[i]))
      {
        name->extension = g_strdup (extensions[i]);
        stem = g_strndup (basename, strlen (basename) - strlen (extensions[i]));
        break;
      }
  if (stem == NULL)
    return NULL;

  parts = g_strsplit (stem, "_", -1);
  n = g_strv_length (parts);
  if (n == 0 || strchr (parts[n - 1], '-') != NULL || parts[n - 1][0] == '\0')
    return NULL;
  name->suffix = g_strdup (parts[n - 1]);
  for (guint i = 0; i + 1 < n; i++)
    {
      const char *dash = strchr (parts[i], '-');
      if (dash == NULL || dash == parts[i] || dash[1] == '\0')
        return NULL;
      g_autofree char *k = g_strndup (parts[i], dash - parts[i]);
      g_strv_builder_add (keys, k);
      g_strv_builder_add (values, dash + 1);
    }
  name->keys = g_strv_builder_end (keys);
  name->values = g_strv_builder_end (values);
  return g_steal_pointer (&name);
}

void
sa_bids_name_free (SaBidsName *name)
{
  if (name == NULL)
    return;
  g_strfreev (name->keys);
  g_strfreev (name->values);
  g_free (name->suffix);
  g_free (name->extension);
  g_free (name);
}

const char *
sa_bids_name_get (const SaBidsName *name,
                  const char       *key)
{
  for (int i = 0; name->keys[i] != NULL; i++)
    if (strcmp (name->keys[i], key) == 0)
      return name->values[i];
  return NULL;
}

int
sa_bids_name_n_entities (const SaBidsName *name)
{
  return (int) g_strv_length (name->keys);
}

/* A metadata file applies when each of its entities is in the data file
 * with the same value (BIDS inheritance principle, rule 2.b). */
static gboolean
entities_subset (const SaBidsName *meta,
                 const SaBidsName *data)
{
  for (int i = 0; meta->keys[i] != NULL; i++)
    {
      const char *v = sa_bids_name_get (data, meta->keys[i]);
      if (v == NULL || strcmp (v, meta->values[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

static int
compare_specificity (gconstpointer a,
                     gconstpointer b)
{
  const char *pa = *(const char *const *) a;
  const char *pb = *(const char *const *) b;
  g_autofree char *ba = g_path_get_basename (pa);
  g_autofree char *bb = g_path_get_basename (pb);
  g_autoptr(SaBidsName) na = sa_bids_name_parse (ba);
  g_autoptr(SaBidsName) nb = sa_bids_name_parse (bb);
  int d = sa_bids_name_n_entities (na) - sa_bids_name_n_entities (nb);

  return d != 0 ? d : strcmp (ba, bb);
}

GPtrArray *
sa_bids_applicable (const char *top,
                    const char *data_path,
                    const char *suffix,
                    const char *extension)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *base = g_path_get_basename (data_path);
  g_autofree char *dir = g_path_get_dirname (data_path);
  g_autoptr(SaBidsName) data = sa_bids_name_parse (base);
  g_autoptr(GPtrArray) levels = g_ptr_array_new_with_free_func (g_free);
  gsize top_len = strlen (top);

  if (data == NULL)
    return g_steal_pointer (&found);

  /* Folders from the file's own up to @top, then walked top-down. */
  for (char *d = g_strdup (dir); ; )
    {
      char *parent;
      g_ptr_array_insert (levels, 0, d);
      if (strlen (d) <= top_len || strcmp (d, top) == 0)
        break;
      parent = g_path_get_dirname (d);
      if (strcmp (parent, d) == 0)
        {
          g_free (parent);
          break;
        }
      d = parent;
    }

  for (guint l = 0; l < levels->len; l++)
    {
      const char *level = g_ptr_array_index (levels, l);
      g_autoptr(GDir) gdir = g_dir_open (level, 0, NULL);
      g_autoptr(GPtrArray) here = g_ptr_array_new_with_free_func (g_free);
      const char *entry;

      if (gdir == NULL)
        continue;
      while ((entry = g_dir_read_name (gdir)) != NULL)
        {
          g_autoptr(SaBidsName) meta = sa_bids_name_parse (entry);
          if (meta == NULL || strcmp (meta->suffix, suffix) != 0
              || strcmp (meta->extension, extension) != 0
              || !entities_subset (meta, data))
            continue;
          g_ptr_array_add (here, g_build_filename (level, entry, NULL));
        }
      g_ptr_array_sort (here, compare_specificity);
      for (guint i = 0; i < here->len; i++)
        g_ptr_array_add (found, g_strdup (g_ptr_array_index (here, i)));
    }
  return g_steal_pointer (&found);
}

gboolean
sa_bids_sidecar_tr (const char  *top,
                    const char  *bold_path,
                    double      *tr,
                    char       **source,
                    GError     **error)
{
  g_autoptr(GPtrArray) sidecars = sa_bids_applicable (top, bold_path, "bold", ".json");
  gboolean have = FALSE;

  for (guint i = 0; i < sidecars->len; i++)
    {
      const char *path = g_ptr_array_index (sidecars, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) local = NULL;
      JsonNode *root;
      JsonObject *obj;
      JsonNode *value;

      if (!json_parser_load_from_file (parser, path, &local))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("not a valid JSON sidecar: %s"),
                        local->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path, _("a sidecar must hold a JSON object"));
          return FALSE;
        }
      obj = json_node_get_object (root);
      value = json_object_get_member (obj, "RepetitionTime");
      if (value == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value)
          || (json_node_get_value_type (value) != G_TYPE_DOUBLE
              && json_node_get_value_type (value) != G_TYPE_INT64)
          || !(json_node_get_double (value) > 0))
        {
          sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                        _("RepetitionTime must be a positive number of seconds"));
          return FALSE;
        }
      *tr = json_node_get_double (value);
      if (source != NULL)
        {
          g_free (*source);
          *source = g_strdup (path);
        }
      have = TRUE;
    }
  return have;
}
