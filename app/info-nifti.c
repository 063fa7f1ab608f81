#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "app/info.h"
#include "compute/error.h"
#include "compute/io/nifti.h"

static const char *
xform_name (int code)
{
  switch (code)
    {
    case 0: return N_("unknown");
    case 1: return N_("scanner");
    case 2: return N_("aligned");
    case 3: return N_("Talairach");
    case 4: return N_("MNI");
    case 5: return N_("template");
    default: return N_("invalid");
    }
}

/* JSON has no NaN: a value that is not a number is null. */
static void
add_double (JsonBuilder *b, const char *name, double v)
{
  if (name != NULL)
    json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
describe_json (const SaNiftiInfo *info, GString *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  gboolean oriented = strchr (info->orientation, '?') == NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, info->path);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, info->format == 2 ? "nifti2" : "nifti1");
  json_builder_set_member_name (b, "dims");
  json_builder_begin_array (b);
  for (int i = 0; i < info->ndim; i++)
    json_builder_add_int_value (b, info->dims[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pixdim");
  json_builder_begin_array (b);
  for (int i = 0; i < info->ndim; i++)
    add_double (b, NULL, info->pixdim[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "voxel_size");
  json_builder_begin_array (b);
  for (int i = 0; i < 3; i++)
    add_double (b, NULL, info->voxel_size[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "datatype");
  json_builder_add_string_value (b, info->datatype_name);
  add_double (b, "scl_slope", info->scl_slope);
  add_double (b, "scl_inter", info->scl_inter);
  json_builder_set_member_name (b, "qform_code");
  json_builder_add_int_value (b, info->qform_code);
  json_builder_set_member_name (b, "sform_code");
  json_builder_add_int_value (b, info->sform_code);
  json_builder_set_member_name (b, "orientation");
  if (oriented)
    json_builder_add_string_value (b, info->orientation);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "orientation_loaded");
  if (oriented)
    json_builder_add_string_value (b, "RAS");
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "affine");
  json_builder_begin_array (b);
  for (int i = 0; i < 4; i++)
    {
      json_builder_begin_array (b);
      for (int j = 0; j < 4; j++)
        add_double (b, NULL, info->affine[i][j]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  add_double (b, "tr", info->tr);
  json_builder_set_member_name (b, "xyz_units");
  json_builder_add_string_value (b, info->xyz_units);
  json_builder_set_member_name (b, "time_units");
  json_builder_add_string_value (b, info->time_units);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, info->descrip);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static void
describe_text (const SaNiftiInfo *info, GString *out)
{
  gboolean oriented = strchr (info->orientation, '?') == NULL;
  gboolean scaled = info->scl_slope != 0 && isfinite (info->scl_slope)
                    && (info->scl_slope != 1 || info->scl_inter != 0);

  g_string_append_printf (out, "%s\n", info->path);
  sa_info_append_label (out, _("format"), 13);
  g_string_append_printf (out, "NIfTI-%d\n", info->format);
  sa_info_append_label (out, _("dimensions"), 13);
  for (int i = 0; i < info->ndim; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i ? " × " : "", info->dims[i]);
  g_string_append_c (out, '\n');
  sa_info_append_label (out, _("voxel size"), 13);
  g_string_append_printf (out, "%g × %g × %g mm\n",
                          info->voxel_size[0], info->voxel_size[1], info->voxel_size[2]);
  sa_info_append_label (out, _("datatype"), 13);
  g_string_append_printf (out, "%s\n", info->datatype_name);
  sa_info_append_label (out, _("scaling"), 13);
  if (scaled)
    g_string_append_printf (out, "%s %g, %s %g\n", _("slope"),
                            info->scl_slope, _("intercept"), info->scl_inter);
  else
    g_string_append_printf (out, "%s\n", _("none"));
  sa_info_append_label (out, _("TR"), 13);
  if (info->tr > 0)
    g_string_append_printf (out, "%g s\n", info->tr);
  else
    g_string_append_printf (out, "%s\n", _("none (not a time series)"));
  sa_info_append_label (out, _("qform code"), 13);
  g_string_append_printf (out, "%d (%s)\n", info->qform_code,
                          _(xform_name (info->qform_code)));
  sa_info_append_label (out, _("sform code"), 13);
  g_string_append_printf (out, "%d (%s)\n", info->sform_code,
                          _(xform_name (info->sform_code)));
  sa_info_append_label (out, _("orientation"), 13);
  if (oriented)
    g_string_append_printf (out, "%s %s, %s\n", info->orientation,
                            _("as stored"), _("RAS when loaded"));
  else
    g_string_append_printf (out, "%s\n",
                            _("undefined (singular affine): cannot be loaded"));
  for (int i = 0; i < 3; i++)
    {
      sa_info_append_label (out, i == 0 ? _("affine") : "", 13);
      g_string_append_printf (out, "%10.4f %10.4f %10.4f %10.4f\n",
                              info->affine[i][0], info->affine[i][1], info->affine[i][2],
                              info->affine[i][3]);
    }
  sa_info_append_label (out, _("units"), 13);
  g_string_append_printf (out, "%s, %s\n", info->xyz_units, info->time_units);
  if (info->descrip[0] != '\0')
    {
      sa_info_append_label (out, _("description"), 13);
      g_string_append_printf (out, "%s\n", info->descrip);
    }
}

gboolean
sa_info_nifti (const char *path, gboolean json, GString *out, GError **error)
{
  g_autoptr(SaNiftiInfo) info = sa_nifti_info_read (path, error);

  if (info == NULL)
    return FALSE;
  if (json)
    describe_json (info, out);
  else
    describe_text (info, out);
  return TRUE;
}
