/* filter-panel.h — the paired filter: its label, top frames and trace */
#pragma once

#include <gtk/gtk.h>

#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_FILTER_PANEL (sa_filter_panel_get_type ())
G_DECLARE_FINAL_TYPE (SaFilterPanel, sa_filter_panel, SA, FILTER_PANEL, GtkBox)

#define SA_FILTER_PANEL_N_FRAMES 4

GtkWidget  *sa_filter_panel_new           (void);
void        sa_filter_panel_set_workbench (SaFilterPanel *self,
                                           SaWorkbench   *workbench);
/* The filter shown, or -1. */
int         sa_filter_panel_get_filter    (SaFilterPanel *self);
const char *sa_filter_panel_get_title     (SaFilterPanel *self);
/* Top frames shown (TR indices, highest activation first); returns count. */
int         sa_filter_panel_get_frames    (SaFilterPanel *self,
                                           const int    **tr_indices);
/* What clicking gallery frame @i does: seek the movie to it. */
void        sa_filter_panel_activate_frame (SaFilterPanel *self,
                                            int            i);

G_END_DECLS
