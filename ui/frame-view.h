/* frame-view.h — the movie frame under the time cursor */
#pragma once

#include <gtk/gtk.h>

#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_FRAME_VIEW (sa_frame_view_get_type ())
G_DECLARE_FINAL_TYPE (SaFrameView, sa_frame_view, SA, FRAME_VIEW, GtkWidget)

GtkWidget *sa_frame_view_new             (void);
void       sa_frame_view_set_workbench   (SaFrameView *self,
                                          SaWorkbench *workbench);
/* The TR whose frame is shown, or -1. */
int        sa_frame_view_get_shown_index (SaFrameView *self);

G_END_DECLS
