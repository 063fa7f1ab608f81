#include "config.h"

#include "ui/filter-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "render/gallery.h"
#include "render/traces.h"
#include "ui/style-util.h"

struct _SaFilterPanel {
  GtkBox          parent_instance;

  GtkLabel       *title;
  GtkDrawingArea *gallery;
  GtkDrawingArea *trace;

  SaWorkbench    *workbench;
  int             filter;
  int             top[SA_FILTER_PANEL_N_FRAMES];
  int             n_top;
  char           *filter_label;
};

G_DEFINE_FINAL_TYPE (SaFilterPanel, sa_filter_panel, GTK_TYPE_BOX)

static void
collect_frames (SaFilterPanel *self,
                SaFrame       *frames,
                char         **captions)
{
  for (int i = 0; i < self->n_top; i++)
    {
      sa_workbench_get_frame (self->workbench, self->top[i], &frames[i]);
      captions[i] = g_strdup_printf (_("TR %d"), self->top[i]);
      frames[i].caption = captions[i];
    }
}

static void
draw_gallery (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  SaFilterPanel *self = user_data;
  SaFrame frames[SA_FILTER_PANEL_N_FRAMES];
  char *captions[SA_FILTER_PANEL_N_FRAMES] = { NULL };
  SaRenderStyle style;
  SaFrame probe;

  if (self->n_top == 0 || !sa_workbench_get_frame (self->workbench, 0, &probe))
    return;
  sa_ui_render_style (GTK_WIDGET (area), &style);
  collect_frames (self, frames, captions);
  sa_gallery_draw (cr, &style, frames, self->n_top, width, height);
  for (int i = 0; i < self->n_top; i++)
    g_free (captions[i]);
}

static void
draw_trace (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  SaFilterPanel *self = user_data;
  SaRenderStyle style;
  SaTraceParams p;

  if (self->filter < 0 || self->workbench == NULL)
    return;
  sa_ui_render_style (GTK_WIDGET (area), &style);
  /* The filter alone, in the filter's colour. */
  memcpy (style.accent, style.accent2, sizeof style.accent);
  p = (SaTraceParams) {
    .fbn = sa_workbench_get_filter_course (self->workbench, self->filter),
    .n = sa_workbench_get_n_tr (self->workbench),
    .tr = sa_workbench_get_tr (self->workbench),
    /* No cursor: the traces pane has it, and a redraw here per seek would
     * cost scrubbing latency for nothing. */
    .cursor = -1,
    .r = NAN, .p = NAN,
    .fbn_label = self->filter_label,
  };
  if (p.fbn)
    sa_traces_draw (cr, &style, &p, NULL, width, height);
}

static void
update (SaFilterPanel *self)
{
  /* The selected FBN with the selected filter: the FBN's paired filter, or
   * in the filter → FBN direction the filter chosen with its best FBN. */
  const SaPair *pair = self->workbench ? sa_workbench_get_selected_pair (self->workbench) : NULL;

  g_clear_pointer (&self->filter_label, g_free);
  self->filter = pair ? pair->filter : -1;
  self->n_top = 0;
  if (pair)
    {
      g_autofree char *title = NULL;
      g_autofree char *fbn_label = sa_workbench_dup_fbn_label (self->workbench, pair->fbn);

      self->filter_label = sa_workbench_dup_filter_label (self->workbench, pair->filter);
      /* TRANSLATORS: "filter 17 — paired with fbn-003 (r = 0.62)" */
      title = g_strdup_printf (_("%s — paired with %s (r = %.2f)"), self->filter_label,
                               fbn_label, pair->r);
      gtk_label_set_label (self->title, title);
      self->n_top = sa_workbench_top_frames (self->workbench, pair->filter,
                                             SA_FILTER_PANEL_N_FRAMES, self->top);
    }
  else
    gtk_label_set_label (self->title, _("No paired filter"));
  gtk_widget_queue_draw (GTK_WIDGET (self->gallery));
  gtk_widget_queue_draw (GTK_WIDGET (self->trace));
}

void
sa_filter_panel_set_workbench (SaFilterPanel *self,
                               SaWorkbench   *workbench)
{
  g_return_if_fail (SA_IS_FILTER_PANEL (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (update), self);
      g_signal_connect_swapped (workbench, "notify::selected-filter", G_CALLBACK (update), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (update), self);
    }
  update (self);
}

int
sa_filter_panel_get_filter (SaFilterPanel *self)
{
  g_return_val_if_fail (SA_IS_FILTER_PANEL (self), -1);
  return self->filter;
}

const char *
sa_filter_panel_get_title (SaFilterPanel *self)
{
  g_return_val_if_fail (SA_IS_FILTER_PANEL (self), NULL);
  return gtk_label_get_label (self->title);
}

int
sa_filter_panel_get_frames (SaFilterPanel  *self,
                            const int     **tr_indices)
{
  g_return_val_if_fail (SA_IS_FILTER_PANEL (self), 0);
  if (tr_indices)
    *tr_indices = self->top;
  return self->n_top;
}

void
sa_filter_panel_activate_frame (SaFilterPanel *self,
                                int            i)
{
  g_return_if_fail (SA_IS_FILTER_PANEL (self));
  if (self->workbench && i >= 0 && i < self->n_top)
    sa_workbench_set_time (self->workbench, self->top[i] * sa_workbench_get_tr (self->workbench));
}

static void
gallery_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 SaFilterPanel   *self)
{
  SaRenderStyle style;

  sa_ui_render_style (GTK_WIDGET (self->gallery), &style);
  sa_filter_panel_activate_frame (self,
    sa_gallery_pick (&style, self->n_top, gtk_widget_get_width (GTK_WIDGET (self->gallery)),
                     gtk_widget_get_height (GTK_WIDGET (self->gallery)), x, y));
}

static void
sa_filter_panel_dispose (GObject *object)
{
  SaFilterPanel *self = SA_FILTER_PANEL (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_pointer (&self->filter_label, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SA_TYPE_FILTER_PANEL);
  G_OBJECT_CLASS (sa_filter_panel_parent_class)->dispose (object);
}

static void
sa_filter_panel_class_init (SaFilterPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_filter_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/syncact/SyncAct/ui/filter-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SaFilterPanel, title);
  gtk_widget_class_bind_template_child (widget_class, SaFilterPanel, gallery);
  gtk_widget_class_bind_template_child (widget_class, SaFilterPanel, trace);
}

static void
sa_filter_panel_init (SaFilterPanel *self)
{
  GtkGesture *gesture;

  self->filter = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->gallery, draw_gallery, self, NULL);
  gtk_drawing_area_set_draw_func (self->trace, draw_trace, self, NULL);
  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (gallery_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->gallery), GTK_EVENT_CONTROLLER (gesture));
}

GtkWidget *
sa_filter_panel_new (void)
{
  return g_object_new (SA_TYPE_FILTER_PANEL, NULL);
}
