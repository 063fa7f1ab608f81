/* progress.h — how long work reports where it is
 *
 * Compute functions that take time accept a SaProgressFunc and a
 * GCancellable. The callback runs on the thread doing the work; a GUI
 * receiver must hop to its main context itself (app/ does, coalesced).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @fraction in [0, 1], or negative when unknown; @message may be NULL. */
typedef void (*SaProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

typedef struct {
  SaProgressFunc func;
  gpointer       user_data;
  double         start;   /* where this stage begins in the parent's [0, 1] */
  double         span;    /* how much of the parent it covers */
} SaProgress;

/* Reports @fraction of this stage, mapped into the parent's range. */
void       sa_progress_report   (const SaProgress *progress,
                                 double            fraction,
                                 const char       *message);

/* A sub-stage covering [@from, @to] of @parent. */
SaProgress sa_progress_sub      (const SaProgress *parent,
                                 double            from,
                                 double            to);

G_END_DECLS
