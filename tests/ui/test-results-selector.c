/* Choosing among runs, models and layers: the results index on a
 * derivatives folder with two runs and two layers, and the window's
 * selector and results table switching what the panes show. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/application.h"
#include "compute/ann/activations.h"
#include "compute/error.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"
#include "ui/heatmap-view.h"
#include "ui/job-runner.h"
#include "ui/results-index.h"
#include "ui/results-selector.h"
#include "ui/summary-view.h"
#include "ui/window.h"
#include "tests/ui/fixture-workbench.h"

#define M 3     /* FBNs */
#define T 40    /* TRs */
#define TR 2.0

static double
fbn_value (int run, int i, int t)
{
  return sin (0.3 * (i + 1) * t + run) + 0.1 * i;
}

/* conv2 has 5 filters, conv3 8; each tracks an FBN with its own signal. */
static double
filter_value (int run, int layer, int j, int t)
{
  return fbn_value (run, (j + layer) % M, t) * (1 + 0.2 * j) + 0.5 * cos (0.7 * (j + 2 + layer) * t);
}

static void
write_file (const char *dir, const char *name, const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
write_acts (const char *dir, int run, int layer, int k)
{
  g_autoptr(SaActivations) acts = sa_activations_new (T, k);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("task-movie_run-%d_model-democnn_layer-conv%d_desc-activations_stim.h5",
                                           run, layer);
  g_autofree char *path = g_build_filename (dir, name, NULL);

  for (int t = 0; t < T; t++)
    for (int j = 0; j < k; j++)
      acts->data[t * k + j] = (float) filter_value (run, layer, j, t);
  acts->tr = TR;
  acts->model = g_strdup ("builtin:democnn");
  acts->layer = g_strdup_printf ("conv%d", layer);
  g_assert_true (sa_activations_save (acts, path, &error));
  g_assert_no_error (error);
}

/* run-1 × {conv2, conv3} and run-2 × conv2; only run-1 conv2 has a pairs
 * table (with significant pairs: the default), the others pair by argmax. */
static char *
make_dataset (void)
{
  char *root = sa_test_tmpdir ();
  g_autofree char *dir = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  double affine[4][4] = { { 4, 0, 0, -20 }, { 0, 4, 0, -24 }, { 0, 0, 4, -16 }, { 0, 0, 0, 1 } };
  g_autoptr(SaVolume) maps = sa_volume_new (10, 12, 8, M, affine);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  for (gsize v = 0; v < (gsize) 10 * 12 * 8 * M; v++)
    maps->data[v] = (float) ((v * 37) % 101) / 100.0f - 0.5f;
  path = g_build_filename (dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_assert_true (sa_volume_save (maps, path, TRUE, &error));
  g_assert_no_error (error);

  for (int run = 1; run <= 2; run++)
    {
      GString *tsv = g_string_new ("fbn-001\tfbn-002\tfbn-003\n");
      g_autofree char *name = g_strdup_printf ("task-movie_run-%d_desc-FBN_mixing.tsv", run);

      for (int t = 0; t < T; t++)
        g_string_append_printf (tsv, "%.9g\t%.9g\t%.9g\n", fbn_value (run, 0, t),
                                fbn_value (run, 1, t), fbn_value (run, 2, t));
      write_file (dir, name, tsv->str);
      g_string_free (tsv, TRUE);
    }
  write_acts (dir, 1, 2, 5);
  write_acts (dir, 1, 3, 8);
  write_acts (dir, 2, 2, 5);
  write_file (dir, "task-movie_run-1_model-democnn_layer-conv2_desc-fbn2filter_pairs.tsv",
              "fbn\tfilter\tr\tp\tp_fwer\tsignificant\tfbn_label\tfilter_label\n"
              "fbn-001\t0\t0.9\t0.001\t0.01\ttrue\tn/a\tn/a\n"
              "fbn-002\t1\t0.8\t0.002\t0.2\tfalse\tn/a\tn/a\n"
              "fbn-003\t2\t0.7\t0.003\t0.03\ttrue\tn/a\tn/a\n");
  write_file (dir, "summary.tsv",
              "model\tlayer\trun\tdirection\tmean_r\tpairs\tnon_significant\n"
              "builtin:democnn\tconv2\ttask-movie_run-1\tfbn2filter\t0.8\t3\t0.33\n"
              "builtin:democnn\tconv3\ttask-movie_run-1\tfbn2filter\t0.7\t3\t0.5\n"
              "builtin:democnn\tconv2\ttask-movie_run-2\tfbn2filter\t0.6\t3\t0.5\n");
  return root;
}

static char *
names (GPtrArray *values)
{
  g_autofree char **v = g_new0 (char *, values->len + 1);

  for (guint i = 0; i < values->len; i++)
    v[i] = g_ptr_array_index (values, i);
  return g_strjoinv (",", v);
}

static void
test_index (void)
{
  g_autofree char *root = make_dataset ();
  g_autofree char *empty = sa_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SaResultsIndex) index = sa_results_index_new (root, &error);
  g_autofree char *runs = NULL, *layers = NULL, *models = NULL;
  const SaResultsEntry *e;

  g_assert_no_error (error);
  runs = names (index->runs);
  layers = names (index->layers);
  models = names (index->models);
  g_assert_cmpstr (runs, ==, "task-movie_run-1,task-movie_run-2");
  g_assert_cmpstr (layers, ==, "conv2,conv3");
  g_assert_cmpstr (models, ==, "democnn");
  g_assert_cmpuint (index->entries->len, ==, 3);
  g_assert_cmpuint (index->fbn_sets->len, ==, 1);

  e = sa_results_index_get_default (index);
  g_assert_cmpstr (e->layer, ==, "conv2");
  g_assert_cmpstr (e->run, ==, "task-movie_run-1");
  g_assert_cmpuint (e->n_significant, ==, 2);
  g_assert_nonnull (e->pairs);

  e = sa_results_index_lookup (index, NULL, NULL, "conv3", &error);
  g_assert_no_error (error);
  g_assert_null (e->pairs);
  g_assert_true (g_str_has_suffix (e->activations, "run-1_model-democnn_layer-conv3_desc-activations_stim.h5"));

  /* run-2 has no conv3: an error naming what there is. */
  g_assert_null (sa_results_index_lookup (index, "task-movie_run-2", NULL, "conv3", &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "task-movie_run-2 democnn conv2"));
  g_clear_error (&error);
  g_assert_null (sa_results_index_lookup (index, "run-9", NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "task-movie_run-1, task-movie_run-2"));
  g_clear_error (&error);

  /* A selector moving to run-2 while on conv3 lands on run-2's conv2. */
  e = sa_results_index_nearest (index, "task-movie_run-2", "democnn", "conv3", "run");
  g_assert_cmpstr (e->run, ==, "task-movie_run-2");
  g_assert_cmpstr (e->layer, ==, "conv2");
  e = sa_results_index_nearest (index, "task-movie_run-2", "democnn", "conv3", "layer");
  g_assert_cmpstr (e->run, ==, "task-movie_run-1");
  g_assert_cmpstr (e->layer, ==, "conv3");

  {
    g_autofree char *v = sa_results_entity_value ("builtin:democnn", TRUE);
    g_autofree char *w = sa_results_entity_value ("/models/resnet-18.pt", TRUE);
    g_autofree char *x = sa_results_entity_value ("features.10", FALSE);

    g_assert_cmpstr (v, ==, "democnn");
    g_assert_cmpstr (w, ==, "resnet18");
    g_assert_cmpstr (x, ==, "features10");
  }

  g_assert_null (sa_results_index_new (empty, &error));
  g_assert_error (error, SA_ERROR, SA_ERROR_NOT_FOUND);
}

/* A second FBN set (`train --rotate ica` keeps the unrotated maps as
 * desc-FBNunrotated): listed after "FBN"; the pairs tables, made for the
 * "FBN" set, are not applied to it. */
static void
test_fbn_sets (void)
{
  g_autofree char *root = make_dataset ();
  g_autofree char *dir = g_build_filename (root, "derivatives", "syncact", NULL);
  g_autofree char *src = g_build_filename (dir, "task-movie_desc-FBN_components.nii.gz", NULL);
  g_autofree char *dst = g_build_filename (dir, "task-movie_desc-FBNunrotated_components.nii.gz", NULL);
  g_autofree char *mix = g_build_filename (dir, "task-movie_run-1_desc-FBN_mixing.tsv", NULL);
  g_autofree char *mix2 = g_build_filename (dir, "task-movie_run-1_desc-FBNunrotated_mixing.tsv", NULL);
  g_autofree char *bytes = NULL, *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SaResultsIndex) index = NULL;
  g_autoptr(SaResults) a = NULL, b = NULL;
  gsize len;
  SaResultsChoice unrotated = { NULL, (char *) "FBNunrotated", NULL, NULL, NULL };
  SaResultsChoice nope = { NULL, (char *) "FBNx", NULL, NULL, NULL };

  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (dst, bytes, len, NULL));
  g_assert_true (g_file_get_contents (mix, &text, NULL, NULL));
  g_assert_true (g_file_set_contents (mix2, text, -1, NULL));

  index = sa_results_index_new (root, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (index->fbn_sets->len, ==, 2);
  g_assert_cmpstr (((SaFbnSet *) g_ptr_array_index (index->fbn_sets, 0))->name, ==, "FBN");
  g_assert_cmpstr (((SaFbnSet *) g_ptr_array_index (index->fbn_sets, 1))->name, ==, "FBNunrotated");

  a = sa_results_open (root, NULL, SA_RESULTS_LOAD_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  b = sa_results_open (root, &unrotated, SA_RESULTS_LOAD_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->fbn_set->name, ==, "FBNunrotated");
  /* The table says FBN 1 ↔ filter 0 with p_fwer 0.01; without it, the
   * argmax and its parametric p. */
  g_assert_cmpfloat (sa_workbench_get_pair (a->workbench, 0)->p_fwer, ==, 0.01);
  g_assert_true (isnan (sa_workbench_get_pair (b->workbench, 0)->p_fwer));
  for (int j = 0; j < sa_workbench_get_n_filters (b->workbench); j++)
    g_assert_cmpfloat (sa_workbench_get_correlations (b->workbench)[j], <=,
                       sa_workbench_get_pair (b->workbench, 0)->r + 1e-6);

  g_assert_null (sa_results_open (root, &nope, SA_RESULTS_LOAD_DEFAULT, NULL, &error));
  g_assert_nonnull (strstr (error->message, "no FBN set “FBNx”; the results have: FBN, FBNunrotated"));
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
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The widget as drawn now, as bytes. */
static GBytes *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  guint8 *data;

  g_assert_cmpint (w, >, 10);
  g_assert_cmpint (h, >, 10);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  data = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, data, w * 4);
  return g_bytes_new_take (data, (gsize) w * h * 4);
}

