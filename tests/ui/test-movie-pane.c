#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "app/application.h"
#include "compute/io/movie.h"
#include "tests/testutil.h"
#include "tests/ui/fixture-workbench.h"
#include "ui/frame-view.h"
#include "ui/window.h"

/* The fixture's run is 120 TRs of 2 s. Its movie: a counter movie (each
 * frame draws its index in 12 black/white blocks of 16 px, as in
 * test-movie.c) of the same 240 s at 12 fps, 4 s GOPs. */
#define CW 192
#define CH 64
#define FPS 12
#define COUNTER "format=yuv420p,geq=lum='if(mod(floor(N/pow(2\\,floor(X/16)))\\,2)\\,235\\,16)':cb=128:cr=128"

static char *movie_path;

static gboolean
make_movie (void)
{
  g_autofree char *ff = g_find_program_in_path ("ffmpeg");
  g_autofree char *dir = NULL, *cmd = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (movie_path != NULL)
    return TRUE;
  if (ff == NULL)
    {
      g_test_skip ("ffmpeg not installed");
      return FALSE;
    }
  dir = sa_test_tmpdir ();
  movie_path = g_build_filename (dir, "counter.mp4", NULL);
  cmd = g_strdup_printf ("ffmpeg -nostdin -v error -y -f lavfi -i \"nullsrc=s=%dx%d:r=%d:d=240,%s\" "
                         "-c:v libx264 -preset veryfast -crf 16 -g 48 -bf 2 '%s'",
                         CW, CH, FPS, COUNTER, movie_path);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s\n%s", cmd, err);
  return TRUE;
}

static gint64
read_counter (const guint8 *rgb,
              gsize         stride)
{
  gint64 n = 0;

  for (int b = 0; b < 12; b++)
    if (rgb[(CH / 2) * stride + (b * 16 + 8) * 4 + 1] > 128)
      n |= (gint64) 1 << b;
  return n;
}

static gboolean
ignore_no_bus (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  return strstr (message, "session bus") == NULL;
}

/* Until the view shows the exact frame at the cursor; FALSE after 10 s. */
static gboolean
wait_exact (SaFrameView *view)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean exact = FALSE;

  while (g_get_monotonic_time () < end)
    {
      sa_frame_view_get_movie_frame (view, &exact);
      if (exact)
        return TRUE;
      sa_frame_cache_wait_idle (sa_frame_view_get_cache (view), 50);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  return FALSE;
}

