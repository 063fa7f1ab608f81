/* Both pairing directions in the window, selecting a filter, and the atlas
 * region under the crosshair — through the app's actions, under Xvfb. */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>

#include "app/application.h"
#include "tests/fixture.h"
#include "tests/testutil.h"
#include "tests/ui/fixture-workbench.h"
#include "ui/fbn-list.h"
#include "ui/filter-list.h"
#include "ui/filter-panel.h"
#include "ui/heatmap-view.h"
#include "ui/slice-view.h"
#include "ui/traces-view.h"
#include "ui/window.h"

static void
iterate (int n)
{
  for (int i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* The label showing @text (the slice view's cursor-text is bound to one). */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return GTK_LABEL (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkLabel *found = find_label (c, text);
      if (found)
        return found;
    }
  return NULL;
}

/* The win.direction toggles; returns how many there are, asserting each is
 * pressed exactly when its target is @state. */
static int
count_toggles (GtkWidget  *root,
               const char *state)
{
  int n = 0;

  if (GTK_IS_TOGGLE_BUTTON (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), "win.direction") == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (root));

      g_assert_cmpint (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (root)), ==,
                       g_str_equal (g_variant_get_string (target, NULL), state));
      /* Reachable with Tab, pressed with Space. */
      g_assert_true (gtk_widget_get_focusable (root));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    n += count_toggles (c, state);
  return n;
}

/* Fires the window's shortcut for Ctrl+@keyval as a key press would. */
static gboolean
press_ctrl (SaWindow *window,
            guint     keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  g_autoptr(GtkShortcutTrigger) want = gtk_keyval_trigger_new (keyval, GDK_CONTROL_MASK);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), want))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                 GTK_WIDGET (window), gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static char *
action_state (SaWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "direction");

  return g_variant_dup_string (state, NULL);
}

/* The list on show: the visible page of the stack holding the lists. */
static GtkWidget *
shown_list (SaFbnList *fbn_list)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (fbn_list), GTK_TYPE_STACK);

  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A filter whose best FBN pairs (FBN → filter) with another filter. */
static int
disagreeing_filter (SaWorkbench *wb,
                    int          not_fbn)
{
  for (int k = 0; k < sa_workbench_get_n_filters (wb); k++)
    {
      const SaPair *fp = sa_workbench_get_filter_pair (wb, k);

      if (fp && fp->fbn != not_fbn && sa_workbench_get_pair (wb, fp->fbn)->filter != k)
        return k;
    }
  return -1;
}

