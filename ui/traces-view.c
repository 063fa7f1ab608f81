#include "config.h"

#include "ui/traces-view.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ui/style-util.h"

struct _SaTracesView {
  GtkWidget      parent_instance;

  SaWorkbench   *workbench;
  SaTraceModel  *model;      /* normalised series; rebuilt when the FBN changes */
  GskRenderNode *node;       /* everything but the cursor; cleared on change */
  int            node_w, node_h;
  char          *fbn_label;
  char          *filter_label;
  double         t0, t1;
  double         pan_start[2];
  double         pointer_x;
};

G_DEFINE_FINAL_TYPE (SaTracesView, sa_traces_view, GTK_TYPE_WIDGET)

gboolean
sa_traces_view_get_params (SaTracesView  *self,
                           SaTraceParams *p)
{
  int fbn;
  const SaPair *pair;

  g_return_val_if_fail (SA_IS_TRACES_VIEW (self), FALSE);
  if (self->workbench == NULL)
    return FALSE;
  fbn = sa_workbench_get_selected_fbn (self->workbench);
  if (fbn < 0 || sa_workbench_get_fbn_course (self->workbench, fbn) == NULL)
    return FALSE;
  pair = sa_workbench_get_selected_pair (self->workbench);
  *p = (SaTraceParams) {
    .fbn = sa_workbench_get_fbn_course (self->workbench, fbn),
    .filter = pair ? sa_workbench_get_filter_course (self->workbench, pair->filter) : NULL,
    .n = sa_workbench_get_n_tr (self->workbench),
    .tr = sa_workbench_get_tr (self->workbench),
    .cursor = sa_workbench_get_time (self->workbench),
    .t0 = self->t0,
    .t1 = self->t1,
    .r = pair ? pair->r : NAN,
    .p = pair ? pair->p : NAN,
    .fbn_label = self->fbn_label,
    .filter_label = self->filter_label,
  };
  return TRUE;
}

static void
rebuild (SaTracesView *self)
{
  SaTraceParams p;
  int fbn;
  const SaPair *pair;

  g_clear_pointer (&self->model, sa_trace_model_free);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->fbn_label, g_free);
  g_clear_pointer (&self->filter_label, g_free);
  if (self->workbench && (fbn = sa_workbench_get_selected_fbn (self->workbench)) >= 0)
    {
      self->fbn_label = sa_workbench_dup_fbn_label (self->workbench, fbn);
      pair = sa_workbench_get_selected_pair (self->workbench);
      if (pair)
        self->filter_label = sa_workbench_dup_filter_label (self->workbench, pair->filter);
    }
  if (sa_traces_view_get_params (self, &p))
    self->model = sa_trace_model_new (&p);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sa_traces_view_set_workbench (SaTracesView *self,
                              SaWorkbench  *workbench)
{
  g_return_if_fail (SA_IS_TRACES_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::selected-fbn", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (workbench, "notify::selected-filter", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (rebuild), self);
      g_signal_connect_swapped (workbench, "notify::time", G_CALLBACK (gtk_widget_queue_draw), self);
    }
  rebuild (self);
}

void
sa_traces_view_set_window (SaTracesView *self,
                           double        t0,
                           double        t1)
{
  g_return_if_fail (SA_IS_TRACES_VIEW (self));
  self->t0 = t0;
  self->t1 = t1;
  g_clear_pointer (&self->node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sa_traces_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SaTracesView *self = SA_TRACES_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  SaTraceParams p;
  SaRenderStyle style;
  double cursor, x;

  if (self->model == NULL || !sa_traces_view_get_params (self, &p) || w <= 0 || h <= 0)
    return;
  sa_ui_render_style (widget, &style);
  /* Scrubbing only moves the cursor: the traces stay one cached node and the
   * cursor is a 1 px box on top, so a seek costs no Cairo drawing. */
  cursor = p.cursor;
  p.cursor = -1;
  if (self->node == NULL)
    {
      g_autoptr(GtkSnapshot) inner = gtk_snapshot_new ();
      cairo_t *cr = gtk_snapshot_append_cairo (inner, &GRAPHENE_RECT_INIT (0, 0, w, h));

      sa_traces_draw (cr, &style, &p, self->model, w, h);
      cairo_destroy (cr);
      self->node = gtk_snapshot_free_to_node (g_steal_pointer (&inner));
    }
  if (self->node)
    gtk_snapshot_append_node (snapshot, self->node);
  x = sa_traces_x_at (&style, &p, w, h, cursor);
  if (x >= sa_traces_x_at (&style, &p, w, h, p.t1 > p.t0 ? p.t0 : 0) &&
      x <= sa_traces_x_at (&style, &p, w, h, p.t1 > p.t0 ? p.t1 : p.n * p.tr))
    {
      double top = sa_traces_plot_top (&style, h), bottom = sa_traces_plot_bottom (&style, h);

      gtk_snapshot_append_color (snapshot,
                                 &(GdkRGBA) { style.fg[0], style.fg[1], style.fg[2], 0.8 },
                                 &GRAPHENE_RECT_INIT (floor (x), top, 1, bottom - top));
    }
}

static void
sa_traces_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SaTracesView *self = SA_TRACES_VIEW (widget);

  if (width != self->node_w || height != self->node_h)
    g_clear_pointer (&self->node, gsk_render_node_unref);
  self->node_w = width;
  self->node_h = height;
}

