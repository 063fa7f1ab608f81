/* Loading a dataset's derivatives into the window, and the job runner. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>

#include "app/application.h"
#include "compute/ann/activations.h"
#include "compute/error.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"
#include "ui/job-runner.h"
#include "ui/pipeline-job.h"
#include "ui/results-loader.h"
#include "ui/summary-view.h"
#include "ui/window.h"
#include "tests/ui/fixture-workbench.h"

#define M 3     /* FBNs */
#define K 5     /* filters */
#define T 40    /* TRs */
#define TR 2.0

static double
fbn_value (int i, int t)
{
  return sin (0.3 * (i + 1) * t) + 0.1 * i;
}

static double
filter_value (int j, int t)
{
  /* Filter j tracks FBN j % M with some of its own signal. */
  return fbn_value (j % M, t) * (1 + 0.2 * j) + 0.5 * cos (0.7 * (j + 2) * t);
}

/* A dataset folder with only derivatives/syncact, as `syncact run` leaves
 * it; @pairs_filter0 is FBN 1's filter in the pairs table. */
static char *
make_dataset (int pairs_filter0)
{
  g_autofree char *root = sa_test_tmpdir ();
  g_autofree char *dir = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaActivations) acts = sa_activations_new (T, K);
  double affine[4][4] = { { 4, 0, 0, -20 }, { 0, 4, 0, -24 }, { 0, 0, 4, -16 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) maps = sa_volume_new (10, 12, 8, M, affine);
  GString *tsv = g_string_new ("fbn-001\tfbn-002\tfbn-003\n");

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (gsize v = 0; v < (gsize) 10 * 12 * 8 * M; v++)
    maps->data[v] = (float) ((v * 37) % 101) / 100.0f - 0.5f;
  path = g_build_filename (dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_assert_true (sa_volume_save (maps, path, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);

  for (int t = 0; t < T; t++)
    g_string_append_printf (tsv, "%.9g\t%.9g\t%.9g\n", fbn_value (0, t), fbn_value (1, t), fbn_value (2, t));
  path = g_build_filename (dir, "task-movie_run-1_desc-FBN_mixing.tsv", NULL);
  g_assert_true (g_file_set_contents (path, tsv->str, -1, NULL));
  g_string_free (tsv, TRUE);
  g_clear_pointer (&path, g_free);

  for (int t = 0; t < T; t++)
    for (int j = 0; j < K; j++)
      acts->data[t * K + j] = (float) filter_value (j, t);
  acts->tr = TR;
  acts->model = g_strdup ("builtin:democnn");
  acts->layer = g_strdup ("conv2");
  path = g_build_filename (dir, "task-movie_run-1_model-democnn_layer-conv2_desc-activations_stim.h5", NULL);
  g_assert_true (sa_activations_save (acts, path, &error));
  g_assert_no_error (error);
  g_clear_pointer (&path, g_free);

  path = g_build_filename (dir, "task-movie_run-1_model-democnn_layer-conv2_desc-fbn2filter_pairs.tsv", NULL);
  {
    g_autofree char *text = g_strdup_printf (
      "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
      "fbn-001\t%d\t0.9\t0.001\t0.01\ttrue\tVisual cortex\tn/a\n"
      "fbn-002\t1\t0.8\t0.002\t0.2\tfalse\tn/a\tstripes\n"
      "fbn-003\t2\t0.7\t0.003\t0.03\ttrue\tn/a\tn/a\n", pairs_filter0);
    g_assert_true (g_file_set_contents (path, text, -1, NULL));
  }
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "summary.tsv", NULL);
  g_assert_true (g_file_set_contents (path,
    "model\tlayer\trun\tdirection\tmean_r\tpairs\tnon_significant\n"
    "democnn\tconv2\t1\tfbn2filter\t0.8123456\t3\t0.333\n"
    "democnn\tconv2\t1\tfilter2fbn\t0.61\t5\t0.2\n", -1, NULL));
  return g_steal_pointer (&root);
}

static double
pearson (int i, int j)
{
  double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;

  for (int t = 0; t < T; t++)
    mx += (float) fbn_value (i, t) / T, my += (float) filter_value (j, t) / T;
  for (int t = 0; t < T; t++)
    {
      double x = (float) fbn_value (i, t) - mx, y = (float) filter_value (j, t) - my;
      sxy += x * y, sxx += x * x, syy += y * y;
    }
  return sxy / sqrt (sxx * syy);
}

static void
test_load (void)
{
  g_autofree char *root = make_dataset (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaWorkbench) wb = sa_results_load (root, NULL, &error);
  g_autofree char *label = NULL, *flabel = NULL;
  const float *r, *course;
  const SaPair *pair;
  SaSliceVolume map;

  g_assert_no_error (error);
  g_assert_true (sa_results_exist (root));
  g_assert_cmpint (sa_workbench_get_n_fbns (wb), ==, M);
  g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, K);
  g_assert_cmpint (sa_workbench_get_n_tr (wb), ==, T);
  g_assert_cmpfloat_with_epsilon (sa_workbench_get_tr (wb), TR, 1e-12);
  course = sa_workbench_get_fbn_course (wb, 1);
  g_assert_cmpfloat_with_epsilon (course[7], fbn_value (1, 7), 1e-6);
  course = sa_workbench_get_filter_course (wb, 4);
  g_assert_cmpfloat_with_epsilon (course[11], filter_value (4, 11), 1e-5);

  r = sa_workbench_get_correlations (wb);
  for (int i = 0; i < M; i++)
    for (int j = 0; j < K; j++)
      g_assert_cmpfloat_with_epsilon (r[i * K + j], pearson (i, j), 1e-5);

  /* The table's pairs and statistics as written, not recomputed. */
  pair = sa_workbench_get_pair (wb, 0);
  g_assert_nonnull (pair);
  g_assert_cmpint (pair->filter, ==, 3);
  g_assert_cmpfloat (pair->p_fwer, ==, 0.01);
  g_assert_true (pair->significant);
  pair = sa_workbench_get_pair (wb, 1);
  g_assert_cmpint (pair->filter, ==, 1);
  g_assert_false (pair->significant);
  label = sa_workbench_dup_fbn_label (wb, 0);
  g_assert_cmpstr (label, ==, "fbn-001 Visual cortex");
  flabel = sa_workbench_dup_filter_label (wb, 1);
  g_assert_cmpstr (flabel, ==, "filter 1 stripes");

  g_assert_true (sa_workbench_get_map (wb, 2, &map));
  g_assert_cmpint (map.nx, ==, 10);
  g_assert_cmpint (map.nz, ==, 8);
  g_assert_nonnull (sa_workbench_get_anatomy (wb));
}

