/* heatmap-view.h — FBN × filter correlations; a click selects the row's FBN,
 * or in the filter → FBN direction the column's filter */
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
/* Matrix row (FBN) and column (filter) under widget pixel (@x, @y). */
gboolean   sa_heatmap_view_cell_at       (SaHeatmapView   *self,
                                          double           x,
                                          double           y,
                                          int             *row,
                                          int             *col);
/* What a click at (@x, @y) does; FALSE outside the matrix. */
gboolean   sa_heatmap_view_click         (SaHeatmapView   *self,
                                          double           x,
                                          double           y);
/* Selects the FBN of @row, or in the filter → FBN direction the filter of
 * @col (and with it its best FBN). */
void       sa_heatmap_view_activate_cell (SaHeatmapView   *self,
                                          int              row,
                                          int              col);

G_END_DECLS
