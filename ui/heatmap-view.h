/* heatmap-view.h — FBN × filter correlations; click a row to select the FBN */
#pragma once

#include <gtk/gtk.h>

#include "render/heatmap.h"
#include "ui/workbench.h"

G_BEGIN_DECLS

#define SA_TYPE_HEATMAP_VIEW (sa_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (SaHeatmapView, sa_heatmap_view, SA, HEATMAP_VIEW, GtkWidget)

GtkWidget *sa_heatmap_view_new           (void);
void       sa_heatmap_view_set_workbench (SaHeatmapView *self,
                                          SaWorkbench   *workbench);
gboolean   sa_heatmap_view_get_params    (SaHeatmapView   *self,
                                          SaHeatmapParams *params);

G_END_DECLS