static void
test_errors (void)
{
  g_autofree char *root = make_dataset (7);   /* filter 7 of 5 */
  g_autofree char *empty = sa_test_tmpdir ();
  g_autofree char *h5 = NULL;
  g_autoptr(GError) error = NULL;
  SaWorkbench *wb;

  wb = sa_results_load (root, NULL, &error);
  g_assert_null (wb);
  g_assert_error (error, SA_ERROR, SA_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "_desc-fbn2filter_pairs.tsv"));
  g_assert_nonnull (strstr (error->message, "filter 7"));
  g_clear_error (&error);

  /* The pairs table names activations that are gone. */
  h5 = g_build_filename (root, "derivatives", "syncact",
                         "task-movie_run-1_model-democnn_layer-conv2_desc-activations_stim.h5", NULL);
  g_assert_cmpint (g_unlink (h5), ==, 0);
  wb = sa_results_load (root, NULL, &error);
  g_assert_null (wb);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, h5));
  g_clear_error (&error);

  g_assert_false (sa_results_exist (empty));
  wb = sa_results_load (empty, NULL, &error);
  g_assert_null (wb);
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "derivatives/syncact"));
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer data)
{
  (*(int *) data)++;
}

#define N_REPORTS 200000

static gpointer
spin_job (gpointer          data,
          const SaProgress *progress,
          GCancellable     *cancellable,
          GError          **error)
{
  int *reached = data;

  for (int i = 0; i < N_REPORTS; i++)
    {
      sa_progress_report (progress, (double) i / N_REPORTS, "spinning");
      g_atomic_int_set (reached, i);
    }
  while (!g_cancellable_is_cancelled (cancellable))
    g_usleep (1000);
  sa_check_cancelled (cancellable, error);
  return NULL;
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **out = user_data;
  gpointer r = sa_job_runner_finish (SA_JOB_RUNNER (source), result, out);

  g_assert_null (r);
}

