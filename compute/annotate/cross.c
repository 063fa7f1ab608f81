#include "config.h"

#include <glib/gi18n.h>

#include "compute/annotate/cross.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "compute/annotate/frames.h"
#include "compute/error.h"
#include "compute/io/tsv.h"

static const char *
field (const SaTsv *tsv, guint row, const char *name)
{
  int c = sa_tsv_column (tsv, name);

  return c >= 0 ? sa_tsv_get (tsv, row, c) : "n/a";
}

gboolean
sa_cross_annotation_write (const SaCrossOptions *o,
                           const char           *json_path,
                           GCancellable         *cancellable,
                           GError              **error)
{
  g_autoptr(SaTsv) pairs = sa_tsv_read (o->pairs_tsv, error);
  g_autoptr(GArray) all_trs = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json_dir = g_path_get_dirname (json_path);
  g_autofree int *trs = g_new (int, MAX (o->top_k, 1));
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  int col_filter;

  if (pairs == NULL)
    return FALSE;
  col_filter = sa_tsv_column (pairs, "filter");
  if (col_filter < 0 || sa_tsv_column (pairs, "fbn") < 0)
    {
      sa_set_error (error, SA_ERROR_INVALID_DATA, o->pairs_tsv,
                    _("a pairs table needs “fbn” and “filter” columns"));
      return FALSE;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "Description");
  json_builder_add_string_value (b, "Sync-ACT cross-annotation (Zhao et al. 2022, section 4.3): "
                                 "each FBN-filter pair with the FBN's atlas regions and the "
                                 "movie frames that activate the filter most");
  json_builder_set_member_name (b, "Pairs");
  json_builder_add_string_value (b, o->pairs_tsv);
  json_builder_set_member_name (b, "Movie");
  json_builder_add_string_value (b, o->movie);
  json_builder_set_member_name (b, "RepetitionTime");
  json_builder_add_double_value (b, o->tr);
  json_builder_set_member_name (b, "Annotations");
  json_builder_begin_array (b);
  for (guint i = 0; i < pairs->rows->len; i++)
    {
      const char *text_filter = sa_tsv_get (pairs, i, col_filter);
      char *end = NULL;
      long filter = strtol (text_filter, &end, 10);
      int got;

      if (end == text_filter || *end != '\0' || filter < 0 || filter >= o->n_units)
        {
          sa_set_error (error, SA_ERROR_MISMATCH, o->pairs_tsv,
                        _("line %u names filter “%s”, but the activations have %d filters"),
                        i + 2, text_filter, o->n_units);
          return FALSE;
        }
      got = sa_frames_top_trs (o->acts, o->n_tr, o->n_units, (int) filter, o->top_k, trs);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "fbn");
      json_builder_add_string_value (b, field (pairs, i, "fbn"));
      json_builder_set_member_name (b, "fbn_label");
      json_builder_add_string_value (b, field (pairs, i, "fbn_label"));
      json_builder_set_member_name (b, "filter");
      json_builder_add_int_value (b, filter);
      json_builder_set_member_name (b, "filter_label");
      json_builder_add_string_value (b, field (pairs, i, "filter_label"));
      json_builder_set_member_name (b, "r");
      json_builder_add_double_value (b, g_ascii_strtod (field (pairs, i, "r"), NULL));
      json_builder_set_member_name (b, "p_fwer");
      json_builder_add_string_value (b, field (pairs, i, "p_fwer"));
      json_builder_set_member_name (b, "significant");
      json_builder_add_string_value (b, field (pairs, i, "significant"));
      json_builder_set_member_name (b, "frames");
      json_builder_begin_array (b);
      for (int r = 0; r < got; r++)
        {
          g_autofree char *name = sa_frames_thumbnail_name (trs[r]);
          g_autofree char *path = g_build_filename (o->frames_dir, name, NULL);
          g_autoptr(GFile) base = g_file_new_for_path (json_dir);
          g_autoptr(GFile) file = g_file_new_for_path (path);
          g_autofree char *relative = g_file_get_relative_path (base, file);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "tr");
          json_builder_add_int_value (b, trs[r]);
          /* The frame shown at the end of the TR (DESIGN §3). */
          json_builder_set_member_name (b, "time");
          json_builder_add_double_value (b, (trs[r] + 1) * o->tr);
          json_builder_set_member_name (b, "activation");
          json_builder_add_double_value (b, o->acts[(gsize) trs[r] * o->n_units + filter]);
          json_builder_set_member_name (b, "thumbnail");
          json_builder_add_string_value (b, relative != NULL ? relative : path);
          json_builder_end_object (b);
          g_array_append_val (all_trs, trs[r]);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  if (!sa_frames_thumbnails (o->movie, o->tr, (const int *) all_trs->data, (int) all_trs->len,
                             o->width, o->height, o->frames_dir, cancellable, error))
    return FALSE;
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  if (!g_file_set_contents_full (json_path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    {
      sa_set_error (error, SA_ERROR_IO, json_path, _("cannot write: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}
