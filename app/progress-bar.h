/* progress-bar.h — progress for long commands: a bar on a terminal,
 * plain lines ("title: 42% message") when stderr is piped.
 *
 * A command that runs other commands in its process (syncact run) shows
 * one bar for all of them: it makes a host bar and, around each step,
 * hands it a range with sa_progress_bar_host (); bars the steps make
 * meanwhile draw nothing of their own and move the host within that
 * range, their title and message becoming its text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SaProgressBar SaProgressBar;

SaProgressBar *sa_progress_bar_new    (const char    *title);
/* An SaProgressFunc: pass the bar as user_data. Thread-safe. */
void           sa_progress_bar_update (double         fraction,
                                       const char    *message,
                                       gpointer       bar);
/* Ends the line; @ok chooses "done" or leaves the last state. A hosted
 * bar only clears the host's line, so that what the step prints next
 * starts on its own line. */
void           sa_progress_bar_finish (SaProgressBar *bar,
                                       gboolean       ok);
void           sa_progress_bar_free   (SaProgressBar *bar);

/* Bars made from now on report into [@from, @to] of @host, with @label
 * (e.g. "[2/5] extract conv3") before their text; @host NULL ends it.
 * Moves @host to @from. Its ETA counts only the steps that took time, so
 * steps reused from an earlier run do not make it look faster. */
void           sa_progress_bar_host   (SaProgressBar *host,
                                       double         from,
                                       double         to,
                                       const char    *label);
/* Clears a terminal bar's line before a line is printed on stdout; the
 * next update draws it again. Nothing when piped. */
void           sa_progress_bar_clear  (SaProgressBar *bar);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaProgressBar, sa_progress_bar_free)

G_END_DECLS
