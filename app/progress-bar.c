#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "app/progress-bar.h"

struct _SaProgressBar {
  GMutex         lock;
  char          *title;
  gboolean       tty;
  gint64         start_us;
  gint64         last_us;
  int            last_percent;
  gboolean       drawn;

  /* A hosted bar: its fraction maps into [from, to] of host. */
  SaProgressBar *host;
  double         from, to;

  /* A host: where it is, and what its ETA counts. */
  double         fraction;
  char          *label;
  double         step_from;
  gint64         step_start_us;
  double         worked_fraction;
  gint64         worked_us;
};

static GMutex hosting_lock;
static SaProgressBar *hosting;
static double hosting_from, hosting_to;

SaProgressBar *
sa_progress_bar_new (const char *title)
{
  SaProgressBar *bar = g_new0 (SaProgressBar, 1);

  g_mutex_init (&bar->lock);
  bar->title = g_strdup (title);
  bar->tty = isatty (fileno (stderr));
  bar->start_us = g_get_monotonic_time ();
  bar->step_start_us = bar->start_us;
  bar->last_percent = -1;
  g_mutex_lock (&hosting_lock);
  if (hosting != NULL)
    {
      bar->host = hosting;
      bar->from = hosting_from;
      bar->to = hosting_to;
    }
  g_mutex_unlock (&hosting_lock);
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

/* Seconds left at the rate of the work done so far: the finished steps
 * that took time, and the current one. */
static double
eta_seconds (SaProgressBar *bar,
             gint64         now)
{
  double done = bar->worked_fraction + (bar->fraction - bar->step_from);
  double seconds = (bar->worked_us + (now - bar->step_start_us)) / 1e6;

  if (done <= 0.001 || bar->fraction <= 0.0)
    return -1;
  return seconds * (1.0 - bar->fraction) / done;
}

static void
draw (SaProgressBar *bar,
      double         fraction,
      const char    *message,
      gint64         now)
{
  int percent;

  if (fraction >= 0)
    bar->fraction = CLAMP (fraction, 0.0, 1.0);
  /* A message without a fraction leaves the bar where it was. */
  percent = fraction < 0 && bar->last_percent < 0 ? -1 : (int) (bar->fraction * 100.0);
  if (bar->tty)
    {
      const int width = 30;
      char eta[32] = "", bars[64];
      int filled = percent < 0 ? 0 : percent * width / 100;

      /* Redraw at most ten times a second. */
      if (now - bar->last_us < 100000 && percent != 100 && bar->drawn)
        return;
      format_eta (eta, sizeof eta, eta_seconds (bar, now));
      for (int i = 0; i < width; i++)
        bars[i] = i < filled ? '#' : '-';
      bars[width] = '\0';
      fprintf (stderr, "\r\033[K%s [%s] %3d%% %s %s%s%s%s", bar->title, bars, MAX (percent, 0),
               _("ETA"), eta, bar->label ? " " : "", bar->label ? bar->label : "",
               message ? " " : "");
      if (message)
        fputs (message, stderr);
      fflush (stderr);
      bar->drawn = TRUE;
    }
  else
    {
      /* Piped: one line per whole percent step of 5, or when a message
       * arrives without a fraction. */
      if (fraction >= 0 && percent / 5 == bar->last_percent / 5 && bar->last_percent >= 0)
        return;
      if (fraction >= 0)
        fprintf (stderr, "%s: %d%%%s%s%s%s\n", bar->title, percent,
                 bar->label ? " " : "", bar->label ? bar->label : "",
                 message ? " " : "", message ? message : "");
      else if (message != NULL)
        fprintf (stderr, "%s:%s%s %s\n", bar->title, bar->label ? " " : "",
                 bar->label ? bar->label : "", message);
      fflush (stderr);
    }
  bar->last_us = now;
  if (percent >= 0)
    bar->last_percent = percent;
}

void
sa_progress_bar_update (double      fraction,
                        const char *message,
                        gpointer    user_data)
{
  SaProgressBar *bar = user_data;

  if (bar->host != NULL)
    {
      g_autofree char *text = NULL;
      double f = fraction < 0 ? -1 : bar->from + CLAMP (fraction, 0.0, 1.0) * (bar->to - bar->from);

      text = g_strdup_printf ("%s%s%s", bar->title, message ? ": " : "", message ? message : "");
      g_mutex_lock (&bar->host->lock);
      /* Workers finish out of order: the host only moves forward. */
      draw (bar->host, f >= 0 ? MAX (f, bar->host->fraction) : -1, text, g_get_monotonic_time ());
      g_mutex_unlock (&bar->host->lock);
      return;
    }
  g_mutex_lock (&bar->lock);
  draw (bar, fraction, message, g_get_monotonic_time ());
  g_mutex_unlock (&bar->lock);
}

void
sa_progress_bar_clear (SaProgressBar *bar)
{
  g_mutex_lock (&bar->lock);
  if (bar->tty && bar->drawn)
    {
      fprintf (stderr, "\r\033[K");
      fflush (stderr);
      bar->drawn = FALSE;
    }
  g_mutex_unlock (&bar->lock);
}

void
sa_progress_bar_finish (SaProgressBar *bar,
                        gboolean       ok)
{
  double elapsed = (g_get_monotonic_time () - bar->start_us) / 1e6;

  if (bar->host != NULL)
    {
      sa_progress_bar_clear (bar->host);
      return;
    }
  if (bar->tty && bar->drawn)
    fprintf (stderr, "\r\033[K");
  if (ok)
    fprintf (stderr, _("%s: done in %.1f s\n"), bar->title, elapsed);
  fflush (stderr);
}

void
sa_progress_bar_host (SaProgressBar *host,
                      double         from,
                      double         to,
                      const char    *label)
{
  SaProgressBar *old;
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&hosting_lock);
  old = hosting;
  hosting = host;
  hosting_from = from;
  hosting_to = to;
  g_mutex_unlock (&hosting_lock);

  /* The step that ends counts towards the ETA when it took time: a step
   * reused from an earlier run jumps ahead in no time. */
  if (old != NULL)
    {
      g_mutex_lock (&old->lock);
      if (now - old->step_start_us >= 500000)
        {
          old->worked_fraction += old->fraction - old->step_from;
          old->worked_us += now - old->step_start_us;
        }
      old->step_from = old->fraction;
      old->step_start_us = now;
      g_mutex_unlock (&old->lock);
    }
  if (host != NULL)
    {
      g_mutex_lock (&host->lock);
      g_free (host->label);
      host->label = g_strdup (label);
      host->fraction = MAX (host->fraction, from);
      host->step_from = host->fraction;
      host->step_start_us = now;
      draw (host, host->fraction, NULL, now);
      g_mutex_unlock (&host->lock);
    }
}

void
sa_progress_bar_free (SaProgressBar *bar)
{
  if (bar == NULL)
    return;
  g_mutex_lock (&hosting_lock);
  if (hosting == bar)
    hosting = NULL;
  g_mutex_unlock (&hosting_lock);
  g_mutex_clear (&bar->lock);
  g_free (bar->title);
  g_free (bar->label);
  g_free (bar);
}
