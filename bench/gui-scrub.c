/* gui-scrub — latency from a scrub (time cursor set) to the frame that shows
 * the new movie frame, slices and traces, time to the first drawn window,
 * and playback.
 *
 * Runs the real window on synthetic in-memory results (frames 256×180, the
 * paper's size, all in memory: the per-TR strip). Prints p50/p95/max over
 * 200 random seeks against the target p95 ≤ 33 ms.
 *
 * With a movie (second argument; made from the built-in demo movie when
 * the file is missing) the movie pane shows the exact frame at the cursor
 * from its frame cache, and the bench also measures:
 *  - scrub → exact frame painted, warm cache: 200 random seeks among frames
 *    visited before (within a span the cache holds with its prefetch);
 *  - the same, cold: random seeks over the whole movie (a decode each);
 *  - playback: frames shown per second against the movie's fps over 10 s,
 *    and the frames dropped.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>

#include "app/application.h"
#include "compute/demo/demo-movie.h"
#include "tests/ui/fixture-workbench.h"
#include "ui/frame-view.h"
#include "ui/window.h"

static gboolean painted;
static gint64 update_start, paint_end;
/* The movie pane, when there is a movie: what the last paint showed. */
static SaFrameView *view;
static gboolean painted_exact;
static gint64 painted_index = -1;
static guint64 paints, exact_paints;

static void
before_update (GdkFrameClock *clock,
               gpointer       user_data)
{
  update_start = g_get_monotonic_time ();
}

static void
after_paint (GdkFrameClock *clock,
             gpointer       user_data)
{
  paint_end = g_get_monotonic_time ();
  painted = TRUE;
  paints++;
  if (view != NULL)
    {
      SaCachedFrame *frame = sa_frame_view_get_movie_frame (view, &painted_exact);

      painted_index = frame != NULL ? frame->index : -1;
      if (painted_exact)
        exact_paints++;
    }
}