static void
test_job_cancel (void)
{
  g_autoptr(SaJobRunner) runner = sa_job_runner_new ();
  GError *error = NULL;
  int notifies = 0, reached = 0;
  gint64 end;

  g_signal_connect (runner, "notify::fraction", G_CALLBACK (count_notify), &notifies);
  g_assert_true (sa_job_runner_start (runner, "spin", spin_job, &reached, NULL, NULL, job_done, &error));
  g_assert_true (sa_job_runner_get_running (runner));
  /* One job at a time. */
  g_assert_false (sa_job_runner_start (runner, "again", spin_job, &reached, NULL, NULL, NULL, NULL));

  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_atomic_int_get (&reached) < N_REPORTS - 1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (g_atomic_int_get (&reached), ==, N_REPORTS - 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat (sa_job_runner_get_fraction (runner), >, 0.99);
  g_assert_nonnull (strstr (sa_job_runner_get_text (runner), "spinning"));
  /* Coalesced: far fewer main-loop updates than reports. */
  g_test_message ("%d notifications for %d reports", notifies, N_REPORTS);
  g_assert_cmpint (notifies, <, N_REPORTS / 10);

  sa_job_runner_cancel (runner);
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (sa_job_runner_get_running (runner) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sa_job_runner_get_running (runner));
  g_assert_error (error, SA_ERROR, SA_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A second job starts after the first ended. */
  g_assert_nonnull (sa_job_format_eta (65));
  {
    g_autofree char *eta = sa_job_format_eta (65);
    g_assert_cmpstr (eta, ==, "1 min 05 s left");
  }
}

static void
set_loaded (SaWindow *window, gboolean ok, gpointer data)
{
  *(int *) data = ok ? 1 : 2;
}

static void
wait_loaded (int *loaded)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*loaded == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_window_open (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autofree char *root = make_dataset (3);
  g_autofree char *bad = make_dataset (9);
  g_autoptr(GFile) folder = g_file_new_for_path (root);
  g_autoptr(GFile) bad_folder = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(SaJobRunner) runner = NULL;
  SaWindow *window;
  int loaded = 0;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = sa_window_new (app);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_open_dataset (window, folder);
  g_assert_true (sa_job_runner_get_running (sa_window_get_job_runner (window)));
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 1);
  g_assert_nonnull (sa_window_get_workbench (window));
  g_assert_cmpint (sa_workbench_get_n_fbns (sa_window_get_workbench (window)), ==, M);
  g_assert_cmpint (sa_workbench_get_selected_fbn (sa_window_get_workbench (window)), ==, 0);
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-datasets");
    g_assert_cmpstr (recent[0], ==, root);
  }

  /* The results table shows summary.tsv's rows, rounded for reading. */
  {
    g_autoptr(GError) err = NULL;
    GtkWidget *table = sa_window_show_summary (window, &err);
    SaSummaryView *view;
    g_autofree char *mean = NULL, *direction = NULL;

    g_assert_no_error (err);
    g_assert_nonnull (table);
    view = SA_SUMMARY_VIEW (sa_fixture_find_child (table, SA_TYPE_SUMMARY_VIEW));
    g_assert_nonnull (view);
    g_assert_cmpuint (sa_summary_view_get_n_rows (view), ==, 2);
    mean = sa_summary_view_dup_cell (view, 0, "mean_r");
    g_assert_cmpstr (mean, ==, "0.812");
    direction = sa_summary_view_dup_cell (view, 1, "direction");
    g_assert_cmpstr (direction, ==, "filter2fbn");
    g_assert_null (sa_summary_view_dup_cell (view, 0, "non_significant_fwer"));
    gtk_window_destroy (GTK_WINDOW (table));
  }

  /* A bad dataset: an error dialog naming the file, results unchanged. */
  loaded = 0;
  sa_window_open_dataset (window, bad_folder);
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 2);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
        char *label = NULL;

        if (!GTK_IS_MESSAGE_DIALOG (w))
          continue;
        g_object_get (w, "secondary-text", &label, NULL);
        found = TRUE;
        g_assert_nonnull (strstr (label, "_desc-fbn2filter_pairs.tsv"));
        g_free (label);
        gtk_window_destroy (w);
      }
    g_assert_true (found);
  }

  /* Closing while loading cancels and drops the result. */
  loaded = 0;
  sa_window_open_dataset (window, folder);
  runner = g_object_ref (sa_window_get_job_runner (window));
  g_assert_true (sa_job_runner_get_running (runner));
  gtk_window_destroy (GTK_WINDOW (window));
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (sa_job_runner_get_running (runner) && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_false (sa_job_runner_get_running (runner));
  g_assert_cmpint (loaded, ==, 0);
}

/* A stand-in for the syncact executable: `demo` makes a folder, `run`
 * prints progress as the real one does and copies finished derivatives in
 * (or fails, or hangs, on request). The window's side is what is tested. */
