#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tests/testutil.h"

/* `syncact demo` writes a dataset that `syncact info --json` reads, and
 * refuses to write over one. */
static void
test_demo_then_info (void)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "demo", NULL);
  g_autofree char *marker = g_build_filename (root, "code", "demo-complete.json", NULL);

  {
    const char *argv[] = { "demo", "--out", root, "--subjects", "2", "--duration", "60",
                           "--tr", "1.5", "--seed", "3", "--networks", "3", NULL };
    g_autofree char *out = NULL, *err = NULL;

    if (sa_test_run_syncact (argv, &out, &err) != 0)
      g_error ("syncact demo failed: %s", err);
    g_assert_nonnull (strstr (out, root));
    g_assert_true (g_file_test (marker, G_FILE_TEST_IS_REGULAR));
  }
  {
    const char *argv[] = { "info", root, "--json", NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *o;

    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    o = json_node_get_object (json_parser_get_root (parser));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "tr"), 1.5, 1e-9);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "subjects")), ==, 2);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "movies")), ==, 1);
    g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "problems")), ==, 0);
  }
  {
    const char *argv[] = { "demo", "--out", root, "--subjects", "2", "--duration", "60", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "syncact demo: "));
    g_assert_nonnull (strstr (err, root));
    g_assert_nonnull (strstr (err, "not empty"));
  }
}

static gboolean
files_equal (const char *a, const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx, ny;

  g_assert_true (g_file_get_contents (a, &x, &nx, NULL));
  g_assert_true (g_file_get_contents (b, &y, &ny, NULL));
  return nx == ny && memcmp (x, y, nx) == 0;
}

static char *
demo_tiny (const char *seed)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  char *root = g_build_filename (tmp, "demo", NULL);
  const char *argv[] = { "demo", "--out", root, "--subjects", "1", "--duration", "40",
                         "--networks", "2", "--seed", seed, NULL };
  g_autofree char *out = NULL, *err = NULL;

  if (sa_test_run_syncact (argv, &out, &err) != 0)
    g_error ("syncact demo failed: %s", err);
  return root;
}

/* The same seed gives the same bytes; another seed other data. Separate
 * processes, as a user runs it. */
static void
test_determinism (void)
{
  g_autofree char *a = demo_tiny ("5");
  g_autofree char *b = demo_tiny ("5");
  g_autofree char *c = demo_tiny ("6");
  const char *files[] = {
    "stimuli/movie.mp4",
    "code/truth/control-movie.mp4",
    "code/truth/truth.json",
    "code/truth/planted_maps.nii.gz",
    "sub-01/func/sub-01_task-movie_run-1_bold.nii.gz",
    "sub-01/func/sub-01_task-control_run-1_bold.nii.gz",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *x = g_build_filename (a, files[i], NULL);
      g_autofree char *y = g_build_filename (b, files[i], NULL);
      g_autofree char *z = g_build_filename (c, files[i], NULL);

      g_test_message ("%s", files[i]);
      g_assert_true (files_equal (x, y));
      if (i != 3)    /* the maps depend on the atlas only, not the seed */
        g_assert_false (files_equal (x, z));
    }
}

static void
test_bad_arguments (void)
{
  g_autofree char *tmp = sa_test_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "demo", NULL);
  const char *missing[] = { "demo", NULL };
  const char *bad_tr[] = { "demo", "--out", root, "--tr", "-1", NULL };
  const char *bad_subjects[] = { "demo", "--out", root, "--subjects", "0", NULL };
  g_autofree char *err1 = NULL, *err2 = NULL, *err3 = NULL;

  g_assert_cmpint (sa_test_run_syncact (missing, NULL, &err1), ==, 2);
  g_assert_nonnull (strstr (err1, "--out"));
  g_assert_cmpint (sa_test_run_syncact (bad_tr, NULL, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "--tr"));
  g_assert_cmpint (sa_test_run_syncact (bad_subjects, NULL, &err3), ==, 1);
  g_assert_nonnull (strstr (err3, "--subjects"));
  g_assert_false (g_file_test (root, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/demo/generate-then-info", test_demo_then_info);
  g_test_add_func ("/cli/demo/bad-arguments", test_bad_arguments);
  g_test_add_func ("/cli/demo/determinism", test_determinism);
  return g_test_run ();
}