/* Everything shows FBN @fbn with filter @filter, as the filter2fbn pair. */
static void
assert_shows (SaWindow *window,
              int       fbn,
              int       filter)
{
  SaWorkbench *wb = sa_window_get_workbench (window);
  SaFilterPanel *panel = SA_FILTER_PANEL (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FILTER_PANEL));
  SaTracesView *traces = SA_TRACES_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_TRACES_VIEW));
  SaSliceView *slices = SA_SLICE_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_SLICE_VIEW));
  SaHeatmapView *heatmap = SA_HEATMAP_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_HEATMAP_VIEW));
  SaFbnList *fbn_list = SA_FBN_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FBN_LIST));
  SaFilterList *filter_list = SA_FILTER_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FILTER_LIST));
  const SaPair *fp = sa_workbench_get_filter_pair (wb, filter);
  g_autofree char *filter_text = g_strdup_printf (_("filter %d"), filter);
  g_autofree char *fbn_text = g_strdup_printf ("fbn-%03d", fbn + 1);
  SaTraceParams tp;
  SaHeatmapParams hp;
  double cursor[3], peak[3];
  guint row;

  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, fbn);
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, filter);
  /* The filter panel: this filter, paired with this FBN. */
  g_assert_cmpint (sa_filter_panel_get_filter (panel), ==, filter);
  g_assert_nonnull (strstr (sa_filter_panel_get_title (panel), filter_text));
  g_assert_nonnull (strstr (sa_filter_panel_get_title (panel), fbn_text));
  /* The traces: the FBN's course and this filter's, with the pair's r. */
  g_assert_true (sa_traces_view_get_params (traces, &tp));
  g_assert_true (tp.fbn == sa_workbench_get_fbn_course (wb, fbn));
  g_assert_true (tp.filter == sa_workbench_get_filter_course (wb, filter));
  g_assert_cmpfloat (tp.r, ==, fp->r);
  g_assert_cmpfloat (tp.p, ==, fp->p);
  /* The map: the crosshair on the FBN's peak. */
  sa_slice_view_get_cursor (slices, cursor);
  g_assert_true (sa_workbench_get_map_peak (wb, fbn, peak));
  for (int a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (cursor[a], peak[a], 1e-9);
  /* The heat map outlines the FBN's row; both lists select their rows. */
  g_assert_true (sa_heatmap_view_get_params (heatmap, &hp));
  g_assert_cmpint (hp.selected_row, ==, fbn);
  g_assert_cmpint (hp.outline_col, ==, sa_workbench_get_direction (wb) == SA_PAIR_DIRECTION_FILTER2FBN);
  g_assert_cmpint (hp.selected_col, ==, filter);
  row = sa_filter_list_get_selected (filter_list);
  g_assert_cmpuint (row, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpint (sa_filter_list_get_filter_at (filter_list, row), ==, filter);
  /* The FBN list, hidden or not, keeps its row on the FBN. */
  row = sa_fbn_list_get_selected (fbn_list);
  g_assert_cmpuint (row, !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpint (sa_fbn_list_get_fbn_at (fbn_list, row), ==, fbn);
}

static void
test_directions (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 64, 48);
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  SaWindow *window;
  SaFbnList *fbn_list;
  SaFilterList *filter_list;
  SaHeatmapView *heatmap;
  int n_k, k, j, first;

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sa_window_set_workbench (window, wb);
  gtk_window_present (GTK_WINDOW (window));
  sa_fixture_settle (300);
  fbn_list = SA_FBN_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FBN_LIST));
  filter_list = SA_FILTER_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FILTER_LIST));
  heatmap = SA_HEATMAP_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_HEATMAP_VIEW));
  g_assert_nonnull (fbn_list);
  g_assert_nonnull (filter_list);
  n_k = sa_workbench_get_n_filters (wb);

  /* FBN → filter first: the FBN list on show. */
  state = action_state (window);
  g_assert_cmpstr (state, ==, "fbn2filter");
  g_assert_true (shown_list (fbn_list) == GTK_WIDGET (fbn_list));
  g_assert_cmpint (count_toggles (GTK_WIDGET (window), "fbn2filter"), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", 0));
  g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, sa_workbench_get_pair (wb, 0)->filter);

  /* Switch through the action: the filter list replaces the FBN list, the
   * toggles and the workbench follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "filter2fbn"));
  iterate (20);
  g_clear_pointer (&state, g_free);
  state = action_state (window);
  g_assert_cmpstr (state, ==, "filter2fbn");
  g_assert_cmpint (sa_workbench_get_direction (wb), ==, SA_PAIR_DIRECTION_FILTER2FBN);
  g_assert_true (shown_list (fbn_list) == GTK_WIDGET (filter_list));
  g_assert_cmpuint (sa_filter_list_get_n_rows (filter_list), ==, n_k);
  /* The header's toggles show the state: the pressed one is filter2fbn. */
  g_assert_cmpint (count_toggles (GTK_WIDGET (window), "filter2fbn"), ==, 2);

  /* Select, through the action, a filter whose best FBN is not FBN 0's
   * and pairs (FBN → filter) with another filter: every pane shows the
   * filter → FBN pair. */
  k = disagreeing_filter (wb, 0);
  g_assert_cmpint (k, >=, 0);
  j = sa_workbench_get_filter_pair (wb, k)->fbn;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-filter", "i", k));
  iterate (20);
  assert_shows (window, j, k);

  /* Sorted by r, best first; choosing a row (click, Enter) selects it. */
  sa_filter_list_sort_by (filter_list, "r", TRUE);
  iterate (10);
  first = sa_filter_list_get_filter_at (filter_list, 0);
  for (int c = 0; c < n_k; c++)
    g_assert_cmpfloat (sa_workbench_get_filter_pair (wb, first)->r, >=, sa_workbench_get_filter_pair (wb, c)->r);
  sa_filter_list_activate_row (filter_list, 0);
  iterate (10);
  assert_shows (window, sa_workbench_get_filter_pair (wb, first)->fbn, first);

  /* The heat map: in this direction a click picks the column's filter. */
  {
    int w = gtk_widget_get_width (GTK_WIDGET (heatmap)), h = gtk_widget_get_height (GTK_WIDGET (heatmap));
    int row, col;
    gboolean clicked = FALSE;

    g_assert_cmpint (w, >, 0);
    for (int x = 0; x < w && !clicked; x++)
      if (sa_heatmap_view_cell_at (heatmap, x, h / 2.0, &row, &col) && col == k)
        clicked = sa_heatmap_view_click (heatmap, x, h / 2.0);
    g_assert_true (clicked);
    iterate (10);
    assert_shows (window, j, k);

    /* Back to FBN → filter (Ctrl+1's action): the selection stays, and a
     * click now picks the row's FBN with its own filter. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "fbn2filter"));
    iterate (10);
    g_assert_true (shown_list (fbn_list) == GTK_WIDGET (fbn_list));
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j);
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k);
    clicked = FALSE;
    for (int y = 0; y < h && !clicked; y++)
      if (sa_heatmap_view_cell_at (heatmap, w / 2.0, y, &row, &col) && row != j)
        clicked = sa_heatmap_view_click (heatmap, w / 2.0, y);
    g_assert_true (clicked);
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, row);
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, sa_workbench_get_pair (wb, row)->filter);
  }

  /* The keyboard: Ctrl+2 follows filters, Ctrl+1 FBNs. */
  g_assert_true (press_ctrl (window, GDK_KEY_2));
  g_assert_cmpint (sa_workbench_get_direction (wb), ==, SA_PAIR_DIRECTION_FILTER2FBN);
  g_assert_true (press_ctrl (window, GDK_KEY_1));
  g_assert_cmpint (sa_workbench_get_direction (wb), ==, SA_PAIR_DIRECTION_FBN2FILTER);
  g_assert_true (shown_list (fbn_list) == GTK_WIDGET (fbn_list));

  /* The FBN list shows each FBN's paired filter, and sorts by it. */
  sa_fbn_list_sort_by (fbn_list, "filter", FALSE);
  iterate (10);
  for (guint p = 1; p < sa_fbn_list_get_n_rows (fbn_list); p++)
    g_assert_cmpint (sa_workbench_get_pair (wb, sa_fbn_list_get_fbn_at (fbn_list, p - 1))->filter, <=,
                     sa_workbench_get_pair (wb, sa_fbn_list_get_fbn_at (fbn_list, p))->filter);
  /* The filter list sorts by best FBN. */
  sa_filter_list_sort_by (filter_list, "fbn", TRUE);
  iterate (10);
  for (guint p = 1; p < sa_filter_list_get_n_rows (filter_list); p++)
    g_assert_cmpint (sa_workbench_get_filter_pair (wb, sa_filter_list_get_filter_at (filter_list, p - 1))->fbn, >=,
                     sa_workbench_get_filter_pair (wb, sa_filter_list_get_filter_at (filter_list, p))->fbn);

  /* A pair shown in one direction, then its filter chosen in the other:
   * the filter's own pair comes, not the FBN that was on show (an 8-FBN
   * dataset kept FBN 0 when its paired filter was the best one). */
  {
    int j0 = -1, k0;

    for (int m = 0; m < sa_workbench_get_n_fbns (wb) && j0 < 0; m++)
      if (sa_workbench_get_pair (wb, m) &&
          sa_workbench_get_filter_pair (wb, sa_workbench_get_pair (wb, m)->filter)->fbn != m)
        j0 = m;
    g_assert_cmpint (j0, >=, 0);
    k0 = sa_workbench_get_pair (wb, j0)->filter;
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", j0));
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "filter2fbn"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-filter", "i", k0));
    iterate (20);
    assert_shows (window, sa_workbench_get_filter_pair (wb, k0)->fbn, k0);
    /* And back: FBN j0 chosen again brings its own filter. */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "fbn2filter"));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", j0));
    g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, j0);
    g_assert_cmpint (sa_workbench_get_selected_filter (wb), ==, k0);
  }

  /* A new dataset keeps the direction the user chose. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "filter2fbn"));
  {
    g_autoptr(SaWorkbench) again = sa_fixture_workbench_new (f, 64, 48);

    sa_window_set_workbench (window, again);
    g_assert_cmpint (sa_workbench_get_direction (again), ==, SA_PAIR_DIRECTION_FILTER2FBN);
    g_assert_true (shown_list (fbn_list) == GTK_WIDGET (filter_list));
    sa_window_set_workbench (window, wb);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (10);
}

static void
test_crosshair_region (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 64, 48);
  g_autoptr(GError) error = NULL;
  g_autofree char *aal = g_build_filename (SA_ATLAS_DIR, "aal.nii.gz", NULL);
  const double precuneus_l[3] = { -8, -60, 44 }, outside[3] = { 0, 0, 300 };
  g_autofree char *want_aal = g_strdup_printf (_(" · AAL: %s"), "Precuneus_L");
  g_autofree char *want_ho = g_strdup_printf (_(" · Harvard-Oxford: %s"), "Precuneous Cortex");
  g_autofree char *text = NULL;
  SaWindow *window;
  SaSliceView *slices;
  GtkLabel *label;
  gint64 end;

  if (!g_file_test (aal, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("mricron-data is not installed");
      return;
    }
  g_application_register (G_APPLICATION (app), NULL, &error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sa_window_set_workbench (window, wb);
  gtk_window_present (GTK_WINDOW (window));
  slices = SA_SLICE_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_SLICE_VIEW));

  /* The atlases load on a worker once; the window stays responsive. */
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!sa_slice_view_get_atlases_ready (slices) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sa_slice_view_get_atlases_ready (slices));

  /* Move the crosshair into the left precuneus: the label under the
   * slices names it in both atlases, with the coordinates. */
  sa_slice_view_set_cursor (slices, precuneus_l);
  iterate (10);
  g_assert_cmpstr (sa_slice_view_get_region (slices, SA_ATLAS_AAL), ==, "Precuneus_L");
  g_assert_cmpstr (sa_slice_view_get_region (slices, SA_ATLAS_HARVARD_OXFORD), ==, "Precuneous Cortex");
  g_object_get (slices, "cursor-text", &text, NULL);
  label = find_label (GTK_WIDGET (window), text);
  g_assert_nonnull (label);
  g_test_message ("crosshair label: %s", gtk_label_get_label (label));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (label), "-8, -60, 44 mm"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), want_aal));
  g_assert_nonnull (strstr (gtk_label_get_label (label), want_ho));

  /* It follows the crosshair: the right hemisphere, then no region. */
  sa_slice_view_set_cursor (slices, (const double[3]) { 8, -60, 44 });
  g_assert_nonnull (strstr (gtk_label_get_label (label), "Precuneus_R"));
  sa_slice_view_set_cursor (slices, outside);
  g_assert_null (strstr (gtk_label_get_label (label), "AAL"));
  g_assert_null (sa_slice_view_get_region (slices, SA_ATLAS_AAL));

  /* A look at it, in the filter → FBN direction with a filter chosen. */
  sa_slice_view_set_cursor (slices, precuneus_l);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "filter2fbn"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-filter", "i", 3));
  sa_slice_view_set_cursor (slices, precuneus_l);
  sa_fixture_settle (300);
  if (g_getenv ("SA_SELECT_SCREENSHOT"))
    save_png (GTK_WIDGET (window), g_getenv ("SA_SELECT_SCREENSHOT"));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (10);
}