static char *
fake_syncact (const char *derivatives,
              const char *mode)
{
  g_autofree char *dir = sa_test_tmpdir ();
  char *path = g_build_filename (dir, "syncact", NULL);
  g_autofree char *script = g_strdup_printf (
    "#!/bin/sh\n"
    "case \"$1\" in\n"
    "demo) mkdir -p \"$3\" && echo 'demo: 100%%' && exit 0;;\n"
    "run)\n"
    "  echo '[1/2] train'; echo 'train: 50%%'\n"
    "  [ '%s' = fail ] && { echo 'syncact run: sub-01_bold.nii.gz: not a NIfTI file'; exit 1; }\n"
    "  [ '%s' = hang ] && exec sleep 60\n"
    "  mkdir -p \"$2/derivatives\" && cp -r '%s' \"$2/derivatives/syncact\"\n"
    "  echo '[2/2] pair'; exit 0;;\n"
    "esac\nexit 2\n", mode, mode, derivatives);

  g_assert_true (g_file_set_contents (path, script, -1, NULL));
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
  return path;
}

static void
test_progress_lines (void)
{
  int stage = 0, n = 0;
  double f = -1;

  g_assert_true (sa_pipeline_parse_line ("[2/4] extract", &stage, &n, &f));
  g_assert_cmpfloat_with_epsilon (f, 0.25, 1e-12);
  g_assert_true (sa_pipeline_parse_line ("extract conv2: 50% ETA 00:03", &stage, &n, &f));
  g_assert_cmpfloat_with_epsilon (f, 0.375, 1e-12);
  g_assert_false (sa_pipeline_parse_line ("summary: derivatives/syncact/summary.tsv", &stage, &n, &f));

  /* syncact run's one bar: its percentage is of the whole run, and step
   * headers or inner percentages no longer move the fraction. */
  g_assert_true (sa_pipeline_parse_line ("run: 40% [2/5] task-movie conv3 extract conv3", &stage, &n, &f));
  g_assert_cmpfloat_with_epsilon (f, 0.40, 1e-12);
  g_assert_false (sa_pipeline_parse_line ("[3/5] task-movie_run-1, builtin:democnn conv3", &stage, &n, &f));
  g_assert_false (sa_pipeline_parse_line ("fbn2filter: 8 pairs, mean r 0.1, not significant: 50.0% parametric", &stage, &n, &f));
  g_assert_true (sa_pipeline_parse_line ("run: 85% [3/5] task-movie conv3", &stage, &n, &f));
  g_assert_cmpfloat_with_epsilon (f, 0.85, 1e-12);
  g_assert_false (sa_pipeline_parse_line ("run: [1/3] embedding train: FastICA", &stage, &n, &f));
}

