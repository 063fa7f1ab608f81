/* compute/annotate/frames and cross: top frames, PNG thumbnails (checked with
 * PIL), and the cross-annotation JSON. */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "compute/annotate/cross.h"
#include "compute/annotate/frames.h"
#include "tests/testutil.h"

static void
test_top (void)
{
  /* 6 TRs × 2 filters; filter 1 has a NaN and a tie (earlier TR first). */
  const float acts[] = { 1, 5,   9, 2,   3, NAN,   7, 5,   2, 8,   4, 0 };
  int out[6];

  g_assert_cmpint (sa_frames_top_trs (acts, 6, 2, 0, 3, out), ==, 3);
  g_assert_cmpint (out[0], ==, 1);
  g_assert_cmpint (out[1], ==, 3);
  g_assert_cmpint (out[2], ==, 5);
  g_assert_cmpint (sa_frames_top_trs (acts, 6, 2, 1, 6, out), ==, 5);
  g_assert_cmpint (out[0], ==, 4);
  g_assert_cmpint (out[1], ==, 0);
  g_assert_cmpint (out[2], ==, 3);
  g_assert_cmpint (out[4], ==, 5);
}

static void
test_png (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *raw = g_build_filename (dir, "x.rgb", NULL);
  g_autofree char *result = NULL;
  g_autoptr(GError) error = NULL;
  const int w = 37, h = 21;   /* odd sizes: rows are not padded in the file */
  g_autofree guint8 *rgb = g_new (guint8, w * h * 3);
  GRand *rand = g_rand_new_with_seed (7);
  const char *argv[] = { png, raw, "37", "21", NULL };

  for (int i = 0; i < w * h * 3; i++)
    rgb[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  g_assert_true (sa_png_write_rgb (png, rgb, w, h, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (raw, (const char *) rgb, w * h * 3, NULL));
  result = sa_test_python ("tests/py/png_oracle.py", argv);
  if (result != NULL)
    g_assert_cmpstr (g_strstrip (result), ==, "ok");

  /* An unwritable place: one error naming it. */
  {
    g_autofree char *bad = g_build_filename (dir, "missing", "x.png", NULL);

    g_assert_false (sa_png_write_rgb (bad, rgb, w, h, &error));
    g_assert_nonnull (strstr (error->message, "missing"));
  }
}

static void
test_cross (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  g_autofree char *movie = g_build_filename (dir, "movie.mp4", NULL);
  g_autofree char *pairs = g_build_filename (dir, "pairs.tsv", NULL);
  g_autofree char *json = g_build_filename (dir, "cross.json", NULL);
  g_autofree char *frames = g_build_filename (dir, "frames", NULL);
  g_autofree char *thumb = g_build_filename (frames, "tr-0003.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *mk[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                       "testsrc2=size=64x48:rate=4:duration=10", "-c:v", "libx264",
                       "-pix_fmt", "yuv420p", movie, NULL };
  /* 5 TRs × 3 filters. */
  const float acts[] = { 0, 1, 2,   1, 0, 2,   2, 0, 1,   3, 9, 0,   1, 1, 1 };
  SaCrossOptions o = { pairs, acts, 5, 3, movie, 2.0, 2, 32, 24, frames };
  JsonArray *list, *fr;
  JsonObject *first;
  int status = 0;

  if (ffmpeg == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) mk, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_set_contents (pairs,
                                      "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
                                      "fbn-001\t1\t0.8\t0.001\t0.01\ttrue\tCalcarine_L (40%)\tdog\n",
                                      -1, NULL));
  g_assert_true (sa_cross_annotation_write (&o, json, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "Annotations");
  g_assert_cmpint (json_array_get_length (list), ==, 1);
  first = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "fbn_label"), ==, "Calcarine_L (40%)");
  g_assert_cmpstr (json_object_get_string_member (first, "filter_label"), ==, "dog");
  fr = json_object_get_array_member (first, "frames");
  g_assert_cmpint (json_array_get_length (fr), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (fr, 0), "tr"), ==, 3);
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (fr, 0), "time"),
                     ==, 8.0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fr, 0), "thumbnail"),
                   ==, "frames/tr-0003.png");
  g_assert_true (g_file_test (thumb, G_FILE_TEST_EXISTS));

  /* A pairs table naming a filter the activations lack. */
  g_assert_true (g_file_set_contents (pairs, "fbn\tfilter\nfbn-001\t7\n", -1, NULL));
  g_assert_false (sa_cross_annotation_write (&o, json, NULL, &error));
  g_assert_nonnull (strstr (error->message, "pairs.tsv"));
  g_assert_nonnull (strstr (error->message, "3 filters"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compute/frames/top", test_top);
  g_test_add_func ("/compute/frames/png", test_png);
  g_test_add_func ("/compute/frames/cross", test_cross);
  return g_test_run ();
}
