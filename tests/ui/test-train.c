/* Training in the window: live epochs, saved results, cancel, close. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/application.h"
#include "compute/embed/checkpoint.h"
#include "compute/io/nifti.h"
#include "tests/testutil.h"
#include "ui/train-dialog.h"
#include "ui/train-job.h"
#include "ui/window.h"

/* One small demo with results (group ICA, 8 FBNs), made once: 3 subjects
 * (1 train, 1 validation, 1 test), 30 TRs. */
static char *demo_root;

static void
make_demo (void)
{
  g_autofree char *dir = sa_test_tmpdir ();
  g_autofree char *err = NULL, *out = NULL;
  const char *demo[] = { "demo", "--out", NULL, "--subjects", "3", "--duration", "60",
                         "--networks", "3", NULL };
  const char *run[] = { "run", NULL, "--model", "builtin:democnn", "--layer", "conv3",
                        "--arch", "ica", "--fbns", "8", "--surrogates", "200", NULL };

  if (demo_root != NULL)
    return;
  demo_root = g_build_filename (dir, "demo", NULL);
  demo[2] = demo_root;
  run[1] = demo_root;
  g_assert_cmpint (sa_test_run_syncact (demo, &out, &err), ==, 0);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (sa_test_run_syncact (run, &out, &err), ==, 0);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The window as drawn, into SA_SCREENSHOT_DIR/@name when that is set. A
 * window repainted since its last change has a node to save, so this
 * iterates until it has one (a job may go on meanwhile). */
static void
screenshot (SaWindow   *window,
            const char *name)
{
  const char *dir = g_getenv ("SA_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = 0, h = 0;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  for (int tries = 0; node == NULL && tries < 100; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GdkPaintable) paintable = NULL;

      iterate_for (30);
      w = gtk_widget_get_width (GTK_WIDGET (window));
      h = gtk_widget_get_height (GTK_WIDGET (window));
      paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
set_loaded (SaWindow *window, gboolean ok, gpointer data)
{
  *(int *) data = ok ? 1 : 2;
}

static SaWindow *
open_demo (SaApplication *app)
{
  g_autoptr(GFile) folder = g_file_new_for_path (demo_root);
  SaWindow *window = sa_window_new (app);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  int loaded = 0;

  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  sa_window_open_dataset (window, folder);
  while (loaded == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (window, &loaded);
  g_assert_cmpint (loaded, ==, 1);
  return window;
}

static void
wait_idle (SaJobRunner *runner,
           int          seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (sa_job_runner_get_running (runner) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sa_job_runner_get_running (runner));
}

/* Every file under derivatives/syncact (but the run caches) with its
 * checksum, as one string: equal strings, untouched results. */
static void
list_tree (const char *dir,
           const char *rel,
           GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *sub = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);

      if (rel == NULL && g_str_equal (name, "cache"))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        list_tree (path, sub, out);
      else
        {
          g_autofree char *data = NULL;
          gsize len = 0;
          g_autofree char *sum = NULL;

          g_assert_true (g_file_get_contents (path, &data, &len, NULL));
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA1, (const guchar *) data, len);
          g_ptr_array_add (out, g_strdup_printf ("%s %s", sub, sum));
        }
    }
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
derivatives_state (void)
{
  g_autofree char *dir = g_build_filename (demo_root, "derivatives", "syncact", NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) s = g_string_new (NULL);

  list_tree (dir, NULL, lines);
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (s, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static double
map_checksum (SaWorkbench *wb)
{
  SaSliceVolume map;
  double sum = 0;

  if (!sa_workbench_get_map (wb, 0, &map))
    return NAN;
  for (gsize i = 0; i < (gsize) map.nx * map.ny * map.nz; i++)
    sum += fabs (map.data[i]) * (1 + i % 7);
  return sum;
}

static SaTrainDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (SA_IS_TRAIN_DIALOG (w))
        return SA_TRAIN_DIALOG (w);
    }
  return NULL;
}

/* Ctrl+T's dialog offers DESIGN's defaults; a bad choice is refused with a
 * reason before anything runs. */
static void
test_dialog (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GError) error = NULL;
  SaWindow *window;
  SaTrainDialog *dialog;
  SaTrainParams params;

  g_application_register (G_APPLICATION (app), NULL, &error);
  window = sa_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  /* Nothing open: nothing to train for. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL);
  g_assert_null (find_dialog ());
  sa_train_params_init (&params);
  g_assert_false (sa_train_job_start (window, &params, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  gtk_window_destroy (GTK_WINDOW (window));

  window = open_demo (app);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  sa_train_dialog_get_params (dialog, &params);
  g_assert_cmpint (params.arch, ==, SA_TORCH_EMBED_MSA);
  g_assert_cmpint (params.m, ==, 64);
  g_assert_cmpint (params.epochs, ==, 100);
  g_assert_cmpint (params.seed, ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Self-attention needs FBNs in whole heads. */
  params.m = 6;
  g_assert_false (sa_train_job_start (window, &params, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_false (sa_job_runner_get_running (sa_window_get_job_runner (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Cancelling mid-training (the stop button) writes nothing, leaves the
 * results as they were and shows them again; closing the window mid-
 * training does the same, without a crash. */
static void
test_cancel (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = derivatives_state ();
  g_autofree char *after = NULL;
  g_autoptr(SaJobRunner) runner = NULL;
  g_autoptr(GArray) sums = g_array_new (FALSE, FALSE, sizeof (double));
  SaTrainParams params;
  SaWindow *window;
  SaWorkbench *wb;
  gint64 end;
  int shown = 0;

  g_application_register (G_APPLICATION (app), NULL, &error);
  window = open_demo (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  runner = g_object_ref (sa_window_get_job_runner (window));
  sa_train_params_init (&params);
  params.m = 12;
  params.epochs = 1000;
  g_assert_true (sa_train_job_start (window, &params, &error));
  g_assert_no_error (error);
  /* One job at a time: Ctrl+T does nothing while it trains. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL);
  g_assert_null (find_dialog ());
  /* Each epoch shown changes the maps; one main-loop turn may show more
   * than one. */
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sums->len < 2 && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, TRUE);
      if (sa_train_job_get_epochs_shown (window) > shown)
        {
          double sum = map_checksum (sa_window_get_workbench (window));

          shown = sa_train_job_get_epochs_shown (window);
          g_array_append_val (sums, sum);
          /* The FBN picked during training stays picked through epochs. */
          if (sums->len == 1)
            sa_workbench_set_selected_fbn (sa_window_get_workbench (window), 5);
          else
            g_assert_cmpint (sa_workbench_get_selected_fbn (sa_window_get_workbench (window)), ==, 5);
        }
    }
  g_assert_cmpuint (sums->len, ==, 2);
  g_assert_cmpfloat (g_array_index (sums, double, 0), !=, g_array_index (sums, double, 1));
  g_assert_cmpint (sa_workbench_get_n_fbns (sa_window_get_workbench (window)), ==, 12);
  screenshot (window, "training.png");
  sa_job_runner_cancel (runner);
  wait_idle (runner, 30);
  /* The saved results come back: group ICA's 8 FBNs, with their pairs. */
  wait_idle (runner, 30);
  iterate_for (100);
  wb = sa_window_get_workbench (window);
  g_assert_cmpint (sa_workbench_get_n_fbns (wb), ==, 8);
  g_assert_cmpstr (sa_workbench_get_method (wb), ==, "group ICA");
  g_assert_false (isnan (sa_workbench_get_pair (wb, 0)->p_fwer));
  after = derivatives_state ();
  g_assert_cmpstr (after, ==, before);

  /* Closing the window while it trains. */
  g_clear_pointer (&after, g_free);
  g_assert_true (sa_train_job_start (window, &params, &error));
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sa_train_job_get_epochs_shown (window) < 1 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_idle (runner, 30);
  iterate_for (100);
  after = derivatives_state ();
  g_assert_cmpstr (after, ==, before);
}

static JsonObject *
read_json (JsonParser *parser,
           const char *path)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* A short training: each epoch replaces the maps (which change between
 * epochs), courses and provisional pairs, keeping the selected FBN; at the
 * end the derivatives are those `syncact train` writes for the same
 * parameters, paired with the surrogate null, and shown. */
static void
test_live (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (demo_root, "derivatives", "syncact", NULL);
  g_autofree char *components = g_build_filename (out, "group_desc-FBN_components.nii.gz", NULL);
  g_autofree char *sidecar = g_build_filename (out, "group_desc-FBN_components.json", NULL);
  g_autofree char *pairs = g_build_filename (out, "task-movie_run-1_model-democnn_layer-conv3_desc-fbn2filter_pairs.json", NULL);
  g_autofree char *checkpoint = g_build_filename (out, "group_desc-FBN_checkpoint.bin", NULL);
  g_autofree char *hidden = g_build_filename (out, ".group_desc-FBN_checkpoint.bin.window", NULL);
  g_autofree char *cli_out = sa_test_tmpdir ();
  g_autoptr(SaWorkbench) live_wb = NULL;
  SaJobRunner *runner;
  SaTrainParams params;
  SaWindow *window;
  SaWorkbench *wb;
  int shown = 0;
  gboolean provisional_seen = FALSE;

  g_application_register (G_APPLICATION (app), NULL, &error);
  window = open_demo (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  runner = sa_window_get_job_runner (window);
  sa_train_params_init (&params);
  params.m = 12;
  params.epochs = 5;
  /* Epochs go into the workbench shown (the final results come as a new
   * one): keep it to look at each epoch, whenever the test gets to it. */
  live_wb = g_object_ref (sa_window_get_workbench (window));
  g_assert_true (sa_train_job_start (window, &params, &error));
  g_assert_no_error (error);

  /* A main loop too busy to take each epoch: the worker goes on, and only
   * the newest snapshot waits (the checkpoint it writes each epoch, before
   * the snapshot, says how far it got: 4 means 3 snapshots made). */
  {
    gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
    int done = 0;

    while (done < 4 && g_get_monotonic_time () < end)
      {
        g_autoptr(SaEmbedCheckpoint) ck = sa_embed_checkpoint_load (hidden, NULL);

        done = ck ? ck->epochs_done : 0;
        g_usleep (20000);
      }
    g_assert_cmpint (done, >=, 4);
  }

  while (sa_job_runner_get_running (runner))
    {
      g_main_context_iteration (NULL, TRUE);
      if (sa_train_job_get_epochs_shown (window) > shown)
        {
          shown = sa_train_job_get_epochs_shown (window);
          wb = live_wb;
          g_assert_cmpint (sa_workbench_get_n_fbns (wb), ==, 12);
          /* Parametric pairs of the run shown, marked provisional. */
          g_assert_nonnull (sa_workbench_get_pair (wb, 3));
          g_assert_true (isnan (sa_workbench_get_pair (wb, 3)->p_fwer));
          g_assert_false (isnan (sa_workbench_get_pair (wb, 3)->p));
          g_assert_nonnull (sa_workbench_get_fbn_course (wb, 3));
          /* The filter → FBN pairs follow the epoch's FBNs too: each
           * filter's argmax over this epoch's correlations. */
          {
            const float *r = sa_workbench_get_correlations (wb);
            int n_k = sa_workbench_get_n_filters (wb), paired = 0;

            for (int k = 0; k < n_k; k++)
              {
                const SaPair *fp = sa_workbench_get_filter_pair (wb, k);

                if (fp == NULL)
                  continue;
                paired++;
                g_assert_cmpint (fp->fbn, <, 12);
                g_assert_true (isnan (fp->p_fwer));
                for (int i = 0; i < 12; i++)
                  g_assert_cmpfloat (r[i * n_k + k], <=, fp->r + 1e-6);
              }
            g_assert_cmpint (paired, >, 0);
          }
          provisional_seen = TRUE;
          sa_workbench_set_selected_fbn (wb, 3);
        }
    }
  g_assert_true (provisional_seen);
  /* Epochs 1–3 became one snapshot; 4 and 5 may or may not have. */
  g_assert_cmpint (shown, >=, 1);
  g_assert_cmpint (shown, <=, 3);

  /* The saved results are shown, with their surrogate p and the FBN
   * selected during training. */
  iterate_for (100);
  wb = sa_window_get_workbench (window);
  g_assert_true (wb != live_wb);
  g_assert_cmpint (sa_workbench_get_n_fbns (wb), ==, 12);
  g_assert_cmpstr (sa_workbench_get_method (wb), ==, "msa");
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, 3);
  for (int i = 0; i < 12; i++)
    g_assert_false (isnan (sa_workbench_get_pair (wb, i)->p_fwer));
  /* And both directions' tables once saved. */
  g_assert_nonnull (sa_workbench_get_filter_pair (wb, 0));
  g_assert_false (isnan (sa_workbench_get_filter_pair (wb, 0)->p_fwer));
  screenshot (window, "trained.png");

  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root = read_json (parser, sidecar);
    JsonObject *p = json_object_get_object_member (root, "Parameters");

    g_assert_cmpstr (json_object_get_string_member (p, "arch"), ==, "msa");
    g_assert_cmpint (json_object_get_int_member (p, "fbns"), ==, 12);
    g_assert_cmpint (json_object_get_int_member (p, "epochs"), ==, 5);
  }
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root = read_json (parser, pairs);
    JsonObject *p = json_object_get_object_member (root, "Parameters");

    /* The null as the earlier run asked for it, on the new FBNs. */
    g_assert_cmpint (json_object_get_int_member (p, "Surrogates"), ==, 200);
    g_assert_cmpint (json_object_get_int_member (p, "FBNs"), ==, 12);
  }
  /* The pairs are what the recorded command makes, run again. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonObject *root = read_json (parser, pairs);
    JsonArray *by = json_object_get_array_member (root, "GeneratedBy");
    const char *command = json_object_get_string_member (json_array_get_object_element (by, 0), "Command");
    g_autofree char *again = sa_test_tmpdir ();
    g_autofree char *arg_out = g_strdup_printf ("--out=%s", out);
    g_autofree char *new_out = g_strdup_printf ("--out=%s", again);
    g_autofree char *a = NULL, *b = NULL, *text = NULL, *err = NULL;
    g_autofree char *table = g_build_filename (out, "task-movie_run-1_model-democnn_layer-conv3_desc-fbn2filter_pairs.tsv", NULL);
    g_autofree char *table2 = g_build_filename (again, "task-movie_run-1_model-democnn_layer-conv3_desc-fbn2filter_pairs.tsv", NULL);
    g_auto(GStrv) argv = NULL;

    g_assert_true (g_str_has_prefix (command, "syncact pair "));
    g_assert_true (g_shell_parse_argv (command, NULL, &argv, NULL));
    for (int i = 0; argv[i]; i++)
      if (g_str_equal (argv[i], arg_out))
        {
          g_free (argv[i]);
          argv[i] = g_strdup (new_out);
        }
    g_assert_cmpint (sa_test_run_syncact ((const char *const *) argv + 1, &text, &err), ==, 0);
    g_assert_true (g_file_get_contents (table, &a, NULL, NULL));
    g_assert_true (g_file_get_contents (table2, &b, NULL, NULL));
    g_assert_cmpstr (a, ==, b);
  }
  g_assert_true (g_file_test (checkpoint, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (hidden, G_FILE_TEST_EXISTS));

  /* What `syncact train` makes of the same parameters: the same maps. */
  {
    g_autofree char *arg_out = g_strdup_printf ("--out=%s", cli_out);
    const char *argv[] = { "train", demo_root, "--fbns=12", "--epochs=5", "--seed=0",
                           "--arch=msa", arg_out, NULL };
    g_autofree char *cli_components = g_build_filename (cli_out, "group_desc-FBN_components.nii.gz", NULL);
    g_autofree char *err = NULL, *text = NULL;
    g_autoptr(SaVolume) a = NULL, b = NULL;
    double max_diff = 0, max_abs = 0;

    g_assert_cmpint (sa_test_run_syncact (argv, &text, &err), ==, 0);
    a = sa_volume_load (components, NULL, NULL, &error);
    g_assert_no_error (error);
    b = sa_volume_load (cli_components, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (a->nt, ==, b->nt);
    for (gsize i = 0; i < (gsize) a->nx * a->ny * a->nz * a->nt; i++)
      {
        max_diff = MAX (max_diff, fabs (a->data[i] - b->data[i]));
        max_abs = MAX (max_abs, fabs (b->data[i]));
      }
    g_test_message ("window vs syncact train: max |Δ| %.3g of max |w| %.3g", max_diff, max_abs);
    g_assert_cmpfloat (max_diff, <=, 1e-4 * max_abs);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* SA_TRAIN_BENCH_DATASET (a dataset with results): training in the window
 * (live view each epoch, then saving, pairing with the null and reloading)
 * against `syncact train` with the same parameters, wall clock. Epochs:
 * SA_TRAIN_BENCH_EPOCHS (5). Run with G_MESSAGES_DEBUG=all for the phases. */
static void
test_bench (void)
{
  const char *dataset = g_getenv ("SA_TRAIN_BENCH_DATASET");
  const char *epochs_env = g_getenv ("SA_TRAIN_BENCH_EPOCHS");
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *cli_out = sa_test_tmpdir ();
  g_autofree char *arg_out = g_strdup_printf ("--out=%s", cli_out);
  g_autofree char *arg_epochs = NULL, *text = NULL, *err = NULL;
  SaTrainParams params;
  SaWindow *window;
  gint64 start, window_us, cli_us;
  int loaded = 0;

  if (dataset == NULL)
    {
      g_test_skip ("set SA_TRAIN_BENCH_DATASET");
      return;
    }
  sa_train_params_init (&params);
  params.epochs = epochs_env ? atoi (epochs_env) : 5;
  arg_epochs = g_strdup_printf ("--epochs=%d", params.epochs);
  g_application_register (G_APPLICATION (app), NULL, &error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  folder = g_file_new_for_path (dataset);
  sa_window_open_dataset (window, folder);
  while (loaded == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (loaded, ==, 1);

  start = g_get_monotonic_time ();
  g_assert_true (sa_train_job_start (window, &params, &error));
  {
    SaJobRunner *runner = sa_window_get_job_runner (window);
    gboolean shot = FALSE;

    /* Halfway, the window as it trains (README). */
    while (sa_job_runner_get_running (runner))
      {
        g_main_context_iteration (NULL, TRUE);
        if (!shot && sa_train_job_get_epochs_shown (window) >= MAX (params.epochs / 2, 1))
          {
            sa_workbench_set_selected_fbn (sa_window_get_workbench (window), 1);
            screenshot (window, "window-training.png");
            shot = TRUE;
          }
      }
  }
  window_us = g_get_monotonic_time () - start;
  g_assert_cmpint (sa_workbench_get_n_fbns (sa_window_get_workbench (window)), ==, params.m);

  {
    const char *argv[] = { "train", dataset, "--fbns=64", arg_epochs, "--seed=0", "--arch=msa",
                           arg_out, NULL };

    start = g_get_monotonic_time ();
    g_assert_cmpint (sa_test_run_syncact (argv, &text, &err), ==, 0);
    cli_us = g_get_monotonic_time () - start;
  }
  g_test_message ("%d epochs, 64 FBNs, msa: window %.2f s (epochs shown %d, then saved, "
                  "paired, reloaded); syncact train %.2f s",
                  params.epochs, window_us / 1e6, sa_train_job_get_epochs_shown (window),
                  cli_us / 1e6);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The demo is made for the tests that use it, once, not for the bench. */
static void
with_demo (gconstpointer test)
{
  make_demo ();
  ((void (*) (void)) (gsize) test) ();
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
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_test_add_data_func ("/ui/train/dialog", (gconstpointer) (gsize) test_dialog, with_demo);
  g_test_add_data_func ("/ui/train/cancel", (gconstpointer) (gsize) test_cancel, with_demo);
  g_test_add_data_func ("/ui/train/live", (gconstpointer) (gsize) test_live, with_demo);
  g_test_add_func ("/ui/train/bench", test_bench);
  return g_test_run ();
}