/* The pixels on screen are the frame sa_movie_frame_at() gives for @t. */
static void
assert_shows (SaFrameView *view,
              SaMovie     *ref,
              double       t)
{
  GdkTexture *texture = sa_frame_view_get_texture (view);
  gboolean exact = FALSE;
  SaCachedFrame *frame = sa_frame_view_get_movie_frame (view, &exact);
  int w, h;
  g_autofree guint8 *shown = NULL;
  g_autofree guint8 *want = NULL;
  g_autoptr(GError) error = NULL;
  double ft = -1;

  g_assert_nonnull (frame);
  g_assert_true (exact);
  g_assert_nonnull (texture);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  g_assert_cmpint (w, ==, frame->width);
  g_assert_cmpint (h, ==, frame->height);
  /* Downloaded as the renderer gets it: Cairo's ARGB32 (BGRA bytes). */
  shown = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, shown, (gsize) w * 4);
  want = g_malloc ((gsize) w * h * 3);
  g_assert_true (sa_movie_frame_at (ref, t, w, h, SA_RESIZE_AREA, want, &ft, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (frame->start, ft, 1e-9);
  for (int p = 0; p < w * h; p++)
    {
      g_assert_cmpuint (shown[p * 4 + 2], ==, want[p * 3 + 0]);
      g_assert_cmpuint (shown[p * 4 + 1], ==, want[p * 3 + 1]);
      g_assert_cmpuint (shown[p * 4 + 0], ==, want[p * 3 + 2]);
    }
  /* Native size here (the pane is larger than the movie): the frame's own
   * counter says which frame it is. */
  g_assert_cmpint (w, ==, CW);
  g_assert_cmpint (read_counter (shown, (gsize) w * 4), ==, (gint64) floor (t * FPS + 1e-9));
  g_assert_cmpint (frame->index, ==, (gint64) floor (t * FPS + 1e-9));
}

typedef struct {
  SaApplication *app;
  SaFixture     *fixture;
  SaWorkbench   *wb;
  SaWindow      *window;
  SaFrameView   *view;
} Pane;

static gboolean
pane_open (Pane *p)
{
  g_autoptr(GError) error = NULL;

  if (!make_movie ())
    return FALSE;
  p->app = sa_application_new ();
  g_application_register (G_APPLICATION (p->app), NULL, &error);
  g_assert_no_error (error);
  p->fixture = sa_fixture_new ();
  p->wb = sa_fixture_workbench_new (p->fixture, 64, 48);
  sa_workbench_set_movie_path (p->wb, movie_path);
  p->window = sa_window_new (p->app);
  gtk_window_set_default_size (GTK_WINDOW (p->window), 1400, 900);
  sa_window_set_workbench (p->window, p->wb);
  gtk_window_present (GTK_WINDOW (p->window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (p->window)))
    g_main_context_iteration (NULL, TRUE);
  sa_fixture_settle (100);
  p->view = SA_FRAME_VIEW (sa_fixture_find_child (GTK_WIDGET (p->window), SA_TYPE_FRAME_VIEW));
  g_assert_nonnull (p->view);
  g_assert_nonnull (sa_frame_view_get_cache (p->view));
  return TRUE;
}

static void
pane_close (Pane *p)
{
  if (p->window)
    gtk_window_destroy (GTK_WINDOW (p->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&p->wb);
  g_clear_pointer (&p->fixture, sa_fixture_free);
  g_clear_object (&p->app);
}

/* Scrub to a time: a stand-in at once, then the exact frame at that time
 * (not the TR's frame), pixel for pixel. */
static void
test_exact_frame (void)
{
  const double times[] = { 101.3, 17.0, 239.9, 55.55, 3.0 + 1.0 / FPS };
  g_autoptr(SaMovie) ref = NULL;
  g_autoptr(GError) error = NULL;
  Pane p = { 0 };

  if (!pane_open (&p))
    return;
  ref = sa_movie_open (movie_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      sa_workbench_set_time (p.wb, times[i]);
      /* Something is on screen at once: the exact frame or a stand-in. */
      g_assert_nonnull (sa_frame_view_get_texture (p.view));
      g_assert_true (wait_exact (p.view));
      assert_shows (p.view, ref, times[i]);
      /* The TR strip shows the frame at the end of the TR; this is not it. */
      g_assert_cmpint (sa_frame_view_get_shown_index (p.view), ==, -1);
    }
  /* TR steps land on frames too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.step", "i", 1));
  g_assert_true (wait_exact (p.view));
  assert_shows (p.view, ref, sa_workbench_get_time (p.wb));
  pane_close (&p);
}

/* A burst of scrubs: the view ends on the newest, and only it is decoded
 * for and delivered. */
static void
test_newest_wins (void)
{
  g_autoptr(SaMovie) ref = NULL;
  g_autoptr(GError) error = NULL;
  SaFrameCacheStats before, after;
  Pane p = { 0 };
  double t = 0;

  if (!pane_open (&p))
    return;
  ref = sa_movie_open (movie_path, &error);
  g_assert_true (wait_exact (p.view));
  sa_frame_cache_get_stats (sa_frame_view_get_cache (p.view), &before);
  for (int i = 0; i < 30; i++)
    {
      t = fmod (7.3 + i * 37.7, 239.0);
      sa_workbench_set_time (p.wb, t);
    }
  g_assert_true (wait_exact (p.view));
  assert_shows (p.view, ref, t);
  sa_frame_cache_get_stats (sa_frame_view_get_cache (p.view), &after);
  g_assert_cmpuint (after.requests - before.requests, ==, 30);
  g_assert_cmpuint (after.delivered - before.delivered, <=, 1);
  /* Far fewer seeks than scrubs. */
  g_assert_cmpuint ((after.decoded - after.prefetched) - (before.decoded - before.prefetched), <, 30);
  pane_close (&p);
}

/* A press of @keyval as the window's key handler sees it in the capture
 * phase (Xvfb has no way to type); TRUE when it was handled. */
static gboolean
press_key (GtkWidget *window,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) c = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (c) &&
          g_strcmp0 (gtk_event_controller_get_name (c), "sa-space-plays") == 0)
        g_signal_emit_by_name (c, "key-pressed", keyval, 0, (GdkModifierType) 0, &handled);
    }
  return handled;
}

