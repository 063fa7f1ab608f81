/* A run whose movie starts 2 TRs after the BOLD (events onset 4 s, TR 2 s):
 * `syncact run` extracts activations from the movie's start and pairs with
 * `--first-tr 2`, so the window must drop the same 2 TRs from the FBN time
 * courses: traces, r and the frame shown at a TR all line up as paired. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/application.h"
#include "compute/ann/activations.h"
#include "compute/io/movie.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"
#include "ui/results-loader.h"
#include "ui/window.h"

#define M 3     /* FBNs */
#define K 4     /* filters */
#define T 20    /* run TRs */
#define LEAD 2  /* TRs before the movie */
#define TR 2.0

static double
fbn_value (int i, int t)
{
  return sin (0.5 * (i + 1) * t) + 0.1 * i;
}

/* Filter j follows FBN j % M over the movie's TRs (run TR t + LEAD). */
static double
filter_value (int j, int t)
{
  return fbn_value (j % M, t + LEAD) * (1 + 0.3 * j) + 0.2 * cos (0.9 * (j + 1) * t);
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* Raw BIDS (one subject, its events, the movie) plus the derivatives
 * `syncact run` writes for it; NULL without ffmpeg. */
static char *
make_dataset (void)
{
  g_autofree char *ffmpeg = g_find_program_in_path ("ffmpeg");
  char *root = sa_test_tmpdir ();
  g_autofree char *func = g_build_filename (root, "sub-01", "func", NULL);
  g_autofree char *stimuli = g_build_filename (root, "stimuli", NULL);
  g_autofree char *der = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *movie = g_build_filename (stimuli, "movie.mp4", NULL);
  g_autofree char *source = g_strdup_printf ("testsrc2=size=64x48:rate=4:duration=%g",
                                             (T - LEAD) * TR + 1);
  g_autofree char *events = g_strdup_printf ("onset\tduration\tstim_file\n%g\t%g\tmovie.mp4\n",
                                             LEAD * TR, (T - LEAD) * TR);
  const char *mk[] = { ffmpeg, "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                       "-c:v", "libx264", "-pix_fmt", "yuv420p", movie, NULL };
  double affine[4][4] = { { 4, 0, 0, -20 }, { 0, 4, 0, -24 }, { 0, 0, 4, -16 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) bold = sa_volume_new (6, 6, 4, T, affine);
  g_autoptr(SaVolume) maps = sa_volume_new (6, 6, 4, M, affine);
  g_autoptr(SaActivations) acts = sa_activations_new (T - LEAD, K);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GString *tsv;
  int status = 0;

  if (ffmpeg == NULL)
    {
      g_free (root);
      return NULL;
    }
  g_assert_cmpint (g_mkdir_with_parents (func, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (stimuli, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (der, 0755), ==, 0);
  g_assert_true (g_spawn_sync (NULL, (char **) mk, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  write_file (root, "dataset_description.json", "{\"Name\": \"onset\", \"BIDSVersion\": \"1.8.0\"}");
  write_file (root, "task-movie_bold.json", "{\"RepetitionTime\": 2.0}");
  write_file (func, "sub-01_task-movie_events.tsv", events);
  for (gsize v = 0; v < (gsize) 6 * 6 * 4 * T; v++)
    bold->data[v] = 100 + (float) ((v * 37) % 11);
  bold->tr = TR;
  path = g_build_filename (func, "sub-01_task-movie_bold.nii", NULL);
  g_assert_true (sa_volume_save (bold, path, FALSE, &error));
  g_assert_no_error (error);

  for (gsize v = 0; v < (gsize) 6 * 6 * 4 * M; v++)
    maps->data[v] = (float) ((v * 37) % 101) / 100.0f - 0.5f;
  g_clear_pointer (&path, g_free);
  path = g_build_filename (der, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_assert_true (sa_volume_save (maps, path, TRUE, &error));
  g_assert_no_error (error);

  /* The mixing covers the whole run, the activations the movie. */
  tsv = g_string_new ("fbn-001\tfbn-002\tfbn-003\n");
  for (int t = 0; t < T; t++)
    g_string_append_printf (tsv, "%.9g\t%.9g\t%.9g\n", fbn_value (0, t), fbn_value (1, t),
                            fbn_value (2, t));
  write_file (der, "task-movie_desc-FBN_mixing.tsv", tsv->str);
  g_string_free (tsv, TRUE);
  for (int t = 0; t < T - LEAD; t++)
    for (int j = 0; j < K; j++)
      acts->data[t * K + j] = (float) filter_value (j, t);
  acts->tr = TR;
  acts->model = g_strdup ("builtin:democnn");
  acts->layer = g_strdup ("conv2");
  g_clear_pointer (&path, g_free);
  path = g_build_filename (der, "task-movie_model-democnn_layer-conv2_desc-activations_stim.h5", NULL);
  g_assert_true (sa_activations_save (acts, path, &error));
  g_assert_no_error (error);
  return root;
}

/* r of FBN @i against filter @j over the movie's TRs, as `pair --first-tr`. */
static double
expected_r (int i, int j)
{
  int n = T - LEAD;
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;

  for (int t = 0; t < n; t++)
    {
      mx += fbn_value (i, t + LEAD) / n;
      my += (float) filter_value (j, t) / n;
    }
  for (int t = 0; t < n; t++)
    {
      double x = fbn_value (i, t + LEAD) - mx, y = (float) filter_value (j, t) - my;

      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
  return sxy / sqrt (sxx * syy);
}

static void
check_workbench (SaWorkbench *wb,
                 const char  *root)
{
  g_autofree char *movie_path = g_build_filename (root, "stimuli", "movie.mp4", NULL);
  g_autoptr(SaMovie) movie = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *rgb = NULL;
  const float *r;
  SaFrame frame;

  g_assert_cmpint (sa_workbench_get_n_tr (wb), ==, T - LEAD);
  g_assert_cmpint (sa_workbench_get_n_fbns (wb), ==, M);
  g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, K);
  /* The traces: workbench TR t is the run's TR t + LEAD for the FBNs and
   * the movie's TR t for the filters, as paired. */
  for (int i = 0; i < M; i++)
    for (int t = 0; t < T - LEAD; t++)
      g_assert_cmpfloat_with_epsilon (sa_workbench_get_fbn_course (wb, i)[t], fbn_value (i, t + LEAD), 1e-6);
  for (int j = 0; j < K; j++)
    for (int t = 0; t < T - LEAD; t++)
      g_assert_cmpfloat_with_epsilon (sa_workbench_get_filter_course (wb, j)[t], filter_value (j, t), 1e-5);
  r = sa_workbench_get_correlations (wb);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < K; j++)
      g_assert_cmpfloat_with_epsilon (r[i * K + j], expected_r (i, j), 1e-5);
  /* Pairs by argmax r over the aligned rows (no pairs table). */
  for (int i = 0; i < M; i++)
    {
      int best = 0;

      for (int j = 1; j < K; j++)
        if (expected_r (i, j) > expected_r (i, best))
          best = j;
      g_assert_cmpint (sa_workbench_get_pair (wb, i)->filter, ==, best);
      g_assert_cmpint (best % M, ==, i);
    }

  /* The cursor on workbench TR 5 shows the movie's TR 5. */
  sa_workbench_set_time (wb, 5.5 * TR);
  g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, 5);
  g_assert_true (sa_workbench_get_frame (wb, sa_workbench_get_tr_index (wb), &frame));
  movie = sa_movie_open (movie_path, &error);
  g_assert_no_error (error);
  rgb = g_malloc ((gsize) frame.width * frame.height * 3);
  {
    const SaMovieInfo *info = sa_movie_get_info (movie);
    gint64 index = sa_movie_frame_for_tr (movie, 5, TR);
    double diff = 0;

    g_assert_true (sa_movie_frame_at (movie, (index + 0.5) / info->fps, frame.width, frame.height,
                                      SA_RESIZE_BILINEAR_AA, rgb, NULL, &error));
    g_assert_no_error (error);
    for (int y = 0; y < frame.height; y++)
      for (int x = 0; x < frame.width * 3; x++)
        diff += fabs ((double) frame.rgb[y * frame.stride + x] - rgb[y * frame.width * 3 + x]);
    diff /= (double) frame.width * frame.height * 3;
    g_test_message ("frame at TR 5 vs the movie's TR 5: mean |diff| %.2f", diff);
    g_assert_cmpfloat (diff, <, 2.0);
  }
}

static void
test_open (void)
{
  g_autofree char *root = make_dataset ();
  g_autoptr(SaResults) results = NULL;
  g_autoptr(GError) error = NULL;

  if (root == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  results = sa_results_open (root, NULL, SA_RESULTS_LOAD_FRAMES, NULL, &error);
  g_assert_no_error (error);
  check_workbench (results->workbench, root);
}

static void
set_loaded (SaWindow *window, gboolean ok, gpointer data)
{
  *(int *) data = ok ? 1 : 2;
}

/* The window opens it (it refused before: 20 FBN TRs against 18). */
static void
test_window (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autofree char *root = make_dataset ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  SaWindow *window;
  gint64 end;
  int loaded = 0;

  if (root == NULL)
    {
      g_test_skip ("no ffmpeg command");
      return;
    }
  folder = g_file_new_for_path (root);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_open_dataset (window, folder);
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (loaded == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (loaded, ==, 1);
  check_workbench (sa_window_get_workbench (window), root);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Xvfb's missing session bus and GL only warn. */
static gboolean
ignore_expected (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  return strstr (message, "session bus") == NULL && strstr (message, "GL") == NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_expected, NULL);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_test_add_func ("/ui/results-onset/open", test_open);
  g_test_add_func ("/ui/results-onset/window", test_window);
  return g_test_run ();
}
