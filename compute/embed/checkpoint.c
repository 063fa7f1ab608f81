#include "config.h"

#include <glib/gi18n.h>

#include "compute/embed/checkpoint.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "compute/error.h"

#define MAGIC "SYNCACT-EMBED-CHECKPOINT 2\n"

SaEmbedCheckpoint *
sa_embed_checkpoint_new (void)
{
  SaEmbedCheckpoint *checkpoint = g_new0 (SaEmbedCheckpoint, 1);

  checkpoint->train_loss = g_array_new (FALSE, FALSE, sizeof (double));
  checkpoint->val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  return checkpoint;
}

void
sa_embed_checkpoint_free (SaEmbedCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return;
  g_free (checkpoint->settings);
  g_array_unref (checkpoint->train_loss);
  g_array_unref (checkpoint->val_loss);
  g_clear_pointer (&checkpoint->state, g_bytes_unref);
  g_free (checkpoint);
}

static void
add_losses (JsonBuilder  *builder,
            const char   *name,
            const GArray *losses)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < losses->len; i++)
    json_builder_add_double_value (builder, g_array_index (losses, double, i));
  json_builder_end_array (builder);
}

gboolean
sa_embed_checkpoint_save (const SaEmbedCheckpoint *checkpoint,
                          const char              *path,
                          GError                 **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *header = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize state_size = checkpoint->state ? g_bytes_get_size (checkpoint->state) : 0;
  g_autoptr(GError) local = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "settings");
  json_builder_add_string_value (builder, checkpoint->settings);
  json_builder_set_member_name (builder, "epochs_done");
  json_builder_add_int_value (builder, checkpoint->epochs_done);
  add_losses (builder, "train_loss", checkpoint->train_loss);
  add_losses (builder, "val_loss", checkpoint->val_loss);
  json_builder_set_member_name (builder, "best_epoch");
  json_builder_add_int_value (builder, checkpoint->best_epoch);
  json_builder_set_member_name (builder, "best_val_loss");
  json_builder_add_double_value (builder, checkpoint->best_val_loss);
  json_builder_set_member_name (builder, "state_size");
  json_builder_add_int_value (builder, (gint64) state_size);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  header = json_generator_to_data (generator, NULL);

  g_byte_array_append (bytes, (const guint8 *) MAGIC, strlen (MAGIC));
  g_byte_array_append (bytes, (const guint8 *) header, strlen (header));
  g_byte_array_append (bytes, (const guint8 *) "\n", 1);
  if (state_size > 0)
    g_byte_array_append (bytes, g_bytes_get_data (checkpoint->state, NULL), state_size);

  if (!g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, path, _("cannot write checkpoint: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_losses (JsonObject  *object,
             const char  *name,
             GArray      *out)
{
  JsonArray *array;

  if (!json_object_has_member (object, name))
    return FALSE;
  array = json_object_get_array_member (object, name);
  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      double v = json_array_get_double_element (array, i);
      g_array_append_val (out, v);
    }
  return TRUE;
}

SaEmbedCheckpoint *
sa_embed_checkpoint_load (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SaEmbedCheckpoint) checkpoint = sa_embed_checkpoint_new ();
  const char *header, *end;
  JsonNode *root;
  JsonObject *object;
  gint64 state_size;
  gsize offset;

  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      sa_set_error (error, g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                           ? SA_ERROR_NOT_FOUND : SA_ERROR_IO,
                    path, _("cannot read checkpoint: %s"), local->message);
      return NULL;
    }
  if (length < strlen (MAGIC) || memcmp (contents, MAGIC, strlen (MAGIC)) != 0)
    goto bad;
  header = contents + strlen (MAGIC);
  end = memchr (header, '\n', length - strlen (MAGIC));
  if (end == NULL || !json_parser_load_from_data (parser, header, end - header, NULL))
    goto bad;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "settings")
      || !json_object_has_member (object, "state_size")
      || !read_losses (object, "train_loss", checkpoint->train_loss)
      || !read_losses (object, "val_loss", checkpoint->val_loss))
    goto bad;
  checkpoint->settings = g_strdup (json_object_get_string_member (object, "settings"));
  checkpoint->epochs_done = (int) json_object_get_int_member (object, "epochs_done");
  checkpoint->best_epoch = (int) json_object_get_int_member (object, "best_epoch");
  checkpoint->best_val_loss = json_object_get_double_member (object, "best_val_loss");
  state_size = json_object_get_int_member (object, "state_size");
  offset = (gsize) (end + 1 - contents);
  if (checkpoint->settings == NULL || state_size <= 0
      || (gsize) state_size != length - offset
      || checkpoint->train_loss->len != (guint) checkpoint->epochs_done
      || checkpoint->val_loss->len != (guint) checkpoint->epochs_done)
    goto bad;
  checkpoint->state = g_bytes_new (contents + offset, state_size);
  return g_steal_pointer (&checkpoint);

bad:
  sa_set_error (error, SA_ERROR_INVALID_DATA, path,
                _("not a SyncAct embedding checkpoint, or a damaged one"));
  return NULL;
}