/* Playback at the movie's rate: the cursor follows the frame clock and the
 * frames shown follow the cursor. */
static void
test_playback (void)
{
  g_autoptr(SaMovie) ref = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  Pane p = { 0 };
  gint64 start;
  double t0, elapsed;

  if (!pane_open (&p))
    return;
  ref = sa_movie_open (movie_path, &error);
  sa_workbench_set_time (p.wb, 30.0);
  g_assert_true (wait_exact (p.view));
  t0 = sa_workbench_get_time (p.wb);
  start = g_get_monotonic_time ();
  /* Space plays and pauses, wherever the focus is (here the timeline). */
  {
    GtkWidget *scale = sa_fixture_find_child (GTK_WIDGET (p.window), GTK_TYPE_SCALE);

    g_assert_nonnull (scale);
    gtk_widget_grab_focus (scale);
  }
  g_assert_true (press_key (GTK_WIDGET (p.window), GDK_KEY_space));
  g_assert_true (sa_window_get_playing (p.window));
  while (g_get_monotonic_time () - start < 1500 * 1000)
    {
      gboolean exact;
      SaCachedFrame *f;

      g_main_context_iteration (NULL, TRUE);
      f = sa_frame_view_get_movie_frame (p.view, &exact);
      if (f != NULL)
        g_hash_table_add (seen, GINT_TO_POINTER ((int) f->index));
    }
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_assert_true (press_key (GTK_WIDGET (p.window), GDK_KEY_space));
  g_assert_false (sa_window_get_playing (p.window));
  /* Where space types, it types. */
  {
    GtkWidget *text = sa_fixture_find_child (GTK_WIDGET (p.window), GTK_TYPE_TEXT);

    if (text != NULL && gtk_widget_grab_focus (text))
      {
        g_assert_false (press_key (GTK_WIDGET (p.window), GDK_KEY_space));
        g_assert_false (sa_window_get_playing (p.window));
      }
  }
  /* On a focused button, space presses that button (keyboard access). */
  {
    GtkWidget *button = sa_fixture_find_child (GTK_WIDGET (p.window), GTK_TYPE_BUTTON);

    g_assert_nonnull (button);
    if (gtk_widget_grab_focus (button))
      g_assert_false (press_key (GTK_WIDGET (p.window), GDK_KEY_space));
  }
  /* Wall-clock pacing: never ahead of the clock, not far behind it. */
  g_test_message ("played %.2f s of movie in %.2f s, %u frames seen",
                  sa_workbench_get_time (p.wb) - t0, elapsed, g_hash_table_size (seen));
  g_assert_cmpfloat (sa_workbench_get_time (p.wb) - t0, <=, elapsed + 0.05);
  g_assert_cmpfloat (sa_workbench_get_time (p.wb) - t0, >, 0.5);
  /* More than one frame shown: the picture moves. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 3);
  g_assert_true (wait_exact (p.view));
  assert_shows (p.view, ref, sa_workbench_get_time (p.wb));
  pane_close (&p);
}

static guint
decoder_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "syncact-frames"))
        n++;
    }
  return n;
}

/* Closing the window while a seek decodes: the decoder thread joins,
 * nothing is delivered to the gone view. */
static void
test_close_in_flight (void)
{
  Pane p = { 0 };

  if (!pane_open (&p))
    return;
  if (g_file_test ("/proc/self/task", G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (decoder_threads (), ==, 1);
  sa_workbench_set_time (p.wb, 200.0);
  sa_workbench_set_time (p.wb, 150.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (p.window), "win.play", NULL));
  gtk_window_destroy (GTK_WINDOW (p.window));
  p.window = NULL;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (decoder_threads (), ==, 0);
  /* The workbench lives on and moves; no one listens any more. */
  sa_workbench_set_time (p.wb, 10.0);
  sa_fixture_settle (200);
  pane_close (&p);
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
  g_test_add_func ("/ui/movie/exact-frame", test_exact_frame);
  g_test_add_func ("/ui/movie/newest-wins", test_newest_wins);
  g_test_add_func ("/ui/movie/playback", test_playback);
  g_test_add_func ("/ui/movie/close-in-flight", test_close_in_flight);
  return g_test_run ();
}
