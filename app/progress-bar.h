/* progress-bar.h — progress for long commands: a bar on a terminal,
 * plain lines ("42% message") when stderr is piped. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SaProgressBar SaProgressBar;

SaProgressBar *sa_progress_bar_new    (const char    *title);
/* An SaProgressFunc: pass the bar as user_data. Thread-safe. */
void           sa_progress_bar_update (double         fraction,
                                       const char    *message,
                                       gpointer       bar);
/* Ends the line; @ok chooses "done" or leaves the last state. */
void           sa_progress_bar_finish (SaProgressBar *bar,
                                       gboolean       ok);
void           sa_progress_bar_free   (SaProgressBar *bar);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaProgressBar, sa_progress_bar_free)

G_END_DECLS