static void
wait_paint (void)
{
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

/* Until a paint shows the exact frame at the cursor; FALSE when none does
 * within 5 s. */
static gboolean
wait_exact_paint (void)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* A seek that lands on the frame already shown changes no pixel: have
   * the pane painted anyway, so that every seek ends in a paint. */
  gtk_widget_queue_draw (GTK_WIDGET (view));
  do
    wait_paint ();
  while (!painted_exact && g_get_monotonic_time () < end);
  return painted_exact;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static gboolean
ignore_no_bus (const char     *log_domain,
               GLogLevelFlags  log_level,
               const char     *message,
               gpointer        user_data)
{
  return strstr (message, "session bus") == NULL;
}

static void
print_latency (const char *what,
               double     *lat,
               int         n,
               gboolean    target)
{
  qsort (lat, n, sizeof (double), cmp_double);
  g_print ("%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms", what,
           lat[n / 2], lat[(int) (n * 0.95)], lat[n - 1]);
  if (target)
    g_print (" (target p95 <= 33 ms: %s)", lat[(int) (n * 0.95)] <= 33 ? "met" : "missed");
  g_print ("\n");
}

/* The demo movie, @seconds long, made once. */
static gboolean
ensure_movie (const char *path,
              double      seconds)
{
  g_autoptr(GError) error = NULL;
  SaDemoMovieParams params;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  g_print ("making %s (once)\n", path);
  sa_demo_movie_params_init (&params);
  params.duration = seconds;
  if (!sa_demo_movie_write (&params, path, NULL, NULL, &error))
    {
      g_printerr ("gui-scrub: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Scrub → exact frame painted, for @n seeks to @times. */
static void
scrub_exact (SaWorkbench  *wb,
             const double *times,
             int           n,
             double       *lat)
{
  for (int i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();

      sa_workbench_set_time (wb, times[i]);
      if (!wait_exact_paint ())
        g_printerr ("gui-scrub: no exact frame for %.3f s within 5 s\n", times[i]);
      lat[i] = (paint_end - start) / 1000.0;
    }
}

static void
bench_movie (SaWorkbench *wb,
             SaWindow    *window,
             const char  *movie,
             int          n,
             GRand       *rand)
{
  g_autofree double *times = g_new (double, n);
  g_autofree double *lat = g_new (double, n);
  SaFrameCache *cache;
  SaFrameCacheStats stats;
  const SaMovieInfo *info;
  double fps, span, t0, played, movie_s;
  gint64 start, last_index = -1;
  guint64 shown = 0, backwards = 0, stand_ins = 0, paints0;
  int cw, ch;

  sa_workbench_set_movie_path (wb, movie);
  view = SA_FRAME_VIEW (sa_fixture_find_child (GTK_WIDGET (window), SA_TYPE_FRAME_VIEW));
  cache = sa_frame_view_get_cache (view);
  if (cache == NULL)
    {
      g_printerr ("gui-scrub: the movie pane has no frame cache for %s\n", movie);
      return;
    }
  info = sa_frame_cache_get_info (cache);
  fps = info->fps;
  movie_s = MIN (info->duration, sa_workbench_get_duration (wb));
  sa_workbench_set_time (wb, 1.0);
  wait_exact_paint ();
  sa_frame_cache_get_size (cache, &cw, &ch);
  g_print ("movie %s: %dx%d, %.3g fps, %.0f s, %s; decoded for the pane at %dx%d\n",
           movie, info->width, info->height, fps, info->duration, info->codec, cw, ch);

  /* Warm: the cache holds 64 MiB; a span of frames that fits with its
   * prefetch margins, visited once, then scrubbed at random. */
  span = MIN (movie_s - 2.0, (double) SA_FRAME_CACHE_DEFAULT_BUDGET / ((gsize) cw * ch * 3) / fps * 0.6);
  for (int i = 0; i < n; i++)
    times[i] = 1.0 + g_rand_double_range (rand, 0, span);
  scrub_exact (wb, times, n, lat);
  sa_frame_cache_get_stats (cache, &stats);
  {
    guint64 hits0 = stats.hits;

    for (int i = n - 1; i > 0; i--)
      {
        int j = g_rand_int_range (rand, 0, i + 1);
        double tmp = times[i];
        times[i] = times[j];
        times[j] = tmp;
      }
    scrub_exact (wb, times, n, lat);
    sa_frame_cache_get_stats (cache, &stats);
    g_print ("warm cache: %d seeks within %.1f s, %" G_GUINT64_FORMAT " answered from the cache\n",
             n, span, stats.hits - hits0);
    print_latency ("scrub -> exact frame painted (warm)", lat, n, TRUE);
  }

  /* Cold: anywhere in the movie, seeks the cache has not seen. */
  for (int i = 0; i < n; i++)
    times[i] = g_rand_double_range (rand, span + 2.0, movie_s - 0.1);
  scrub_exact (wb, times, n, lat);
  print_latency ("scrub -> exact frame painted (cold, a seek each)", lat, n, FALSE);

  /* Playback: 10 s from a cold start, as a user presses play. */
  sa_workbench_set_time (wb, MIN (span + 3.0, movie_s - 11.0));
  wait_exact_paint ();
  t0 = sa_workbench_get_time (wb);
  paints0 = paints;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 10 * G_USEC_PER_SEC)
    {
      wait_paint ();
      if (!painted_exact)
        stand_ins++;
      if (painted_exact && painted_index != last_index)
        {
          if (painted_index < last_index)
            backwards++;
          shown++;
          last_index = painted_index;
        }
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL);
  played = sa_workbench_get_time (wb) - t0;
  {
    double wall = (paint_end - start) / 1e6;
    double want = played * fps;

    g_print ("playback: %.2f s of movie in %.2f s wall (rate %.3f)\n", played, wall, played / wall);
    g_print ("playback: %" G_GUINT64_FORMAT " frames shown, %.1f frames/s against the movie's %.3g fps "
             "(%.0f%%); %.0f dropped; %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
             " paints a stand-in; %" G_GUINT64_FORMAT " steps backwards\n",
             shown, shown / wall, fps, 100.0 * shown / MAX (want, 1), MAX (0.0, want - shown),
             stand_ins, paints - paints0, backwards);
    g_print ("RESULT play_fps=%.2f movie_fps=%.3f dropped=%.0f\n", shown / wall, fps, MAX (0.0, want - shown));
  }
  sa_frame_cache_get_stats (cache, &stats);
  g_print ("frame cache: %u frames, %.1f MiB; %" G_GUINT64_FORMAT " requests, %" G_GUINT64_FORMAT
           " hits, %" G_GUINT64_FORMAT " decoded (%" G_GUINT64_FORMAT " prefetch), %" G_GUINT64_FORMAT
           " delivered, %" G_GUINT64_FORMAT " superseded\n",
           stats.n_frames, stats.bytes / 1048576.0, stats.requests, stats.hits, stats.decoded,
           stats.prefetched, stats.delivered, stats.dropped);
}

int
main (int argc, char **argv)
{
  const int n = argc > 1 ? atoi (argv[1]) : 200;
  const char *movie = argc > 2 ? argv[2] : NULL;
  g_autoptr(SaApplication) app = NULL;
  g_autoptr(SaFixture) f = NULL;
  g_autoptr(SaWorkbench) wb = NULL;
  g_autofree double *lat = g_new (double, n);
  g_autofree double *work = g_new (double, n);
  GdkFrameClock *clock;
  SaWindow *window;
  gint64 t0;
  double first;
  GRand *rand = g_rand_new_with_seed (7);

  g_test_log_set_fatal_handler (ignore_no_bus, NULL);
  if (!gtk_init_check ())
    {
      g_printerr ("gui-scrub: no display (run under xvfb-run)\n");
      return 77;
    }
  if (movie != NULL && !ensure_movie (movie, 60.0))
    return 1;
  app = sa_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  f = sa_fixture_new ();
  wb = sa_fixture_workbench_new (f, 256, 180);

  t0 = g_get_monotonic_time ();
  window = sa_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  sa_window_set_workbench (window, wb);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.select-fbn", "i", 0);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "update", G_CALLBACK (before_update), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), NULL);
  wait_paint ();
  first = (g_get_monotonic_time () - t0) / 1000.0;

  for (int i = 0; i < n; i++)
    {
      int tr = g_rand_int_range (rand, 0, sa_workbench_get_n_tr (wb));
      gint64 start;

      if (tr == sa_workbench_get_tr_index (wb))
        tr = (tr + 1) % sa_workbench_get_n_tr (wb);
      start = g_get_monotonic_time ();
      sa_workbench_set_time (wb, tr * sa_workbench_get_tr (wb));
      wait_paint ();
      lat[i] = (paint_end - start) / 1000.0;
      /* The frame's own work (update, layout, paint), without the wait for
       * the frame clock's next tick. */
      work[i] = (paint_end - MAX (update_start, start)) / 1000.0;
    }
  g_print ("gui-scrub: window 1400x900, %s renderer, frames 256x180, %d seeks\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default", n);
  g_print ("first drawn window: %.1f ms\n", first);
  g_print ("per-TR strip (no movie):\n");
  print_latency ("scrub -> painted", lat, n, TRUE);
  print_latency ("frame work (update+layout+paint)", work, n, FALSE);
  if (movie != NULL)
    bench_movie (wb, window, movie, n, rand);
  g_rand_free (rand);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
