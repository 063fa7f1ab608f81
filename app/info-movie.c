#include "config.h"

#include "app/info.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "compute/error.h"
#include "compute/io/movie.h"

static void
describe_json (const char *path, const SaMovieInfo *info, GString *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "movie");
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, info->width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, info->height);
  json_builder_set_member_name (b, "fps");
  json_builder_add_double_value (b, info->fps);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, info->duration);
  json_builder_set_member_name (b, "n_frames");
  json_builder_add_int_value (b, info->n_frames);
  json_builder_set_member_name (b, "codec");
  json_builder_add_string_value (b, info->codec);
  json_builder_set_member_name (b, "container");
  json_builder_add_string_value (b, info->container);
  json_builder_set_member_name (b, "variable_rate");
  json_builder_add_boolean_value (b, info->variable_rate);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_string_append_printf (out, "%s\n", text);
}

gboolean
sa_info_movie (const char *path, gboolean json, GString *out, GError **error)
{
  g_autoptr(SaMovie) movie = sa_movie_open (path, error);
  const SaMovieInfo *info;

  if (movie == NULL)
    return FALSE;
  info = sa_movie_get_info (movie);
  if (json)
    {
      describe_json (path, info, out);
      return TRUE;
    }
  g_string_append_printf (out, "%s\n", path);
  sa_info_append_label (out, _("format"), 14);
  g_string_append_printf (out, "%s\n", _("movie"));
  sa_info_append_label (out, _("frame size"), 14);
  g_string_append_printf (out, "%d × %d\n", info->width, info->height);
  sa_info_append_label (out, _("frame rate"), 14);
  g_string_append_printf (out, "%.3f%s\n", info->fps,
                          info->variable_rate ? _(" (average; variable)") : "");
  sa_info_append_label (out, _("duration"), 14);
  g_string_append_printf (out, "%.3f s\n", info->duration);
  sa_info_append_label (out, _("frames"), 14);
  g_string_append_printf (out, "%" G_GINT64_FORMAT "\n", info->n_frames);
  sa_info_append_label (out, _("codec"), 14);
  g_string_append_printf (out, "%s\n", info->codec);
  sa_info_append_label (out, _("container"), 14);
  g_string_append_printf (out, "%s\n", info->container);
  return TRUE;
}
