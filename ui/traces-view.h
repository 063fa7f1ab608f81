/* traces-view.h — the selected FBN's and its paired filter's traces */
#pragma once

#include <gtk/gtk.h>

#include "render/traces.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_TRACES_VIEW (sa_traces_view_get_type ())
G_DECLARE_FINAL_TYPE (SaTracesView, sa_traces_view, SA, TRACES_VIEW, GtkWidget)

GtkWidget *sa_traces_view_new           (void);
void       sa_traces_view_set_workbench (SaTracesView *self,
                                         SaWorkbench  *workbench);
/* Visible window in seconds; t1 <= t0 shows everything. */
void       sa_traces_view_set_window    (SaTracesView *self,
                                         double        t0,
                                         double        t1);
/* What is drawn now (labels and arrays borrowed from the view/workbench). */
gboolean   sa_traces_view_get_params    (SaTracesView  *self,
                                         SaTraceParams *params);
/* Seconds under widget x (click-to-seek), as render/traces computes it. */
double     sa_traces_view_time_at       (SaTracesView *self,
                                         double        x);

G_END_DECLS