static gboolean painted;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
measure_selection (SaWindow   *window,
                   const char *action,
                   int         n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autofree double *ms = g_new (double, n);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);

  sa_fixture_settle (300);
  for (int k = 0; k < n; k++)
    {
      gint64 t0 = g_get_monotonic_time ();

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "i", (k + 1) % n));
      painted = FALSE;
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      ms[k] = (g_get_monotonic_time () - t0) / 1e3;
    }
  g_signal_handler_disconnect (clock, id);
  qsort (ms, n, sizeof (double), cmp_double);
  g_test_message ("%s → repainted: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d", action,
                  ms[n / 2], ms[(int) (0.95 * (n - 1))], ms[n - 1], n);
}

static void
set_loaded (SaWindow *window,
            gboolean  ok,
            gpointer  data)
{
  *(int *) data = ok ? 1 : 2;
}

/* A real dataset with results (SA_SCREENSHOT_DATASET, e.g. the demo after
 * `syncact run`): the filter → FBN pairs come from its table, and the
 * window, following filters with the strongest filter chosen, is saved to
 * SA_SCREENSHOT_DIR/window-filter2fbn.png when that is set. */
static void
test_dataset (void)
{
  const char *dataset = g_getenv ("SA_SCREENSHOT_DATASET");
  const char *out = g_getenv ("SA_SCREENSHOT_DIR");
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  SaWindow *window;
  SaWorkbench *wb;
  SaSliceView *slices;
  SaFilterList *filter_list;
  int loaded = 0, best = -1;
  gint64 end;
  g_autofree char *text = NULL;

  if (dataset == NULL)
    {
      g_test_skip ("set SA_SCREENSHOT_DATASET to a dataset with results");
      return;
    }
  g_application_register (G_APPLICATION (app), NULL, &error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 860);
  g_signal_connect (window, "dataset-loaded", G_CALLBACK (set_loaded), &loaded);
  gtk_window_present (GTK_WINDOW (window));
  folder = g_file_new_for_path (dataset);
  sa_window_open_dataset (window, folder);
  end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (loaded == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (loaded, ==, 1);
  wb = sa_window_get_workbench (window);
  filter_list = SA_FILTER_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FILTER_LIST));
  slices = SA_SLICE_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_SLICE_VIEW));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.direction", "s", "filter2fbn"));
  g_assert_cmpuint (sa_filter_list_get_n_rows (filter_list), ==, sa_workbench_get_n_filters (wb));
  for (int k = 0; k < sa_workbench_get_n_filters (wb); k++)
    {
      const SaPair *fp = sa_workbench_get_filter_pair (wb, k);

      /* From the table: the family-wise p only `syncact pair` computes. */
      g_assert_nonnull (fp);
      g_assert_false (isnan (fp->p_fwer));
      if (best < 0 || fp->r > sa_workbench_get_filter_pair (wb, best)->r)
        best = k;
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-filter", "i", best));
  sa_filter_list_sort_by (filter_list, "r", TRUE);
  assert_shows (window, sa_workbench_get_filter_pair (wb, best)->fbn, best);
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!sa_slice_view_get_atlases_ready (slices) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_object_get (slices, "cursor-text", &text, NULL);
  g_test_message ("filter %d → fbn-%03d, r %.2f; crosshair: %s", best,
                  sa_workbench_get_filter_pair (wb, best)->fbn + 1,
                  sa_workbench_get_filter_pair (wb, best)->r, text);
  /* Choosing a filter to everything repainted (new FBN map, traces, panel,
   * lists), frame clock to frame clock, over every filter in turn; choosing
   * an FBN, as the FBN list does, for comparison. */
  measure_selection (window, "win.select-filter", sa_workbench_get_n_filters (wb));
  measure_selection (window, "win.select-fbn", sa_workbench_get_n_fbns (wb));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-filter", "i", best));
  sa_workbench_set_time (wb, sa_workbench_get_duration (wb) / 3);
  sa_fixture_settle (1500);
  if (out)
    {
      g_autofree char *path = g_build_filename (out, "window-filter2fbn.png", NULL);

      save_png (GTK_WIDGET (window), path);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  iterate (10);
}

/* Xvfb has no session bus; GtkApplication warns about it and carries on. */
static gboolean
ignore_no_bus (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
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
  g_test_add_func ("/ui/select/directions", test_directions);
  g_test_add_func ("/ui/select/crosshair-region", test_crosshair_region);
  g_test_add_func ("/ui/select/dataset", test_dataset);
  return g_test_run ();
}
