#include "config.h"

#include "ui/heatmap-view.h"

#include <glib/gi18n.h>

#include "ui/style-util.h"

struct _SaHeatmapView {
  GtkWidget    parent_instance;

  SaWorkbench *workbench;
  int         *row_order;
  int         *col_order;
};

G_DEFINE_FINAL_TYPE (SaHeatmapView, sa_heatmap_view, GTK_TYPE_WIDGET)

static void
resort (SaHeatmapView *self)
{
  const float *r;
  int rows, cols;

  g_clear_pointer (&self->row_order, g_free);
  g_clear_pointer (&self->col_order, g_free);
  if (self->workbench && (r = sa_workbench_get_correlations (self->workbench)) != NULL)
    {
      rows = sa_workbench_get_n_fbns (self->workbench);
      cols = sa_workbench_get_n_filters (self->workbench);
      self->row_order = g_new (int, MAX (rows, 1));
      self->col_order = g_new (int, MAX (cols, 1));
      sa_heatmap_sort_pairs (r, rows, cols, self->row_order, self->col_order);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sa_heatmap_view_get_params (SaHeatmapView   *self,
                            SaHeatmapParams *p)
{
  g_return_val_if_fail (SA_IS_HEATMAP_VIEW (self), FALSE);
  if (self->workbench == NULL || self->row_order == NULL)
    return FALSE;
  *p = (SaHeatmapParams) {
    .r = sa_workbench_get_correlations (self->workbench),
    .rows = sa_workbench_get_n_fbns (self->workbench),
    .cols = sa_workbench_get_n_filters (self->workbench),
    .row_order = self->row_order,
    .col_order = self->col_order,
    .selected_row = sa_workbench_get_selected_fbn (self->workbench),
    .colormap = SA_COLORMAP_RDBU,
    /* Following filters, the chosen column is outlined too. */
    .outline_col = sa_workbench_get_direction (self->workbench) == SA_PAIR_DIRECTION_FILTER2FBN,
    .selected_col = sa_workbench_get_selected_filter (self->workbench),
  };
  return p->r != NULL;
}

void
sa_heatmap_view_set_workbench (SaHeatmapView *self,
                               SaWorkbench   *workbench)
{
  g_return_if_fail (SA_IS_HEATMAP_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (resort), self);
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (workbench, "notify::selected-filter", G_CALLBACK (gtk_widget_queue_draw), self);
      g_signal_connect_swapped (workbench, "notify::direction", G_CALLBACK (gtk_widget_queue_draw), self);
    }
  resort (self);
}

static void
sa_heatmap_view_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SaHeatmapView *self = SA_HEATMAP_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  SaHeatmapParams p;
  SaRenderStyle style;
  cairo_t *cr;

  if (!sa_heatmap_view_get_params (self, &p) || w <= 0 || h <= 0)
    return;
  sa_ui_render_style (widget, &style);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  sa_heatmap_draw (cr, &style, &p, w, h);
  cairo_destroy (cr);
}

gboolean
sa_heatmap_view_cell_at (SaHeatmapView *self,
                         double         x,
                         double         y,
                         int           *row,
                         int           *col)
{
  SaHeatmapParams p;
  SaRenderStyle style;

  g_return_val_if_fail (SA_IS_HEATMAP_VIEW (self), FALSE);
  if (!sa_heatmap_view_get_params (self, &p))
    return FALSE;
  sa_ui_render_style (GTK_WIDGET (self), &style);
  return sa_heatmap_pick (&style, &p, gtk_widget_get_width (GTK_WIDGET (self)),
                          gtk_widget_get_height (GTK_WIDGET (self)), x, y, row, col);
}

gboolean
sa_heatmap_view_click (SaHeatmapView *self,
                       double         x,
                       double         y)
{
  int row, col;

  g_return_val_if_fail (SA_IS_HEATMAP_VIEW (self), FALSE);
  if (!sa_heatmap_view_cell_at (self, x, y, &row, &col))
    return FALSE;
  sa_heatmap_view_activate_cell (self, row, col);
  return TRUE;
}

static void
pressed (GtkGestureClick *gesture,
         int              n_press,
         double           x,
         double           y,
         SaHeatmapView   *self)
{
  sa_heatmap_view_click (self, x, y);
}

void
sa_heatmap_view_activate_cell (SaHeatmapView *self,
                               int            row,
                               int            col)
{
  g_return_if_fail (SA_IS_HEATMAP_VIEW (self));
  if (self->workbench == NULL)
    return;
  /* The direction the lists follow says what a cell stands for: its row
   * (an FBN, with its paired filter) or its column (a filter, with its
   * best FBN). */
  if (sa_workbench_get_direction (self->workbench) == SA_PAIR_DIRECTION_FILTER2FBN)
    sa_workbench_set_selected_filter (self->workbench, col);
  else
    sa_workbench_set_selected_fbn (self->workbench, row);
}

static void
sa_heatmap_view_dispose (GObject *object)
{
  SaHeatmapView *self = SA_HEATMAP_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_pointer (&self->row_order, g_free);
  g_clear_pointer (&self->col_order, g_free);
  G_OBJECT_CLASS (sa_heatmap_view_parent_class)->dispose (object);
}

static void
sa_heatmap_view_class_init (SaHeatmapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_heatmap_view_dispose;
  widget_class->snapshot = sa_heatmap_view_snapshot;
  gtk_widget_class_set_css_name (widget_class, "sa-heatmap-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_heatmap_view_init (SaHeatmapView *self)
{
  GtkGesture *gesture = gtk_gesture_click_new ();

  g_signal_connect (gesture, "pressed", G_CALLBACK (pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 120);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Pairing heat map: correlation of every FBN with every filter"),
                                  -1);
}

GtkWidget *
sa_heatmap_view_new (void)
{
  return g_object_new (SA_TYPE_HEATMAP_VIEW, NULL);
}