static void
test_window_switch (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autofree char *root = make_dataset ();
  g_autoptr(GFile) folder = g_file_new_for_path (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) heat_before = NULL, heat_after = NULL;
  SaResultsSelector *selector;
  GtkDropDown *run_dd, *layer_dd;
  GtkWidget *heatmap;
  SaWindow *window;
  SaWorkbench *wb;
  int loaded = 0;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_open_dataset (window, folder);
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 1);

  selector = SA_RESULTS_SELECTOR (sa_window_get_results_selector (window));
  run_dd = sa_results_selector_get_dropdown (selector, "run");
  layer_dd = sa_results_selector_get_dropdown (selector, "layer");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (selector)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (sa_results_selector_get_dropdown (selector, "fbn-set"))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (sa_results_selector_get_dropdown (selector, "model"))));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (layer_dd)), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (layer_dd), ==, 0);

  /* The default: run-1 conv2, with its table's pairs. */
  wb = sa_window_get_workbench (window);
  g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, 5);
  g_assert_cmpint (sa_workbench_get_pair (wb, 1)->filter, ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", 2));
  sa_workbench_set_time (wb, 20.0);
  heatmap = sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_HEATMAP_VIEW);
  g_assert_nonnull (heatmap);
  settle (300);
  heat_before = render (heatmap);

  /* Layer conv3: 8 filters; the FBN and the time cursor stay. */
  loaded = 0;
  {
    gint64 start = g_get_monotonic_time ();

    gtk_drop_down_set_selected (layer_dd, 1);
    /* Off the main thread: the call returns with the job running. */
    g_assert_true (sa_job_runner_get_running (sa_window_get_job_runner (window)));
    g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 10);
    wait_loaded (&loaded);
    g_test_message ("layer switch to shown: %.3f s", (g_get_monotonic_time () - start) / 1e6);
  }
  g_assert_cmpint (loaded, ==, 1);
  wb = sa_window_get_workbench (window);
  g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, 8);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, 2);
  g_assert_cmpfloat_with_epsilon (sa_workbench_get_time (wb), 20.0, 1e-9);
  {
    /* The traces show conv3's filter: its argmax pair, its values. */
    const SaPair *pair = sa_workbench_get_pair (wb, 2);
    const float *course = sa_workbench_get_filter_course (wb, pair->filter);

    g_assert_cmpfloat_with_epsilon (course[7], filter_value (1, 3, pair->filter, 7), 1e-5);
  }
  settle (300);
  heat_after = render (heatmap);
  g_assert_false (g_bytes_equal (heat_before, heat_after));

  /* Run 2 has conv2 only: the layer follows; another movie, so the time
   * goes back to the start; the same FBNs, so the FBN stays. */
  loaded = 0;
  gtk_drop_down_set_selected (run_dd, 1);
  wait_loaded (&loaded);
  g_assert_cmpint (loaded, ==, 1);
  wb = sa_window_get_workbench (window);
  g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, 5);
  g_assert_cmpuint (gtk_drop_down_get_selected (layer_dd), ==, 0);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, 2);
  g_assert_cmpfloat (sa_workbench_get_time (wb), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (sa_workbench_get_fbn_course (wb, 0)[5], fbn_value (2, 0, 5), 1e-6);

  /* A row of the results table (run-1, conv3) switches to it. */
  {
    GtkWidget *table = sa_window_show_summary (window, &error);
    SaSummaryView *view;

    g_assert_no_error (error);
    view = SA_SUMMARY_VIEW (sa_fixture_find_child (table, SA_TYPE_SUMMARY_VIEW));
    loaded = 0;
    g_signal_emit_by_name (sa_summary_view_get_column_view (view), "activate", 1);
    wait_loaded (&loaded);
    g_assert_cmpint (loaded, ==, 1);
    wb = sa_window_get_workbench (window);
    g_assert_cmpint (sa_workbench_get_n_filters (wb), ==, 8);
    g_assert_cmpuint (gtk_drop_down_get_selected (run_dd), ==, 0);
    g_assert_cmpuint (gtk_drop_down_get_selected (layer_dd), ==, 1);
    gtk_window_destroy (GTK_WINDOW (table));
  }

  /* Activations gone behind the index's back: an error, the selector back
   * on what is shown. */
  {
    g_autofree char *h5 = g_build_filename (root, "derivatives", "syncact",
                                            "task-movie_run-1_model-democnn_layer-conv2_desc-activations_stim.h5",
                                            NULL);
    GListModel *toplevels = gtk_window_get_toplevels ();

    g_assert_cmpint (g_unlink (h5), ==, 0);
    loaded = 0;
    gtk_drop_down_set_selected (layer_dd, 0);
    wait_loaded (&loaded);
    g_assert_cmpint (loaded, ==, 2);
    g_assert_cmpuint (gtk_drop_down_get_selected (layer_dd), ==, 1);
    g_assert_cmpint (sa_workbench_get_n_filters (sa_window_get_workbench (window)), ==, 8);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (GTK_IS_MESSAGE_DIALOG (w))
          gtk_window_destroy (w);
      }
  }
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
  g_test_add_func ("/ui/results-selector/index", test_index);
  g_test_add_func ("/ui/results-selector/fbn-sets", test_fbn_sets);
  if (gtk_init_check ())
    g_test_add_func ("/ui/results-selector/window", test_window_switch);
  return g_test_run ();
}
