/* gui-scrub — latency from a scrub (time cursor set) to the frame that shows
 * the new movie frame, slices and traces, and time to the first drawn window.
 *
 * Runs the real window on synthetic in-memory results (frames 256×180, the
 * paper's size, all in memory: the "warm cache" case). Prints p50/p95/max
 * over 200 random seeks against the target p95 ≤ 33 ms. */
#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>

#include "app/application.h"
#include "tests/ui/fixture-workbench.h"
#include "ui/frame-view.h"
#include "ui/window.h"

static gboolean painted;
static gint64 update_start, paint_end;

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
}

static void
wait_paint (void)
{
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
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

int
main (int argc, char **argv)
{
  const int n = argc > 1 ? atoi (argv[1]) : 200;
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
  qsort (lat, n, sizeof (double), cmp_double);
  qsort (work, n, sizeof (double), cmp_double);
  g_print ("gui-scrub: window 1400x900, %s renderer, frames 256x180, %d seeks\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default", n);
  g_print ("first drawn window: %.1f ms\n", first);
  g_print ("scrub -> painted: p50 %.1f ms, p95 %.1f ms, max %.1f ms (target p95 <= 33 ms: %s)\n",
           lat[n / 2], lat[(int) (n * 0.95)], lat[n - 1], lat[(int) (n * 0.95)] <= 33 ? "met" : "missed");
  g_print ("frame work (update+layout+paint): p50 %.1f ms, p95 %.1f ms, max %.1f ms\n",
           work[n / 2], work[(int) (n * 0.95)], work[n - 1]);
  g_rand_free (rand);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
