#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <math.h>

#include "app/application.h"
#include "tests/fixture.h"
#include "tests/ui/fixture-workbench.h"
#include "tests/testutil.h"
#include "ui/fbn-list.h"
#include "ui/filter-panel.h"
#include "render/frame-figure.h"
#include "ui/frame-view.h"
#include "ui/slice-view.h"
#include "ui/traces-view.h"
#include "ui/window.h"

#define N_FBN SA_FIXTURE_N_FBN

static void
iterate (int n)
{
  for (int i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

static void
wait_for_draw (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end && !gtk_widget_get_mapped (widget))
    g_main_context_iteration (NULL, FALSE);
  iterate (100);
}

static void
screenshot (GtkWidget  *window,
            const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  g_test_message ("paintable %d x %d, widget %d x %d", gdk_paintable_get_intrinsic_width (paintable),
                  gdk_paintable_get_intrinsic_height (paintable), w, h);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_workbench_window (void)
{
  g_autoptr(SaApplication) app = sa_application_new ();
  g_autoptr(SaFixture) f = sa_fixture_new ();
  g_autoptr(SaWorkbench) wb = sa_fixture_workbench_new (f, 64, 48);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sa_test_tmpdir ();
  SaWindow *window;
  SaFilterPanel *panel;
  SaTracesView *traces;
  SaSliceView *slices;
  SaFrameView *frame;
  SaFbnList *list;
  SaTraceParams tp;
  const SaPair *pair;
  const int *top;
  double cursor[3], peak[3];

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sa_window_set_workbench (window, wb);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_draw (GTK_WIDGET (window));

  panel = SA_FILTER_PANEL (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FILTER_PANEL));
  traces = SA_TRACES_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_TRACES_VIEW));
  slices = SA_SLICE_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_SLICE_VIEW));
  frame = SA_FRAME_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FRAME_VIEW));
  list = SA_FBN_LIST (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FBN_LIST));
  g_assert_nonnull (panel);
  g_assert_nonnull (traces);
  g_assert_nonnull (slices);
  g_assert_nonnull (frame);
  g_assert_nonnull (list);
  g_assert_cmpuint (sa_fbn_list_get_n_rows (list), ==, N_FBN);
  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  /* Nothing selected yet: nothing to export, and the error says so. */
  {
    g_autofree char *path = g_build_filename (dir, "none.png", NULL);

    g_assert_false (sa_window_export (window, SA_EXPORT_PAIR, path, &error));
    g_assert_nonnull (strstr (error->message, _("no FBN is selected")));
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }

  /* Select FBN 1 through the window's action: every pane follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", 1));
  iterate (20);
  g_assert_cmpint (sa_workbench_get_selected_fbn (wb), ==, 1);
  pair = sa_workbench_get_pair (wb, 1);
  g_assert_cmpint (pair->filter, ==, 1);
  g_assert_cmpint (sa_filter_panel_get_filter (panel), ==, 1);
  {
    g_autofree char *filter_1 = g_strdup_printf (_("filter %d"), 1);
    g_assert_nonnull (strstr (sa_filter_panel_get_title (panel), filter_1));
  }
  g_assert_nonnull (strstr (sa_filter_panel_get_title (panel), "fbn-002"));
  g_assert_true (sa_traces_view_get_params (traces, &tp));
  g_assert_true (tp.fbn == sa_workbench_get_fbn_course (wb, 1));
  g_assert_true (tp.filter == sa_workbench_get_filter_course (wb, 1));
  g_assert_cmpfloat_with_epsilon (tp.r, pair->r, 1e-12);
  /* The crosshair lands on FBN 1's peak: the mirror of the fixture's blob. */
  sa_slice_view_get_cursor (slices, cursor);
  g_assert_true (sa_workbench_get_map_peak (wb, 1, peak));
  for (int a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (cursor[a], peak[a], 1e-9);
  g_assert_cmpfloat (fabs (cursor[0] + f->blob_pos[0]), <=, 10.0);
  g_assert_cmpfloat (fabs (cursor[1] - f->blob_pos[1]), <=, 10.0);

  /* Selecting in the list (sorted by r, best first) drives the workbench. */
  sa_fbn_list_sort_by (list, "r", TRUE);
  iterate (10);
  {
    int first = sa_fbn_list_get_fbn_at (list, 0);
    for (int i = 0; i < N_FBN; i++)
      g_assert_cmpfloat (sa_workbench_get_pair (wb, first)->r, >=, sa_workbench_get_pair (wb, i)->r);
  }

  /* Step the cursor by TRs; the frame shown follows exactly. */
  for (int i = 0; i < 3; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.step", "i", 1));
  iterate (10);
  g_assert_cmpfloat_with_epsilon (sa_workbench_get_time (wb), 3 * f->tr, 1e-9);
  g_assert_cmpint (sa_frame_view_get_shown_index (frame), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.step", "i", -1));
  g_assert_cmpint (sa_frame_view_get_shown_index (frame), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.end", NULL));
  g_assert_cmpint (sa_frame_view_get_shown_index (frame), ==, f->n_tr - 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.home", NULL));
  g_assert_cmpint (sa_frame_view_get_shown_index (frame), ==, 0);

  /* Clicking a top frame seeks there; its filter really peaks at that TR. */
  g_assert_cmpint (sa_filter_panel_get_frames (panel, &top), ==, SA_FILTER_PANEL_N_FRAMES);
  sa_filter_panel_activate_frame (panel, 0);
  g_assert_cmpint (sa_frame_view_get_shown_index (frame), ==, top[0]);
  {
    const float *course = sa_workbench_get_filter_course (wb, 1);
    for (int t = 0; t < f->n_tr; t++)
      g_assert_cmpfloat (course[t], <=, course[top[0]]);
  }
  /* Click-to-seek in the traces: the time under x is where the cursor goes. */
  {
    double t = sa_traces_view_time_at (traces, gtk_widget_get_width (GTK_WIDGET (traces)) / 2.0);
    g_assert_cmpfloat (t, >, 0.3 * f->n_tr * f->tr);
    g_assert_cmpfloat (t, <, 0.7 * f->n_tr * f->tr);
  }

  /* Playback advances by wall-clock time. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL));
  g_assert_true (sa_window_get_playing (window));
  {
    double t0 = sa_workbench_get_time (wb);

    sa_fixture_settle (1000);
    /* Wall-clock pacing: about a second of movie, never more. */
    g_assert_cmpfloat (sa_workbench_get_time (wb), >, t0 + 0.2);
    g_assert_cmpfloat (sa_workbench_get_time (wb), <, t0 + 1.5);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL));
  g_assert_false (sa_window_get_playing (window));

  /* Export each format; check the files independently. The movie pane's
   * kind draws the frame at the cursor: TR 7's. */
  sa_workbench_set_time (wb, 7.5 * f->tr);
  {
    const char *names[] = { "pair.png", "pair.svg", "pair.pdf", "heatmap.pdf", "slices.svg",
                            "glass.png", "glass.svg", "frames.pdf", "frame.png", "frame.svg" };
    SaExportKind kinds[] = { SA_EXPORT_PAIR, SA_EXPORT_PAIR, SA_EXPORT_PAIR, SA_EXPORT_HEATMAP, SA_EXPORT_SLICES,
                             SA_EXPORT_GLASS, SA_EXPORT_GLASS, SA_EXPORT_FRAMES, SA_EXPORT_FRAME,
                             SA_EXPORT_FRAME };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = g_build_filename (dir, names[i], NULL);
        const char *kind = g_str_has_suffix (names[i], "png") ? "png"
                         : g_str_has_suffix (names[i], "svg") ? "svg" : "pdf";
        const char *argv[] = { kind, path, NULL };
        g_autofree char *out = NULL;

        g_assert_true (sa_window_export (window, kinds[i], path, &error));
        g_assert_no_error (error);
        out = sa_test_python ("tests/py/check_figure.py", argv);
        g_assert_nonnull (out);
        g_test_message ("%s: %s", names[i], out);
        if (i == 0)
          g_assert_nonnull (strstr (out, "size=2161x1535 dpi=300"));
        if (i == 2)
          g_assert_nonnull (strstr (out, "mediabox=519x369 pages=1"));
        /* The 3D pane and the filter's frames: 72 and 45 mm tall. */
        if (i == 5)
          g_assert_nonnull (strstr (out, "size=2161x850 dpi=300"));
        if (i == 7)
          g_assert_nonnull (strstr (out, "mediabox=519x128 pages=1"));
        /* The movie pane: 100 mm. */
        if (i == 8)
          g_assert_nonnull (strstr (out, "size=2161x1181 dpi=300"));
      }
  }
  /* The movie pane's export is what it shows: this fixture has no movie,
   * so the cursor TR's strip frame. Its red is 2 × its TR and the square
   * stays off its top rows: a pixel there, in the PNG, is that frame's. */
  {
    g_autofree char *path = g_build_filename (dir, "frame.png", NULL);
    cairo_surface_t *png = cairo_image_surface_create_from_png (path);
    const guint8 *data = cairo_image_surface_get_data (png), *want;
    SaRenderStyle style;
    SaFrameFigure fig = { { NULL }, "t" };
    double rect[4];
    guint32 p;
    int x, y;

    g_assert_cmpint (sa_workbench_get_tr_index (wb), ==, 7);
    g_assert_true (sa_workbench_get_frame (wb, 7, &fig.frame));
    sa_render_style_init_figure (&style);
    sa_frame_figure_image_rect (&style, &fig, 183 / 25.4 * 72, 100 / 25.4 * 72, rect);
    x = (int) ((rect[0] + rect[2] * (fig.frame.width / 2 + 0.5) / fig.frame.width) * 300 / 72);
    y = (int) ((rect[1] + rect[3] * 2.5 / fig.frame.height) * 300 / 72);
    p = ((const guint32 *) (data + (gsize) y * cairo_image_surface_get_stride (png)))[x];
    want = fig.frame.rgb + 2 * fig.frame.stride + (fig.frame.width / 2) * 3;
    g_assert_cmpint (want[0], ==, 14);
    for (int c = 0; c < 3; c++)
      {
        int got = (p >> (16 - 8 * c)) & 0xff;

        g_test_message ("channel %d: PNG %d, frame %d", c, got, want[c]);
        /* Red says which TR: exact; the gradients bend a little. */
        g_assert_cmpint (ABS (got - want[c]), <=, c == 0 ? 1 : 6);
      }
    cairo_surface_destroy (png);
  }

  /* An in-app screenshot, for the eye (and the README). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", 0));
  sa_workbench_set_time (wb, 37 * f->tr);
  sa_fixture_settle (300);
  {
    const char *keep = g_getenv ("SA_SCREENSHOT");
    g_autofree char *path = g_build_filename (dir, "window.png", NULL);
    cairo_surface_t *png;

    screenshot (GTK_WIDGET (window), keep ? keep : path);
    png = cairo_image_surface_create_from_png (keep ? keep : path);
    g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (png), ==, gtk_widget_get_width (GTK_WIDGET (window)));
    cairo_surface_destroy (png);
  }

  /* Closing keeps the window's size for next time (memory GSettings). */
  gtk_window_close (GTK_WINDOW (window));
  iterate (10);
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    SaWindow *again = sa_window_new (app);
    int w, h;

    g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1400);
    g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 900);
    gtk_window_get_default_size (GTK_WINDOW (again), &w, &h);
    g_assert_cmpint (w, ==, 1400);
    gtk_window_destroy (GTK_WINDOW (again));
    iterate (10);
  }
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
  /* As app/main.c does for an uninstalled run: with LANGUAGE=zh_CN the
   * window (and SA_SCREENSHOT) shows the translation built under build/po. */
  bindtextdomain (GETTEXT_PACKAGE, BUILD_ROOT "/po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!gtk_init_check ())
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_test_add_func ("/ui/workbench/window", test_workbench_window);
  return g_test_run ();
}