double
sa_traces_view_time_at (SaTracesView *self,
                        double        x)
{
  SaTraceParams p;
  SaRenderStyle style;

  g_return_val_if_fail (SA_IS_TRACES_VIEW (self), 0);
  if (!sa_traces_view_get_params (self, &p))
    return 0;
  sa_ui_render_style (GTK_WIDGET (self), &style);
  return sa_traces_time_at (&style, &p, gtk_widget_get_width (GTK_WIDGET (self)),
                            gtk_widget_get_height (GTK_WIDGET (self)), x);
}

static void
click_pressed (GtkGestureClick *gesture,
               int              n_press,
               double           x,
               double           y,
               SaTracesView    *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->workbench)
    sa_workbench_set_time (self->workbench, sa_traces_view_time_at (self, x));
}

static void
current_window (SaTracesView *self,
                double       *t0,
                double       *t1)
{
  double duration = self->workbench ? sa_workbench_get_duration (self->workbench) : 0;

  if (self->t1 > self->t0)
    {
      *t0 = self->t0;
      *t1 = self->t1;
    }
  else
    {
      *t0 = 0;
      *t1 = duration > 0 ? duration : 1;
    }
}

static void
set_window_clamped (SaTracesView *self,
                    double        t0,
                    double        t1)
{
  double duration = self->workbench ? sa_workbench_get_duration (self->workbench) : 0;
  double span = MIN (t1 - t0, duration);

  if (duration <= 0)
    return;
  span = MAX (span, 4 * sa_workbench_get_tr (self->workbench));
  t0 = CLAMP (t0, 0, MAX (duration - span, 0));
  sa_traces_view_set_window (self, t0, t0 + span);
}

static gboolean
scroll (GtkEventControllerScroll *controller,
        double                    dx,
        double                    dy,
        SaTracesView             *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double t0, t1;

  if (self->workbench == NULL)
    return FALSE;
  current_window (self, &t0, &t1);
  if (state & GDK_CONTROL_MASK)
    {
      /* Zoom about the time under the pointer, so it stays put. */
      double anchor = sa_traces_view_time_at (self, self->pointer_x);
      double f = pow (1.2, dy);

      set_window_clamped (self, anchor - (anchor - t0) * f, anchor + (t1 - anchor) * f);
    }
  else
    {
      double shift = (dx != 0 ? dx : dy) * (t1 - t0) * 0.1;
      set_window_clamped (self, t0 + shift, t1 + shift);
    }
  return TRUE;
}

static void
motion (GtkEventControllerMotion *controller,
        double                    x,
        double                    y,
        SaTracesView             *self)
{
  self->pointer_x = x;
}

static void
pan_begin (GtkGestureDrag *gesture,
           double          x,
           double          y,
           SaTracesView   *self)
{
  current_window (self, &self->pan_start[0], &self->pan_start[1]);
}

static void
pan_update (GtkGestureDrag *gesture,
            double          dx,
            double          dy,
            SaTracesView   *self)
{
  double x0, seconds_per_px;

  gtk_gesture_drag_get_start_point (gesture, &x0, NULL);
  seconds_per_px = sa_traces_view_time_at (self, x0 + 1) - sa_traces_view_time_at (self, x0);
  set_window_clamped (self, self->pan_start[0] - dx * seconds_per_px,
                      self->pan_start[1] - dx * seconds_per_px);
}

static void
sa_traces_view_dispose (GObject *object)
{
  SaTracesView *self = SA_TRACES_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_pointer (&self->model, sa_trace_model_free);
  g_clear_pointer (&self->node, gsk_render_node_unref);
  g_clear_pointer (&self->fbn_label, g_free);
  g_clear_pointer (&self->filter_label, g_free);
  G_OBJECT_CLASS (sa_traces_view_parent_class)->dispose (object);
}

static void
sa_traces_view_class_init (SaTracesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_traces_view_dispose;
  widget_class->snapshot = sa_traces_view_snapshot;
  widget_class->size_allocate = sa_traces_view_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "sa-traces-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_traces_view_init (SaTracesView *self)
{
  GtkGesture *gesture;
  GtkEventController *controller;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 120);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_PRIMARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_MIDDLE);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (pan_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (pan_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Time courses of the FBN and its paired filter"),
                                  -1);
}

GtkWidget *
sa_traces_view_new (void)
{
  return g_object_new (SA_TYPE_TRACES_VIEW, NULL);
}
