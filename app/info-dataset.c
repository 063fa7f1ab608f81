#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "app/info.h"
#include "compute/error.h"
#include "compute/io/bids.h"

/* Paths inside the dataset are shown relative to its root in text. */
static const char *
relative (const SaBidsDataset *dataset,
          const char          *path)
{
  gsize n = strlen (dataset->root);

  if (path != NULL && strncmp (path, dataset->root, n) == 0 && path[n] == G_DIR_SEPARATOR)
    return path + n + 1;
  return path;
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_strings (JsonBuilder *b,
             const char  *member,
             GPtrArray   *values)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (values, i));
  json_builder_end_array (b);
}

static void
describe_json (const SaBidsDataset *d,
               GString             *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_string_or_null (b, "type", "dataset");
  add_string_or_null (b, "name", d->name);
  add_string_or_null (b, "root", d->root);
  add_string_or_null (b, "bids_version", d->bids_version);
  add_strings (b, "subjects", d->subjects);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < d->runs->len; i++)
    {
      const SaBidsRun *r = g_ptr_array_index (d->runs, i);
      json_builder_begin_object (b);
      add_string_or_null (b, "subject", r->subject);
      add_string_or_null (b, "session", r->session);
      add_string_or_null (b, "task", r->task);
      add_string_or_null (b, "run", r->run);
      add_string_or_null (b, "run_key", r->run_key);
      add_string_or_null (b, "bold", r->bold_path);
      add_string_or_null (b, "pipeline", r->pipeline);
      add_string_or_null (b, "space", r->space);
      json_builder_set_member_name (b, "tr");
      json_builder_add_double_value (b, r->tr);
      add_string_or_null (b, "tr_source", r->tr_source);
      json_builder_set_member_name (b, "dims");
      json_builder_begin_array (b);
      for (int k = 0; k < 4; k++)
        json_builder_add_int_value (b, r->dims[k]);
      json_builder_end_array (b);
      add_string_or_null (b, "mask", r->mask_path);
      add_string_or_null (b, "events", r->events_path);
      add_string_or_null (b, "movie", r->movie_path);
      json_builder_set_member_name (b, "movie_onset");
      json_builder_add_double_value (b, r->movie_onset);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_strings (b, "run_keys", d->run_keys);
  json_builder_set_member_name (b, "tr");
  json_builder_add_double_value (b, d->tr);
  json_builder_set_member_name (b, "grid");
  json_builder_begin_array (b);
  for (int k = 0; k < 3; k++)
    json_builder_add_int_value (b, d->grid[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "affine");
  json_builder_begin_array (b);
  for (int r = 0; r < 4; r++)
    {
      json_builder_begin_array (b);
      for (int c = 0; c < 4; c++)
        json_builder_add_double_value (b, d->affine[r][c]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  add_strings (b, "movies", d->movies);
  add_strings (b, "problems", d->warnings);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static void
describe_text (const SaBidsDataset *d,
               GString             *out)
{
  g_string_append_printf (out, _("Dataset: %s"), d->name);
  if (d->bids_version != NULL)
    g_string_append_printf (out, " (BIDS %s)", d->bids_version);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Root: %s\n"), d->root);
  g_string_append_printf (out, _("Subjects: %u"), d->subjects->len);
  for (guint i = 0; i < d->subjects->len; i++)
    g_string_append_printf (out, "%s%s", i == 0 ? " (" : ", ", (char *) g_ptr_array_index (d->subjects, i));
  g_string_append (out, d->subjects->len > 0 ? ")\n" : "\n");
  g_string_append_printf (out, _("Runs: %u, run keys:"), d->runs->len);
  for (guint i = 0; i < d->run_keys->len; i++)
    g_string_append_printf (out, " %s", (char *) g_ptr_array_index (d->run_keys, i));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("TR: %g s\n"), d->tr);
  g_string_append_printf (out, _("Grid: %d × %d × %d (RAS+)\n"), d->grid[0], d->grid[1], d->grid[2]);
  g_string_append (out, _("Movies:"));
  if (d->movies->len == 0)
    g_string_append_printf (out, " %s", _("none"));
  for (guint i = 0; i < d->movies->len; i++)
    g_string_append_printf (out, " %s", relative (d, g_ptr_array_index (d->movies, i)));
  g_string_append_c (out, '\n');

  for (guint i = 0; i < d->runs->len; i++)
    {
      const SaBidsRun *r = g_ptr_array_index (d->runs, i);
      g_string_append_printf (out, "  sub-%s %s: ", r->subject, r->run_key);
      g_string_append_printf (out, _("%d volumes, %s"), r->dims[3], relative (d, r->bold_path));
      g_string_append_printf (out, _(", mask: %s"), r->mask_path ? relative (d, r->mask_path) : _("computed"));
      g_string_append_printf (out, _(", movie: %s"), r->movie_path ? relative (d, r->movie_path) : _("none"));
      g_string_append_c (out, '\n');
    }
  if (d->warnings->len > 0)
    {
      g_string_append (out, _("Problems:\n"));
      for (guint i = 0; i < d->warnings->len; i++)
        g_string_append_printf (out, "  - %s\n", (char *) g_ptr_array_index (d->warnings, i));
    }
}

gboolean
sa_info_dataset (const char  *path,
                 gboolean     json,
                 GString     *out,
                 GError     **error)
{
  g_autoptr(SaBidsDataset) dataset = sa_bids_open (path, error);

  if (dataset == NULL)
    return FALSE;
  sa_bids_check_movies (dataset, NULL);
  if (json)
    describe_json (dataset, out);
  else
    describe_text (dataset, out);
  return TRUE;
}
