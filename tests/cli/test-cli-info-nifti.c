#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/io/nifti.h"
#include "tests/testutil.h"

/* An LPS 4D series: stored orientation LPS, loaded RAS. */
static char *
write_series (const char *dir)
{
  double affine[4][4] = { { -2, 0, 0, 90 }, { 0, -2, 0, 126 }, { 0, 0, 2.5, -72 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) vol = sa_volume_new (5, 6, 7, 4, affine);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "sub-01_task-movie_bold.nii.gz", NULL);

  for (gsize i = 0; i < 5 * 6 * 7 * 4; i++)
    vol->data[i] = (float) i;
  vol->tr = 0.72;
  g_assert_true (sa_volume_save (vol, path, TRUE, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_info_json (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = write_series (dir);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "info", path, "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o;
  JsonArray *dims, *vox, *affine;

  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "format"), ==, "nifti1");
  dims = json_object_get_array_member (o, "dims");
  g_assert_cmpuint (json_array_get_length (dims), ==, 4);
  g_assert_cmpint (json_array_get_int_element (dims, 0), ==, 5);
  g_assert_cmpint (json_array_get_int_element (dims, 3), ==, 4);
  vox = json_object_get_array_member (o, "voxel_size");
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (vox, 2), 2.5, 1e-6);
  g_assert_cmpstr (json_object_get_string_member (o, "datatype"), ==, "FLOAT32");
  g_assert_cmpfloat (json_object_get_double_member (o, "scl_slope"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (o, "scl_inter"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "qform_code"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (o, "sform_code"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (o, "orientation"), ==, "LPS");
  g_assert_cmpstr (json_object_get_string_member (o, "orientation_loaded"), ==, "RAS");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "tr"), 0.72, 1e-6);
  affine = json_object_get_array_member (o, "affine");
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (affine, 0), 0), ==, -2);
  g_assert_cmpfloat (json_array_get_double_element (json_array_get_array_element (affine, 1), 3), ==, 126);
}

static void
test_info_text (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = write_series (dir);
  g_autofree char *out = NULL;
  const char *argv[] = { "info", path, NULL };

  g_assert_cmpint (sa_test_run_syncact (argv, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "5 × 6 × 7 × 4"));
  g_assert_nonnull (strstr (out, "LPS as stored, RAS when loaded"));
  g_assert_nonnull (strstr (out, "0.72 s"));
}

static void
test_info_bad_file (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "broken.nii.gz", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "info", path, "--json", NULL };
  g_autofree char *expected = NULL;

  g_assert_true (g_file_set_contents (path, "\x1f\x8b garbage, not a gzip stream at all", -1, NULL));
  g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  expected = g_strdup_printf ("syncact info: %s: ", path);
  g_assert_true (g_str_has_prefix (err, expected));
  /* one line, ending in the only newline */
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/info/nifti-json", test_info_json);
  g_test_add_func ("/cli/info/nifti-text", test_info_text);
  g_test_add_func ("/cli/info/nifti-bad-file", test_info_bad_file);
  return g_test_run ();
}
