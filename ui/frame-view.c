#include "config.h"

#include "ui/frame-view.h"

#include <glib/gi18n.h>

struct _SaFrameView {
  GtkWidget    parent_instance;

  SaWorkbench *workbench;
  GdkTexture  *texture;
  int          shown_index;
};

G_DEFINE_FINAL_TYPE (SaFrameView, sa_frame_view, GTK_TYPE_WIDGET)

static void
update (SaFrameView *self)
{
  int index = self->workbench ? sa_workbench_get_tr_index (self->workbench) : -1;
  SaFrame frame;

  if (index == self->shown_index && self->texture)
    return;
  g_clear_object (&self->texture);
  self->shown_index = -1;
  if (self->workbench && sa_workbench_get_frame (self->workbench, index, &frame))
    {
      /* The workbench's frames outlive no texture we hand out, so copy. */
      g_autoptr(GBytes) bytes = g_bytes_new (frame.rgb, (gsize) frame.stride * frame.height);

      self->texture = gdk_memory_texture_new (frame.width, frame.height, GDK_MEMORY_R8G8B8,
                                              bytes, frame.stride);
      self->shown_index = index;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
data_changed (SaFrameView *self)
{
  g_clear_object (&self->texture);
  update (self);
}

void
sa_frame_view_set_workbench (SaFrameView *self,
                             SaWorkbench *workbench)
{
  g_return_if_fail (SA_IS_FRAME_VIEW (self));

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_set_object (&self->workbench, workbench);
  if (workbench)
    {
      g_signal_connect_swapped (workbench, "notify::time", G_CALLBACK (update), self);
      g_signal_connect_swapped (workbench, "changed", G_CALLBACK (data_changed), self);
    }
  data_changed (self);
}

int
sa_frame_view_get_shown_index (SaFrameView *self)
{
  g_return_val_if_fail (SA_IS_FRAME_VIEW (self), -1);
  return self->shown_index;
}

static void
sa_frame_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SaFrameView *self = SA_FRAME_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double tw, th, scale;

  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 1 }, &GRAPHENE_RECT_INIT (0, 0, w, h));
  if (self->texture == NULL)
    return;
  tw = gdk_texture_get_width (self->texture);
  th = gdk_texture_get_height (self->texture);
  scale = MIN (w / tw, h / th);
  gtk_snapshot_append_texture (snapshot, self->texture,
                               &GRAPHENE_RECT_INIT ((w - tw * scale) / 2, (h - th * scale) / 2,
                                                    tw * scale, th * scale));
}

static void
sa_frame_view_dispose (GObject *object)
{
  SaFrameView *self = SA_FRAME_VIEW (object);

  if (self->workbench)
    g_signal_handlers_disconnect_by_data (self->workbench, self);
  g_clear_object (&self->workbench);
  g_clear_object (&self->texture);
  G_OBJECT_CLASS (sa_frame_view_parent_class)->dispose (object);
}

static void
sa_frame_view_class_init (SaFrameViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sa_frame_view_dispose;
  widget_class->snapshot = sa_frame_view_snapshot;
  gtk_widget_class_set_css_name (widget_class, "sa-frame-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sa_frame_view_init (SaFrameView *self)
{
  self->shown_index = -1;
  gtk_widget_set_size_request (GTK_WIDGET (self), 160, 90);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Movie frame"), -1);
}

GtkWidget *
sa_frame_view_new (void)
{
  return g_object_new (SA_TYPE_FRAME_VIEW, NULL);
}
