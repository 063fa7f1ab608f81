#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "app/progress-bar.h"

struct _SaProgressBar {
  GMutex   lock;
  char    *title;
  gboolean tty;
  gint64   start_us;
  gint64   last_us;
  int      last_percent;
  gboolean drawn;
};

SaProgressBar *
sa_progress_bar_new (const char *title)
{
  SaProgressBar *bar = g_new0 (SaProgressBar, 1);

  g_mutex_init (&bar->lock);
  bar->title = g_strdup (title);
  bar->tty = isatty (fileno (stderr));
  bar->start_us = g_get_monotonic_time ();
  bar->last_percent = -1;
  return bar;
}

static void
format_eta (char *buf, gsize len, double seconds)
{
  if (seconds < 0 || seconds > 360000)
    g_strlcpy (buf, "--:--", len);
  else if (seconds >= 3600)
    g_snprintf (buf, len, "%d:%02d:%02d", (int) seconds / 3600,
                ((int) seconds / 60) % 60, (int) seconds % 60);
  else
    g_snprintf (buf, len, "%02d:%02d", (int) seconds / 60, (int) seconds % 60);
}

void
sa_progress_bar_update (double      fraction,
                        const char *message,
                        gpointer    user_data)
{
  SaProgressBar *bar = user_data;
  gint64 now = g_get_monotonic_time ();
  int percent = fraction < 0 ? -1 : (int) (CLAMP (fraction, 0.0, 1.0) * 100.0);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&bar->lock);

  if (bar->tty)
    {
      /* Redraw at most ten times a second. */
      if (now - bar->last_us < 100000 && percent != 100)
        return;
      char eta[32] = "";
      double elapsed = (now - bar->start_us) / 1e6;
      if (fraction > 0.001)
        format_eta (eta, sizeof eta, elapsed * (1.0 - fraction) / fraction);
      else
        format_eta (eta, sizeof eta, -1);
      const int width = 30;
      int filled = percent < 0 ? 0 : percent * width / 100;
      char bars[64];
      for (int i = 0; i < width; i++)
        bars[i] = i < filled ? '#' : '-';
      bars[width] = '\0';
      fprintf (stderr, "\r\033[K%s [%s] %3d%% %s %s %s", bar->title, bars,
               MAX (percent, 0), _("ETA"), eta, message ? message : "");
      fflush (stderr);
      bar->drawn = TRUE;
    }
  else
    {
      /* Piped: one line per whole percent step of 5, or when a message
       * arrives without a fraction. */
      if (percent >= 0 && percent / 5 == bar->last_percent / 5 && bar->last_percent >= 0)
        return;
      if (percent >= 0)
        fprintf (stderr, "%s: %d%%%s%s\n", bar->title, percent,
                 message ? " " : "", message ? message : "");
      else if (message != NULL)
        fprintf (stderr, "%s: %s\n", bar->title, message);
      fflush (stderr);
    }
  bar->last_us = now;
  if (percent >= 0)
    bar->last_percent = percent;
}

void
sa_progress_bar_finish (SaProgressBar *bar,
                        gboolean       ok)
{
  double elapsed = (g_get_monotonic_time () - bar->start_us) / 1e6;

  if (bar->tty && bar->drawn)
    fprintf (stderr, "\r\033[K");
  if (ok)
    fprintf (stderr, _("%s: done in %.1f s\n"), bar->title, elapsed);
  fflush (stderr);
}

void
sa_progress_bar_free (SaProgressBar *bar)
{
  if (bar == NULL)
    return;
  g_mutex_clear (&bar->lock);
  g_free (bar->title);
  g_free (bar);
}