static void
test_first_start (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autofree char *source = make_dataset (3);
  g_autofree char *derivatives = g_build_filename (source, "derivatives", "syncact", NULL);
  g_autofree char *cache = sa_test_tmpdir ();
  g_autofree char *real_exe = g_strdup (g_getenv ("SYNCACT_EXE"));
  g_autofree char *ok = fake_syncact (derivatives, "ok");
  g_autofree char *fail = fake_syncact (derivatives, "fail");
  g_autofree char *hang = fake_syncact (derivatives, "hang");
  g_autofree char *demo = g_build_filename (cache, "syncact", "demo", NULL);
  g_autofree char *plain = sa_test_tmpdir ();
  g_autoptr(GFile) plain_folder = g_file_new_for_path (plain);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) shown = NULL;
  SaWindow *window;
  int loaded = 0;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));

  /* No demo yet: made, its results computed, then shown. */
  g_setenv ("SYNCACT_EXE", ok, TRUE);
  sa_window_open_demo (window, cache);
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 1);
  g_assert_true (g_file_test (demo, G_FILE_TEST_IS_DIR));
  g_assert_true (sa_results_exist (demo));
  g_assert_cmpint (sa_workbench_get_n_fbns (sa_window_get_workbench (window)), ==, M);
  shown = g_file_new_for_path (demo);
  g_assert_true (g_file_equal (sa_window_get_dataset (window), shown));

  /* A dataset without results whose pipeline fails: its message shown. */
  loaded = 0;
  g_setenv ("SYNCACT_EXE", fail, TRUE);
  sa_window_open_dataset (window, plain_folder);
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 2);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
        char *text = NULL;

        if (!GTK_IS_MESSAGE_DIALOG (w))
          continue;
        g_object_get (w, "secondary-text", &text, NULL);
        found = g_str_equal (text, "syncact run: sub-01_bold.nii.gz: not a NIfTI file");
        g_free (text);
        gtk_window_destroy (w);
      }
    g_assert_true (found);
  }

  /* Cancel while the pipeline runs: the child is stopped, nothing shown
   * changes, no dialog. */
  loaded = 0;
  g_setenv ("SYNCACT_EXE", hang, TRUE);
  sa_window_open_dataset (window, plain_folder);
  {
    SaJobRunner *runner = sa_window_get_job_runner (window);
    gint64 start = g_get_monotonic_time ();

    /* Until the child's first progress line arrives (a loaded machine can
     * take seconds to start it). */
    while (g_get_monotonic_time () - start < 15 * G_USEC_PER_SEC &&
           (sa_job_runner_get_text (runner) == NULL ||
            strstr (sa_job_runner_get_text (runner), "train") == NULL))
      g_main_context_iteration (NULL, FALSE);
    g_assert_true (sa_job_runner_get_running (runner));
    g_assert_nonnull (strstr (sa_job_runner_get_text (runner), "train"));
    sa_job_runner_cancel (runner);
    wait_loaded (&loaded);
    g_assert_cmpint (loaded, ==, 2);
    /* Well before the child's 60 s sleep would have ended. */
    g_assert_cmpint (g_get_monotonic_time () - start, <, 35 * G_USEC_PER_SEC);
  }
  g_assert_cmpint (sa_workbench_get_n_fbns (sa_window_get_workbench (window)), ==, M);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);
        g_assert_false (GTK_IS_MESSAGE_DIALOG (w));
      }
  }
  gtk_window_destroy (GTK_WINDOW (window));
  if (real_exe)
    g_setenv ("SYNCACT_EXE", real_exe, TRUE);
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The README's pictures: SA_SCREENSHOT_DATASET (a dataset with results)
 * opened in the window, saved into SA_SCREENSHOT_DIR. */
static void
test_screenshots (void)
{
  const char *dataset = g_getenv ("SA_SCREENSHOT_DATASET");
  const char *out = g_getenv ("SA_SCREENSHOT_DIR");
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *main_png = NULL, *table_png = NULL;
  SaWindow *window;
  GtkWidget *table;
  SaWorkbench *wb;
  int loaded = 0, best = 0;

  if (dataset == NULL || out == NULL)
    {
      g_test_skip ("set SA_SCREENSHOT_DATASET and SA_SCREENSHOT_DIR");
      return;
    }
  g_application_register (G_APPLICATION (app), NULL, &error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  folder = g_file_new_for_path (dataset);
  {
    gint64 start = g_get_monotonic_time ();

    sa_window_open_dataset (window, folder);
    wait_loaded (&loaded);
    g_test_message ("open to shown: %.2f s", (g_get_monotonic_time () - start) / 1e6);
  }
  g_assert_cmpint (loaded, ==, 1);
  wb = sa_window_get_workbench (window);
  /* The FBN with the strongest pair, a third into the movie. */
  for (int i = 0; i < sa_workbench_get_n_fbns (wb); i++)
    if (sa_workbench_get_pair (wb, i)->r > sa_workbench_get_pair (wb, best)->r)
      best = i;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", best));
  sa_workbench_set_time (wb, sa_workbench_get_duration (wb) / 3);
  settle (1500);
  main_png = g_build_filename (out, "window.png", NULL);
  save_png (GTK_WIDGET (window), main_png);

  table = sa_window_show_summary (window, &error);
  g_assert_no_error (error);
  gtk_window_set_default_size (GTK_WINDOW (table), 900, -1);
  settle (1000);
  table_png = g_build_filename (out, "results-table.png", NULL);
  save_png (table, table_png);
  gtk_window_destroy (GTK_WINDOW (table));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
ignore_no_bus (const char *log_domain, GLogLevelFlags log_level, const char *message, gpointer user_data)
{
  return strstr (message, "session bus") == NULL;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (ignore_no_bus, NULL);
  g_test_add_func ("/ui/results/load", test_load);
  g_test_add_func ("/ui/results/errors", test_errors);
  g_test_add_func ("/ui/jobs/cancel", test_job_cancel);
  g_test_add_func ("/ui/jobs/progress-lines", test_progress_lines);
  if (gtk_init_check ())
    {
      g_test_add_func ("/ui/results/window", test_window_open);
      g_test_add_func ("/ui/results/first-start", test_first_start);
      g_test_add_func ("/ui/results/screenshots", test_screenshots);
    }
  return g_test_run ();
}
