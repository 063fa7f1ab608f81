#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tests/bids-fixture.h"
#include "tests/testutil.h"

static void
test_json (void)
{
  const char *opts[] = { "--layout", "both", "--missing-movie", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *o, *run;
  JsonArray *runs, *grid, *problems;
  gboolean movie_problem = FALSE;

  if (root == NULL)
    return;
  {
    const char *argv[] = { "info", root, "--json", NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  }
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "type"), ==, "dataset");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Synthetic movie");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "root"), "/ds"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "subjects")), ==, 3);
  runs = json_object_get_array_member (o, "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 6);
  run = json_array_get_object_element (runs, 0);
  g_assert_cmpstr (json_object_get_string_member (run, "subject"), ==, "01");
  g_assert_cmpstr (json_object_get_string_member (run, "task"), ==, "movie");
  g_assert_cmpstr (json_object_get_string_member (run, "run"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (run, "pipeline"), ==, "fmriprep");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (run, "bold"), "_desc-preproc_bold.nii.gz"));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (run, "mask"), "_desc-brain_mask.nii.gz"));
  g_assert_true (json_object_get_null_member (run, "movie"));
  g_assert_cmpfloat (json_object_get_double_member (run, "tr"), ==, 2.0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "run_keys")), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (o, "tr"), ==, 2.0);
  grid = json_object_get_array_member (o, "grid");
  g_assert_cmpint (json_array_get_int_element (grid, 0), ==, 10);
  g_assert_cmpint (json_array_get_int_element (grid, 1), ==, 12);
  g_assert_cmpint (json_array_get_int_element (grid, 2), ==, 8);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "movies")), ==, 0);
  problems = json_object_get_array_member (o, "problems");
  for (guint i = 0; i < json_array_get_length (problems); i++)
    movie_problem |= strstr (json_array_get_string_element (problems, i),
                             "movie stimuli/movie.mp4 is missing") != NULL;
  g_assert_true (movie_problem);
}

static void
test_text_and_errors (void)
{
  const char *opts[] = { "--subjects", "2", "--runs", "1", NULL };
  g_autofree char *root = sa_test_make_dataset (opts);
  g_autofree char *empty = sa_test_tmpdir ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (root == NULL)
    return;
  {
    const char *argv[] = { "info", root, NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
  }
  g_assert_nonnull (strstr (out, "Dataset: Synthetic movie (BIDS 1.8.0)"));
  g_assert_nonnull (strstr (out, "Subjects: 2 (01, 02)"));
  g_assert_nonnull (strstr (out, "TR: 2 s"));
  g_assert_nonnull (strstr (out, "Grid: 10 × 12 × 8"));
  g_assert_nonnull (strstr (out, "sub-02 task-movie_run-1: 40 volumes, sub-02/func/sub-02_task-movie_run-1_bold.nii.gz"));
  /* The generated stimuli/movie.mp4 is 16 zero bytes. */
  g_assert_nonnull (strstr (out, "movie.mp4: not a movie FFmpeg can decode"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A real movie of 5 s, for runs of 40 TRs × 2 s. */
  {
    g_autofree char *movie = g_build_filename (root, "stimuli", "movie.mp4", NULL);
    const char *ff[] = { "ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                         "testsrc=duration=5:size=64x48:rate=10", "-c:v", "mpeg4", "-y", movie, NULL };
    const char *argv[] = { "info", root, NULL };
    int status = 0;
    if (!g_spawn_sync (NULL, (char **) ff, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) || status != 0)
      {
        g_test_skip ("ffmpeg cannot write a test movie");
        return;
      }
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "movie.mp4: lasts 5 s, shorter than sub-01 task-movie_run-1 needs (40 TRs × 2 s = 80 s)"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { "info", empty, "--json", NULL };
    g_assert_cmpint (sa_test_run_syncact (argv, &out, &err), ==, 1);
  }
  g_assert_nonnull (strstr (err, empty));
  g_assert_nonnull (strstr (err, "no bold runs"));
  g_assert_null (strchr (strchr (err, '\n') + 1, '\n'));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/info-dataset/json", test_json);
  g_test_add_func ("/cli/info-dataset/text-and-errors", test_text_and_errors);
  return g_test_run ();
}
